"""Reference data files loaded by ``noturiba load_reference``."""
