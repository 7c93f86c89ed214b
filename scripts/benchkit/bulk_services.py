"""Set-based SQL for service instances and their step records, as the engine writes them.

`bench_step` holds every declared step (from app.workflow.definitions) with a typical waiting and
handling time; `bench_plan` one row per instance to make (the domain tables fill it, see
bulk_domain). Instances then follow: finished ones have every step finished, open ones (started in
the last 40 days, and one in fifty older ones) wait at one step; an instance's steps follow each
other, stretched by a factor of 1.0-1.6 per instance, so some miss their standard.
"""

from __future__ import annotations

from typing import Any

DAY = 86_400

STEP_TABLE = """
CREATE UNLOGGED TABLE bench_step (service text, idx int, code text, actor text, fixed_section text,
    assigned bool, outcome text, std_seconds int, std_kind text, wait_seconds int, handle_seconds int,
    before_seconds bigint, steps int, limit_seconds int, deadline_from text)
"""

PLAN_TABLE = """
CREATE UNLOGGED TABLE bench_plan (id int PRIMARY KEY, service text, office_id int, section text, officer_id int,
    client_id int, subject text, started_at timestamptz, upto int, is_open bool, data json, stretch numeric)
"""

# Open instances start so that their waiting step became ready before now.
SETTLE = """
UPDATE bench_plan p SET
    is_open = CASE WHEN p.service = 'LAPBUL' THEN p.is_open
                   ELSE p.started_at > %(now)s - interval '40 days' OR mod(p.id, 50) = 0 END,
    stretch = 1 + mod(p.id, 7) / 10.0
FROM bench_step s WHERE s.service = p.service AND s.idx = 1;
UPDATE bench_plan p SET upto = CASE WHEN p.service = 'LAPBUL' THEN 1 ELSE 1 + mod(p.id, s.steps) END
FROM bench_step s WHERE s.service = p.service AND s.idx = 1 AND p.is_open AND p.upto IS NULL;
UPDATE bench_plan p SET upto = s.steps FROM bench_step s WHERE s.service = p.service AND s.idx = 1 AND NOT p.is_open;
UPDATE bench_plan p SET started_at = least(p.started_at,
    %(now)s - make_interval(secs => s.before_seconds * p.stretch + mod(p.id, 72) * 3600 + 600))
FROM bench_step s WHERE p.is_open AND p.service <> 'LAPBUL' AND s.service = p.service AND s.idx = p.upto
"""

STEPS = """
INSERT INTO step_record (instance_id, step, actor_role, section, assignee_id, ready_at, opened_at, finished_at,
    due_at, finished_by_id, outcome, data, waiting_seconds, handling_seconds, lead_seconds, within_standard)
SELECT p.id, s.code, s.actor, coalesce(s.fixed_section, p.section),
    CASE WHEN s.assigned THEN p.officer_id END,
    t.ready, t.opened, t.finished,
    CASE WHEN s.deadline_from IS NOT NULL THEN coalesce((p.data ->> s.deadline_from)::timestamptz, t.ready + interval '30 days')
         WHEN s.std_kind = 'response' THEN t.ready + make_interval(secs => s.std_seconds) END,
    CASE WHEN t.finished IS NULL THEN NULL
         WHEN s.actor IN ('PK', 'Assignee') THEN p.officer_id WHEN s.actor = 'Kepala' THEN o.kepala
         WHEN s.actor = 'Kasubsi' THEN CASE coalesce(s.fixed_section, p.section) WHEN 'BKA' THEN o.kasubsi_bka ELSE o.kasubsi_bkd END
         WHEN s.actor = 'TU' THEN o.tu WHEN s.actor = 'Pengaduan' THEN o.pengaduan END,
    CASE WHEN t.finished IS NOT NULL THEN s.outcome END,
    '{}'::json,
    extract(epoch FROM t.opened - t.ready)::int,
    extract(epoch FROM t.finished - t.opened)::int,
    extract(epoch FROM t.finished - t.ready)::int,
    CASE WHEN t.finished IS NULL OR s.std_kind IS NULL THEN NULL
         WHEN s.std_kind = 'handling' THEN extract(epoch FROM t.finished - t.opened) <= s.std_seconds
         ELSE extract(epoch FROM t.finished - t.ready) <= s.std_seconds END
FROM bench_plan p
JOIN bench_step s ON s.service = p.service AND s.idx <= p.upto
JOIN bench_office o ON o.office_id = p.office_id
CROSS JOIN LATERAL (
    SELECT p.started_at + make_interval(secs => s.before_seconds * p.stretch) AS ready,
           CASE WHEN p.is_open AND s.idx = p.upto AND mod(p.id, 2) = 0 THEN NULL
                ELSE p.started_at + make_interval(secs => (s.before_seconds + s.wait_seconds) * p.stretch) END AS opened,
           CASE WHEN p.is_open AND s.idx = p.upto THEN NULL
                ELSE p.started_at + make_interval(secs => (s.before_seconds + s.wait_seconds + s.handle_seconds) * p.stretch)
           END AS finished
) t
ORDER BY p.started_at, s.idx
"""

