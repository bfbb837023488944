"""Polling a CAP subscription against a real HTTP server (pytest-httpserver) on loopback."""

from __future__ import annotations

import datetime

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from noturiba.accounts.models import User
from noturiba.alerts.cap_polling import poll
from noturiba.alerts.models import CapSubscription, ExternalAlert
from noturiba.alerts.tests.cap_support import storm_xml
from noturiba.lib import cap
from noturiba.lib.tests.cap_documents import CAP_1_1

ATOM = "application/atom+xml"


def atom(*hrefs: str, inline: bytes = b"") -> bytes:
    entries = "".join(
        f"<entry><id>urn:e:{n}</id><title>e{n}</title><updated>2026-11-26T10:00:00Z</updated>"
        f'<link rel="alternate" type="application/cap+xml" href="{href}"/></entry>'
        for n, href in enumerate(hrefs)
    )
    if inline:
        body = inline.split(b"?>", 1)[1].decode()
        entries += (
            "<entry><id>urn:e:inline</id><title>inline</title>"
            f'<updated>2026-11-26T10:00:00Z</updated><content type="text/xml">{body}</content>'
            "</entry>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<id>urn:feed</id><title>LVĢMC</title><updated>2026-11-26T10:00:00Z</updated>"
        f"{entries}</feed>"
    ).encode()


@pytest.fixture
def subscription(db: None, httpserver: HTTPServer) -> CapSubscription:
    return CapSubscription.objects.create(name="LVĢMC", url=httpserver.url_for("/feed.atom"))


def cap_file(httpserver: HTTPServer, path: str, data: bytes) -> None:
    httpserver.expect_request(path).respond_with_data(data, content_type="application/cap+xml")


def test_one_bad_entry_is_recorded_and_the_others_imported_then_fixed(
    httpserver: HTTPServer, subscription: CapSubscription
) -> None:
    httpserver.expect_request("/feed.atom").respond_with_data(
        atom("/a.xml", "/b.xml", "/c.xml"), content_type=ATOM
    )
    cap_file(httpserver, "/a.xml", storm_xml("a"))
    cap_file(httpserver, "/b.xml", b"<alert>not cap</alert>")
    cap_file(httpserver, "/c.xml", storm_xml("c"))

    report = poll(subscription)

    assert report.imported == 2
    assert sorted(ExternalAlert.objects.values_list("identifier", flat=True)) == ["a", "c"]
    subscription.refresh_from_db()
    assert "/b.xml" in subscription.last_error
    assert "namespace" in subscription.last_error
    assert subscription.last_success_at is not None
    assert subscription.last_polled_at is not None
    assert all(a.subscription == subscription for a in ExternalAlert.objects.all())
    assert {a.source for a in ExternalAlert.objects.all()} == {ExternalAlert.Source.FEED}

    httpserver.clear()
    httpserver.expect_request("/feed.atom").respond_with_data(
        atom("/a.xml", "/b.xml", "/c.xml"), content_type=ATOM
    )
    cap_file(httpserver, "/a.xml", storm_xml("a"))
    cap_file(httpserver, "/b.xml", storm_xml("b"))
    cap_file(httpserver, "/c.xml", storm_xml("c"))

    again = poll(subscription)

    assert (again.imported, again.known) == (1, 2)
    assert ExternalAlert.objects.count() == 3
    subscription.refresh_from_db()
    assert subscription.last_error == ""


def test_inline_entries_are_imported_and_cap_1_1_refused_with_the_reason(
    httpserver: HTTPServer, subscription: CapSubscription
) -> None:
    httpserver.expect_request("/feed.atom").respond_with_data(
        atom("/old.xml", inline=storm_xml("inline")), content_type=ATOM
    )
    cap_file(httpserver, "/old.xml", CAP_1_1)

    report = poll(subscription)

    assert report.imported == 1
    assert ExternalAlert.objects.get().identifier == "inline"
    subscription.refresh_from_db()
    assert "CAP 1.1 is not supported; send CAP 1.2." in subscription.last_error


def test_a_single_cap_file_is_imported_directly(
    httpserver: HTTPServer, subscription: CapSubscription
) -> None:
    cap_file(httpserver, "/feed.atom", storm_xml("single"))

    report = poll(subscription)

    assert report.imported == 1
    assert ExternalAlert.objects.get().identifier == "single"


