"""One HTTP POST for the SMS and webhook channels (stdlib urllib), with errors as DeliveryError.

4xx answers are permanent refusals, except 408 and 429; those, 5xx answers, timeouts and refused
connections are temporary, and a ``Retry-After`` header travels in the error. Redirects are not
followed (a POST must not turn into a GET elsewhere) and only http(s) URLs are used.

:class:`Session` keeps one connection per origin open across the messages of a batch (no TCP and
TLS handshake per message); a kept connection the server closed meanwhile is reopened once.
"""

from __future__ import annotations

import datetime
import http.client
import ssl
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message
from email.utils import parsedate_to_datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from noturiba.alerts.channels.base import DeliveryError

MAX_RESPONSE_BYTES = 64 * 1024
_TEMPORARY_4XX = {408, 429}
_LONGEST_RETRY_AFTER = 7 * 24 * 3600  # seconds; the retry policy caps it further


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect())


def check_http_url(url: str) -> None:
    """Raise a permanent :class:`DeliveryError` unless ``url`` is an absolute http(s) URL."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise DeliveryError(_("The address is not an http(s) URL."), permanent=True, detail=url)


def post(url: str, *, body: bytes, headers: dict[str, str], timeout: int) -> HttpResponse:
    """POST ``body`` to ``url``; a 2xx answer is returned, anything else raised."""
    check_http_url(url)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return HttpResponse(status=response.status, body=response.read(MAX_RESPONSE_BYTES))
    except urllib.error.HTTPError as exc:
        raise status_error(exc.code, exc.headers, _read_safely(exc)) from exc
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        raise DeliveryError(
            _("The receiving server could not be reached."), permanent=False, detail=repr(exc)
        ) from exc


class Session:
    """POSTs over kept-alive connections, one per origin, until :meth:`close`."""

    def __init__(self) -> None:
        self._connections: dict[tuple[str, str, int], http.client.HTTPConnection] = {}

    def post(self, url: str, *, body: bytes, headers: dict[str, str], timeout: int) -> HttpResponse:
        """Like :func:`post`, on a kept connection."""
        check_http_url(url)
        parts = urllib.parse.urlsplit(url)
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:
            raise DeliveryError(
                _("The address is not an http(s) URL."), permanent=True, detail=url
            ) from exc
        origin = (parts.scheme, parts.hostname or "", port)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        for attempt in (1, 2):
            reused = origin in self._connections
            connection = self._connections.get(origin) or self._open(origin, timeout)
            try:
                connection.timeout = timeout
                if connection.sock is not None:
                    connection.sock.settimeout(timeout)
                connection.request("POST", target, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read(MAX_RESPONSE_BYTES + 1)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
                self._drop(origin)
                if reused and attempt == 1:
                    continue  # the server closed the idle connection: open a new one, once
                raise _unreachable(exc) from exc
            except (http.client.HTTPException, OSError) as exc:
                self._drop(origin)
                raise _unreachable(exc) from exc
            if response.will_close or len(data) > MAX_RESPONSE_BYTES or not response.isclosed():
                self._drop(origin)
            data = data[:MAX_RESPONSE_BYTES]
            if 200 <= response.status < 300:
                return HttpResponse(status=response.status, body=data)
            raise status_error(
                response.status, response.headers, data[:2000].decode(errors="replace")
            )
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        for origin in list(self._connections):
            self._drop(origin)

    def _open(self, origin: tuple[str, str, int], timeout: int) -> http.client.HTTPConnection:
        scheme, host, port = origin
        connection: http.client.HTTPConnection
        if scheme == "https":
            context = ssl.create_default_context()
            connection = http.client.HTTPSConnection(host, port, timeout=timeout, context=context)
        else:
            connection = http.client.HTTPConnection(host, port, timeout=timeout)
        self._connections[origin] = connection
        return connection

    def _drop(self, origin: tuple[str, str, int]) -> None:
        connection = self._connections.pop(origin, None)
        if connection is not None:
            connection.close()


def _unreachable(exc: BaseException) -> DeliveryError:
    return DeliveryError(
        _("The receiving server could not be reached."), permanent=False, detail=repr(exc)
    )


def status_error(status: int, headers: Message, body: str) -> DeliveryError:
    detail = f"HTTP {status} {body}".strip()
    if status in _TEMPORARY_4XX or status >= 500:
        return DeliveryError(
            _("The receiving server is unavailable for now."),
            permanent=False,
            detail=detail,
            retry_after=parse_retry_after(headers.get("Retry-After")),
        )
    return DeliveryError(
        _("The receiving server refused the message."), permanent=True, detail=detail
    )


def parse_retry_after(value: str | None) -> datetime.timedelta | None:
    """``Retry-After`` as seconds or as an HTTP date; ``None`` when absent or unreadable."""
    if not value:
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():
        return datetime.timedelta(seconds=min(int(text), _LONGEST_RETRY_AFTER))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(when - timezone.now(), datetime.timedelta(0))


def _read_safely(error: urllib.error.HTTPError) -> str:
    try:
        return error.read(2000).decode(errors="replace")
    except (OSError, http.client.HTTPException):
        return ""
