"""Training programme forms: one module per area."""
