"""API test helpers: a client that calls ``/api/v1/`` as one of the named people, by token."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from noturiba.accounts.actions import create_api_token
from noturiba.accounts.models import User

BASE = "/api/v1"


@dataclass
class ApiClient:
    """Calls the API with a personal token (or none) and JSON bodies."""

    token: str | None = None
    client: Client = field(default_factory=Client)

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def _url(self, path: str) -> str:
        return path if path.startswith("/api/") else f"{BASE}{path}"

    def get(self, path: str, params: Any = None) -> Any:
        return self.client.get(self._url(path), params or {}, headers=self._headers())

    def send(self, method: str, path: str, body: Any = None, *, raw: str | None = None) -> Any:
        data = raw if raw is not None else ("" if body is None else json.dumps(body))
        call = getattr(self.client, method.lower())
        return call(
            self._url(path), data=data, content_type="application/json", headers=self._headers()
        )

    def post(self, path: str, body: Any = None, *, raw: str | None = None) -> Any:
        return self.send("post", path, body, raw=raw)

    def patch(self, path: str, body: Any = None, *, raw: str | None = None) -> Any:
        return self.send("patch", path, body, raw=raw)

    def put(self, path: str, body: Any = None, *, raw: str | None = None) -> Any:
        return self.send("put", path, body, raw=raw)

    def delete(self, path: str) -> Any:
        return self.client.delete(self._url(path), headers=self._headers())


def api_for(user: User) -> ApiClient:
    _token, raw = create_api_token(user, name="tests")
    return ApiClient(token=raw)


@pytest.fixture
def api_anonymous(db: None) -> ApiClient:
    return ApiClient()


@pytest.fixture
def api_coordinator(coordinator: User) -> ApiClient:
    return api_for(coordinator)


@pytest.fixture
def api_admin_a(admin_a: User) -> ApiClient:
    return api_for(admin_a)


@pytest.fixture
def api_member_a(member_a: User) -> ApiClient:
    return api_for(member_a)


@pytest.fixture
def api_admin_b(admin_b: User) -> ApiClient:
    return api_for(admin_b)


@pytest.fixture
def api_officer(officer: User) -> ApiClient:
    return api_for(officer)


@pytest.fixture
def api_trainer(trainer: User) -> ApiClient:
    return api_for(trainer)


def error_of(response: Any) -> dict[str, Any]:
    """The ``error`` object of an error response, after checking the shape."""
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]
