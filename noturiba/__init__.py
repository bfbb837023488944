"""Noturība: the coordination platform of a civil-society resilience network."""
