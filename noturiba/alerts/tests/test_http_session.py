"""The SMS and webhook channels' kept-alive connections: reused, and reopened once when the
server closed an idle one — never a message lost or sent twice for it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from noturiba.alerts.channels.base import DeliveryError
from noturiba.alerts.channels.http_client import Session


class Server(ThreadingHTTPServer):
    daemon_threads = True
    close_silently = False  # close each connection after one answer, without saying so

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[tuple[int, bytes]] = []  # (client port, body)

    def url(self, path: str = "/in") -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class Handler(BaseHTTPRequestHandler):
    server: Server
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.requests.append((self.client_address[1], body))
        status = 503 if self.path == "/busy" else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        if status == 503:
            self.send_header("Retry-After", "7")
        self.end_headers()
        self.wfile.write(b"ok")
        if self.server.close_silently:
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return None


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    threading.Thread(target=running.serve_forever, daemon=True).start()
    yield running
    running.shutdown()
    running.server_close()


def post(session: Session, url: str, body: bytes) -> bytes:
    return session.post(url, body=body, headers={"Content-Type": "text/plain"}, timeout=5).body


def test_one_connection_carries_every_message_of_a_batch(server: Server) -> None:
    session = Session()

    answers = [post(session, server.url(), f"m{n}".encode()) for n in range(5)]
    session.close()

    assert answers == [b"ok"] * 5
    assert [body for _port, body in server.requests] == [b"m0", b"m1", b"m2", b"m3", b"m4"]
    assert len({port for port, _body in server.requests}) == 1


def test_a_connection_the_server_closed_is_reopened_once_and_nothing_is_sent_twice(
    server: Server,
) -> None:
    server.close_silently = True
    session = Session()

    answers = [post(session, server.url(), f"m{n}".encode()) for n in range(3)]
    session.close()

    assert answers == [b"ok"] * 3
    assert [body for _port, body in server.requests] == [b"m0", b"m1", b"m2"]
    assert len({port for port, _body in server.requests}) == 3


def test_an_error_answer_keeps_its_retry_after_and_a_dead_server_is_temporary(
    server: Server,
) -> None:
    session = Session()

    with pytest.raises(DeliveryError) as busy:
        post(session, server.url("/busy"), b"x")
    url = server.url()
    server.shutdown()
    server.server_close()
    session.close()
    with pytest.raises(DeliveryError) as gone:
        post(session, url, b"y")

    assert not busy.value.permanent
    assert busy.value.retry_after is not None and busy.value.retry_after.total_seconds() == 7
    assert not gone.value.permanent
