#!/usr/bin/env python
"""Django's manage.py; the ``noturiba`` console script does the same."""

from noturiba.cli import main

if __name__ == "__main__":
    main()
