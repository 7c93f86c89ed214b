"""The Kinerja roll-ups: after random moves through the engine (finishes across months and across
WIB midnight), then changes of running instances' office and section and of the calendar, the
dashboard's figures equal the direct computation, for every scope and period."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, event, select, update

from app import timeutil
from app.extensions import db
from app.models.kinerja import DurationMonth, InstanceMonth, StepMonth
from app.models.offices import Office
from app.models.staff import Staff
from app.models.workflow import ExtraHoliday, ServiceInstance, StepRecord
from app.reports import kinerja, performance
from app.reports.performance import OFFICE, OFFICER, SECTION, SERVICE, STEP, Filters
from app.workflow import engine, moves, recalendar, rollups
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


def _key_changes(ids: list[int]) -> None:
    """Running instances with finished steps change section and office, through the ORM and in bulk,
    and a working day becomes a holiday (their finished steps' measures change)."""
    running = db.session.scalars(
        select(ServiceInstance).where(ServiceInstance.id.in_(ids), ServiceInstance.status == "open")
    ).all()
    busy = [i for i in running if any(r.finished_at is not None for r in i.steps)]
    assert len(busy) >= 8
    other = {"BKA": "BKD", "BKD": "BKA"}
    for instance in busy[0::4]:
        instance.section = other.get(instance.section or "", "BKA")
    elsewhere = db.session.scalar(select(Office.id).where(Office.id != busy[1].office_id).order_by(Office.id))
    for instance in busy[1::4]:
        instance.office_id = elsewhere
    db.session.flush()
    moves.follow_office([i.id for i in busy[1::4]])
    bulk = [i.id for i in busy[2::4]]
    with rollups.moving(bulk):
        moved = update(ServiceInstance).where(ServiceInstance.id.in_(bulk))
        db.session.execute(moved.values(section="BKD", office_id=elsewhere))
    moves.follow_office(bulk)
    day = date(2033, 3, 2)
    db.session.add(ExtraHoliday(day=day, name="Uji roll-up"))
    db.session.flush()
    assert recalendar.recompute({day}, {None}) > 0
    db.session.commit()


@pytest.fixture(scope="module")
def moved(app):
    with app.app_context():
        users = _users()
        # Other tests delete the instances they made, figures and all: start from figures that hold.
        rollups.rebuild()
        db.session.commit()
        ids = _moves(random.Random(13), users, 160)
        timeutil.freeze(NOW)
        _key_changes(ids)
        yield ids
        timeutil.freeze(None)
        for instance in db.session.scalars(select(ServiceInstance).where(ServiceInstance.id.in_(ids))):
            db.session.delete(instance)
        db.session.execute(delete(ExtraHoliday).where(ExtraHoliday.name == "Uji roll-up"))
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


def test_late_steps_read_as_a_set_select_what_the_probe_selects(app, moved):
    """The dashboard reads the late steps once as a set while a period runs; on every period, past ones
    included (a step finished since the period ended was late then), it selects the probe's instances."""
    with app.app_context():
        for start, end in PERIODS:
            f = Filters(start, end, now=NOW)

            def late(as_set: bool, f: Filters = f) -> set[int]:
                mine = ServiceInstance.id.in_(moved)
                return set(
                    db.session.scalars(
                        select(ServiceInstance.id).where(mine, performance._instance_overdue(f, as_set))
                    )
                )

            assert late(True) == late(False), (start, end)
            assert late(False), (start, end)  # the periods hold late instances to compare


def test_a_step_added_without_its_copies_takes_its_instances_office_and_service(app, db_session):
    """Kinerja groups open steps by the step row's copies: one added bare (as a hook or a fixture may)
    takes them from its instance at flush."""
    instance = ServiceInstance(service="ABH", subject=SUBJECT, section="BKA", office_id=1, status="open")
    record = StepRecord(instance=instance, step="tpp", actor_role="Kepala", ready_at=NOW, data={})
    db_session.add(record)
    db_session.flush()
    assert (record.service, record.office_id) == ("ABH", 1)
    db_session.rollback()


def _rolled_up() -> dict[str, set[tuple]]:
    """Every roll-up row with a figure (subtracting leaves rows of zeros behind, a rebuild none)."""
    rows = {}
    for model in (InstanceMonth, StepMonth, DurationMonth):
        table = model.__table__
        figures = [c for c in table.c if not c.primary_key]
        rows[table.name] = {
            tuple(r) for r in db.session.execute(select(*table.c)) if any(r._mapping[c.name] for c in figures)
        }
    return rows


def test_a_rebuild_gives_the_rollups_the_engine_kept(app, moved):
    with app.app_context():
        kept = _rolled_up()
        assert all(kept.values())
        rollups.rebuild()
        assert _rolled_up() == kept
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
