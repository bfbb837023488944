"""Directory pages, one module per kind of object; ``noturiba.network.urls`` maps them."""
