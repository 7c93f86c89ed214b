"""`bench.py explain --role R PATH`: open one page in-process, and show its slowest SQL statement
with EXPLAIN ANALYZE (for docs/performance.md and for whoever makes the page fast)."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event

from benchkit import KEPALA_TOTP, PASSWORD, SECRET_KEY
from benchkit.client import CSRF
from benchkit.pages import ROLES


def _sign_in(client: Any, username: str) -> None:
    import pyotp

    def token(page: Any) -> str:
        match = CSRF.search(page.get_data(as_text=True))
        return match.group(1) or match.group(2)

    page = client.get("/login/")
    form = {"username": username, "password": PASSWORD, "csrf_token": token(page)}
    reply = client.post("/login/", data=form)
    for _attempt in range(2):
        if "/login/verify/" not in reply.headers.get("Location", ""):
            return
        page = client.get("/login/verify/")
        reply = client.post(
            "/login/verify/", data={"code": pyotp.TOTP(KEPALA_TOTP).now(), "csrf_token": token(page)}
        )
        if reply.status_code == 200:  # the code of this 30-second step was used already: the next one
            reply.headers["Location"] = "/login/verify/"
            time.sleep(31 - time.time() % 30)


def run(args: Any) -> int:
    """Print each statement's time, then the plan of the slowest (or the `--rank`-th slowest)."""
    from app import create_app
    from app.extensions import db

    config = {"ENV": "production", "SQLALCHEMY_DATABASE_URI": args.url, "SECRET_KEY": SECRET_KEY}
    app = create_app(config | {"SESSION_COOKIE_SECURE": False, "RATELIMIT_ENABLED": False})
    client = app.test_client()
    _sign_in(client, ROLES[args.role])
    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        captured.append((statement, parameters))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", capture)
    began = time.perf_counter()
    status = client.get(args.path).status_code
    print(
        f"{args.role} {args.path}: {status}, {len(captured)} statements, {time.perf_counter() - began:.2f} s"
    )
    with app.app_context():
        event.remove(db.engine, "before_cursor_execute", capture)
        raw = db.engine.raw_connection()
        cursor = raw.cursor()
        timed = []
        for statement, parameters in captured:
            start = time.perf_counter()
            cursor.execute(statement, parameters)
            timed.append((time.perf_counter() - start, statement, parameters))
            raw.rollback()
        for seconds, statement, _ in timed:
            print(f"  {seconds * 1000:9.1f} ms  {' '.join(statement.split())[:150]}")
        ranked = sorted(timed, key=lambda t: -t[0])
        seconds, statement, parameters = ranked[min(args.rank, len(ranked)) - 1]
        print(f"\nslowest #{args.rank} ({seconds * 1000:.0f} ms):\n{statement}\n{parameters}\n")
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        print("\n".join(row[0] for row in cursor.fetchall()))
        raw.rollback()
    return 0
