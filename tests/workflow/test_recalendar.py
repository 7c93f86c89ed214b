"""Issue 17 item 4: a day the Admin adds to (or takes off) the calendar moves running deadlines."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from app.extensions import db
from app.models.audit import AuditLog
from app.models.workflow import ExtraHoliday, ServiceInstance, StepRecord
from app.timeutil import WIB, as_utc
from tests.workflow.test_child_accompaniment import register_police_letter
from tests.workflow.test_travel_permits import _code, _open, _permit, submit

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=WIB)
HOLIDAY = date(2026, 12, 7)  # a Monday: a regional day off decreed late


def _wib(moment: datetime | None) -> datetime | None:
    return as_utc(moment).astimezone(WIB) if moment else None


def _letter_step(subject: str, code: str) -> StepRecord:
    return db.session.scalar(
        select(StepRecord)
        .join(StepRecord.instance)
        .where(ServiceInstance.subject.contains(subject), StepRecord.step == code)
    )


def test_a_holiday_added_later_moves_running_deadlines_and_measures(app, client, login_as, db_session, clock):
    clock(MONDAY)
    permit = _permit(db_session, _code(submit(client, destination_city="Kabupaten Temanggung")))
    # 14 working days after Monday 30 November: the close of Friday 18 December.
    assert _wib(permit.instance.limit_due_at) == datetime(2026, 12, 19, tzinfo=WIB)
    clock(datetime(2026, 12, 4, 9, 0, tzinfo=WIB))
    subject = "Surat undangan (kalender berubah)"
    register_police_letter(login_as, subject, "2026-12-04 08:30", service="SURAT")
    clock(datetime(2026, 12, 8, 9, 0, tzinfo=WIB))
    kepala = login_as("kepala")
    with app.app_context():
        dispose = _letter_step(subject, "dispose")
        kepala.client.post(f"/tasks/{dispose.id}/open", data={"csrf_token": kepala.token()})
    with app.app_context():
        waited = db.session.get(StepRecord, dispose.id).waiting_seconds
    assert waited == (15 + 24 + 9) * 3600  # Friday from 09.00, Monday, Tuesday to 09.00

    admin = login_as("admin")
    form = {"day": HOLIDAY.isoformat(), "name": "Libur daerah (uji)", "is_holiday": "y"}
    assert admin.post_form("/extraholidayview/add", form).status_code == 302
    try:
        with app.app_context():
            instance = db.session.get(ServiceInstance, permit.instance_id)
            assert _wib(instance.limit_due_at) == datetime(2026, 12, 22, tzinfo=WIB)  # close of Mon 21
            check = next(r for r in instance.steps if r.finished_at is None)
            assert _wib(check.deadline_at) == datetime(2026, 12, 22, tzinfo=WIB)
            assert db.session.get(StepRecord, dispose.id).waiting_seconds == (15 + 9) * 3600
            trail = db.session.scalars(
                select(AuditLog).where(
                    AuditLog.table_name == "service_instance", AuditLog.record_id == str(instance.id)
                )
            ).all()
            assert any("limit_due_at" in (entry.changes or {}) for entry in trail)
            assert db.session.scalar(select(AuditLog).where(AuditLog.action == "recalendar")) is not None
    finally:
        with app.app_context():
            day_off = db.session.scalar(select(ExtraHoliday.id).where(ExtraHoliday.day == HOLIDAY))
        admin.client.post(f"/extraholidayview/delete/{day_off}", data={"csrf_token": admin.token()})
    with app.app_context():
        assert db.session.scalar(select(ExtraHoliday).where(ExtraHoliday.day == HOLIDAY)) is None
        instance = db.session.get(ServiceInstance, permit.instance_id)
        assert _wib(instance.limit_due_at) == datetime(2026, 12, 19, tzinfo=WIB)  # taken off again
        assert db.session.get(StepRecord, dispose.id).waiting_seconds == waited
    assert _open(db_session, permit).step == "check"
