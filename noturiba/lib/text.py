"""Text normalisation for search: lower case, Latvian diacritics folded."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """``"Rīgas Ķekava"`` → ``"rigas kekava"``: lower case without combining marks."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_terms(query: str, *, limit: int = 8) -> list[str]:
    """The folded words of a search query, at most ``limit`` of them."""
    return [term for term in fold(query).split() if term][:limit]
