"""`noturiba serve` starts the web server and the worker, and stops both on a signal."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_it_refuses_a_port_that_is_taken() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError, match="already in use"):
            call_command("serve", port=port)


def test_it_serves_and_stops_cleanly(tmp_path: Path) -> None:
    # The embedded shape `make run` starts: SQLite in its own data directory.
    env = {**os.environ, "NOTURIBA_DATA_DIR": str(tmp_path), "PORT": str(_free_port())}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "noturiba.cli", "migrate", "-v0"], env=env, check=True, cwd=ROOT
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "noturiba.cli", "serve"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{env['PORT']}/healthz"
    try:
        health = None
        for _ in range(80):
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    health = json.loads(response.read())
                if health["worker"]["ok"]:
                    break
            except OSError:
                pass
            time.sleep(0.25)
        assert health is not None and health["database"]["ok"] and health["worker"]["ok"]
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert b"Stopped." in output
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=2)
