"""The one error type of the CAP library."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Machine-readable reasons a CAP document or alert was refused."""

    TOO_LARGE = "too_large"
    NOT_XML = "not_xml"
    FORBIDDEN_DTD = "forbidden_dtd"
    UNSUPPORTED_VERSION = "unsupported_version"
    WRONG_ROOT = "wrong_root"
    SCHEMA_INVALID = "schema_invalid"
    RULE_BROKEN = "rule_broken"
    NOT_A_FEED = "not_a_feed"


class CapError(ValueError):
    """A CAP document or alert that cannot be accepted, with a plain-English reason."""

    def __init__(self, reason: str, *, code: ErrorCode) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code

    def __str__(self) -> str:
        return f"{self.code}: {self.reason}"
