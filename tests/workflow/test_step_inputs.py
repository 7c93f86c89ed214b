"""Issue #17 item 14: every step shows its inputs on screen (the scanned letter, the disposition's
instructions, urgency, deadline and notes), the scan only to who may open it, and the Kasubsi's note
on the disposition sheet."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from html import unescape

from pypdf import PdfReader
from sqlalchemy import select

from app.models.letters import IncomingLetter
from app.timeutil import WIB
from tests.conftest import indonesian
from tests.steps import act
from tests.views.test_clients import PNG_1PX
from tests.workflow.test_child_accompaniment import _id, _open_step

START = datetime(2026, 11, 25, 9, 0, tzinfo=WIB)
SUBJECT = "Pendampingan anak SN (bukti surat)"
KEPALA_NOTE = "Dampingi sejak pemeriksaan pertama."
KASUBSI_NOTE = "Bawa formulir Litmas dan hubungi orang tua."
SCAN = re.compile(r'href="(/incomingletterview/attachment/\d+)"')


def _page(session, url: str) -> str:
    response = session.get(url)
    assert response.status_code == 200, url
    return unescape(response.get_data(as_text=True))


def _register_with_scan(login_as) -> None:
    data = {
        "service": "ABH", "sender": "Polres Magelang", "sender_kind": "POLRI",
        "letter_number": "B/771/XI/2026/Reskrim", "letter_date": "2026-11-25", "subject": SUBJECT,
        "received_at": "2026-11-25 08:30", "attachment": (io.BytesIO(PNG_1PX), "surat.png"),
    }  # fmt: skip
    response = login_as("tu").post_form(
        "/incomingletterview/register", data, content_type="multipart/form-data"
    )
    assert response.status_code == 302


def test_every_step_shows_the_scan_and_the_disposition(login_as, db_session, clock):
    clock(START)
    _register_with_scan(login_as)
    letter = db_session.scalar(select(IncomingLetter).where(IncomingLetter.subject == SUBJECT))
    scan = f"/incomingletterview/attachment/{letter.id}"

    # The letter's own page links its scan for TU and the Kepala; the link opens it.
    for who in ("tu", "kepala"):
        assert scan in SCAN.findall(_page(login_as(who), f"/incomingletterview/show/{letter.id}")), who
    assert login_as("kepala").get(scan).status_code == 200

    # The Kepala's disposition step links the scan.
    kepala = login_as("kepala")
    step = _open_step(db_session, SUBJECT)
    assert scan in SCAN.findall(_page(kepala, f"/tasks/{step.id}"))
    clock(START + timedelta(minutes=10))
    disposition = {
        "to": _id(db_session, "kasubsi.bka"), "instructions": ["tindak_lanjuti", "siapkan_laporan"],
        "urgency": "sangat_segera", "deadline": "2026-11-26 12:00", "note": KEPALA_NOTE,
    }  # fmt: skip
    assert act(kepala, step.id, disposition).status_code == 302

    # The Kasubsi's assignment step: the scan and everything the disposition said.
    kasubsi = login_as("kasubsi.bka")
    step = _open_step(db_session, SUBJECT)
    assert step.step == "appoint"
    page = _page(kasubsi, f"/tasks/{step.id}")
    assert scan in SCAN.findall(page)
    assert kasubsi.get(scan).status_code == 200
    for shown in (
        indonesian("Follow up"),
        indonesian("Prepare a report"),
        indonesian("Very urgent"),
        "26 November 2026 12.00 WIB",
        KEPALA_NOTE,
    ):
        assert shown in page, shown
    assert indonesian("Coordinate") not in page  # an instruction not chosen is not shown as chosen
    clock(START + timedelta(minutes=20))
    appoint = {"officers": [_id(db_session, "pk1")], "note": KASUBSI_NOTE}
    assert act(kasubsi, step.id, appoint).status_code == 302

    # The PK's step: the scan, the disposition and the Kasubsi's note to the PK.
    pk1 = login_as("pk1")
    step = _open_step(db_session, SUBJECT)
    assert step.step == "accompany"
    page = _page(pk1, f"/tasks/{step.id}")
    assert scan in SCAN.findall(page)
    assert pk1.get(scan).status_code == 200
    for shown in (indonesian("Follow up"), indonesian("Very urgent"), KEPALA_NOTE, KASUBSI_NOTE):
        assert shown in page, shown

    # The Kasubsi's note prints on the disposition sheet.
    sheet = login_as("kepala").get(f"/incomingletterview/sheet/{letter.id}")
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(sheet.data)).pages).split())
    assert KASUBSI_NOTE in text and KEPALA_NOTE in text
    assert indonesian("Note of the Kasubsi to the PK") in text


def test_the_scan_is_linked_only_for_who_may_open_it(login_as, db_session, clock):
    clock(START + timedelta(days=1))
    _register_with_scan(login_as)
    letter = db_session.scalars(
        select(IncomingLetter).where(IncomingLetter.subject == SUBJECT).order_by(IncomingLetter.id.desc())
    ).first()
    scan = f"/incomingletterview/attachment/{letter.id}"
    step = _open_step(db_session, SUBJECT)
    # The Kanwil reads the step and the letter but opens no scan (it cannot be masked): no link, and
    # the route refuses; a PK outside the letter's scope neither reaches the letter nor its scan.
    kanwil = login_as("kanwil.jateng")
    assert scan not in _page(kanwil, f"/tasks/{step.id}")
    assert scan not in _page(kanwil, f"/incomingletterview/show/{letter.id}")
    assert kanwil.get(scan).status_code == 403
    pk2 = login_as("pk2")
    assert pk2.get(f"/incomingletterview/show/{letter.id}").status_code == 404
    assert pk2.get(scan).status_code == 404
