"""Build a benchmark database: migrations, roles, offices, accounts, then every record set-based.

DESTROYS the database it is given (its public schema is dropped). Foreign keys are trusted, not
checked, while loading (session_replication_role = replica: the rows are made consistent by
construction), and secondary indexes are built once at the end instead of row by row.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import psycopg

from benchkit import SECRET_KEY, bulk_domain, bulk_people, bulk_services, staff
from benchkit.plan import Plan
from benchkit.staff import CITIES

SESSION = (
    "SET session_replication_role = replica",
    "SET synchronous_commit = off",
    "SET maintenance_work_mem = '512MB'",
    "SET work_mem = '128MB'",
)


def libpq_url(url: str) -> str:
    """A SQLAlchemy URL (postgresql+psycopg://) as libpq reads it."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def prepare_schema(url: str) -> None:
    """Drop everything, then `flask db upgrade` and `flask bapas sync-roles` in-process."""
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    from flask_migrate import upgrade

    from app.cli import sync_roles

    with _app(url).app_context():
        upgrade()
        sync_roles()
        from app.extensions import db

        db.session.remove()
        db.engine.dispose()


@cache
def _app(url: str) -> Any:
    """The app on the bench database, built once per process (FAB's builder is a singleton)."""
    from app import create_app

    return create_app({"ENV": "production", "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY})


def rebuild_rollups(url: str) -> None:
    """`flask bapas rebuild-rollups` in-process: the monthly figures the engine keeps as steps finish."""
    from app.extensions import db
    from app.workflow import rollups

    with _app(url).app_context():
        rollups.rebuild()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def generate(url: str, clients: int, say: Callable[[str], None] = print) -> dict[str, float]:
    """Fill the database at `url` for `clients` clients; returns seconds per stage and in total."""
    plan = Plan(clients)
    timings: dict[str, float] = {}
    began = time.perf_counter()

    def stage(name: str, work: Callable[[], Any]) -> None:
        start = time.perf_counter()
        work()
        timings[name] = round(time.perf_counter() - start, 1)
        say(f"  {name}: {timings[name]} s")

    stage("schema, migrations, roles", lambda: prepare_schema(url))
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        for statement in SESSION:
            conn.execute(statement)
        params = _params(conn, plan)
        stage("offices and accounts", lambda: _reference(conn, plan))
        indexes = _drop_indexes(conn)
        for name, sql in bulk_people.STATEMENTS:
            stage(name, lambda sql=sql: conn.execute(sql, params))
        stage("step table", lambda: bulk_services.fill_steps(conn))
        for name, sql in bulk_domain.PLANS:
            stage(f"plan: {name}", lambda sql=sql: conn.execute(sql, params))
        conn.execute("ANALYZE bench_plan")  # the joins below need its size
        stage("instances settled", lambda: _run_all(conn, bulk_services.SETTLE, params))
        conn.execute("ANALYZE bench_plan")
        stage("service instances", lambda: conn.execute(bulk_services.INSTANCES, params))
        stage("step records", lambda: conn.execute(bulk_services.STEPS, params))
        stage("steps' service, office and binding deadline", lambda: conn.execute(bulk_services.STEP_KEYS))
        for name, sql in bulk_domain.RECORDS:
            stage(name, lambda sql=sql: conn.execute(sql, params))
        stage("audit trail", lambda: _audit(conn, plan))
        stage("indexes", lambda: [conn.execute(sql) for sql in indexes])
        stage("sequences and clean-up", lambda: _finish(conn))
        stage("analyze", lambda: conn.execute("VACUUM ANALYZE"))
    stage("Kinerja roll-ups", lambda: rebuild_rollups(url))
    timings["total"] = round(time.perf_counter() - began, 1)
    say(f"generated {clients} clients in {timings['total']} s")
    return timings


def _params(conn: Any, plan: Plan) -> dict[str, Any]:
    now = conn.execute("SELECT date_trunc('second', now())").fetchone()[0]
    today = conn.execute("SELECT (now() AT TIME ZONE 'Asia/Jakarta')::date").fetchone()[0]
    params: dict[str, Any] = {
        "now": now, "today": today, "n": plan.clients, "cases": plan.cases, "logs": plan.guidance_per_client,
        "cities": list(CITIES), "first": list(bulk_people.FIRST_NAMES), "last": list(bulk_people.LAST_NAMES),
        "letters": plan.letters, "complaints": plan.complaints, "permits": plan.permits,
        "plans": min(plan.stage_plans, plan.clients), "batako": plan.mobile_points, "outreach": plan.outreach,
    }  # fmt: skip
    base = 0
    for kind in ("letters", "complaints", "permits", "plans", "batako", "outreach", "reports"):
        params[f"b_{kind}"] = base
        base += params.get(kind, 0)
    return params


def _reference(conn: Any, plan: Plan) -> None:
    staff.regions_and_offices(conn)
    staff.accounts(conn)
    with conn.cursor() as cur:
        cur.executemany(
            "UPDATE bench_office SET lo = %s, hi = %s WHERE office_id = %s",
            [(lo, hi, office) for office, lo, hi in plan.office_ranges()],
        )
    conn.execute("ANALYZE bench_office; ANALYZE bench_pk")


def _run_all(conn: Any, script: str, params: dict[str, Any]) -> None:
    for statement in script.split(";\n"):
        conn.execute(statement, params)


def _drop_indexes(conn: Any) -> list[str]:
    """Drop the secondary indexes (not those of keys and constraints); return how to rebuild them."""
    rows = conn.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
        " JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND NOT i.indisprimary"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)"
        " AND c.relname NOT LIKE 'ab\\_%%'"
    ).fetchall()
    for name, _definition in rows:
        conn.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in rows]


