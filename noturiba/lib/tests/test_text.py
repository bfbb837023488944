from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from noturiba.lib.text import fold, latvian_sort_key, search_terms


def test_fold_drops_case_and_diacritics() -> None:
    assert fold("Rīgas ĶEKAVA Ģimeņu") == "rigas kekava gimenu"


def test_search_terms_are_folded_words() -> None:
    assert search_terms("  Ogres   Samariešu ") == ["ogres", "samariesu"]
    assert len(search_terms("a " * 50)) == 8


def test_latvian_order_puts_long_vowels_and_soft_consonants_after_their_base() -> None:
    names = ["Ķekava", "Kuldīga", "Ādaži", "Aizkraukle", "Balvi", "Līvāni", "Ludza", "Limbaži"]
    assert sorted(names, key=latvian_sort_key) == [
        "Aizkraukle",
        "Ādaži",
        "Balvi",
        "Kuldīga",
        "Ķekava",
        "Limbaži",
        "Līvāni",
        "Ludza",
    ]


@given(st.lists(st.text(max_size=12)))
def test_latvian_order_is_a_total_order(names: list[str]) -> None:
    once = sorted(names, key=latvian_sort_key)
    assert sorted(once, key=latvian_sort_key) == once
