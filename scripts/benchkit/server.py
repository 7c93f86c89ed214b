"""The measured server: gunicorn with 2 workers and the production config on the bench database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchkit import SECRET_KEY
from benchkit.client import Session

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def environment(url: str, instance: str) -> dict[str, str]:
    """What the production config needs, and the benchmark's own switches."""
    return os.environ | {
        "BAPAS_ENV": "production",
        "SECRET_KEY": SECRET_KEY,  # also the audit chain's key the generated rows carry
        "DATABASE_URL": url,
        "BAPAS_INSTANCE_DIR": instance,
        "BAPAS_PROXY_COUNT": "1",  # the client says https and its own address (benchkit.client)
        "BAPAS_SQL_COUNT_HEADER": "1",
        "RATELIMIT_STORAGE_URI": os.environ.get("BENCH_RATELIMIT_STORAGE_URI", "memory://"),
        "SESSION_IDLE_MINUTES": "600",  # a long measurement must not sign a role out between its pages
    }


@contextmanager
def running(url: str, workers: int = 2, say=print) -> Iterator[tuple[str, int]]:
    """Start gunicorn, wait for /healthz, yield (host, port), stop it."""
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="bench-instance-") as instance:
        command = [
            str(Path(sys.executable).parent / "gunicorn"), "-w", str(workers), "-b", f"{HOST}:{port}",
            "--timeout", "125", "--log-level", "warning", "app:create_app()",
        ]  # fmt: skip
        log = open(Path(instance) / "gunicorn.log", "w")  # noqa: SIM115 - closed below
        process = subprocess.Popen(command, cwd=ROOT, env=environment(url, instance), stdout=log, stderr=log)  # noqa: S603
        try:
            _wait(process, port, Path(instance) / "gunicorn.log")
            say(f"gunicorn ({workers} workers) on {HOST}:{port}")
            yield HOST, port
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
            log.close()


def _wait(process: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log.read_text()[-3000:]}")
        try:
            if Session(HOST, port, timeout=5).get("/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")
