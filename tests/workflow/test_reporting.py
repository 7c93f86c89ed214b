"""Wajib lapor: schedules in scope, attendance from BATAKO, the daily job's misses, warning letters
I→II→III signed by the Kepala, the revocation proposal on a Sidang TPP, and the lists."""

from __future__ import annotations

import io
from datetime import date, timedelta
from html import unescape

import pytest
from pypdf import PdfReader
from sqlalchemy import delete, event, select

from app.extensions import db
from app.forms import ranges
from app.models.clients import Client
from app.models.reporting import (
    ATTENDED,
    BATAKO,
    EXCUSED,
    LATE,
    MISSED,
    MONTHLY,
    TRIP,
    ReportingOccurrence,
    ReportingSchedule,
    WarningLetter,
)
from app.models.staff import Staff
from app.models.tpp import SESSION_OPEN, TppItem, TppSession
from app.models.workflow import FINISHED, ServiceInstance, StepRecord
from app.timeutil import today_wib, utcnow
from app.workflow import engine, mobile_service, travel_permits
from app.workflow.definitions import MISSED_REPORT, REVOCATION
from app.workflow.supervision import open_due_work
from tests.conftest import expected, indonesian
from tests.factories import client_with_period, signature
from tests.steps import act
from tests.views.test_clients import PNG_1PX


def _schedule(app, register: str, officer: str, start: date, end: date, day: int = 3, **kw) -> int:
    """A PB client of `officer` with a monthly schedule on `day` from `start`; returns the schedule id."""
    client_id = client_with_period(app, register, officer, start, end, **kw)
    with app.app_context():
        client = db.session.get(Client, client_id)
        schedule = ReportingSchedule(client=client, frequency=MONTHLY, day=day, starts_on=start,
                                     office_id=client.office_id, set_by_id=client.officer_id)  # fmt: skip
        db.session.add(schedule)
        db.session.commit()
        return schedule.id


@pytest.fixture(scope="module")
def own(app) -> int:
    """pk2's PB client (BKD) with a schedule since 40 days ago."""
    today = today_wib()
    return _schedule(app, "LAPOR-SCOPE/2026", "pk2", today - timedelta(days=40), today + timedelta(days=300),
                     card="KB-LAPOR1")  # fmt: skip


def test_schedule_scope_read_and_write(own, login_as, db_session):
    show, edit = f"/reportingscheduleview/show/{own}", f"/reportingscheduleview/edit/{own}"
    assert login_as("pk2").get(show).status_code == 200
    assert login_as("kasubsi.bkd").get(edit).status_code == 200
    assert login_as("kepala").get(show).status_code == 200
    for who in ("pk4", "kasubsi.bka", "pk.smg", "kepala.smg", "kasubsi.smg"):  # another PK, section, office
        session = login_as(who)
        assert session.get(show).status_code == 404, who
        data = {"frequency": "mingguan", "day": 2, "starts_on": "2026-01-05", "csrf_token": session.token()}
        response = session.client.post(edit, data=data)
        assert response.status_code in (302, 403, 404), who
        db_session.rollback()
        assert db_session.get(ReportingSchedule, own).frequency == MONTHLY, who
    # The Kepala reads, never edits.
    assert login_as("kepala").get(edit).status_code in (302, 403)


def test_a_pk_sets_schedules_of_its_own_pb_clients_only(app, login_as, db_session):
    today = today_wib()
    mine = client_with_period(app, "LAPOR-ADD/2026", "pk2", today, today + timedelta(days=200))
    other = client_with_period(app, "LAPOR-ADD2/2026", "pk4", today, today + timedelta(days=200))
    session = login_as("pk2")
    form = {"frequency": "bulanan", "day": "31", "starts_on": today.isoformat(), "active": "y"}
    session.post_form("/reportingscheduleview/add", form | {"client": other})
    session.post_form("/reportingscheduleview/add", form | {"client": mine})  # day 31: refused
    db_session.rollback()
    assert (
        db_session.scalar(select(ReportingSchedule).where(ReportingSchedule.client_id.in_((mine, other))))
        is None
    )
    session.post_form("/reportingscheduleview/add", form | {"client": mine, "day": "15"})
    db_session.rollback()
    schedule = db_session.scalar(select(ReportingSchedule).where(ReportingSchedule.client_id == mine))
    assert (schedule.day, schedule.set_by.username, schedule.office_id) == (15, "pk2", 1)


