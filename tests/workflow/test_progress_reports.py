"""The monthly progress report: opened by the daily job, due at the end of the month, overdue on the
1st of the next month and escalated to the Kasubsi; a month is filed once."""

from __future__ import annotations

from datetime import date, datetime
from html import unescape

from sqlalchemy import func, select

from app.models.guidance import ProgressReport
from app.models.workflow import StepRecord
from app.timeutil import WIB, as_utc
from tests.conftest import indonesian
from tests.factories import client_with_period
from tests.steps import act

REPORT = {"progress": "Rajin wajib lapor, sudah bekerja.", "problems": "", "next_plan": "Kunjungan rumah."}


def _report(db_session, client_id: int, month: date) -> ProgressReport:
    db_session.rollback()
    stmt = select(ProgressReport).where(ProgressReport.client_id == client_id, ProgressReport.month == month)
    return db_session.scalar(stmt)


def _rows_of(page: str, heading: str | None = None) -> str:
    text = unescape(page)
    if heading is not None:
        text = text.split(heading, 1)[1] if heading in text else ""
    return text


def test_an_unfiled_report_is_overdue_on_the_first_and_escalates(app, login_as, db_session, clock):
    from app.workflow.supervision import open_due_work

    client_id = client_with_period(app, "BKD-600/2026", "pk2", date(2026, 6, 15), date(2027, 6, 14))
    subject = "Klien BKD-600/2026: November 2026"
    clock(datetime(2026, 11, 2, 8, 0, tzinfo=WIB))
    with app.app_context():
        open_due_work(date(2026, 11, 2))
    report = _report(db_session, client_id, date(2026, 11, 1))
    step = db_session.scalar(select(StepRecord).where(StepRecord.instance_id == report.instance_id))
    assert as_utc(step.due_at).astimezone(WIB) == datetime(2026, 12, 1, 0, 0, tzinfo=WIB)
    escalated = indonesian("Overdue work of your team")

    clock(datetime(2026, 11, 30, 23, 30, tzinfo=WIB))
    home = _rows_of(login_as("pk2").get("/").get_data(as_text=True))
    assert subject in home and indonesian("Overdue") not in home.split(subject, 1)[1].split("</tr>", 1)[0]
    assert subject not in _rows_of(login_as("kasubsi.bkd").get("/").get_data(as_text=True), escalated)

    clock(datetime(2026, 12, 1, 0, 30, tzinfo=WIB))
    home = _rows_of(login_as("pk2").get("/").get_data(as_text=True))
    assert indonesian("Overdue") in home.split(subject, 1)[1].split("</tr>", 1)[0]
    assert subject in _rows_of(login_as("kasubsi.bkd").get("/").get_data(as_text=True), escalated)
    assert subject not in _rows_of(login_as("kasubsi.bka").get("/").get_data(as_text=True), escalated)

    # The PK files it late from the task screen: the month is closed, late.
    assert act(login_as("pk2"), step.id, REPORT).status_code == 302
    report = _report(db_session, client_id, date(2026, 11, 1))
    assert report.filed_at is not None and report.progress == REPORT["progress"]
    db_session.rollback()
    assert db_session.get(StepRecord, step.id).finished_at is not None
    assert subject not in _rows_of(login_as("kasubsi.bkd").get("/").get_data(as_text=True), escalated)


def test_a_month_already_filed_is_refused_and_nothing_changes(app, login_as, db_session, clock):
    client_id = client_with_period(app, "BKD-601/2026", "pk2", date(2026, 9, 1), date(2027, 8, 31))
    clock(datetime(2026, 11, 10, 9, 0, tzinfo=WIB))
    pk = login_as("pk2")
    form = {"client": client_id, "month": "2026-10", **REPORT}
    assert pk.post_form("/progressreportview/add", form).status_code == 302
    assert _report(db_session, client_id, date(2026, 10, 1)).filed_at is not None
    again = pk.post_form("/progressreportview/add", {**form, "progress": "Versi kedua"})
    assert again.status_code == 200
    message = indonesian("The progress report for %(month)s has already been filed.", month="Oktober 2026")
    assert message in unescape(again.get_data(as_text=True))
    assert _report(db_session, client_id, date(2026, 10, 1)).progress == REPORT["progress"]
    for month in ("2026-08", "2026-12"):  # before the period, after this month
        response = pk.post_form("/progressreportview/add", {**form, "month": month})
        assert indonesian("Choose a month of the supervision period up to this month.") in unescape(
            response.get_data(as_text=True)
        )
    db_session.rollback()
    assert db_session.scalar(select(func.count()).where(ProgressReport.client_id == client_id)) == 1
    # Another PK's client is not even on the form's list.
    other = login_as("pk1").post_form("/progressreportview/add", {**form, "month": "2026-11"})
    assert other.status_code == 200 and _report(db_session, client_id, date(2026, 11, 1)) is None
