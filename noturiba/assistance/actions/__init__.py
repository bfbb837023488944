"""Writes of assistance requests: one module per area. Every function takes the acting user
first and checks the policy."""