def test_batako_check_in_counts_as_attendance(own, app, db_session):
    pk = db_session.scalar(select(Staff).where(Staff.username == "pk2"))
    point = mobile_service.plan_point(pk, "Salaman", "Balai desa", today_wib())
    db_session.flush()
    mobile_service.start_setting_up(point, pk)
    mobile_service.open_counter(point, pk)
    visit = mobile_service.check_in(point, pk, "KB-LAPOR1", signature())
    db_session.commit()
    occurrence = db_session.scalar(
        select(ReportingOccurrence).where(ReportingOccurrence.mobile_attendance_id == visit.id)
    )
    # Reported in the period of the due date: on time, or late after the day (the schedule's day is 3).
    assert occurrence.channel == BATAKO and occurrence.status == (ATTENDED if today_wib().day <= 3 else LATE)
    assert occurrence.schedule_id == own and occurrence.recorded_by_id == pk.id


def _run(day: date) -> tuple[dict[str, int], int]:
    statements = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        opened = open_due_work(day)
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    return opened, len(statements)


def _job_clients(app, first: int, count: int) -> list[int]:
    return [
        _schedule(app, f"LAPORJOB-{n:04d}", "pk2", date(2041, 1, 1), date(2042, 12, 31))
        for n in range(first, first + count)
    ]


def test_daily_job_opens_one_step_per_miss_set_based_and_idempotent(app):
    few = _job_clients(app, 0, 5)
    with app.app_context():
        opened, few_statements = _run(date(2041, 3, 5))
        assert opened["missed"] >= 5
        assert _run(date(2041, 3, 5))[0]["missed"] == 0
        many = _job_clients(app, 5, 60)
        opened, many_statements = _run(date(2041, 4, 2))
        assert opened["missed"] >= 60 and many_statements == few_statements
        assert _run(date(2041, 4, 2))[0]["missed"] == 0
        occurrences = db.session.scalars(
            select(ReportingOccurrence).where(ReportingOccurrence.schedule_id.in_(few + many))
        ).all()
        # The first five missed 3 March (and not yet 3 April: the run of 2 April looks back to 3 March).
        assert len(occurrences) == 65 and {o.due_on for o in occurrences} == {date(2041, 3, 3)}
        assert all(o.status == MISSED and o.instance_id for o in occurrences)
        steps = db.session.scalars(
            select(StepRecord).where(StepRecord.instance_id.in_([o.instance_id for o in occurrences]))
        ).all()
        assert len(steps) == 65 and {s.step for s in steps} == {"contact"}
        assert all(s.assignee_id and s.due_at and s.service == MISSED_REPORT.code for s in steps)
        # Out of the way of the other tests: no longer active.
        db.session.execute(
            ReportingSchedule.__table__.update()
            .where(ReportingSchedule.id.in_(few + many))
            .values(active=False)
        )
        db.session.commit()


def _miss(app, schedule_id: int, day: date) -> StepRecord:
    with app.app_context():
        open_due_work(day)
        occurrence = db.session.scalar(
            select(ReportingOccurrence)
            .where(ReportingOccurrence.schedule_id == schedule_id)
            .order_by(ReportingOccurrence.due_on.desc())
        )
        assert occurrence.status == MISSED
        return db.session.scalar(
            select(StepRecord.id).where(StepRecord.instance_id == occurrence.instance_id)
        )


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_valid_reason_closes_the_matter(app, login_as, db_session):
    schedule = _schedule(app, "LAPOR-ALASAN/2026", "pk2", date(2043, 1, 1), date(2044, 1, 1))
    step = _miss(app, schedule, date(2043, 2, 10))
    act(login_as("pk2"), step, {"reason": "Dirawat di rumah sakit, ada surat dokter.", "valid": "ya"})
    db_session.rollback()
    record = db_session.get(StepRecord, step)
    assert record.instance.status == FINISHED and record.outcome == "close"
    occurrence = db_session.scalar(
        select(ReportingOccurrence).where(ReportingOccurrence.instance_id == record.instance_id)
    )
    assert occurrence.status == EXCUSED and "rumah sakit" in occurrence.reason
    assert (
        db_session.scalar(select(WarningLetter).where(WarningLetter.instance_id == record.instance_id))
        is None
    )