def _audit(conn: Any, plan: Plan) -> None:
    """One chained audit row per client registered, as the app writes them (app.audit_chain)."""
    from app.audit_chain import digest

    key = SECRET_KEY.encode()
    prev = conn.execute("SELECT row_hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    prev_hash = prev[0] if prev else None
    start = datetime.now(UTC) - timedelta(days=1000)
    rows = conn.execute(
        "SELECT c.id, c.office_id, c.officer_id, u.username, c.register_number, c.name FROM client c"
        " JOIN ab_user u ON u.id = c.officer_id ORDER BY c.id LIMIT %s",
        (plan.audit_rows,),
    ).fetchall()
    step = timedelta(days=1000) / max(1, len(rows))
    columns = "at, user_id, username, action, table_name, record_id, changes, office_id, prev_hash, row_hash"
    with conn.cursor().copy(f"COPY audit_log ({columns}) FROM STDIN") as copy:
        for n, (cid, office, officer, username, register, name) in enumerate(rows):
            row = {
                "at": start + step * n, "user_id": officer, "username": username, "action": "insert",
                "table_name": "client", "record_id": str(cid), "office_id": office,
                "changes": {"register_number": [None, register], "name": [None, name]},
            }  # fmt: skip
            row_hash = digest(row, prev_hash, key)
            changes = json.dumps(row["changes"])
            copy.write_row(
                (
                    row["at"],
                    officer,
                    username,
                    "insert",
                    "client",
                    str(cid),
                    changes,
                    office,
                    prev_hash,
                    row_hash,
                )
            )
            prev_hash = row_hash


def _finish(conn: Any) -> None:
    sequences = conn.execute(
        "SELECT table_name, pg_get_serial_sequence(table_name, 'id') FROM information_schema.columns"
        " WHERE table_schema = 'public' AND column_name = 'id'"
    ).fetchall()
    for table, sequence in sequences:
        if sequence:
            top = f"SELECT coalesce(max(id), 0) + 1 FROM {table}"  # noqa: S608 - names from the catalogue
            conn.execute("SELECT setval(%s, (" + top + "), false)", (sequence,))
    for table in ("bench_plan", "bench_step", "bench_pk", "bench_office"):
        conn.execute(f"DROP TABLE {table}")
