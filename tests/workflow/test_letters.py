"""Incoming letters: registration rules, the disposition sheet, due dates in working days."""

from __future__ import annotations

import io
from datetime import date, datetime
from html import unescape

from pypdf import PdfReader
from sqlalchemy import func, select

from app.extensions import db
from app.forms.ranges import RECEIVED
from app.models.letters import IncomingLetter
from app.models.staff import Staff
from app.models.workflow import ExtraHoliday, StepRecord
from app.timeutil import WIB, as_utc
from app.workflow import correspondence
from tests.conftest import expected, indonesian
from tests.views.test_clients import PNG_1PX
from tests.workflow.test_child_accompaniment import dispose_and_appoint, register_police_letter

LETTER = {
    "service": "SURAT",
    "sender": "Kejaksaan Negeri Magelang",
    "sender_kind": "KEJAKSAAN",
    "letter_number": "B-900/M.3.21/2026",
    "letter_date": "2026-11-20",
    "subject": "Permintaan Litmas",
    "received_at": "2026-11-20 10:00",
}


def _letters(db_session) -> int:
    db_session.rollback()
    return db_session.scalar(select(func.count(IncomingLetter.id)))


def test_registration_refuses_bad_input_and_stores_nothing(login_as, db_session, clock):
    clock(datetime(2026, 11, 23, 8, 0, tzinfo=WIB))
    tu = login_as("tu")
    before = _letters(db_session)
    cases = [
        ({"received_at": "2026-11-24 08:00"}, RECEIVED),
        ({"letter_date": "2026-11-21"}, "The letter cannot be dated after it arrived."),
        ({"subject": ""}, "This field is required."),
        ({"received_at": "kemarin"}, "Not a valid datetime value."),
    ]
    for change, message in cases:
        response = tu.post_form("/incomingletterview/register", {**LETTER, **change})
        assert expected(message) in unescape(response.get_data(as_text=True)), message
    fake = {**LETTER, "attachment": (io.BytesIO(PNG_1PX), "surat.pdf")}
    response = tu.post_form("/incomingletterview/register", fake, content_type="multipart/form-data")
    assert indonesian("The file's content does not match its name (%(name)s).", name=".pdf") in unescape(
        response.get_data(as_text=True)
    )
    assert _letters(db_session) == before


def test_the_disposition_sheet_shows_agenda_number_and_instructions(login_as, db_session, clock):
    start = datetime(2026, 11, 27, 9, 0, tzinfo=WIB)
    clock(start)
    subject = "Pendampingan anak JK (lembar disposisi)"
    register_police_letter(login_as, subject, "2026-11-27 08:40")
    dispose_and_appoint(login_as, db_session, clock, subject, start)
    letter = db_session.scalar(select(IncomingLetter).where(IncomingLetter.subject == subject))
    response = login_as("kepala").get(f"/incomingletterview/sheet/{letter.id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert letter.agenda_number in text
    assert "Tindak lanjuti" in text and "Siti Rahmawati" in text
    assert login_as("pk2").get(f"/incomingletterview/sheet/{letter.id}").status_code == 404
    assert login_as("pk1").get(f"/incomingletterview/sheet/{letter.id}").status_code == 200


def _dispose_due(app, received: datetime) -> datetime:
    with app.app_context():
        tu = db.session.scalar(select(Staff).where(Staff.username == "tu"))
        letter = correspondence.register_letter(
            tu, service="SURAT", sender="Lapas Magelang", sender_kind="LAPAS",
            letter_number=f"W/{received:%d%H%M}", letter_date=received.date(), subject="Tembusan",
            received_at=received,
        )  # fmt: skip
        db.session.commit()
        step = db.session.scalar(
            select(StepRecord).where(
                StepRecord.instance_id == letter.instance_id, StepRecord.step == "dispose"
            )
        )
        return as_utc(step.due_at).astimezone(WIB)


def test_day_standards_skip_the_weekend_and_a_public_holiday(app, clock):
    # Registered Friday 14 August 2026, 14:00; Monday 17 August is Independence Day: due at the close
    # of Tuesday 18 August.
    clock(datetime(2026, 8, 14, 14, 0, tzinfo=WIB))
    assert _dispose_due(app, datetime(2026, 8, 14, 13, 0, tzinfo=WIB)) == datetime(
        2026, 8, 19, 0, 0, tzinfo=WIB
    )
    with app.app_context():
        db.session.add(ExtraHoliday(day=date(2026, 8, 18), name="Libur daerah (uji)", is_holiday=True))
        db.session.commit()
    assert _dispose_due(app, datetime(2026, 8, 14, 13, 0, tzinfo=WIB)) == datetime(
        2026, 8, 20, 0, 0, tzinfo=WIB
    )


def test_the_abh_clock_runs_through_the_night_and_the_weekend(app, clock, login_as, db_session):
    saturday_night = datetime(2026, 11, 28, 23, 30, tzinfo=WIB)
    clock(saturday_night)
    subject = "Pendampingan anak LM (Sabtu malam)"
    register_police_letter(login_as, subject, "2026-11-28 23:10")
    step = db_session.scalar(
        select(StepRecord).where(
            StepRecord.step == "dispose", StepRecord.instance.has(subject=f"Polres Magelang: {subject}")
        )
    )
    # 30 minutes on the wall clock, past midnight into Sunday.
    assert as_utc(step.due_at).astimezone(WIB) == datetime(2026, 11, 29, 0, 0, tzinfo=WIB)