def test_warnings_in_order_signed_by_the_kepala_then_revocation_on_the_tpp(app, login_as, db_session):
    schedule = _schedule(app, "LAPOR-SP/2026", "pk2", date(2045, 1, 1), date(2046, 6, 30), day=5)
    client_id = db_session.get(ReportingSchedule, schedule).client_id
    ids = {u.username: u.id for u in db_session.scalars(select(Staff).where(Staff.office_id == 1))}
    tpp = TppSession(held_on=today_wib() + timedelta(days=5), place="Ruang TPP (uji lapor)",
                     chair_id=ids["kepala"], secretary_id=ids["kasubsi.bkd"], office_id=1)  # fmt: skip
    db_session.add(tpp)
    db_session.commit()
    pk, kepala = login_as("pk2"), login_as("kepala")
    for level, month in ((1, 2), (2, 3), (3, 4)):
        step = _miss(app, schedule, date(2045, month, 6))
        act(pk, step, {"reason": "Tidak ada alasan.", "valid": "tidak"})
        db_session.rollback()
        draft = db_session.get(StepRecord, step).instance.steps[-1]
        assert draft.step == "draft" and draft.assignee_id == ids["pk2"]
        act(pk, draft.id, {"facts": f"Tidak lapor pada 5/{month}/2045."})
        db_session.rollback()
        letter = db_session.scalar(
            select(WarningLetter).where(WarningLetter.instance_id == draft.instance_id)
        )
        assert letter.level == level and letter.number is None
        sign = letter.instance.steps[-1]
        assert sign.step == "sign" and sign.actor_role == "Kepala"
        assert act(pk, sign.id, {"outcome": "approve", "note": "x"}).status_code == 302  # not the PK's step
        db_session.rollback()
        assert db_session.get(WarningLetter, letter.id).signed_at is None
        act(kepala, sign.id, {"outcome": "approve", "note": "Setuju."})
        db_session.rollback()
        letter = db_session.get(WarningLetter, letter.id)
        assert letter.signed_by_id == ids["kepala"] and letter.number
        pdf = pk.get(f"/wajib-lapor/peringatan/{letter.id}")
        assert pdf.mimetype == "application/pdf"
        text = _pdf_text(pdf.data)
        roman = "I" * level
        assert indonesian("Warning letter %(level)s", level=roman).upper() in text
        assert letter.number in text and f"Tidak lapor pada 5/{month}/2045." in text
        assert login_as("pk4").get(f"/wajib-lapor/peringatan/{letter.id}").status_code == 404
    letters = db_session.scalars(
        select(WarningLetter).where(WarningLetter.client_id == client_id).order_by(WarningLetter.id)
    ).all()
    assert [w.level for w in letters] == [1, 2, 3]
    assert letters[0].signed_at <= letters[1].signed_at <= letters[2].signed_at
    proposal = db_session.scalar(
        select(ServiceInstance).where(
            ServiceInstance.client_id == client_id, ServiceInstance.service == REVOCATION.code
        )
    )
    assert proposal is not None and proposal.current_step == "tpp"
    item = db_session.scalar(select(TppItem).where(TppItem.step_record_id == proposal.steps[-1].id))
    # The office's next open sitting: this test's, unless another test planned an earlier one.
    next_sitting = db_session.scalar(
        select(TppSession.id)
        .where(
            TppSession.office_id == 1, TppSession.status == SESSION_OPEN, TppSession.held_on >= today_wib()
        )
        .order_by(TppSession.held_on, TppSession.id)
        .limit(1)
    )
    assert item is not None and item.session_id == next_sitting and next_sitting is not None
    assert "usulan pencabutan PB" in proposal.subject


