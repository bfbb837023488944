"""The interface in Latvian (the default) and English: complete catalogues, pages in both.

The catalogues are ``noturiba/locale/{lv,en}/LC_MESSAGES/django.po``; ``make messages`` extracts
the strings and ``make translations`` compiles them. A failure here after adding a string usually
means: run ``make messages``, translate the new entries in ``lv/django.po``, commit the files.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext
from django.utils.translation.template import templatize

from noturiba.accounts.models import User
from noturiba.network.models import Organisation

PACKAGE_DIR = Path(settings.BASE_DIR) / "noturiba"
LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
LATVIAN_PLURAL_FORMS = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);"

# The calls makemessages reads (xgettext's defaults plus Django's lazy and context variants).
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
PLACEHOLDER = re.compile(r"%\(\w+\)[a-z]|%[sdif]|\{\w*\}")

# Words a template may show as they are: the brand and the language switch's own names.
ALLOWED_WORDS = {"Noturība", "Latviski", "English"}
WORD = re.compile(r"[^\W\d_]{2,}")
# Attributes people read or hear: labels (also data-label shown on phones), titles, hints.
SHOWN_ATTRIBUTES = re.compile(r"^(.*label|title|alt|placeholder)$")
# Elements whose text is code or not shown.
UNREAD_ELEMENTS = {"code", "kbd", "samp", "script", "style"}


def catalogue(language: str) -> Catalog:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        return read_po(handle, locale=language)


def entries(language: str) -> list[Message]:
    return [message for message in catalogue(language) if message.id]


def as_list(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    """Babel keeps a plural entry's ids and translations as tuples, any other one as a string."""
    if value is None:
        return [""]
    return [value] if isinstance(value, str) else list(value)


def msgid(message: Message) -> str:
    return as_list(message.id)[0]


def forms(message: Message) -> list[str]:
    return as_list(message.string)


def source_files() -> Iterator[Path]:
    """The files ``make messages`` reads: Python and templates, tests left out."""
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.suffix in {".py", ".html", ".txt"} and "tests" not in path.parts:
            yield path


def marked_strings(path: Path) -> set[tuple[str | None, str]]:
    """(context, msgid) of every string marked for translation in one file."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        # Django turns a template into gettext calls; each call stands on a line of its own.
        text = "\n".join(line.lstrip() for line in templatize(text, origin=str(path)).splitlines())
    found = extract("python", io.BytesIO(text.encode("utf-8")), keywords=KEYWORDS)
    return {(context, as_list(message_id)[0]) for _line, message_id, _notes, context in found}


class VisibleWords(HTMLParser):
    """The words of an HTML fragment that a reader sees or a screen reader speaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.unread_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in UNREAD_ELEMENTS:
            self.unread_depth += 1
        values = dict(attrs)
        for name, value in attrs:
            # An <input type="submit">'s value is its label; a <button>'s value is not shown.
            is_button_text = (
                tag == "input" and name == "value" and values.get("type") in {"submit", "button"}
            )
            if value and (SHOWN_ATTRIBUTES.match(name) or is_button_text):
                self.words += WORD.findall(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in UNREAD_ELEMENTS:
            self.unread_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.unread_depth:
            self.words += WORD.findall(data)


def words_outside_translation(source: str) -> list[str]:
    """Template text left once template tags, translations and comments are taken out."""
    text: list[str] = []
    closing = ""
    for token in Lexer(source).tokenize():
        name = token.contents.split()[0] if token.token_type == TokenType.BLOCK else ""
        if closing:
            closing = "" if name == closing else closing
            continue
        if token.token_type == TokenType.TEXT:
            text.append(token.contents)
            continue
        if name in {"blocktranslate", "blocktrans", "comment"}:
            closing = f"end{name}"
        text.append(" ")
    parser = VisibleWords()
    parser.feed("".join(text))
    parser.close()
    return [word for word in parser.words if word not in ALLOWED_WORDS]


# --- The catalogues ----------------------------------------------------------------------------


def test_it_declares_latvian_plural_forms() -> None:
    assert catalogue("lv").plural_forms == LATVIAN_PLURAL_FORMS
    assert catalogue("en").num_plurals == 2


def test_it_translates_every_message_into_latvian() -> None:
    untranslated = [msgid(m) for m in entries("lv") if not all(forms(m))]

    assert untranslated == []


def test_it_fills_every_plural_form_in_english() -> None:
    empty = [msgid(m) for m in entries("en") if m.pluralizable and not all(forms(m))]

    assert empty == []


@pytest.mark.parametrize("language", ["lv", "en"])
def test_it_has_no_fuzzy_entries(language: str) -> None:
    fuzzy = [msgid(m) for m in entries(language) if m.fuzzy]

    assert fuzzy == []
    assert not catalogue(language).fuzzy


def test_it_keeps_the_placeholders_of_every_message() -> None:
    changed = []
    for message in entries("lv"):
        wanted = set(PLACEHOLDER.findall(as_list(message.id)[-1]))
        for translated in forms(message):
            if set(PLACEHOLDER.findall(translated)) != wanted:
                changed.append((msgid(message), translated))

    assert changed == []


def test_it_has_every_marked_string_of_the_source_in_the_catalogue() -> None:
    marked: set[tuple[str | None, str]] = set()
    for path in source_files():
        marked |= marked_strings(path)
    known = {(message.context, msgid(message)) for message in entries("lv")}

    assert sorted(marked - known, key=str) == [], "run `make messages` and translate"


def test_it_picks_latvian_plural_forms_by_the_last_digits() -> None:
    def revoked(count: int) -> str:
        return ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count) % {
            "count": count
        }

    with translation.override("lv"):
        assert revoked(1) == "Atsaukts 1 marķieris."
        assert revoked(21) == "Atsaukts 21 marķieris."
        assert revoked(2) == "Atsaukti 2 marķieri."
        assert revoked(11) == "Atsaukti 11 marķieri."
        assert revoked(0) == "Atsaukti 0 marķieru."
    with translation.override("en"):
        assert revoked(1) == "1 token revoked."
        assert revoked(2) == "2 tokens revoked."


