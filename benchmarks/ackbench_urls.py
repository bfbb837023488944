"""The product's URLs plus the benchmark's two comparison views (``benchmarks.ack_load``).

Both take the same POST the acknowledgement page takes (form body, CSRF cookie and token), so
the middleware, the CSRF check and the form parsing are the same; only the view's work differs:

- ``bench/hello``: an empty response, no database;
- ``bench/insert``: one row inserted and committed in a table the benchmark creates
  (``bench_insert``, raw SQL), then an empty response.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from noturiba.urls import urlpatterns as product_urlpatterns

INSERT_TABLE = "bench_insert"


@require_POST
def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello", content_type="text/plain")


@require_POST
def insert(request: HttpRequest) -> HttpResponse:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {INSERT_TABLE} (answer, created_at) VALUES (%s, %s)",
            [request.POST.get("answer", ""), timezone.now().isoformat()],
        )
    return HttpResponse("inserted", content_type="text/plain")


urlpatterns = [
    path("bench/hello", hello),
    path("bench/insert", insert),
    *product_urlpatterns,
]
