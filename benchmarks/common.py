"""What every benchmark shares: a separate database, seeding it, timing, and printing tables.

Import this module and call :func:`configure` before anything imports Django models: the
database is chosen through the same environment variables the platform reads (SQLite under
``NOTURIBA_DATA_DIR``, PostgreSQL through ``DATABASE_URL``), so the benchmarks measure the
settings that ship. They never touch the development database under ``var/``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import shlex
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
DEFAULT_ORGS = 30_000
DEFAULT_PEOPLE = 100_000
DEFAULT_SEED = 2026


def add_database_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database", choices=("sqlite", "postgres"), default="sqlite", help="default: sqlite"
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="NOTURIBA_DATA_DIR for the run (default: a directory under the system temp dir)",
    )
    parser.add_argument(
        "--pg-name",
        default="noturiba_bench",
        help="PostgreSQL database to use (created if missing; default: noturiba_bench)",
    )


def command_line() -> str:
    """The command that reproduces this run, as typed from the repository root."""
    spec = getattr(sys.modules["__main__"], "__spec__", None)
    module = spec.name if spec is not None else Path(sys.argv[0]).stem
    return " ".join(shlex.quote(part) for part in [".venv/bin/python", "-m", module, *sys.argv[1:]])


def default_data_dir(label: str, database: str) -> Path:
    return Path(tempfile.gettempdir()) / f"noturiba-bench-{label}-{database}"


def configure(database: str, data_dir: Path | None, pg_name: str, label: str) -> Path:
    """Point Django at the benchmark database and set it up; returns the data directory."""
    directory = data_dir or default_data_dir(label, database)
    directory.mkdir(parents=True, exist_ok=True)
    os.environ["NOTURIBA_DATA_DIR"] = str(directory)
    os.environ["NOTURIBA_REQUIRE_2FA"] = "0"
    os.environ.pop("NOTURIBA_DEBUG", None)
    if database == "postgres":
        _create_postgres_database(pg_name)
        os.environ["DATABASE_URL"] = f"{POSTGRES_SERVER}/{pg_name}"
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "noturiba.settings"
    # WhiteNoise warns that collectstatic has not run there; the benchmarks serve no files.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_reference", verbosity=0, stdout=io.StringIO())
    return directory


def _create_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def drop_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seeded_database(
    database: str,
    data_dir: Path | None,
    pg_name: str,
    label: str,
    *,
    scale: dict[str, int],
    fresh: bool,
) -> tuple[Path, str]:
    """Configure Django on a database holding the demo network at ``scale``.

    A marker file in the data directory remembers what was seeded (the database cannot tell
    the seed). When it does not match, or ``fresh``, the database is dropped and seeded anew
    with ``noturiba demo``, so that every seeded database is a freshly loaded one.
    """
    directory = data_dir or default_data_dir(label, database)
    marker = directory / "bench-demo.json"
    wanted = {**scale, "database": database}
    reuse = not fresh and marker.exists() and json.loads(marker.read_text()) == wanted
    if not reuse:
        marker.unlink(missing_ok=True)
        if database == "postgres":
            drop_postgres_database(pg_name)
        else:
            for name in ("noturiba.sqlite3", "noturiba.sqlite3-wal", "noturiba.sqlite3-shm"):
                (directory / name).unlink(missing_ok=True)
    configure(database, directory, pg_name, label)
    if reuse:
        return directory, "reused"
    from django.core.management import call_command

    started = time.perf_counter()
    call_command(
        "demo",
        orgs=scale["orgs"],
        people=scale["people"],
        seed=scale["seed"],
        stdout=io.StringIO(),
    )
    analyse()
    marker.write_text(json.dumps(wanted))
    return directory, f"seeded now in {time.perf_counter() - started:.0f} s"


def analyse() -> None:
    """On PostgreSQL, VACUUM ANALYZE as autovacuum soon would after a bulk load (statistics
    for the planner, the visibility map for index-only scans): the steady state is measured.

    SQLite is left as the platform leaves it (nothing runs ANALYZE there).
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


class CpuClock:
    """CPU time used by this process plus, on PostgreSQL, by its server backend (both local).

    Unlike wall time, it does not grow while the shared machine's other work holds the CPU,
    so it estimates the server time of an uncontended server. The backend's time is read from
    /proc/<pid>/schedstat (nanoseconds on a CPU).
    """

    def __init__(self) -> None:
        from django.db import connection

        self.schedstat: str | None = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            self.schedstat = f"/proc/{pid}/schedstat"

    def now_ns(self) -> int:
        total = time.process_time_ns()
        if self.schedstat:
            with open(self.schedstat, encoding="ascii") as handle:
                total += int(handle.read().split()[0])
        return total


def insert_baseline(rows: int = 50_000) -> float:
    """Rows per second of a plain ``executemany`` INSERT into a temporary table, in one
    transaction: this machine's raw write ceiling at this moment, to read other figures by."""
    from django.db import connection, transaction

    data = [(index, f"row {index}", index % 7) for index in range(rows)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_baseline (a integer, b text, c integer)")
        started = time.perf_counter()
        cursor.executemany("INSERT INTO bench_baseline (a, b, c) VALUES (%s, %s, %s)", data)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_baseline")
    return rows / elapsed


def database_label() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def machine() -> str:
    import django

    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Django {django.get_version()}, {database_label()}"
    )


@dataclass(frozen=True)
class Stats:
    samples: int
    p50: float
    p95: float
    p99: float
    maximum: float


def percentiles(milliseconds: Sequence[float]) -> Stats:
    ordered = sorted(milliseconds)
    if len(ordered) < 2:
        return Stats(len(ordered), *(ordered * 4 or [0.0] * 4))
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return Stats(len(ordered), cuts[49], cuts[94], cuts[98], ordered[-1])


def markdown_table(headings: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(headings) + " |", "|" + "|".join("---" for _ in headings) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def header(title: str, extra: Sequence[str] = ()) -> str:
    lines = [
        f"## {title}",
        "",
        f"- date: {time.strftime('%Y-%m-%d %H:%M %Z')}",
        f"- machine: {machine()}",
        "- load average (1, 5, 15 min) at the start: "
        + ", ".join(f"{load:.1f}" for load in os.getloadavg()),
        f"- command: `{command_line()}`",
        *[f"- {line}" for line in extra],
        "",
    ]
    return "\n".join(lines)


def emit(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
