"""Issue 17 items 1 and 13: every inbox row and every task page shows the one deadline that binds."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape

from app.timeutil import WIB, as_utc
from tests.conftest import indonesian
from tests.workflow.test_child_accompaniment import dispose_and_appoint, register_police_letter

SATURDAY_EVENING = datetime(2026, 11, 28, 20, 23, tzinfo=WIB)  # the PK is appointed at 20.48
ROW = re.compile(r'<tr class="bapas-task[^"]*" data-deadline="([^"]*)">(.*?)</tr>', re.S)


def rows(html: str) -> list[tuple[str, str]]:
    """The inbox rows of a page: (binding deadline as ISO UTC or "", the row's text)."""
    return [(deadline, unescape(body)) for deadline, body in ROW.findall(html)]


def row_of(html: str, subject: str) -> str:
    """The one row of the page about `subject`."""
    found = [body for _, body in rows(html) if subject in body]
    assert len(found) == 1, found
    return found[0]


def assert_sorted_by_deadline(html: str) -> None:
    """Overdue first, then the soonest; rows without a deadline last."""
    deadlines = [deadline for deadline, _ in rows(html)]
    dated = [d for d in deadlines if d]
    assert dated == sorted(dated)
    assert deadlines == dated + [""] * (len(deadlines) - len(dated))


def test_the_one_hour_abh_limit_binds_the_pks_row_and_task_page(login_as, db_session, clock):
    subject = "Pendampingan anak JK (Sabtu malam)"
    clock(SATURDAY_EVENING)
    register_police_letter(login_as, subject, "2026-11-28 20:15")
    step = dispose_and_appoint(login_as, db_session, clock, subject, SATURDAY_EVENING)
    limit = SATURDAY_EVENING + timedelta(minutes=25, hours=1)
    assert step.step == "accompany" and as_utc(step.deadline_at) == limit  # not the step's day

    pk1 = login_as("pk1")
    home = pk1.get("/").get_data(as_text=True)
    row = row_of(home, subject)
    assert "28 November 2026 21.48 WIB" in row and "29 November 2026" not in row
    assert indonesian("Urgent, around the clock") in row
    assert_sorted_by_deadline(home)
    ahead = [body for deadline, body in rows(home) if deadline and deadline < as_utc(limit).isoformat()]
    assert all(indonesian("Overdue") in body for body in ahead)  # only overdue work comes first

    page = unescape(pk1.get(f"/tasks/{step.id}").get_data(as_text=True))
    assert "28 November 2026 21.48 WIB" in page and "29 November 2026 20.48" not in page

    clock(limit + timedelta(minutes=11))
    for who in ("kasubsi.bka", "kepala"):
        row = row_of(login_as(who).get("/").get_data(as_text=True), subject)
        assert indonesian("Overdue") in row and "11 menit" in row
        assert "sisa" not in row


def test_a_working_day_deadline_reads_as_the_close_of_that_day(app):
    from app.formatting import fmt_deadline

    with app.test_request_context():
        assert fmt_deadline(datetime(2026, 4, 14, tzinfo=WIB)) == "13 April 2026, akhir hari kerja"
        assert fmt_deadline(datetime(2026, 4, 12, tzinfo=WIB)) == "11 April 2026, akhir hari"
        assert fmt_deadline(datetime(2026, 4, 14, 9, tzinfo=WIB)) == "14 April 2026 09.00 WIB"


def test_a_step_done_in_the_evening_of_its_last_working_day_is_within_its_standard(app):
    from app.workflow.clock import WorkingCalendar
    from app.workflow.definitions import COMPLAINT
    from app.workflow.timing import measure_moments

    step = COMPLAINT.step("review")  # one working day, response
    ready, evening = datetime(2026, 7, 1, 9, tzinfo=WIB), datetime(2026, 7, 2, 20, tzinfo=WIB)
    assert measure_moments(step, WorkingCalendar(), ready, ready, evening).within is True
    late = datetime(2026, 7, 3, 0, 1, tzinfo=WIB)
    assert measure_moments(step, WorkingCalendar(), ready, ready, late).within is False


def test_the_inbox_shows_a_letters_working_day_deadline_as_the_close_of_the_day(login_as, clock):
    subject = "Undangan rapat koordinasi (hari kerja)"
    clock(datetime(2026, 7, 1, 9, tzinfo=WIB))
    register_police_letter(login_as, subject, "2026-07-01 08:50", service="SURAT")
    row = row_of(login_as("kepala").get("/").get_data(as_text=True), subject)
    assert "2 Juli 2026, akhir hari kerja" in row  # the disposition's one working day


def test_every_step_of_batako_outreach_and_group_guidance_has_a_binding_deadline(app, db_session):
    from datetime import date

    from sqlalchemy import select

    from app.models.staff import Staff
    from app.workflow import engine, mobile_service, outreach
    from app.workflow.definitions import GROUP_GUIDANCE, OUTREACH

    pk1 = db_session.scalar(select(Staff).where(Staff.username == "pk1"))
    point = mobile_service.plan_point(pk1, "Borobudur", "Balai desa", date(2026, 12, 10))
    db_session.flush()
    opening = point.instance.steps[0]
    assert as_utc(opening.deadline_at) == datetime(2026, 12, 11, tzinfo=WIB)  # the point's own day

    request = engine.start(OUTREACH.code, "SMA uji (disposisi)", data=outreach.schedule(date(2026, 12, 11)))
    db_session.flush()
    dispose = engine.complete(request.steps[0], None)
    assert dispose.step == "dispose" and dispose.due_at is None  # a handling standard of 10 minutes
    assert as_utc(dispose.deadline_at) == datetime(2026, 12, 12, tzinfo=WIB)  # the date asked for
    assert GROUP_GUIDANCE.step("attend").deadline_from == "session_ends"
    db_session.rollback()
