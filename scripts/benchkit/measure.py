"""`bench.py measure`: each role signs in to gunicorn and every page is timed against its floor."""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from benchkit import KEPALA_TOTP, PASSWORD
from benchkit.client import Reply, Session
from benchkit.generate import libpq_url
from benchkit.pages import ROLES, Page, pages
from benchkit.server import running


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (p95: share 0.95)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def time_page(session: Session, page: Page, warmup: int, requests: int, cap: float) -> dict[str, Any]:
    """Warm up, then time up to `requests` requests; stop early when `cap` seconds are spent."""
    began = time.monotonic()
    statuses: dict[int | str, int] = {}
    for _ in range(warmup):
        reply = _get(session, page.path)
        statuses[reply.status] = statuses.get(reply.status, 0) + 1
        if time.monotonic() - began > cap / 4:
            break
    seconds, statements, size = [], [], 0
    timed = time.monotonic()
    for _ in range(requests):
        reply = _get(session, page.path)
        statuses[reply.status] = statuses.get(reply.status, 0) + 1
        seconds.append(reply.seconds)
        statements.append(int(reply.headers.get("x-sql-count", -1)))
        size = len(reply.body)
        if time.monotonic() - timed > cap:
            break
    return {
        "name": page.name,
        "role": page.role,
        "path": page.path,
        "kind": page.kind,
        "n": len(seconds),
        "p50_ms": round(statistics.median(seconds) * 1000, 1),
        "p95_ms": round(percentile(seconds, 0.95) * 1000, 1),
        "statements": max(statements),
        "bytes": size,
        "statuses": {str(k): v for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0]))},
    }


BATCH = 100  # permit letters printed one after another: issue #13 wants 100 in at most 15 s


def time_batch(conn: Any, session: Session) -> dict[str, Any]:
    """The Kepala prints BATCH different signed permit letters of the office, one after another."""
    ids = [
        row[0]
        for row in conn.execute(
            "SELECT id FROM travel_permit WHERE letter_office_id = 1 AND letter_seq IS NOT NULL"
            " ORDER BY id LIMIT %s",
            (BATCH,),
        )
    ]
    statuses: dict[str, int] = {}
    began = time.monotonic()
    for pk in ids:
        reply = _get(session, f"/travelpermitview/letter/{pk}")
        statuses[str(reply.status)] = statuses.get(str(reply.status), 0) + 1
    return {"letters": len(ids), "seconds": round(time.monotonic() - began, 2), "statuses": statuses}


def _get(session: Session, path: str) -> Any:
    """A GET; a page slower than the client's timeout counts as status "timeout" at that time."""
    began = time.perf_counter()
    try:
        return session.get(path)
    except TimeoutError:
        return Reply("timeout", {}, b"", time.perf_counter() - began)


def sign_in_all(host: str, port: int) -> dict[str, Session]:
    """One session per role, each from its own address."""
    sessions = {}
    for n, (role, username) in enumerate(ROLES.items(), start=1):
        session = Session(host, port, address=f"10.13.0.{n}")
        session.sign_in(username, PASSWORD, KEPALA_TOTP if role == "Kepala" else None)
        sessions[role] = session
    return sessions


def machine(conn: Any) -> dict[str, Any]:
    """Where the numbers come from."""
    cpu = next(
        (line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if line.startswith("model name")),
        "",
    )
    settings = dict(
        conn.execute(
            "SELECT name, current_setting(name) FROM pg_settings WHERE name IN"
            " ('shared_buffers', 'work_mem', 'effective_cache_size', 'max_parallel_workers_per_gather')"
        ).fetchall()
    )
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "postgresql": conn.execute("SHOW server_version").fetchone()[0],
        "settings": settings,
        "load_average": os.getloadavg(),
    }


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def data_size(conn: Any) -> dict[str, int]:
    """Row counts of the big tables."""
    tables = (
        "client",
        "guidance_log",
        "service_instance",
        "step_record",
        "complaint",
        "incoming_letter",
        "progress_report",
        "audit_log",
    )
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}  # noqa: S608 - constants


def run(args: Any) -> int:
    """Measure every page (or those matching --only); write OUT.json and OUT.md."""
    with psycopg.connect(libpq_url(args.url)) as conn:
        measured = [p for p in pages(conn) if p.kind == "floor" or not args.only or args.only in p.name]
        batch = not args.only or args.only in "permit letters, a batch"
        about = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(conn),
            "data": data_size(conn),
        }
    results = []
    with running(args.url) as (host, port):
        sessions = sign_in_all(host, port)
        for page in measured:
            result = time_page(sessions[page.role], page, args.warmup, args.requests, args.cap)
            results.append(result)
            print(
                f"{page.role:9} {page.name:42} n={result['n']:3} p50 {result['p50_ms']:8.1f} ms"
                f"  p95 {result['p95_ms']:8.1f} ms  sql {result['statements']:3}  {result['statuses']}",
                flush=True,
            )
        if batch:
            with psycopg.connect(libpq_url(args.url)) as conn:
                about["batch"] = time_batch(conn, sessions["Kepala"])
            print(f"batch: {about['batch']}", flush=True)
    from benchkit.report import add_ratios, markdown

    previous = json.loads(Path(args.previous).read_text()) if args.previous else None
    add_ratios(results, previous)
    report = about | {"pages": results, "previous": args.previous}
    Path(f"{args.out}.json").write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    Path(f"{args.out}.md").write_text(markdown(report))
    print(f"wrote {args.out}.json and {args.out}.md")
    bad = [r for r in results if set(r["statuses"]) != {"200"}]
    return 1 if bad or (batch and set(about["batch"]["statuses"]) != {"200"}) else 0
