"""Hypothesis strategies for valid CAP 1.2 alerts (used by the CAP build and parse tests)."""

from __future__ import annotations

import string
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import strategies as st

from noturiba.lib.cap import (
    Alert,
    Area,
    Category,
    Certainty,
    Circle,
    Info,
    MsgType,
    NamedValue,
    Point,
    Polygon,
    Reference,
    Resource,
    ResponseType,
    Scope,
    Severity,
    Status,
    Urgency,
)

# Text XML can carry: no control characters (other than tab and newline), surrogates or
# non-characters; "\r" is left out because XML parsers fold it into "\n".
texts = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc", "Cn"), include_characters="\t\n"),
    max_size=40,
)
names = st.text(alphabet=string.ascii_letters + string.digits + ".-_@:/", min_size=1, max_size=30)
uris = st.builds(
    lambda path: f"https://example.org/{path}", st.from_regex(r"[a-z0-9/]{0,20}", fullmatch=True)
)
offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
times = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=offsets
).map(lambda value: value.replace(microsecond=0))
later = st.integers(min_value=1, max_value=10_000_000).map(
    lambda seconds: timedelta(seconds=seconds)
)


def _decimals(low: int, high: int) -> st.SearchStrategy[Decimal]:
    return st.decimals(
        min_value=low, max_value=high, places=4, allow_nan=False, allow_infinity=False
    )


points = st.builds(Point, lat=_decimals(-90, 90), lon=_decimals(-180, 180))
polygons = st.lists(points, min_size=3, max_size=8).map(
    lambda ring: Polygon(points=(*ring, ring[0]))
)
circles = st.builds(Circle, center=points, radius_km=_decimals(0, 20_000))
named_values = st.builds(NamedValue, value_name=texts, value=texts)


def _tuples(strategy: st.SearchStrategy, max_size: int = 3) -> st.SearchStrategy:
    return st.lists(strategy, max_size=max_size).map(tuple)


def _optional(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.none() | strategy


@st.composite
def areas(draw: st.DrawFn) -> Area:
    altitude = draw(_optional(_decimals(-500, 10_000)))
    ceiling = None
    if altitude is not None and draw(st.booleans()):
        ceiling = altitude + draw(_decimals(0, 10_000))
    return Area(
        area_desc=draw(texts),
        polygons=draw(_tuples(polygons, 2)),
        circles=draw(_tuples(circles, 2)),
        geocodes=draw(_tuples(named_values)),
        altitude=altitude,
        ceiling=ceiling,
    )


resources = st.builds(
    Resource,
    resource_desc=texts,
    mime_type=st.sampled_from(["image/png", "application/pdf", "text/plain"]),
    size=_optional(st.integers(min_value=0, max_value=10**12)),
    uri=_optional(uris),
    deref_uri=_optional(st.from_regex(r"[A-Za-z0-9+/]{0,40}", fullmatch=True)),
    digest=_optional(st.from_regex(r"[0-9a-f]{40}", fullmatch=True)),
)


@st.composite
def infos(draw: st.DrawFn, sent: datetime) -> Info:
    effective = draw(_optional(times))
    expires = None
    if draw(st.booleans()):
        expires = (effective or sent) + draw(later)
    return Info(
        language=draw(_optional(st.sampled_from(["lv", "lv-LV", "en", "en-US", "ru"]))),
        categories=tuple(draw(st.lists(st.sampled_from(Category), min_size=1, max_size=3))),
        event=draw(texts),
        response_types=draw(_tuples(st.sampled_from(ResponseType))),
        urgency=draw(st.sampled_from(Urgency)),
        severity=draw(st.sampled_from(Severity)),
        certainty=draw(st.sampled_from(Certainty)),
        audience=draw(_optional(texts)),
        event_codes=draw(_tuples(named_values)),
        effective=effective,
        onset=draw(_optional(times)),
        expires=expires,
        sender_name=draw(_optional(texts)),
        headline=draw(_optional(texts)),
        description=draw(_optional(texts)),
        instruction=draw(_optional(texts)),
        web=draw(_optional(uris)),
        contact=draw(_optional(texts)),
        parameters=draw(_tuples(named_values)),
        resources=draw(_tuples(resources, 2)),
        areas=draw(_tuples(areas(), 2)),
    )


references = st.builds(Reference, sender=names, identifier=names, sent=times)


@st.composite
def alerts(draw: st.DrawFn) -> Alert:
    sent = draw(times)
    scope = draw(st.sampled_from(Scope))
    return Alert(
        identifier=draw(names),
        sender=draw(names),
        sent=sent,
        status=draw(st.sampled_from(Status)),
        msg_type=draw(st.sampled_from(MsgType)),
        scope=scope,
        source=draw(_optional(texts)),
        restriction=draw(texts.filter(bool)) if scope == Scope.RESTRICTED else None,
        addresses=draw(names) if scope == Scope.PRIVATE else draw(_optional(names)),
        codes=draw(_tuples(texts)),
        note=draw(_optional(texts)),
        references=draw(_tuples(references)),
        incidents=draw(_optional(names)),
        infos=tuple(draw(st.lists(infos(sent), max_size=2))),
    )
