"""The Kinerja roll-ups: after random moves through the engine (finishes across months and across
WIB midnight), the dashboard's figures equal the direct computation, for every scope and period."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, select

from app import timeutil
from app.extensions import db
from app.models.kinerja import InstanceMonth
from app.models.staff import Staff
from app.models.workflow import ServiceInstance, StepRecord
from app.reports import kinerja, performance
from app.reports.performance import OFFICE, OFFICER, SECTION, SERVICE, STEP, Filters
from app.workflow import engine, rollups
from app.workflow.definitions import SERVICES

SUBJECT = "Uji roll-up"
USERS = ("kepala", "kasubsi.bka", "kasubsi.bkd", "pk1", "pengawas", "kanwil.jateng", "ditjenpas")
NOW = datetime(2033, 5, 20, 3, tzinfo=UTC)
PERIODS = [
    (date(2033, 1, 1), date(2033, 1, 31)),  # a whole past month
    (date(2033, 1, 1), date(2033, 12, 31)),  # the year, cut off now
    (date(2032, 12, 20), date(2033, 3, 10)),  # edges on both sides
    (date(2033, 2, 1), date(2033, 4, 30)),  # past months, cut off at their end
    (date(2033, 5, 1), date(2033, 5, 31)),  # the current month
]


def _users() -> dict[str, Staff]:
    return {
        s.username: s
        for s in db.session.scalars(select(Staff).where(Staff.username.in_((*USERS, "tu", "pk2"))))
    }


def _actor(record: StepRecord, users: dict[str, Staff]) -> tuple[bool, Staff | None]:
    for user in (None, *users.values()):
        if engine.can_act(user, record):
            return True, user
    return False, None


def _moves(rng: random.Random, users: dict[str, Staff], count: int) -> list[int]:
    """Start `count` instances between Dec 2032 and May 2033 and move them at random."""
    ids = []
    for n in range(count):
        service = rng.choice(("SURAT", "ABH", "LAPBUL"))
        at = datetime(2032, 12, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(0, 60 * 24 * 165))
        officer = rng.choice((users["pk1"], users["pk2"], None))
        timeutil.freeze(at)
        data = {"due": (at + timedelta(days=20)).isoformat()} if service == "LAPBUL" else {}
        section = officer.section if officer else rng.choice(("BKA", "BKD"))
        instance = engine.start(service, f"{SUBJECT} {n}", section=section, officer_id=officer and officer.id,
                                data=data)  # fmt: skip
        db.session.flush()
        ids.append(instance.id)
        while instance.status == "open" and rng.random() < 0.85:
            record = instance.steps[-1]
            # Often just before or after WIB midnight (17:00 UTC), else minutes to days later.
            if rng.random() < 0.3:
                at = at.replace(hour=16, minute=59) + timedelta(
                    days=rng.randrange(0, 40), minutes=rng.choice((0, 2))
                )
            else:
                at += timedelta(minutes=rng.randrange(1, 60 * 24 * 12))
            if at >= NOW:
                break
            ok, user = _actor(record, users)
            if not ok:
                break
            step = engine.step_of(record)
            outcome = rng.choice(step.outcomes) if rng.random() < 0.2 else step.outcomes[0]
            if outcome == "return" and step.code == SERVICES[service].steps[0].code:
                outcome = step.outcomes[0]
            timeutil.freeze(at)
            try:
                if rng.random() < 0.5:
                    engine.open_step(record, user)
                    at += timedelta(minutes=rng.randrange(0, 600))
                    timeutil.freeze(at)
                engine.complete(record, user, outcome)
            except engine.MoveRefused:
                break
            db.session.flush()
    db.session.commit()
    return ids


@pytest.fixture(scope="module")
def moved(app):
    with app.app_context():
        users = _users()
        ids = _moves(random.Random(13), users, 160)
        timeutil.freeze(NOW)
        yield ids
        timeutil.freeze(None)
        for instance in db.session.scalars(select(ServiceInstance).where(ServiceInstance.id.in_(ids))):
            db.session.delete(instance)
        rollups.rebuild()
        db.session.commit()


def _direct_spreads(f: Filters, user: Staff) -> dict:
    stmt = (
        select(ServiceInstance.service, StepRecord.step, *rollups.METRICS.values())
        .join(StepRecord.instance)
        .where(performance.condition("steps_finished", f), *performance.step_filters(f, user))
    )
    counts: dict = {}
    for service, step, *values in db.session.execute(stmt):
        for name, value in zip(rollups.METRICS, values, strict=True):
            if value is not None:
                spot = counts.setdefault((service, step), {m: {} for m in rollups.METRICS})[name]
                spot[rollups.truncate(value)] = spot.get(rollups.truncate(value), 0) + 1
    return {
        key: {
            m: {p: kinerja.percentile(c, p) for p in (50, 90)} | {"n": sum(c.values())}
            for m, c in metrics.items()
        }
        for key, metrics in counts.items()
    }


@pytest.mark.parametrize("username", USERS)
def test_rollups_equal_the_direct_computation(app, moved, username):
    with app.app_context():
        user = db.session.scalar(select(Staff).where(Staff.username == username))
        assert db.session.scalar(select(InstanceMonth.month).limit(1)) is not None
        for start, end in PERIODS:
            f = Filters(start, end, now=NOW)
            for narrowed in (
                f,
                f.narrowed(service="SURAT"),
                f.narrowed(section="BKA"),
                f.narrowed(step="dispose"),
            ):
                figures = kinerja.compute(narrowed, user)
                for dim in (SERVICE, SECTION, OFFICER, OFFICE):
                    expected = performance.instance_figures(narrowed, user, dim)
                    assert kinerja.by(figures, False, dim) == expected, (start, end, dim)
                for dim in (SERVICE, STEP, SECTION, OFFICER, OFFICE):
                    expected = performance.step_figures(narrowed, user, dim)
                    assert kinerja.by(figures, True, dim) == expected, (start, end, dim)
                assert kinerja.spreads(figures, (50, 90)) == _direct_spreads(narrowed, user)


def test_a_rebuild_gives_the_rollups_the_engine_kept(app, moved):
    with app.app_context():
        kept = [
            tuple(r)
            for r in db.session.execute(select(InstanceMonth).order_by(*InstanceMonth.__table__.primary_key))
        ]
        rollups.rebuild()
        rebuilt = [
            tuple(r)
            for r in db.session.execute(select(InstanceMonth).order_by(*InstanceMonth.__table__.primary_key))
        ]
        assert kept == rebuilt
        db.session.rollback()


@pytest.mark.parametrize("period", [PERIODS[0], PERIODS[1]])
def test_the_dashboard_takes_at_most_15_statements(app, moved, login_as, period):
    statements = []
    session = login_as("kepala")
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            response = session.get(f"/performance/list/?start={period[0]}&end={period[1]}")
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
    assert response.status_code == 200
    assert len(statements) <= 15, statements