def test_an_unchanged_feed_answers_304_to_the_conditional_get(
    httpserver: HTTPServer, subscription: CapSubscription
) -> None:
    seen: list[tuple[str | None, str | None]] = []

    def feed(request: Request) -> Response:
        seen.append(
            (request.headers.get("If-None-Match"), request.headers.get("If-Modified-Since"))
        )
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(
            atom("/a.xml"),
            content_type=ATOM,
            headers={"ETag": '"v1"', "Last-Modified": "Thu, 26 Nov 2026 08:00:00 GMT"},
        )

    httpserver.expect_request("/feed.atom").respond_with_handler(feed)
    cap_file(httpserver, "/a.xml", storm_xml("a"))

    first = poll(subscription)
    second = poll(subscription)

    assert first.imported == 1 and not first.not_modified
    assert second.not_modified and second.imported == 0
    assert seen == [(None, None), ('"v1"', "Thu, 26 Nov 2026 08:00:00 GMT")]
    subscription.refresh_from_db()
    assert subscription.etag == '"v1"'
    assert subscription.last_error == ""


def test_an_unreachable_feed_is_an_error_and_nothing_else(
    httpserver: HTTPServer, subscription: CapSubscription
) -> None:
    httpserver.expect_request("/feed.atom").respond_with_data("gone", status=503)

    report = poll(subscription)

    assert report.failed
    subscription.refresh_from_db()
    assert "HTTP 503" in subscription.last_error
    assert subscription.last_success_at is None
    assert subscription.last_polled_at is not None


def test_a_document_that_is_not_a_feed_is_an_error(
    httpserver: HTTPServer, subscription: CapSubscription
) -> None:
    httpserver.expect_request("/feed.atom").respond_with_data("<html/>", content_type="text/html")

    poll(subscription)

    subscription.refresh_from_db()
    assert "neither an Atom or RSS feed nor a CAP alert" in subscription.last_error


@pytest.mark.usefixtures("english")
def test_a_too_large_answer_is_refused_without_reading_it_all(
    httpserver: HTTPServer, subscription: CapSubscription
) -> None:
    httpserver.expect_request("/feed.atom").respond_with_data(
        b"<feed>" + b" " * (cap.DEFAULT_MAX_BYTES + 10) + b"</feed>", content_type=ATOM
    )

    poll(subscription)

    subscription.refresh_from_db()
    assert "larger than 1000000 bytes" in subscription.last_error
    assert not ExternalAlert.objects.exists()


def test_links_that_are_not_http_are_not_fetched(
    httpserver: HTTPServer, subscription: CapSubscription
) -> None:
    httpserver.expect_request("/feed.atom").respond_with_data(
        atom("file:///etc/passwd", "/a.xml"), content_type=ATOM
    )
    cap_file(httpserver, "/a.xml", storm_xml("a"))

    report = poll(subscription)

    assert report.imported == 1
    assert report.errors == []


@pytest.mark.usefixtures("english")
def test_a_redirect_to_a_file_url_is_refused(
    httpserver: HTTPServer, subscription: CapSubscription
) -> None:
    httpserver.expect_request("/feed.atom").respond_with_data(
        "", status=302, headers={"Location": "file:///etc/passwd"}
    )

    poll(subscription)

    subscription.refresh_from_db()
    assert "not http(s)" in subscription.last_error


def test_a_poll_of_a_subscription_made_by_a_coordinator_is_the_systems(
    httpserver: HTTPServer, coordinator: User
) -> None:
    subscription = CapSubscription.objects.create(
        name="x",
        url=httpserver.url_for("/one.xml"),
        created_by=coordinator,
        poll_every=datetime.timedelta(minutes=1),
    )
    cap_file(httpserver, "/one.xml", storm_xml("one"))

    poll(subscription)

    assert ExternalAlert.objects.get().imported_by is None


def test_an_rss_feed_has_its_enclosures_imported(
    httpserver: HTTPServer, subscription: CapSubscription
) -> None:
    rss = (
        b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>x</title>'
        b'<item><title>a</title><enclosure url="/a.xml" type="application/cap+xml" length="1"/>'
        b"</item></channel></rss>"
    )
    httpserver.expect_request("/feed.atom").respond_with_data(
        rss, content_type="application/rss+xml"
    )
    cap_file(httpserver, "/a.xml", storm_xml("from-rss"))

    report = poll(subscription)

    assert report.imported == 1
    assert ExternalAlert.objects.get().identifier == "from-rss"
