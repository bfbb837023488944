"""Server-side SVG charts: well-formed XML with role, title and desc, values as text, escaped
labels; the knowledge page's charts with their data tables and the figures behind them."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from lxml import etree, html

from noturiba.accounts.models import User
from noturiba.conftest import client_for
from noturiba.network.models import Municipality, Organisation
from noturiba.training import charts
from noturiba.training.models import Enrolment
from noturiba.training.selectors.knowledge import attendance_by_month, feedback_by_month
from noturiba.training.tests.knowledge_support import (
    Curriculum,
    attend,
    curriculum,
    feedback,
    fresh_cache,
    make_person,
    make_session,
    refresh_matrix,
    today,
)

pytestmark = pytest.mark.django_db
__all__ = ["curriculum", "fresh_cache"]  # fixtures

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> etree._Element:
    return etree.fromstring(svg.encode())


def texts(root: etree._Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def test_bars_are_well_formed_and_labelled() -> None:
    svg = charts.horizontal_bars(
        [charts.Point("Ogre", Decimal("2.5")), charts.Point("Rīga", 0), charts.Point("X", None)],
        title="People per 10,000",
        description="One bar per municipality.",
        unit="%",
    )
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "People per 10,000"
    assert desc is not None and desc.text == "One bar per municipality."
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert {"Ogre", "Rīga", "X", "2.5%", "0%", "—%"} <= set(texts(root))
    assert len(root.findall(f"{SVG}rect")) == 1  # a zero or missing value draws no bar


def test_columns_are_well_formed_with_values_above() -> None:
    root = parse(
        charts.columns(
            [charts.Point("jan", 3), charts.Point("feb", 0), charts.Point("mar", 5)],
            title="Attendance",
            description="Per month.",
            maximum=5,
        )
    )
    assert root.get("role") == "img"
    assert {"jan", "feb", "mar", "3", "0", "5"} <= set(texts(root))
    heights = [float(rect.get("height")) for rect in root.findall(f"{SVG}rect")]
    assert heights[1] > heights[0]  # 5 is taller than 3


def test_labels_and_titles_are_escaped() -> None:
    svg = charts.horizontal_bars(
        [charts.Point("<script>alert(1)</script> & co", 1)],
        title='"Quotes" & <tags>',
        description="</desc><x>",
    )
    root = parse(svg)  # would fail if anything broke out
    assert root.find(f"{SVG}title").text == '"Quotes" & <tags>'
    assert not root.findall(".//script")
    assert "<script>" not in svg


def test_no_data_is_still_a_valid_chart() -> None:
    for svg in (
        charts.horizontal_bars([], title="t", description="d"),
        charts.columns([], title="t", description="d"),
    ):
        assert parse(svg).get("role") == "img"


def test_attendance_and_feedback_by_month(curriculum: Curriculum, org_a: Organisation) -> None:
    session = make_session(curriculum.course, starts_in_days=0)
    people = [make_person(f"Dalībnieks {n}", org_a) for n in range(3)]
    present = attend(session, people[0])
    attend(session, people[1], Enrolment.Attendance.PARTIAL)
    attend(session, people[2], Enrolment.Attendance.ABSENT, None)
    feedback(present, overall=4, others=3)
    months = attendance_by_month(None, months=12)
    assert len(months) == 12
    assert months[-1] == (today().replace(day=1), 2)  # present and partly present
    assert sum(count for _month, count in months) == 2
    ratings = feedback_by_month(None, months=12)
    assert ratings[-1].answers == 1 and ratings[-1].overall == Decimal("4.0")
    assert ratings[0].overall is None
    # An officer of another municipality counts no one of organisation A.
    liepaja = Municipality.objects.get(code="LV-LPX").pk
    assert sum(c for _m, c in attendance_by_month([liepaja], months=12)) == 0
    ogre = Municipality.objects.get(code="LV-067").pk
    assert sum(c for _m, c in attendance_by_month([ogre], months=12)) == 2


def test_the_knowledge_page_has_three_charts_with_data_tables(
    curriculum: Curriculum, coordinator: User, org_a: Organisation, english: None
) -> None:
    attend(make_session(curriculum.course, starts_in_days=0), make_person("Kāds", org_a))
    refresh_matrix()  # the coverage chart is drawn from the matrix's snapshot
    response = client_for(coordinator).get(reverse("training:knowledge"), {"chart": "k-psy"})
    assert response.status_code == 200
    body = response.content.decode()
    svgs = re.findall(r"<svg .*?</svg>", body, flags=re.DOTALL)
    assert len(svgs) == 3
    for svg in svgs:  # the bytes served, parsed as XML
        root = parse(svg)
        assert root.get("role") == "img" and root.find(f"{SVG}title") is not None
    page = html.fromstring(response.content)
    figures = page.xpath("//figure[contains(@class, 'chart-figure')]")
    assert len(figures) == 3
    for figure in figures:
        assert figure.xpath(".//details//table/caption")
        assert figure.xpath(".//th[@scope='col']") and figure.xpath(".//th[@scope='row']")
    assert "Psychological first aid" in figures[0].text_content()
