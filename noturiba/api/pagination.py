"""Page-number pagination with one response shape for every list.

``?page=N&page_size=M`` (at most :data:`MAX_PAGE_SIZE`) →
``{"items": [...], "count": N, "next": url | null, "previous": url | null}``.
A page past the end is empty, not an error; its ``previous`` points at the last page.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja import Schema
from pydantic import Field

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# Far beyond any real list; keeps the offset inside what every database accepts.
MAX_PAGE = 1_000_000

ItemT = TypeVar("ItemT")
ModelT = TypeVar("ModelT", bound=Model)


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"Items per page, at most {MAX_PAGE_SIZE}.",
    )


class Page(Schema, Generic[ItemT]):
    """One page of a list."""

    items: list[ItemT] = Field(description="The items of this page.")
    count: int = Field(description="How many items the whole list has.")
    next: str | None = Field(description="URL of the next page, or null on the last one.")
    previous: str | None = Field(description="URL of the previous page, or null on the first.")


def _page_url(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(
    request: HttpRequest,
    queryset: QuerySet[ModelT],
    paging: PageQuery,
    *,
    present: Callable[[Sequence[ModelT]], Sequence[Any]] | None = None,
) -> dict[str, Any]:
    """The page ``paging`` asks for: a count query and one query for the rows.

    ``present`` turns the page's rows into items (e.g. schema objects chosen per caller);
    it sees the whole page at once so that it can load related rows in bulk.
    """
    count = queryset.count()
    offset = (paging.page - 1) * paging.page_size
    rows: Sequence[ModelT] = (
        list(queryset[offset : offset + paging.page_size]) if offset < count else []
    )
    last_page = max(1, math.ceil(count / paging.page_size))
    return {
        "items": present(rows) if present is not None else rows,
        "count": count,
        "next": _page_url(request, paging.page + 1) if paging.page < last_page else None,
        "previous": _page_url(request, min(paging.page - 1, last_page))
        if paging.page > 1
        else None,
    }
