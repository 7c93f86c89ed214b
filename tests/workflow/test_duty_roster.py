"""SOP 12 out of office hours: the duty roster routes each step to the one on duty, who acknowledges
it; 15 minutes without an acknowledgement escalate once; the PK's arrival ends the 1-hour limit."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from html import unescape

import pytest
from flask_appbuilder.security.sqla.models import Role
from pypdf import PdfReader
from sqlalchemy import delete, func, select

from app.models.duty import DutyAssignment, DutyDay
from app.models.notifications import APP, UNACKNOWLEDGED, Notification, NotificationPreference
from app.models.staff import Staff
from app.models.workflow import ServiceInstance, StepRecord
from app.notifications import watch
from app.timeutil import WIB, as_utc
from app.workflow import office_hours
from tests.conftest import indonesian
from tests.steps import act
from tests.workflow.test_child_accompaniment import _open_step, register_police_letter

SATURDAY_NIGHT = datetime(2027, 3, 6, 22, 0, tzinfo=WIB)  # a duty day of the week of Monday 1 March
MONDAY_MORNING = datetime(2027, 3, 8, 10, 0, tzinfo=WIB)
WEEK = date(2027, 3, 1)


def _id(db_session, username: str) -> int:
    return db_session.scalar(select(Staff.id).where(Staff.username == username))


@pytest.fixture
def roster(app, db_session):
    """Saturday 6 March 2027 at Magelang: the Kasubsi BKD deputises for the Kepala; the Kasubsi BKA is
    the deputy to escalate to."""
    users = {u.username: u for u in db_session.scalars(select(Staff))}
    day = DutyDay(office_id=1, day=date(2027, 3, 6), tu=users["tu"], kepala=users["kasubsi.bkd"],
                  kasubsi=users["kasubsi.bka"], pk=users["pk3"], deputy=users["kasubsi.bka"])  # fmt: skip
    db_session.add(day)
    db_session.commit()
    yield day
    db_session.rollback()
    db_session.execute(delete(DutyDay).where(DutyDay.day == date(2027, 3, 6)))
    db_session.commit()


def test_office_hours_come_from_the_configured_text():
    hours = office_hours.parse("Senin–Kamis 07.30–16.00 WIB, Jumat 07.30–16.30 WIB")
    assert sorted(hours) == [0, 1, 2, 3, 4] and hours[4][1].hour == 16 and hours[4][1].minute == 30
    assert office_hours.duty_day(datetime(2027, 3, 7, 3, 0, tzinfo=WIB)) == date(2027, 3, 6)


def test_out_of_hours_the_step_goes_to_the_one_on_duty_and_is_acknowledged(
    roster, login_as, db_session, clock
):
    subject = "Pendampingan anak piket (Sabtu malam)"
    clock(SATURDAY_NIGHT)
    register_police_letter(login_as, subject, "2027-03-06 21:50")
    step = _open_step(db_session, subject)
    assert step.step == "dispose" and step.assignee_id == _id(db_session, "kasubsi.bkd")
    assert db_session.get(DutyAssignment, step.id).acknowledged_at is None
    # The Kepala's inbox no longer holds it: the one deputising on duty does, and may act on it.
    assert subject not in unescape(login_as("kepala").get("/").get_data(as_text=True))
    deputising = login_as("kasubsi.bkd")
    assert subject in unescape(deputising.get("/").get_data(as_text=True))

    # Someone else cannot acknowledge it; the one on duty can, and the moment is recorded once.
    kepala = login_as("kepala")
    kepala.client.post(f"/tasks/{step.id}/acknowledge", data={"csrf_token": kepala.token()})
    db_session.rollback()
    assert db_session.get(DutyAssignment, step.id).acknowledged_at is None
    clock(SATURDAY_NIGHT + timedelta(minutes=4))
    deputising.client.post(f"/tasks/{step.id}/acknowledge", data={"csrf_token": deputising.token()})
    db_session.rollback()
    assert as_utc(db_session.get(DutyAssignment, step.id).acknowledged_at) == SATURDAY_NIGHT + timedelta(
        minutes=4
    )
    page = unescape(deputising.get(f"/tasks/{step.id}").get_data(as_text=True))
    assert indonesian("acknowledged at %(at)s", at="6 Maret 2027 22.04 WIB") in page

    disposition = {
        "to": _id(db_session, "kasubsi.bka"),
        "instructions": ["tindak_lanjuti"],
        "urgency": "segera",
    }
    response = act(deputising, step.id, disposition)
    assert response.status_code == 302
    appoint = _open_step(db_session, subject)
    assert appoint.step == "appoint" and appoint.assignee_id == _id(db_session, "kasubsi.bka")


def test_in_office_hours_the_step_goes_to_the_usual_actor(roster, login_as, db_session, clock):
    subject = "Pendampingan anak piket (Senin pagi)"
    clock(MONDAY_MORNING)
    register_police_letter(login_as, subject, "2027-03-08 09:50")
    step = _open_step(db_session, subject)
    assert step.step == "dispose" and step.assignee_id is None
    assert db_session.get(DutyAssignment, step.id) is None
    assert subject in unescape(login_as("kepala").get("/").get_data(as_text=True))


def _no_ack_notices(db_session, step_id: int) -> dict[int, int]:
    rows = db_session.execute(
        select(Notification.staff_id, func.count())
        .where(Notification.step_record_id == step_id, Notification.kind == UNACKNOWLEDGED,
               Notification.channel == APP)
        .group_by(Notification.staff_id)
    ).all()  # fmt: skip
    return dict(rows)


def test_no_acknowledgement_in_15_minutes_escalates_once(roster, app, login_as, db_session, clock):
    subject = "Pendampingan anak piket (tidak diterima)"
    clock(SATURDAY_NIGHT)
    register_police_letter(login_as, subject, "2027-03-06 21:55")
    step = _open_step(db_session, subject)
    with app.app_context():
        watch.scan(SATURDAY_NIGHT + timedelta(minutes=14))
    db_session.rollback()
    assert _no_ack_notices(db_session, step.id) == {}
    for minutes in (16, 17, 40):
        with app.app_context():
            watch.scan(SATURDAY_NIGHT + timedelta(minutes=minutes))
    db_session.rollback()
    # The deputy on the roster and the office's Kepala (other tests may add accounts of the role),
    # once each; not the one on duty.
    kepala = db_session.scalars(
        select(Staff.id).join(Staff.roles).where(Role.name == "Kepala", Staff.office_id == 1, Staff.active)
    ).all()
    assert _id(db_session, "kepala") in kepala
    assert _no_ack_notices(db_session, step.id) == {_id(db_session, "kasubsi.bka"): 1} | dict.fromkeys(
        kepala, 1
    )
    assignment = db_session.get(DutyAssignment, step.id)
    assert as_utc(assignment.escalated_at) == SATURDAY_NIGHT + timedelta(minutes=16)


def test_arrival_at_the_police_station_stops_the_one_hour_clock(login_as, db_session, clock):
    subject = "Pendampingan anak piket (tiba)"
    start = datetime(2027, 3, 9, 10, 0, tzinfo=WIB)
    clock(start)
    register_police_letter(login_as, subject, "2027-03-09 09:55")
    step = _open_step(db_session, subject)
    disposition = {
        "to": _id(db_session, "kasubsi.bka"),
        "instructions": ["tindak_lanjuti"],
        "urgency": "segera",
    }
    act(login_as("kepala"), step.id, disposition)
    step = _open_step(db_session, subject)
    act(login_as("kasubsi.bka"), step.id, {"officers": [_id(db_session, "pk1")]})
    step = _open_step(db_session, subject)
    pk1 = login_as("pk1")
    clock(start + timedelta(minutes=5))
    pk1.client.post(f"/tasks/{step.id}/open", data={"csrf_token": pk1.token()})
    db_session.rollback()
    assert db_session.get(ServiceInstance, step.instance_id).limit_met is None  # opening is not arriving
    clock(start + timedelta(minutes=40))
    pk1.client.post(f"/tasks/{step.id}/arrival", data={"csrf_token": pk1.token()})
    db_session.rollback()
    instance = db_session.get(ServiceInstance, step.instance_id)
    assert instance.limit_met is True and instance.data["arrived_at"]
    assert as_utc(db_session.get(StepRecord, step.id).deadline_at) > start + timedelta(
        hours=2
    )  # the step's day
    clock(start + timedelta(hours=3))
    page = unescape(pk1.get(f"/tasks/{step.id}").get_data(as_text=True))
    assert indonesian("arrived at %(time)s", time="10.40 WIB") in page
    pk1.client.post(f"/tasks/{step.id}/arrival", data={"csrf_token": pk1.token()})  # a second time: refused
    db_session.rollback()
    assert db_session.get(ServiceInstance, step.instance_id).data["arrived_at"].startswith("2027-03-09T03:40")


def _grid(session, week: str, values: dict[str, object]):
    data = {"csrf_token": session.token(f"/duty/edit?week={week}"), **values}
    return session.client.post(f"/duty/edit?week={week}", data=data)


def test_roster_edited_by_the_kasubsi_bka_and_the_kepala_of_the_office_only(login_as, db_session):
    week = "2027-04-05"
    grid = {
        "d0_tu": _id(db_session, "tu"),
        "d0_pk": _id(db_session, "pk3"),
        "d0_deputy": _id(db_session, "kasubsi.bkd"),
    }
    ok = _grid(login_as("kasubsi.bka"), week, grid)
    assert ok.status_code == 302
    row = db_session.scalar(select(DutyDay).where(DutyDay.office_id == 1, DutyDay.day == date(2027, 4, 5)))
    assert (row.tu_id, row.pk_id) == (_id(db_session, "tu"), _id(db_session, "pk3"))

    # A TU in the PK's slot: refused with a message, nothing saved.
    bad = _grid(login_as("kepala"), week, {"d1_pk": _id(db_session, "tu")})
    assert bad.status_code == 400 and indonesian("PK BKA") in unescape(bad.get_data(as_text=True))
    db_session.rollback()
    assert db_session.scalar(select(DutyDay).where(DutyDay.day == date(2027, 4, 6))) is None

    for who in ("kasubsi.bkd", "pk1", "tu"):
        session = login_as(who)
        assert session.get(f"/duty/edit?week={week}").status_code in (302, 403)
        data = {"csrf_token": session.token(), "d2_tu": _id(db_session, "tu")}
        response = session.client.post(f"/duty/edit?week={week}", data=data)
        assert response.status_code in (302, 403)
    db_session.rollback()
    assert db_session.scalar(select(DutyDay).where(DutyDay.day == date(2027, 4, 7))) is None

    # The Kepala of Semarang writes Semarang's roster, and cannot name Magelang's staff in it.
    other = _grid(login_as("kepala.smg"), week, {"d0_tu": _id(db_session, "tu")})
    assert other.status_code == 400
    db_session.rollback()
    assert db_session.scalar(select(func.count(DutyDay.id)).where(DutyDay.day == date(2027, 4, 5))) == 1
    assert login_as("kasubsi.bka").get("/duty/edit?week=kemarin").status_code == 400


def test_every_staff_member_sees_who_is_on_duty_and_prints_it(roster, login_as, db_session, clock):
    clock(SATURDAY_NIGHT)
    db_session.merge(NotificationPreference(staff_id=_id(db_session, "pk3"), whatsapp_number="081227000777"))
    db_session.commit()
    for who in ("pk1", "tu", "pengaduan", "pengawas"):
        page = unescape(login_as(who).get("/duty/").get_data(as_text=True))
        assert indonesian("On duty now") in page and "Dewi Anggraini" in page
    response = login_as("tu").get("/duty/print?day=2027-03-06")
    assert response.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert len(PdfReader(io.BytesIO(response.data)).pages) == 1
    for expected in (indonesian("ABH DUTY TEAM"), "Dewi Anggraini", "081227000777", "Agus Santoso",
                     "Retno Wulandari", "6 Maret 2027", "DIREKTORAT JENDERAL PEMASYARAKATAN"):  # fmt: skip
        assert expected in text, expected
    assert login_as("tu").get("/duty/print?day=xx").status_code == 400
    db_session.execute(
        delete(NotificationPreference).where(NotificationPreference.staff_id == _id(db_session, "pk3"))
    )
    db_session.commit()