INSTANCES = """
INSERT INTO service_instance (id, service, subject, section, officer_id, client_id, current_step, status,
    started_at, finished_at, limit_due_at, limit_met, data, version, office_id)
SELECT p.id, p.service, p.subject, p.section, p.officer_id, p.client_id,
    CASE WHEN p.is_open THEN l.code END,
    CASE WHEN p.is_open THEN 'open' ELSE 'finished' END,
    p.started_at,
    CASE WHEN NOT p.is_open
         THEN p.started_at + make_interval(secs => (l.before_seconds + l.wait_seconds + l.handle_seconds) * p.stretch) END,
    CASE WHEN l.limit_seconds IS NOT NULL THEN p.started_at + make_interval(secs => l.limit_seconds) END,
    CASE WHEN l.limit_seconds IS NOT NULL AND NOT p.is_open THEN mod(p.id, 10) <> 0 END,
    coalesce(p.data, '{}'::json), 1, p.office_id
FROM bench_plan p JOIN bench_step l ON l.service = p.service AND l.idx = p.upto
ORDER BY p.id
"""


def step_rows() -> list[tuple[Any, ...]]:
    """One row per declared step: actor, standard and typical times, offset from the start."""
    from app.workflow.definitions import SERVICES

    rows = []
    for service in SERVICES.values():
        before = 0
        limit = service.limit.standard if service.limit and service.limit.standard else None
        limit_seconds = _seconds(limit) if limit else None
        for idx, step in enumerate(service.steps, start=1):
            std = _seconds(step.standard) if step.standard else None
            kind = step.standard.kind if step.standard else None
            handle = int(std * 0.5) if std else 2 * DAY
            wait = min(600 + idx * 300, std // 4) if std else 4 * 3600
            outcome = "close" if step.repeatable else step.outcomes[0]
            rows.append(
                (service.code, idx, step.code, step.actor, step.section, step.assigned, outcome, std, kind, wait,
                 handle, before, len(service.steps), limit_seconds, step.deadline_from)
            )  # fmt: skip
            before += wait + handle
    return rows


def _seconds(standard: Any) -> int:
    if standard.wall is not None:
        return int(standard.wall.total_seconds())
    return int(standard.working_days * 1.4 * DAY)  # a working day is about 1.4 calendar days


def fill_steps(conn: Any) -> None:
    """Create and fill bench_step."""
    with conn.cursor() as cur:
        cur.execute(STEP_TABLE)
        cur.executemany(f"INSERT INTO bench_step VALUES ({', '.join(['%s'] * 15)})", step_rows())
        cur.execute(PLAN_TABLE)


# What the engine writes on each step beside the step itself: its instance's service and office (the
# Kinerja roll-ups' keys) and, while open, the deadline that binds it (Tugas Saya sorts by it).
STEP_KEYS = """
UPDATE step_record r SET service = i.service, office_id = i.office_id,
    deadline_at = CASE WHEN r.finished_at IS NULL
                       THEN least(r.due_at, CASE WHEN i.limit_met IS NULL THEN i.limit_due_at END) END
FROM service_instance i WHERE i.id = r.instance_id
"""
