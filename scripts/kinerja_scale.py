"""Measure the Kinerja dashboard and the roll-up rebuild on a database filled set-based.

    .venv/bin/python scripts/kinerja_scale.py DATABASE_URL INSTANCES

DESTROYS the PostgreSQL database at DATABASE_URL: migrated afresh, demo accounts, INSTANCES incoming
letters (SURAT, four steps each, 2 % left open) spread over three years, inserted with
generate_series, then `rebuild-rollups`; times the dashboard (roll-ups) against the direct count.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import event, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

STEPS = (("register", "TU", "tu"), ("dispose", "Kepala", "kepala"), ("appoint", "Kasubsi", None),
         ("follow_up", "PK", None))  # fmt: skip

INSTANCES = """
INSERT INTO service_instance (id, service, subject, section, officer_id, office_id, status, started_at,
    finished_at, current_step, data, version)
SELECT 1000000 + g, 'SURAT', 'Contoh ' || g, CASE WHEN g % 2 = 0 THEN 'BKA' ELSE 'BKD' END,
    (SELECT id FROM ab_user WHERE username = CASE WHEN g % 2 = 0 THEN 'pk1' ELSE 'pk2' END),
    1, CASE WHEN g % 50 = 0 THEN 'open' ELSE 'finished' END,
    now() - (g * interval '3 years' / :n) - interval '2 days', NULL, NULL, '{}', 1
FROM generate_series(1, :n) AS g
"""
STEP = """
INSERT INTO step_record (instance_id, step, service, office_id, actor_role, section, assignee_id, ready_at,
    opened_at, finished_at, due_at, finished_by_id, outcome, data, waiting_seconds, handling_seconds,
    lead_seconds, within_standard)
SELECT i.id, :step, 'SURAT', 1, :role, i.section, CASE WHEN :role = 'PK' THEN i.officer_id END,
    i.started_at + (:k * interval '5 hours'),
    i.started_at + (:k * interval '5 hours') + ((i.id % 97) * interval '1 minute'),
    CASE WHEN i.status = 'open' AND :k = 3 THEN NULL
         ELSE i.started_at + (:k * interval '5 hours') + ((i.id % 97 + i.id % 131) * interval '1 minute') END,
    i.started_at + (:k * interval '5 hours') + interval '1 day',
    CASE WHEN i.status = 'open' AND :k = 3 THEN NULL
         ELSE COALESCE((SELECT id FROM ab_user WHERE username = :who),
                       (SELECT id FROM ab_user WHERE username = 'kasubsi.' || lower(i.section)),
                       i.officer_id) END,
    CASE WHEN i.status = 'open' AND :k = 3 THEN NULL ELSE 'done' END, '{}',
    (i.id % 97) * 60,
    CASE WHEN i.status = 'open' AND :k = 3 THEN NULL ELSE (i.id % 131) * 60 END,
    CASE WHEN i.status = 'open' AND :k = 3 THEN NULL ELSE (i.id % 97 + i.id % 131) * 60 END,
    CASE WHEN i.status = 'open' AND :k = 3 THEN NULL ELSE (i.id % 131) < 100 END
FROM service_instance i WHERE i.id > 1000000
"""
FINISH = """
UPDATE service_instance i SET finished_at = s.finished_at
FROM step_record s WHERE s.instance_id = i.id AND s.step = 'follow_up' AND i.status = 'finished'
"""


def generate(count: int) -> None:
    """Insert the instances and their steps, set-based."""
    from app.extensions import db

    db.session.execute(text(INSTANCES), {"n": count})
    for k, (step, role, who) in enumerate(STEPS):
        sql = (
            STEP.replace(":step", f"'{step}'")
            .replace(":role", f"'{role}'")
            .replace(":who", f"'{who or '-'}'")
        )
        db.session.execute(text(sql.replace(":k", str(k))))  # our own constants, not input
    db.session.execute(text(FINISH))
    db.session.execute(text("UPDATE service_instance SET current_step = 'follow_up' WHERE status = 'open'"))
    db.session.execute(
        text("SELECT setval('service_instance_id_seq', (SELECT max(id) FROM service_instance))")
    )
    db.session.commit()


def _timed(work, runs: int = 7) -> tuple[float, int]:
    from app.extensions import db

    counted = []
    listen = lambda *_a: counted.append(1)  # noqa: E731
    times = []
    for _ in range(runs):
        counted.clear()
        event.listen(db.engine, "before_cursor_execute", listen)
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
        event.remove(db.engine, "before_cursor_execute", listen)
        db.session.rollback()
    return statistics.median(times) * 1000, len(counted)


def measure(app) -> None:
    """The dashboard for a month and a year, per role: roll-ups against the direct count."""
    from datetime import date

    from app.extensions import db
    from app.models.staff import Staff
    from app.reports import dashboard, performance
    from app.reports.percentiles import step_percentiles

    today = date.today()
    year = (today.replace(month=1, day=1), date(today.year, 12, 31))
    periods = {"month": performance.current_month(), "year": year,
               "last month": (date(today.year, today.month - 1 or 12, 1), today.replace(day=1))}  # fmt: skip
    for username in ("kepala", "kasubsi.bka", "pk1"):
        with app.test_request_context():
            user = db.session.scalar(select(Staff).where(Staff.username == username))
            for name, (start, end) in periods.items():
                if name == "last month":
                    from datetime import timedelta

                    end -= timedelta(days=1)
                f = performance.Filters(start, end)
                ms, n = _timed(lambda f=f, user=user: dashboard.tables(f, user))

                def direct(f=f, user=user) -> None:
                    for dim in ("service", "section", "officer"):
                        performance.instance_figures(f, user, dim)
                    for dim in ("service", "step", "section", "officer"):
                        performance.step_figures(f, user, dim)
                    step_percentiles(f, user)

                before, _ = _timed(direct, 3)
                print(f"{username:12} {name:10} roll-ups {ms:8.1f} ms {n:2} stmts | direct {before:8.1f} ms")


def main() -> None:
    """Build, fill, roll up and measure."""
    url, count = sys.argv[1], int(sys.argv[2])
    from flask_migrate import upgrade

    from app import create_app, demo
    from app.cli import sync_roles
    from app.extensions import db
    from app.workflow import rollups

    app = create_app({"ENV": "test", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        sync_roles()
        demo.load()
        began = time.perf_counter()
        generate(count)
        print(f"generated {count} instances in {time.perf_counter() - began:.0f} s")
        began = time.perf_counter()
        rollups.rebuild()
        db.session.commit()
        print(f"rebuild-rollups: {time.perf_counter() - began:.1f} s")
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        print("step records:", db.session.scalar(text("SELECT count(*) FROM step_record")))
    measure(app)


if __name__ == "__main__":
    main()
