"""Training programme selectors: one module per area."""
