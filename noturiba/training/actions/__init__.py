"""Training programme actions: one module per area."""