# --- Templates ---------------------------------------------------------------------------------


def test_it_finds_visible_text_left_outside_translation_tags() -> None:
    source = (
        '{% load i18n %}<h1 title="Plain title">{% translate "Kept" %} Forgotten</h1>'
        "<a aria-label=\"{% translate 'Labelled' %}\">"
        "{% blocktranslate %}Also kept{% endblocktranslate %}</a>"
        "<code>Authorization: Bearer</code>{# a comment #}<span>Noturība</span>"
        '<input type="submit" value="Send">'
    )

    assert words_outside_translation(source) == ["Plain", "title", "Forgotten", "Send"]


def test_it_shows_no_template_text_outside_translation_tags() -> None:
    templates = sorted(PACKAGE_DIR.glob("*/templates/**/*.html"))
    untranslated = {
        str(path.relative_to(PACKAGE_DIR)): words
        for path in templates
        if (words := words_outside_translation(path.read_text(encoding="utf-8")))
    }

    assert templates
    assert untranslated == {}


# --- Pages in both languages -------------------------------------------------------------------

# (page, a word only the Latvian page has, the same word on the English page)
PAGES = [
    ("sign-in", "Pieteikties", "Sign in"),
    ("directory", "Atrasta 1 organizācija.", "1 organisation found."),
    ("organisation", "2 stundu laikā", "2 hours"),
    ("map", "Tīkla karte", "Map of the network"),
]


def page_url(page: str, client: Client, admin: User, organisation: Organisation) -> str:
    """The page's address; every page but the sign-in one is seen by the organisation's admin."""
    if page == "sign-in":
        return reverse("accounts:login")
    client.force_login(admin)
    if page == "organisation":
        return reverse("network:organisation", args=[organisation.pk])
    return reverse(f"network:{page}")


@pytest.mark.parametrize(("page", "latvian", "english"), PAGES)
def test_it_shows_pages_in_latvian_by_default(
    client: Client, admin_a: User, org_a: Organisation, page: str, latvian: str, english: str
) -> None:
    response = client.get(page_url(page, client, admin_a, org_a))

    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="lv">' in body
    assert response["Content-Language"] == "lv"
    assert latvian in body
    assert english not in body


@pytest.mark.parametrize(("page", "latvian", "english"), PAGES)
def test_it_shows_pages_in_english_after_the_switch(
    client: Client, admin_a: User, org_a: Organisation, page: str, latvian: str, english: str
) -> None:
    url = page_url(page, client, admin_a, org_a)
    switched = client.post(reverse("set_language"), {"language": "en", "next": url})

    assert switched.status_code == 302
    assert switched["Location"] == url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    body = client.get(url).content.decode()
    assert '<html lang="en">' in body
    assert english in body
    assert latvian not in body


@pytest.mark.django_db
def test_it_switches_back_to_latvian(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "en"})
    client.post(reverse("set_language"), {"language": "lv"})

    body = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="lv">' in body
    assert "Pieteikties" in body


@pytest.mark.django_db
def test_it_ignores_the_browsers_language(client: Client) -> None:
    response = client.get(reverse("accounts:login"), headers={"Accept-Language": "en"})

    assert '<html lang="lv">' in response.content.decode()


@pytest.mark.django_db
def test_it_offers_the_other_language_in_its_own_name(client: Client) -> None:
    latvian_page = client.get(reverse("accounts:login")).content.decode()
    client.post(reverse("set_language"), {"language": "en"})
    english_page = client.get(reverse("accounts:login")).content.decode()

    assert 'value="en" lang="en">English</button>' in latvian_page
    assert 'value="lv" lang="lv">Latviski</button>' in english_page
