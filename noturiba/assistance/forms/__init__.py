"""Assistance requests' forms, one module per area."""
