"""Charts as accessible SVG, drawn on the server: no JavaScript, no dependency.

Each function takes labelled values and returns an ``<svg role="img">`` with a ``<title>`` and a
``<desc>`` (referenced by ``aria-labelledby``), every bar or column labelled with its value in
text (not by colour or length alone), and scales sized by ``viewBox`` so the chart fits a phone.
Pages show the same figures in a table next to it (``<details>``): the chart is the picture,
the table the data.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_ids = itertools.count(1)

WIDTH = 640
BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 200
FONT = 'font-family="system-ui, sans-serif" font-size="13"'
INK = "#1a1a1a"
BAR = "#0b4f9c"
AXIS = "#4a4a4a"


@dataclass(frozen=True)
class Point:
    label: str
    value: Decimal | int | None  # None: no data (drawn as "no data", not as zero)
    text: str = ""  # the value as shown; default: the number itself


def _number(value: Decimal | int) -> float:
    return float(value)


def _shown(point: Point) -> str:
    if point.text:
        return point.text
    return "—" if point.value is None else str(point.value)


def _open(title: str, description: str, width: int, height: int, name: str) -> list[str]:
    number = next(_ids)
    title_id, desc_id = f"{name}-title-{number}", f"{name}-desc-{number}"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
    ]


def horizontal_bars(
    points: Sequence[Point], *, title: str, description: str, unit: str = ""
) -> SafeString:
    """One horizontal bar per point, its label on the left and its value at the bar's end."""
    height = max(len(points), 1) * (BAR_HEIGHT + GAP) + GAP + 20
    top = max((_number(p.value) for p in points if p.value is not None), default=0.0)
    room = WIDTH - LABEL_WIDTH - 90
    parts = _open(title, description, WIDTH, height, "bars")
    parts.append(
        f'<line x1="{LABEL_WIDTH}" y1="{GAP}" x2="{LABEL_WIDTH}" y2="{height - 20}" '
        f'stroke="{AXIS}" stroke-width="1"/>'
    )
    for index, point in enumerate(points):
        y = GAP + index * (BAR_HEIGHT + GAP)
        middle = y + BAR_HEIGHT / 2 + 4
        length = 0.0 if not top or point.value is None else room * _number(point.value) / top
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{middle:.1f}" text-anchor="end" fill="{INK}" '
            f"{FONT}>{escape(_truncate(point.label, 28))}</text>"
        )
        if length > 0:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{BAR}"><title>{escape(point.label)}: {escape(_shown(point))}'
                f"{escape(unit)}</title></rect>"
            )
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{middle:.1f}" fill="{INK}" '
            f"{FONT}>{escape(_shown(point))}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def columns(
    points: Sequence[Point],
    *,
    title: str,
    description: str,
    maximum: Decimal | int | None = None,
) -> SafeString:
    """One column per point (e.g. per month), its value above it and its label below it."""
    count = max(len(points), 1)
    height = 260
    base = height - 40
    plot_top = 24
    step = (WIDTH - 50) / count
    width = max(step - 8, 4)
    top = (
        _number(maximum)
        if maximum is not None
        else max((_number(p.value) for p in points if p.value is not None), default=0.0)
    )
    parts = _open(title, description, WIDTH, height, "columns")
    parts.append(
        f'<line x1="40" y1="{base}" x2="{WIDTH - 6}" y2="{base}" stroke="{AXIS}" stroke-width="1"/>'
    )
    for index, point in enumerate(points):
        x = 44 + index * step
        centre = x + width / 2
        value = 0.0 if point.value is None else _number(point.value)
        size = 0.0 if not top else (base - plot_top) * value / top
        if size > 0:
            parts.append(
                f'<rect x="{x:.1f}" y="{base - size:.1f}" width="{width:.1f}" '
                f'height="{size:.1f}" fill="{BAR}"><title>{escape(point.label)}: '
                f"{escape(_shown(point))}</title></rect>"
            )
        parts.append(
            f'<text x="{centre:.1f}" y="{base - size - 5:.1f}" text-anchor="middle" '
            f'fill="{INK}" {FONT}>{escape(_shown(point))}</text>'
        )
        parts.append(
            f'<text x="{centre:.1f}" y="{base + 16}" text-anchor="middle" fill="{INK}" '
            f"{FONT}>{escape(point.label)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
