"""The benchmark (scripts/bench.py) at a tiny scale, so that it cannot rot: generate 2,000 clients
into a throwaway PostgreSQL database, check the data is what the app writes, and measure every
page a few times under gunicorn (every page must answer 200)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent
URL = os.environ.get("TEST_DATABASE_URL", "")

pytestmark = pytest.mark.skipif(
    not URL.startswith("postgresql"),
    reason="the benchmark is PostgreSQL only (set TEST_DATABASE_URL; CI does)",
)


@pytest.fixture(scope="module")
def bench_url():
    """A database of its own next to the test database, dropped afterwards."""
    server = URL.replace("postgresql+psycopg://", "postgresql://", 1).rsplit("/", 1)[0]
    name = URL.rsplit("/", 1)[1].split("?")[0] + "_bench"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{URL.rsplit('/', 1)[0]}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _bench(url: str, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "--url", url, *args],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def generated(bench_url):
    done = _bench(bench_url, "generate", "--scale", "2000")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return bench_url


def test_generated_data_is_consistent(generated):
    with psycopg.connect(generated.replace("+psycopg", "")) as conn:
        count = "SELECT count(*) FROM {}"
        counts = {t: conn.execute(count.format(t)).fetchone()[0] for t in ("client", "guidance_log")}
        assert counts == {"client": 2000, "guidance_log": 20000}
        # Foreign keys were trusted while loading: every one must hold.
        keys = conn.execute(
            "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, f.attname"
            " FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
            " JOIN pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = c.confkey[1]"
            " WHERE c.contype = 'f' AND cardinality(c.conkey) = 1"
        ).fetchall()
        for table, column, target, key in keys:
            orphans = conn.execute(
                f"SELECT count(*) FROM {table} x WHERE x.{column} IS NOT NULL"  # noqa: S608 - catalogue names
                f" AND NOT EXISTS (SELECT 1 FROM {target} y WHERE y.{key} = x.{column})"
            ).fetchone()[0]
            assert orphans == 0, (table, column)
        # Every open instance waits at exactly one open step, the one it names.
        wrong = conn.execute(
            "SELECT count(*) FROM service_instance i WHERE i.status = 'open' AND 1 <> (SELECT count(*)"
            " FROM step_record r WHERE r.instance_id = i.id AND r.finished_at IS NULL"
            " AND r.step = i.current_step)"
        ).fetchone()[0]
        assert wrong == 0
        assert conn.execute("SELECT count(*) FROM step_record WHERE ready_at > now()").fetchone()[0] == 0


def test_generated_audit_trail_verifies(generated, tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    from benchkit.server import environment

    done = subprocess.run(  # noqa: S603
        [str(Path(sys.executable).parent / "flask"), "bapas", "audit-verify"],
        cwd=ROOT, env=environment(generated, str(tmp_path)) | {"FLASK_APP": "run.py"},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_page_answers_under_gunicorn(generated, tmp_path):
    out = tmp_path / "run"
    done = _bench(generated, "measure", "--warmup", "0", "--requests", "1", "--cap", "5", "--out", str(out))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads(out.with_suffix(".json").read_text())
    assert len(report["pages"]) > 40
    for page in report["pages"]:
        assert page["statuses"] == {"200": page["n"]}, page
        assert page["statements"] > 0 and page["x_floor"] > 0, page
    assert "| Tugas Saya | Kepala |" in out.with_suffix(".md").read_text()
    batch = report["batch"]
    assert batch["letters"] > 0 and batch["statuses"] == {"200": batch["letters"]}


def test_the_load_run_reads_and_writes_without_errors(generated, tmp_path):
    out = tmp_path / "load"
    done = _bench(generated, "load", "--seconds", "8", "--sessions", "3", "--out", str(out))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads(out.with_suffix(".json").read_text())
    assert report["errors"] == 0 and report["per_kind"]["write"]["n"] > 0, report


def test_the_daily_job_runs_on_the_first_night_and_twice_adds_nothing(generated, tmp_path):
    """Last: it changes the data. The first run opens next month's reports; the second opens nothing."""
    out = tmp_path / "nightly"
    done = _bench(generated, "nightly", "--out", str(out))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    first, second = json.loads(out.with_suffix(".json").read_text())["runs"]
    assert first["opened"]["reports"] > 0 and not any(second["opened"].values())
    assert first["chain_ok"] and second["chain_ok"]
