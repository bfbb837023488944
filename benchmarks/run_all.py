"""Run every benchmark on SQLite and on PostgreSQL, one process each (``make benchmark``).

Each benchmark configures Django for its own database, so each runs in its own interpreter.
PostgreSQL runs are skipped with a note when no server answers on 127.0.0.1:5432, and
``ack_load`` when ``wrk`` is not installed (Debian: ``apt-get install wrk``).

    .venv/bin/python -m benchmarks.run_all [--only directory_search] [--database sqlite]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys

BENCHMARKS = (
    "demo_generation",
    "directory_search",
    "filter_forms",
    "import_throughput",
    "alert_fanout",
    "ack_load",
    "email_throughput",
    "certificate_pdf",
    "competency_matrix",
    "request_board",
    "rank_line",
    "shelters_public",
)
# Benchmarks that need a program besides Python: skipped with a note when it is missing.
NEEDS_PROGRAM = {"ack_load": "wrk"}
DATABASES = ("sqlite", "postgres")


def postgres_available() -> bool:
    import psycopg

    from benchmarks.common import POSTGRES_SERVER

    try:
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=BENCHMARKS, action="append", help="repeatable")
    parser.add_argument("--database", choices=DATABASES, action="append", help="repeatable")
    args = parser.parse_args()

    databases = list(args.database or DATABASES)
    if "postgres" in databases and not postgres_available():
        sys.stdout.write("PostgreSQL does not answer on 127.0.0.1:5432: skipping its runs.\n\n")
        databases.remove("postgres")
    failures = 0
    for name in args.only or BENCHMARKS:
        program = NEEDS_PROGRAM.get(name)
        if program and shutil.which(program) is None:
            sys.stdout.write(f"{name}: `{program}` is not installed; skipped.\n\n")
            continue
        for database in databases:
            command = [sys.executable, "-m", f"benchmarks.{name}", "--database", database]
            sys.stdout.write(f"$ .venv/bin/python {' '.join(command[1:])}\n")
            sys.stdout.flush()
            failures += subprocess.run(command, check=False).returncode != 0
            sys.stdout.write("\n")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
