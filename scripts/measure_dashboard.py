"""Measure the performance dashboard on a generated dataset: queries, time, and their plans.

    .venv/bin/python scripts/measure_dashboard.py DATABASE_URL [INSTANCES]

DESTROYS the database at DATABASE_URL (a scratch SQLite file or a PostgreSQL database of your own):
it is migrated afresh, given the demo accounts and INSTANCES generated service instances spread over
three years, each with its steps' moments and measured durations, as the engine would have stored.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import event, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SECTIONS = ("BKA", "BKD")


def _reset(url: str) -> None:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    from app.extensions import db

    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


def generate(count: int, seed: int = 7) -> int:
    """Insert `count` instances with their steps; returns the number of step records."""
    from app.extensions import db
    from app.models.staff import Staff
    from app.models.workflow import FINISHED, OPEN, ServiceInstance, StepRecord
    from app.workflow.clock import WorkingCalendar
    from app.workflow.definitions import SERVICES
    from app.workflow.timing import stored_measures

    rng = random.Random(seed)  # noqa: S311 - sample data, not secrets
    calendar = WorkingCalendar()
    staff = {s.username: s.id for s in db.session.scalars(select(Staff))}
    officers = {"BKA": staff["pk1"], "BKD": staff["pk2"]}
    finisher = {"TU": staff["tu"], "Kepala": staff["kepala"], "Public": None}
    end = datetime.now(UTC)
    start = end - timedelta(days=3 * 365)
    instances, steps = [], []
    for number in range(1, count + 1):
        service = rng.choice(list(SERVICES.values()))
        section = rng.choice(SECTIONS)
        at = start + timedelta(seconds=rng.randrange(int((end - start).total_seconds())))
        began = at
        status, finished_at = FINISHED, None
        for step in service.steps:
            ready = at
            opened = ready + timedelta(minutes=rng.expovariate(1 / 90))
            done = opened + timedelta(minutes=rng.expovariate(1 / 120))
            if done > end or rng.random() < 0.02:
                status = OPEN
                seen = opened if opened < end else None
                steps.append(
                    _step(number, step, section, officers, (ready, seen, None), calendar, stored_measures)
                )
                break
            moments = (ready, opened, done)
            steps.append(_step(number, step, section, officers, moments, calendar, stored_measures, finisher))
            at = done
        else:
            finished_at = at
        instances.append(
            {"id": number, "service": service.code, "subject": f"Contoh {number}", "section": section,
             "officer_id": officers[section], "status": status, "started_at": began,
             "finished_at": finished_at,
             "current_step": None if status == FINISHED else steps[-1]["step"], "data": {}, "version": 1,
             "limit_due_at": began + timedelta(days=20) if service.limit else None,
             "limit_met": (rng.random() < 0.9) if service.limit and status == FINISHED else None}
        )  # fmt: skip
        if len(steps) > 5000:
            _flush(instances, steps, ServiceInstance, StepRecord)
    _flush(instances, steps, ServiceInstance, StepRecord)
    db.session.commit()
    return db.session.scalar(select(text("count(*)")).select_from(StepRecord))


def _step(number, step, section, officers, moments, calendar, stored_measures, finisher=None):
    ready, opened, done = moments
    measured = stored_measures(step, calendar, ready, opened, done) if opened else {}
    pk = officers[section]
    actor_id = pk if step.actor == "PK" else (finisher or {}).get(step.actor, pk)
    return {
        "instance_id": number, "step": step.code, "actor_role": step.actor,
        "section": step.section or section, "assignee_id": pk if step.assigned else None,
        "ready_at": ready, "opened_at": opened, "finished_at": done,
        "finished_by_id": actor_id if done else None, "outcome": "done" if done else None,
        "data": {}, "due_at": _due(step, ready, calendar),
        "waiting_seconds": None, "handling_seconds": None, "lead_seconds": None, "within_standard": None,
    } | measured  # fmt: skip


def _due(step, ready, calendar):
    from app.workflow.clock import due_at
    from app.workflow.definitions import RESPONSE

    standard = step.standard
    if standard is None or standard.kind != RESPONSE:
        return None
    return due_at(ready, standard.wall, standard.working_days, calendar)


def _flush(instances, steps, instance_model, step_model) -> None:
    from app.extensions import db

    if instances:
        db.session.execute(insert(instance_model), instances)
    if steps:
        db.session.execute(insert(step_model), steps)
    instances.clear()
    steps.clear()


def measure(app) -> None:
    """Time the dashboard of the current month for three roles, count its queries, show their plans."""
    from app.extensions import db
    from app.models.staff import Staff
    from app.reports import dashboard, performance
    from app.views.performance import charts

    captured: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, *_args):
        captured.append((statement, parameters))

    for username in ("kepala", "kasubsi.bka", "pk1"):
        with app.test_request_context():
            user = db.session.scalar(select(Staff).where(Staff.username == username))
            first, last = performance.current_month()
            f = performance.Filters(first, last)
            captured.clear()
            event.listen(db.engine, "before_cursor_execute", capture)
            began = time.perf_counter()
            tables = dashboard.tables(f, user)
            dashboard.totals(tables[0])
            charts(tables, f)
            took = time.perf_counter() - began
            event.remove(db.engine, "before_cursor_execute", capture)
            print(f"{username}: {len(captured)} queries, {took * 1000:.0f} ms")
            if username == "kasubsi.bka":
                _plans(db.engine, captured)


def _plans(engine, captured) -> None:
    """Print each query's time and the indexes and full scans its plan uses."""
    postgres = engine.dialect.name == "postgresql"
    with engine.connect() as conn:
        for statement, parameters in captured:
            cursor = conn.connection.cursor()
            began = time.perf_counter()
            cursor.execute(statement, parameters)
            cursor.fetchall()
            took = (time.perf_counter() - began) * 1000
            cursor.execute(("EXPLAIN " if postgres else "EXPLAIN QUERY PLAN ") + statement, parameters)
            plan = [str(row[0] if postgres else row[-1]) for row in cursor.fetchall()]
            words = {w.strip(",)") for line in plan for w in line.replace("(", " ").split()}
            used = sorted(w for w in words if w.startswith(("ix_", "sqlite_autoindex")))
            full = [line.strip() for line in plan if "Seq Scan" in line or line.startswith("SCAN ")]
            print(f"  {took:6.1f} ms  {statement.split()[1][:30]:30} indexes {used}; full scans {full}")


def main() -> None:
    """Build, fill and measure."""
    url = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    from flask_migrate import upgrade

    from app import create_app, demo
    from app.cli import sync_roles

    app = create_app({"ENV": "test", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        _reset(url)
        upgrade()
        sync_roles()
        demo.load()
        began = time.perf_counter()
        steps = generate(count)
        print(f"generated {count} instances, {steps} step records in {time.perf_counter() - began:.0f} s")
        if url.startswith("postgresql"):
            from app.extensions import db

            with db.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
    measure(app)
    print(date.today())


if __name__ == "__main__":
    main()
