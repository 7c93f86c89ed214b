"""SOP 13 BATAKO walked through HTTP by role: plan, open the counter, check clients in by their
guidance card, guide each, close and report within a working day."""

from __future__ import annotations

import io
from datetime import date, datetime
from html import unescape

from pypdf import PdfReader
from sqlalchemy import func, select

from app.forms.ranges import PLANNED
from app.models.clients import Client
from app.models.guidance import GuidanceLog
from app.models.mobile import MobileAttendance, MobileService
from app.models.workflow import FINISHED, ServiceInstance, StepRecord
from app.timeutil import WIB, as_utc
from tests.conftest import expected, indonesian
from tests.factories import client_with_period, signature

DAY = date(2026, 11, 24)  # a Tuesday
NOTE = {"kind": "kepribadian", "notes": "Klien bekerja sebagai buruh tani.", "confidential_notes": "",
        "next_appointment": "2026-12-08"}  # fmt: skip


def _point(db_session, town: str) -> MobileService:
    db_session.rollback()
    return db_session.scalar(select(MobileService).where(MobileService.town == town))


def test_batako_from_opening_to_the_report(app, login_as, db_session, clock):
    client_id = client_with_period(
        app, "BKD-700/2026", "pk2", date(2026, 5, 1), date(2027, 4, 30), card="KB-7000"
    )
    client_with_period(app, "BKD-701/2026", "pk2", date(2026, 5, 1), date(2027, 4, 30), card="KB-7001")
    clock(datetime(2026, 11, 20, 10, 0, tzinfo=WIB))
    pk = login_as("pk2")
    form = {"town": "Kecamatan Grabag", "place": "Balai Desa Grabag", "held_on": DAY.isoformat()}
    assert pk.post_form("/mobileserviceview/add", form).status_code == 302
    point = _point(db_session, "Kecamatan Grabag")
    page = f"/mobileserviceview/point/{point.id}"

    clock(datetime(2026, 11, 24, 8, 0, tzinfo=WIB))
    assert pk.post_form(f"{page}/setup", {}, form_url=page).status_code == 302
    clock(datetime(2026, 11, 24, 8, 20, tzinfo=WIB))
    assert pk.post_form(f"{page}/open", {}, form_url=page).status_code == 302
    opened = db_session.scalar(
        select(StepRecord).where(StepRecord.instance_id == point.instance_id, StepRecord.step == "open")
    )
    assert (
        opened.finished_at is not None
        and (as_utc(opened.finished_at) - as_utc(opened.opened_at)).seconds == 1200
    )

    clock(datetime(2026, 11, 24, 9, 0, tzinfo=WIB))
    assert (
        pk.post_form(
            f"{page}/checkin", {"card": "KB-7000", "signature": signature()}, form_url=page
        ).status_code
        == 302
    )
    not_mine = (
        "No client you may serve has this guidance card or register number: only your own "
        "clients and the clients of your section report at your point."
    )
    for card, message in (
        ("KB-7000", "This client has already reported at this service point."),
        ("KB-9999", not_mine),
        # pk1's child (BKA): pk2 (BKD) may not check it in, and learns nothing more than of a bad card.
        ("BKA-001/2026", not_mine),
    ):
        refused = pk.post_form(f"{page}/checkin", {"card": card, "signature": ""}, form_url=page)
        assert refused.status_code == 200 and indonesian(message) in unescape(refused.get_data(as_text=True))
    garbled = {"card": "KB-7001", "signature": "data:image/png;base64,AAAA"}
    bad_signature = pk.post_form(f"{page}/checkin", garbled, form_url=page)
    assert indonesian("The signature could not be read; sign again.") in unescape(
        bad_signature.get_data(as_text=True)
    )
    db_session.rollback()
    assert db_session.scalar(select(func.count()).where(MobileAttendance.service_id == point.id)) == 1
    # No signature, or a blank one, and nothing is saved: the attendance list is the proof.
    for unsigned in ("", signature(blank=True)):
        attempt = {"card": "BKD-701/2026", "signature": unsigned}
        refused = pk.post_form(f"{page}/checkin", attempt, form_url=page)
        assert indonesian("The client signs on the screen; the check-in was not saved.") in unescape(
            refused.get_data(as_text=True)
        )
    # The register number works as well as the card.
    signed = {"card": "BKD-701/2026", "signature": signature(stroke=5)}
    assert pk.post_form(f"{page}/checkin", signed, form_url=page).status_code == 302

    visits = db_session.scalars(select(MobileAttendance).where(MobileAttendance.service_id == point.id)).all()
    assert len(visits) == 2 and all(visit.signature_file_id is not None for visit in visits)
    # The daftar hadir prints both clients with their signatures.
    sheet = pk.get(f"{page}/attendance")
    assert sheet.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(sheet.data))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "KB-7000" in text or "BKD-700/2026" in text
    assert "BKD-701/2026" in text and sum(len(p.images) for p in reader.pages) == 2
    # Closing before every client is guided is refused.
    pk.post_form(f"{page}/close", {}, form_url=page)
    assert _point(db_session, "Kecamatan Grabag").status == "buka"
    clock(datetime(2026, 11, 24, 9, 25, tzinfo=WIB))
    for visit in visits:
        fields = {f"v{visit.id}-{k}": v for k, v in NOTE.items()}
        assert (
            pk.post_form(f"/mobileserviceview/visit/{visit.id}/guide", fields, form_url=page).status_code
            == 302
        )
    db_session.rollback()
    log = db_session.scalar(select(GuidanceLog).where(GuidanceLog.client_id == client_id))
    assert (log.place, log.held_on, log.stage) == ("batako", DAY, "lanjutan")
    client = db_session.get(Client, client_id)
    assert (client.last_guidance_on, client.next_report_due) == (DAY, date(2026, 12, 8))
    field_page = unescape(pk.get(page).get_data(as_text=True))
    assert indonesian("guided in %(n)d minutes", n=25) in field_page

    clock(datetime(2026, 11, 24, 12, 0, tzinfo=WIB))
    assert pk.post_form(f"{page}/close", {}, form_url=page).status_code == 302
    report = db_session.scalar(
        select(StepRecord).where(StepRecord.instance_id == point.instance_id, StepRecord.step == "report")
    )
    assert as_utc(report.due_at).astimezone(WIB) == datetime(
        2026, 11, 26, 0, 0, tzinfo=WIB
    )  # close of Wed 25
    # Others see the point but cannot act on it; another section's PK does not see it at all.
    assert login_as("kasubsi.bkd").get(page).status_code == 200
    assert (
        login_as("kasubsi.bkd").post_form(f"{page}/report", {"report": "x"}, form_url=page).status_code == 403
    )
    assert login_as("pk1").get(page).status_code == 404
    clock(datetime(2026, 11, 25, 9, 0, tzinfo=WIB))
    assert pk.post_form(f"{page}/report", {"report": "Dua klien dilayani."}, form_url=page).status_code == 302
    point = _point(db_session, "Kecamatan Grabag")
    assert point.status == "lapor" and point.report == "Dua klien dilayani."
    assert db_session.get(ServiceInstance, point.instance_id).status == FINISHED


def test_a_point_cannot_be_planned_in_the_past(login_as, db_session, clock):
    clock(datetime(2026, 11, 24, 8, 0, tzinfo=WIB))
    response = login_as("pk2").post_form(
        "/mobileserviceview/add", {"town": "Kota Lama", "place": "Balai", "held_on": "2026-11-23"}
    )
    assert expected(PLANNED) in unescape(response.get_data(as_text=True))
    assert _point(db_session, "Kota Lama") is None
