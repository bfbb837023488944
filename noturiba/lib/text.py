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


# Latvian alphabetical order: a letter with a diacritic follows its base letter.
_LATVIAN_ALPHABET = "aābcčdeēfgģhiījkķlļmnņoprsštuūvzž"
_LATVIAN_ORDER = {letter: index for index, letter in enumerate(_LATVIAN_ALPHABET)}


def latvian_sort_key(text: str) -> tuple[int, ...]:
    """Sort key for Latvian alphabetical order (``Ādaži`` after ``Aizkraukle``, before ``Balvi``).

    Letters outside the Latvian alphabet sort after it, by code point.
    """
    offset = len(_LATVIAN_ALPHABET)
    return tuple(_LATVIAN_ORDER.get(ch, offset + ord(ch)) for ch in text.casefold())
