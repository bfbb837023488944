"""Reads of assistance requests, with the policy's rules: one module per area."""
