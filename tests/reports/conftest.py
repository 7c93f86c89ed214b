"""A hand-built month of services with known step times (May 2026, WIB), driven through the engine.

May 2026 has Ascension Day (Thu 14) and its cuti bersama (Fri 15), Labour Day (Fri 1), Idul Adha
(Wed 27) and its cuti bersama (Thu 28). No other test records anything before August 2026, so the
figures of May in Magelang are exactly these (Semarang's May, two permits, is `semarang_may`):

| inst | service | sect | PK  | what happens (times WIB)
|------|---------|------|-----|------
| A    | SURAT   | BKA  | pk1 | register Wed 13 14:00→opened 14:30→Mon 18 10:00 (20 working h: within 1 wd);
|      |         |      |     | dispose Mon 18 10:00→11:00→Wed 20 12:00 (after the close of Tue 19: over);
|      |         |      |     | appoint 12:00→13:00; follow_up ready Wed 20 13:00, due at the close of
|      |         |      |     | Mon 25, never done: overdue
| B    | SURAT   | BKD  | pk2 | Mon 4: register 09:00→09:30, dispose →10:00→11:00, appoint →11:30,
|      |         |      |     | follow_up opened 13:30, finished Tue 5 09:30 (22 working h); finished
| C    | ABH     | BKA  | pk1 | Sat 9 23:00: register →23:10→23:40, dispose Sun 00:00→00:20 (40 min: over
|      |         |      |     | 30), appoint →00:40, accompany opened, arrived 02:00 (limit 01:40 missed)
| D    | IZIN    | BKD  | pk2 | Thu 7 10:00 submitted 10:08; PK check opened Mon 11 09:00, done 09:20
|      |         |      |     | (20 min handling: over 5); tpp waiting, no response standard: not overdue
| E    | ABH     | BKA  | pk1 | Fri 15 (holiday, wall clock) 08:00: register →08:20, dispose →08:25→08:30,
|      |         |      |     | appoint →08:40, arrived 09:00 (limit met), done 16:00; litmas overdue
| F    | SURAT   | BKD  | pk2 | Thu 30 Apr 15:00 register →15:30 (April); dispose opened Mon 4 07:30 done
|      |         |      |     | 08:00 (16.5 working h across Labour Day + weekend), appoint →09:00,
|      |         |      |     | follow_up done Tue 5 10:00; finished in May, started in April
| G    | SURAT   | BKA  | —   | Wed 20 09:00 register →09:10; dispose never opened: overdue
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app import timeutil
from app.extensions import db
from app.models.staff import Staff
from app.models.workflow import ServiceInstance, StepRecord
from app.timeutil import WIB
from app.workflow import accompaniment, engine
from app.workflow.definitions import DONE

MAY = ("2026-05-01", "2026-05-31")
SUBJECT = "Uji kinerja Mei 2026"


def wib(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


def may(day: int, hour: int, minute: int = 0) -> datetime:
    return wib(5, day, hour, minute)


def _current(instance: ServiceInstance) -> StepRecord:
    return instance.steps[-1]


def _move(instance, user, opened, finished=None, outcome=DONE) -> StepRecord:
    record = _current(instance)
    if opened is not None:
        timeutil.freeze(opened)
        engine.open_step(record, user)
    if finished is not None:
        timeutil.freeze(finished)
        engine.complete(record, user, outcome)
    db.session.flush()
    return record


def _start(service: str, name: str, ready: datetime, section: str, officer: Staff | None) -> ServiceInstance:
    timeutil.freeze(ready)
    instance = engine.start(service, f"{SUBJECT} {name}", section=section, officer_id=officer and officer.id)
    db.session.flush()
    return instance


def build(users: dict[str, Staff]) -> dict[str, ServiceInstance]:
    """The seven instances of the table above."""
    tu, kepala, pk1, pk2 = users["tu"], users["kepala"], users["pk1"], users["pk2"]
    bka, bkd = users["kasubsi.bka"], users["kasubsi.bkd"]
    made = {}

    a = made["A"] = _start("SURAT", "A", may(13, 14), "BKA", pk1)
    _move(a, tu, may(13, 14, 30), may(18, 10))
    _move(a, kepala, may(18, 11), may(20, 12))
    _move(a, bka, may(20, 12), may(20, 13))

    b = made["B"] = _start("SURAT", "B", may(4, 9), "BKD", pk2)
    _move(b, tu, may(4, 9), may(4, 9, 30))
    _move(b, kepala, may(4, 10), may(4, 11))
    _move(b, bkd, may(4, 11), may(4, 11, 30))
    _move(b, pk2, may(4, 13, 30), may(5, 9, 30))

    c = made["C"] = _start("ABH", "C", may(9, 23), "BKA", pk1)
    _move(c, tu, may(9, 23, 10), may(9, 23, 40))
    _move(c, kepala, may(10, 0), may(10, 0, 20))
    _move(c, bka, None, may(10, 0, 40))
    accompaniment.record_arrival(_move(c, pk1, may(10, 2)), pk1)  # at the police station at 02:00

    d = made["D"] = _start("IZIN", "D", may(7, 10), "BKD", pk2)
    _move(d, None, None, may(7, 10, 8))
    _move(d, pk2, may(11, 9), may(11, 9, 20))

    e = made["E"] = _start("ABH", "E", may(15, 8), "BKA", pk1)
    _move(e, tu, None, may(15, 8, 20))
    _move(e, kepala, may(15, 8, 25), may(15, 8, 30))
    _move(e, bka, None, may(15, 8, 40))
    accompaniment.record_arrival(_move(e, pk1, may(15, 9)), pk1)
    _move(e, pk1, None, may(15, 16))

    f = made["F"] = _start("SURAT", "F", wib(4, 30, 15), "BKD", pk2)
    _move(f, tu, None, wib(4, 30, 15, 30))
    _move(f, kepala, may(4, 7, 30), may(4, 8))
    _move(f, bkd, None, may(4, 9))
    _move(f, pk2, None, may(5, 10))

    g = made["G"] = _start("SURAT", "G", may(20, 9), "BKA", None)
    _move(g, tu, may(20, 9), may(20, 9, 10))
    return made


@pytest.fixture(scope="session")
def may_2026(app) -> dict[str, int]:
    """Build the month once per run; returns the instance ids by letter."""
    with app.app_context():
        existing = db.session.scalars(
            select(ServiceInstance).where(ServiceInstance.subject.startswith(SUBJECT))
        ).all()
        if not existing:
            users = {u.username: u for u in db.session.scalars(select(Staff))}
            try:
                existing = list(build(users).values())
                db.session.commit()
            finally:
                timeutil.freeze(None)
        return {i.subject.rsplit(" ", 1)[1]: i.id for i in existing}


SEMARANG_TRIP = "Surakarta (uji kinerja)"


def build_semarang(users: dict[str, Staff]) -> dict[str, ServiceInstance]:
    """Two travel permits of Semarang's child client (office 2) in May 2026: S1 checked within its
    standard, S2 checked late; both wait for the TPP. Only those who reach Semarang see them."""
    from app.models.clients import Client
    from app.workflow import travel_permits
    from tests.views.test_clients import PNG_1PX

    pk = users["pk.smg"]
    child = db.session.scalar(select(Client).where(Client.register_number == "SMG-BKA-001/2026"))
    made = {}
    for name, submitted, opened, checked in (
        ("S1", may(6, 10), may(6, 10, 30), may(6, 10, 33)),
        ("S2", may(12, 9), may(12, 13), may(12, 13, 20)),
    ):
        timeutil.freeze(submitted)
        trip = {f: "x" for f in travel_permits.FIELDS} | {
            "destination_city": f"{SEMARANG_TRIP} {name}", "depart_on": date(2026, 6, 1),
            "return_on": date(2026, 6, 2), "applicant_relation": "keluarga",
        }  # fmt: skip
        permit = travel_permits.submit(child, trip, ("image/png", PNG_1PX, "ttd.png"))
        db.session.flush()
        made[name] = permit.instance
        _move(permit.instance, pk, opened, checked)
    return made


@pytest.fixture(scope="session")
def semarang_may(app, may_2026) -> dict[str, int]:
    """Semarang's May, built once per run next to Magelang's; the instance ids by name."""
    from app import offices
    from app.models.travel_permits import TravelPermit

    with app.app_context():
        permits = db.session.scalars(
            select(TravelPermit).where(TravelPermit.destination_city.startswith(SEMARANG_TRIP))
        ).all()
        if not permits:
            users = {u.username: u for u in db.session.scalars(select(Staff))}
            try:
                with offices.working_for(2):
                    build_semarang(users)
                db.session.commit()
            finally:
                timeutil.freeze(None)
            permits = db.session.scalars(
                select(TravelPermit).where(TravelPermit.destination_city.startswith(SEMARANG_TRIP))
            ).all()
        assert {p.instance.office_id for p in permits} == {2}
        return {p.destination_city.rsplit(" ", 1)[1]: p.instance_id for p in permits}
