"""The deployment the README describes: gunicorn with several workers and the limits in Redis.

Each test starts gunicorn (production configuration, a migrated SQLite database of its own) and
speaks HTTP to it: the limits are shared by the workers, and they count the real peer unless a
proxy in front is declared (BAPAS_PROXY_COUNT), whose X-Forwarded-For is then the visitor.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# This project's Redis database for tests (CI has Redis on the machine).
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
LIMIT = 6  # receipt codes that find nothing, per address
MISSES = f"{LIMIT} per hour"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A production environment on a freshly migrated SQLite database."""
    folder = tmp_path_factory.mktemp("deployment")
    env = {
        **os.environ,
        "BAPAS_ENV": "production",
        "SECRET_KEY": "deployment-test-key-0123456789abcdef",
        "DATABASE_URL": f"sqlite:///{folder / 'bapas.db'}",
        "BAPAS_INSTANCE_DIR": str(folder),
        "FLASK_APP": "run.py",
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "PORTAL_STATUS_RATE_LIMIT": MISSES,
        "AUTH_RATE_LIMIT": f"{LIMIT} per 5 minute",
    }
    for command in (["db", "upgrade"], ["bapas", "sync-roles"]):
        subprocess.run([BIN / "flask", *command], env=env, cwd=ROOT, check=True, capture_output=True)  # noqa: S603
    return env


@pytest.fixture()
def gunicorn(environment: dict[str, str], tmp_path: Path) -> Iterator[Callable[..., tuple[str, Path]]]:
    """start(workers, proxies): gunicorn serving the app, its URL and its access log (with the pid
    of the worker that answered each request); Redis database emptied before and after."""
    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    servers: list[subprocess.Popen] = []

    def start(workers: int = 2, proxies: int = 0) -> tuple[str, Path]:
        port, log = _free_port(), tmp_path / f"access-{len(servers)}.log"
        server = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
            [BIN / "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--access-logfile", str(log),
             "--access-logformat", "%(p)s %(s)s %(U)s", "app:create_app()"],
            env={**environment, "BAPAS_PROXY_COUNT": str(proxies)}, cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        servers.append(server)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=10)  # noqa: S310 (a local URL)
                return url, log
            except OSError:  # not listening yet, or still loading the app
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(server.stderr.read().decode()) from None
                time.sleep(0.3)

    yield start
    for server in servers:
        server.terminate()
        server.wait(timeout=30)
    store.flushdb()


def _get(url: str, forwarded_for: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _workers(log: Path, path: str) -> set[str]:
    """The pids of the workers that answered requests for paths starting with `path`."""
    return {pid for pid, _status, logged in (line.split() for line in log.read_text().splitlines())
            if logged.startswith(path)}  # fmt: skip


def _together(url: str, paths: list[str]) -> list[int]:
    """GET the paths several at a time, so that both workers answer."""
    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(lambda path: _get(f"{url}{path}"), paths))


def test_the_limits_are_shared_by_the_workers(gunicorn):
    url, log = gunicorn(workers=2)
    deadline = time.monotonic() + 60
    while len(_workers(log, "/healthz")) < 2:  # the second worker may still be loading the app
        assert time.monotonic() < deadline, "the second worker never answered"
        _together(url, ["/healthz"] * 8)
    # Wrong receipt codes: a round counts only if both workers answered some of them.
    for round_ in range(5):
        redis.Redis.from_url(REDIS_URL).flushdb()
        paths = [f"/layanan/status/SALAH-{round_}-{n}" for n in range(LIMIT)]
        assert _together(url, paths) == [404] * LIMIT
        assert _get(f"{url}/layanan/status/SALAH-LAGI") == 429
        if len(_workers(log, f"/layanan/status/SALAH-{round_}-")) == 2:
            break
    else:
        pytest.fail("the requests never reached both workers")
    # Failed sign-ins count together too, whichever worker checks the password.
    failures = [_sign_in_fails(url) for _ in range(LIMIT)]
    assert failures == [200] * LIMIT
    assert _sign_in_fails(url) == 429


def _sign_in_fails(url: str) -> int:
    """A failed sign-in from a new browser (its own session cookie, a new connection each time)."""
    with urllib.request.urlopen(f"{url}/login/", timeout=30) as page:  # noqa: S310 (a local URL)
        # The production cookie is Secure: a browser would keep it over HTTPS only; it is sent by hand.
        cookie = page.headers["Set-Cookie"].split(";", 1)[0]
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.read().decode()).group(1)
    form = f"username=tidak.ada&password=salah&csrf_token={token}".encode()
    request = urllib.request.Request(f"{url}/login/", data=form, headers={"Cookie": cookie})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_without_a_proxy_a_forged_forwarded_for_changes_nothing(gunicorn):
    url, _log = gunicorn(workers=1, proxies=0)
    codes = [_get(f"{url}/layanan/status/SALAH-{n}", forwarded_for=f"203.0.113.{n}") for n in range(LIMIT)]
    assert codes == [404] * LIMIT
    # Another forged address does not start a new count: the peer is what is counted.
    assert _get(f"{url}/layanan/status/SALAH", forwarded_for="198.51.100.7") == 429


def test_behind_one_proxy_its_forwarded_for_is_the_visitor(gunicorn):
    url, _log = gunicorn(workers=1, proxies=1)
    codes = [_get(f"{url}/layanan/status/SALAH-{n}", forwarded_for="203.0.113.5") for n in range(LIMIT)]
    assert codes == [404] * LIMIT
    assert _get(f"{url}/layanan/status/SALAH", forwarded_for="203.0.113.5") == 429
    # Another visitor behind the same proxy is not affected.
    assert _get(f"{url}/layanan/status/SALAH", forwarded_for="198.51.100.7") == 404
