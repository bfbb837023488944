"""Polling a CAP subscription: fetch its feed (or CAP file) and import what it offers.

The address is fetched with a conditional GET (``If-None-Match``/``If-Modified-Since`` from the
last poll), a timeout and a size bound (``noturiba.lib.cap.DEFAULT_MAX_BYTES``); only http(s)
addresses are fetched, also after redirects. An Atom or RSS feed has each entry's CAP document
imported — inline, or fetched from the entry's link — one by one: a bad entry is recorded in
the subscription's ``last_error`` with its reason and the others are imported all the same. A
single CAP file is imported directly.

The feed's validators (ETag, Last-Modified) are kept only when every entry was imported: after
an error the next poll reads the whole feed again, so an entry fixed at its source arrives then.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from noturiba.alerts.cap_import import import_cap
from noturiba.alerts.models import CapSubscription, ExternalAlert
from noturiba.lib.cap import DEFAULT_MAX_BYTES, CapError, parse_feed

FETCH_TIMEOUT_SECONDS = 15
MAX_REDIRECTS = 5
ACCEPT = "application/cap+xml, application/atom+xml, application/rss+xml, application/xml;q=0.9"
USER_AGENT = "Noturiba-CAP-poller/1"


class FetchError(Exception):
    """The address could not be fetched; ``reason`` says why, for people."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Fetched:
    status: int  # 200, or 304 when not modified
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    url: str = ""  # after redirects


@dataclass
class PollReport:
    """What one poll did."""

    not_modified: bool = False
    imported: int = 0
    known: int = 0
    errors: list[str] = field(default_factory=list)
    failed: bool = False  # the feed itself could not be fetched or read


def is_http(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.hostname)


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        if not is_http(newurl):
            raise FetchError(_("The server redirected to an address that is not http(s)."))
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpOnlyRedirects())


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = FETCH_TIMEOUT_SECONDS,
) -> Fetched:
    """GET ``url`` (conditionally when validators are given), at most ``max_bytes`` read."""
    if not is_http(url):
        raise FetchError(_("The address is not an http(s) URL."))
    headers = {"Accept": ACCEPT, "User-Agent": USER_AGENT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers, method="GET")
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise _too_large(max_bytes)
            body = response.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise _too_large(max_bytes)
            return Fetched(
                status=response.status,
                body=body,
                etag=(response.headers.get("ETag") or "")[:200],
                last_modified=(response.headers.get("Last-Modified") or "")[:100],
                url=response.geturl(),
            )
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return Fetched(status=304, etag=etag, last_modified=last_modified, url=url)
        if 300 <= error.code < 400:  # urllib refuses redirects to file:, data: … itself
            raise FetchError(
                _("The server redirected to an address that is not http(s).")
            ) from error
        raise FetchError(
            _("The server answered HTTP %(status)s.") % {"status": error.code}
        ) from error
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise FetchError(
            _("The server could not be reached (%(reason)s).") % {"reason": str(reason)[:200]}
        ) from error


def _too_large(max_bytes: int) -> FetchError:
    return FetchError(
        _("The document is larger than %(bytes)s bytes, the most accepted.") % {"bytes": max_bytes}
    )


def poll(subscription: CapSubscription) -> PollReport:
    """Fetch ``subscription`` once and import what it offers; its status fields are updated."""
    report = PollReport()
    started = timezone.now()
    CapSubscription.objects.filter(pk=subscription.pk).update(last_polled_at=started)
    try:
        fetched = fetch(
            subscription.url, etag=subscription.etag, last_modified=subscription.last_modified
        )
        if fetched.status == 304:
            report.not_modified = True
        else:
            contents = parse_feed(fetched.body, base_url=fetched.url or subscription.url)
    except (FetchError, CapError) as error:
        report.failed = True
        report.errors.append(error.reason)
        _save(subscription, report, started)
        return report
    if not report.not_modified:
        for number, document in enumerate(contents.alerts, start=1):
            _import(subscription, document, _("entry %(number)s") % {"number": number}, report)
        for link in contents.links:
            try:
                entry = fetch(link)
            except FetchError as error:
                report.errors.append(f"{link}: {error.reason}")
                continue
            _import(subscription, entry.body, link, report)
    _save(subscription, report, started, fetched=None if report.not_modified else fetched)
    return report


def _import(subscription: CapSubscription, document: bytes, where: str, report: PollReport) -> None:
    try:
        result = import_cap(
            None, data=document, source=ExternalAlert.Source.FEED, subscription=subscription
        )
    except CapError as error:
        report.errors.append(f"{where}: {error.reason}")
        return
    if result.created:
        report.imported += 1
    else:
        report.known += 1


def _save(
    subscription: CapSubscription,
    report: PollReport,
    started: Any,
    fetched: Fetched | None = None,
) -> None:
    changes: dict[str, Any] = {"last_error": "\n".join(report.errors)[:10_000]}
    if not report.failed:
        changes["last_success_at"] = timezone.now()
    if fetched is not None:
        # Validators only when every entry went in: otherwise read the whole feed next time.
        clean = not report.errors
        changes["etag"] = fetched.etag if clean else ""
        changes["last_modified"] = fetched.last_modified if clean else ""
    CapSubscription.objects.filter(pk=subscription.pk).update(**changes)
    for name, value in changes.items():
        setattr(subscription, name, value)
    subscription.last_polled_at = started
