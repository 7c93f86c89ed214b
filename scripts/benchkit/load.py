"""`bench.py load`: concurrent signed-in sessions for a while, one write per ten reads.

Each session is a thread with its own account (PKs of the big office, its TU and Kasubsi), mixing
lists, details and its inbox; every tenth request of a PK records a guidance session (a POST of the
real form). With --think T a session waits 0.5–1.5 T seconds before each request, as a person
reading the page would; with 0 (the default) all sessions click at once, which measures throughput
(the queue in front of the workers) more than a page's speed. Reported: requests, errors (any status
but 200, or 302 after a write), p50/p95 overall and per kind, against the floor measured just before.
"""

from __future__ import annotations

import json
import random
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg

from benchkit import PASSWORD
from benchkit.client import Session
from benchkit.generate import libpq_url
from benchkit.measure import percentile, time_page
from benchkit.pages import FLOOR, Page
from benchkit.server import running

READS = {
    "PK": (
        "/",
        "/clientview/list/",
        "/clientview/show/{client}",
        "/guidancelogview/list/",
        "/progressreportview/list/",
        "/travelpermitview/list/",
    ),
    "TU": ("/", "/incomingletterview/list/", "/clientregisterview/list/"),
    "Kasubsi": ("/", "/clientview/list/", "/caseload/list/", "/guidancelogview/list/"),
}


def _accounts(conn: Any, sessions: int) -> list[tuple[str, str, int | None]]:
    """(username, role, one of its clients) for each session: mostly PKs, a few TU and Kasubsi."""
    pks = conn.execute(
        "SELECT u.username, min(c.id) FROM ab_user u JOIN client c ON c.officer_id = u.id"
        " WHERE u.office_id = 1 AND c.status = 'aktif' GROUP BY u.username ORDER BY u.username"
    ).fetchall()
    others = [("bench.tu", "TU", None), ("bench.kasubsi", "Kasubsi", None)]
    chosen: list[tuple[str, str, int | None]] = []
    for n in range(sessions):
        if n % 10 in (3, 7):  # a fifth of the sessions are TU or Kasubsi
            chosen.append(others[1 if n % 10 == 7 else 0])
        else:
            username, client = pks[n % len(pks)]
            chosen.append((username, "PK", client))
    return chosen


def _work(
    session: Session, role: str, client: int | None, token: str, until: float, out: list, think: float
) -> None:
    reads = READS[role]
    n = 0
    pace = random.Random(hash(token))  # noqa: S311 - a pause, not a secret
    while time.monotonic() < until:
        n += 1
        if think:  # a person reads the page before the next click (0: every session clicks at once)
            time.sleep(pace.uniform(0.5 * think, 1.5 * think))
        began = time.perf_counter()
        try:
            if role == "PK" and n % 11 == 5:
                today = date.today()
                form = {
                    "client": str(client),
                    "held_on": today.isoformat(),
                    "place": "kantor",
                    "kind": "kepribadian",
                    "notes": "Uji beban: klien hadir.",
                    "confidential_notes": "",
                    "next_appointment": (today + timedelta(days=14)).isoformat(),
                    "csrf_token": token,
                }
                reply = session.request("POST", "/guidancelogview/add", form)
                out.append(
                    (
                        "write",
                        reply.seconds,
                        reply.status == 302 and "/login" not in reply.headers["location"],
                    )
                )
            else:
                path = reads[n % len(reads)].format(client=client)
                reply = session.get(path)
                out.append((path.split("?")[0].rstrip("0123456789"), reply.seconds, reply.status == 200))
        except OSError:  # a timeout: counted as an error, at the time it took
            out.append(("timeout", time.perf_counter() - began, False))


def run(args: Any) -> int:
    """Sign every session in, run them together for --seconds, report."""
    with psycopg.connect(libpq_url(args.url)) as conn:
        accounts = _accounts(conn, args.sessions)
    with running(args.url) as (host, port):
        floor_session = Session(host, port, address="10.14.0.1")
        floor_session.sign_in("bench.pk", PASSWORD)
        floor = time_page(floor_session, Page("floor", "PK", FLOOR, "floor"), 20, 100, 30)
        sessions = []
        for n, (username, role, client) in enumerate(accounts):
            session = Session(host, port, address=f"10.15.{n // 250}.{n % 250 + 1}")
            session.sign_in(username, PASSWORD)
            sessions.append((session, role, client, session.token(session.get(FLOOR))))
        until = time.monotonic() + args.seconds
        results: list[list] = [[] for _ in sessions]
        threads = [
            threading.Thread(
                target=_work, args=(s, role, client, token, until, results[i], args.think), daemon=True
            )
            for i, (s, role, client, token) in enumerate(sessions)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(args.seconds + 600)
    report = summarise([r for rs in results for r in rs], floor, args)
    print(json.dumps(report, indent=1))
    if getattr(args, "out", None):
        Path(f"{args.out}.json").write_text(json.dumps(report, indent=1) + "\n")
    return 0 if report["errors"] == 0 else 1


def summarise(rows: list[tuple[str, float, bool]], floor: dict[str, Any], args: Any) -> dict[str, Any]:
    """Counts, errors and percentiles, overall and per kind of request."""
    seconds = [s for _kind, s, _ok in rows] or [0.0]
    kinds: dict[str, list[float]] = {}
    for kind, s, _ok in rows:
        kinds.setdefault(kind, []).append(s)
    p95 = percentile(seconds, 0.95) * 1000
    return {
        "sessions": args.sessions,
        "seconds": args.seconds,
        "think_s": args.think,
        "requests": len(rows),
        "errors": sum(1 for *_rest, ok in rows if not ok),
        "p50_ms": round(percentile(seconds, 0.5) * 1000, 1),
        "p95_ms": round(p95, 1),
        "floor_p95_ms": floor["p95_ms"],
        "x_floor": round(p95 / floor["p95_ms"], 1),
        "per_kind": {
            k: {"n": len(v), "p95_ms": round(percentile(v, 0.95) * 1000, 1)} for k, v in sorted(kinds.items())
        },
    }