def test_lists_show_the_right_clients(app, own, login_as, db_session):
    today = today_wib()
    monday = today - timedelta(days=today.isoweekday() - 1)
    due_day = next(d for d in (monday + timedelta(days=n) for n in range(7)) if d.day <= 28)
    start, end = today - timedelta(days=60), today + timedelta(days=200)
    due = _schedule(app, "LAPOR-MINGGU/2026", "pk2", start, end, day=due_day.day)
    missed_day = min((today - timedelta(days=3)).day, 28)
    missed_id = _schedule(app, "LAPOR-MANGKIR/2026", "pk2", start, end, day=missed_day)
    with app.app_context():
        open_due_work(today)
    names = {sid: db_session.get(ReportingSchedule, sid).client.name for sid in (due, missed_id)}
    warned = db_session.scalar(select(Client.name).where(Client.register_number == "LAPOR-SP/2026"))
    for who in ("pk2", "kasubsi.bkd", "kepala"):
        page = login_as(who).get("/wajib-lapor/").get_data(as_text=True)
        due_part, rest = page.split(indonesian("Missed a report"), 1)
        missed_part, warned_part = rest.split(indonesian("Under warning"), 1)
        assert names[due] in due_part, who
        assert names[missed_id] in missed_part and names[missed_id] not in warned_part, who
        if warned:  # the warning test ran before
            assert warned in warned_part, who
    for who in ("pk4", "kasubsi.bka", "pk.smg"):
        page = login_as(who).get("/wajib-lapor/").get_data(as_text=True)
        assert names[due] not in page and names[missed_id] not in page, who


def test_tu_records_a_report_at_the_counter(own, login_as, db_session):
    today = today_wib()
    db_session.execute(delete(ReportingOccurrence).where(ReportingOccurrence.schedule_id == own))
    db_session.commit()
    tu = login_as("tu")
    response = tu.post_form("/wajib-lapor/lapor", {"card": "KB-LAPOR1", "attended_on": today.isoformat()})
    assert response.status_code == 302
    assert (
        tu.post_form(
            "/wajib-lapor/lapor", {"card": "TIDAK-ADA", "attended_on": today.isoformat()}
        ).status_code
        == 200
    )
    future = tu.post_form("/wajib-lapor/lapor", {"card": "KB-LAPOR1", "attended_on": "2099-01-01"})
    assert expected(ranges.RECEIVED) in unescape(future.get_data(as_text=True))
    db_session.rollback()
    occurrence = db_session.scalar(select(ReportingOccurrence).where(ReportingOccurrence.schedule_id == own))
    assert occurrence.channel == "kantor" and occurrence.recorded_by.username == "tu"
    # Another office's TU does not find the client.
    other = (
        login_as("tu.smg") if db_session.scalar(select(Staff.id).where(Staff.username == "tu.smg")) else None
    )
    if other is not None:
        page = other.post_form("/wajib-lapor/lapor", {"card": "KB-LAPOR1", "attended_on": today.isoformat()})
        assert page.status_code == 200


def test_a_report_at_another_office_during_a_trip_counts_for_the_schedule(app, login_as, db_session):
    """A Semarang child on PB (pk.smg is BKA) travels to Magelang: Magelang's PK records its report on
    arrival, which meets the due date of its Semarang schedule; Magelang never reads that schedule."""
    today = today_wib()
    schedule_id = _schedule(
        app,
        "SMG-LAPOR/2026",
        "pk.smg",
        today - timedelta(days=30),
        today + timedelta(days=200),
        born=date(2010, 1, 1),
    )
    users = {u.username: u for u in db_session.scalars(select(Staff))}
    client = db_session.get(ReportingSchedule, schedule_id).client
    trip = {f: "x" for f in travel_permits.FIELDS} | {
        "destination_city": "Kota Magelang", "destination_address": "Jl. Uji Lapor", "depart_on": today,
        "return_on": today + timedelta(days=3), "applicant_relation": "keluarga",
    }  # fmt: skip
    permit = travel_permits.submit(client, trip, ("image/png", PNG_1PX, "ttd.png"))
    db_session.flush()
    for who in ("pk.smg", "kepala.smg", "pk.smg", "kepala.smg"):
        outcome = "approve" if who == "kepala.smg" else "done"
        engine.complete(travel_permits.open_step(permit), users[who], outcome=outcome, note="ok")
    db_session.commit()
    travel_permits.record_arrival(permit, users["pk1"], utcnow(), "Kantor Bapas Magelang", None)
    db_session.commit()
    occurrence = db_session.scalar(
        select(ReportingOccurrence).where(ReportingOccurrence.permit_id == permit.id)
    )
    assert occurrence.schedule_id == schedule_id and occurrence.channel == TRIP
    assert (occurrence.office_id, occurrence.recorded_office_id) == (2, 1)
    assert occurrence.status in (ATTENDED, LATE)
    assert login_as("pk1").get(f"/reportingscheduleview/show/{schedule_id}").status_code == 404
    assert login_as("pk.smg").get(f"/reportingscheduleview/show/{schedule_id}").status_code == 200
