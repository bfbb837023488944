"""Start the web server and the task worker together; Ctrl-C stops both."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


class Command(BaseCommand):
    help = "Run the web server (granian) and the task worker until interrupted."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--web-workers", type=int, default=1)
        parser.add_argument(
            "--threads",
            type=int,
            default=4,
            help="Request threads per web worker (each may hold a database connection).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not _port_is_free(options["host"], options["port"]):
            raise CommandError(
                f"Port {options['port']} on {options['host']} is already in use. "
                "Stop the other program or choose another port, e.g. `make run PORT=8001`."
            )
        bin_dir = os.path.dirname(sys.executable)
        web = [
            os.path.join(bin_dir, "granian"),
            "--interface", "wsgi",
            "--host", options["host"],
            "--port", str(options["port"]),
            "--workers", str(options["web_workers"]),
            "--blocking-threads", str(options["threads"]),
            "--no-ws",
            "--log-level", "warning",
            "noturiba.wsgi:application",
        ]  # fmt: skip
        worker = [sys.executable, "-m", "noturiba.cli", "run_worker"]
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "noturiba.settings"}
        children = [
            subprocess.Popen(web, env=env, start_new_session=True),
            subprocess.Popen(worker, env=env, start_new_session=True),
        ]
        address = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"Noturība is running at {address}"))
        self.stdout.write(f"Data: {settings.DATA_DIR}   Health: {address}healthz")
        self.stdout.write("Press Ctrl-C to stop the web server and the task worker.")

        stopping = False

        def stop(signum: int, _frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.5)
        finally:
            for child in children:
                if child.poll() is None:
                    os.killpg(child.pid, signal.SIGTERM)
            deadline = time.monotonic() + 15
            for child in children:
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    os.killpg(child.pid, signal.SIGKILL)
                    child.wait()
        failed = [str(child.args) for child in children if child.returncode not in (0, -15, None)]
        if failed and not stopping:
            self.stderr.write(f"Stopped because a process exited: {failed}")
            sys.exit(1)
        self.stdout.write("Stopped.")
