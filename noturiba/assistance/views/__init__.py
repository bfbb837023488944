"""Assistance requests' views, one module per area: ``requests`` (post, board, detail),
``matching`` (who can help, invitations), ``claims`` (offers, claims, transfers, progress) and
``follow`` (map, situation report, 3W export)."""
