"""Issue #17 item 15, SOP 11 as its people meet it: the Kepala signs without typing a reason, a returned
draft keeps its obligations, the portal gives the letter only after the hand-over, the permit list has
a status column, the detail page links the letter, and the PK and the Kepala preview the draft."""

from __future__ import annotations

import io
import re
from datetime import datetime
from html import unescape

from pypdf import PdfReader
from sqlalchemy import event

from app.extensions import db
from app.timeutil import WIB
from tests.conftest import indonesian
from tests.steps import act, tpp_decides
from tests.workflow.test_travel_permits import _code, _open, _permit, submit

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
OBLIGATIONS = "Lapor ke Polsek Tembalang setibanya di Semarang.\nTidak meninggalkan Kota Semarang."


def _text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def _page(session, url: str) -> str:
    response = session.get(url)
    assert response.status_code == 200, url
    return unescape(response.get_data(as_text=True))


def _take_up(session, record_id: int) -> str:
    """The actor takes the step up; returns its task page, with the step's form."""
    session.client.post(f"/tasks/{record_id}/open", data={"csrf_token": session.token()})
    return _page(session, f"/tasks/{record_id}")


def _approved(client, login_as, db_session, clock, city: str):
    """A request checked by pk2 and approved by the Sidang TPP: waiting for the PK's draft."""
    clock(MONDAY)
    code = _code(submit(client, destination_city=city))
    permit = _permit(db_session, code)
    assert (
        act(login_as("pk2"), _open(db_session, permit).id, {"outcome": "done", "note": "ok"}).status_code
        == 302
    )
    tpp_decides(login_as, db_session, _open(db_session, permit), "approve", "Disetujui.")
    assert _open(db_session, permit).step == "draft"
    return code, permit


def test_the_kepala_signs_without_a_reason_and_a_returned_draft_keeps_its_obligations(
    client, login_as, db_session, clock
):
    code, permit = _approved(client, login_as, db_session, clock, "Kota Semarang Timur")
    pk2, kepala = login_as("pk2"), login_as("kepala")
    assert act(pk2, _open(db_session, permit).id, {"note": OBLIGATIONS}).status_code == 302

    # Returning the draft needs the reasons: refused without, nothing moves.
    sign = _open(db_session, permit)
    refused = act(kepala, sign.id, {"outcome": "return", "note": " "})
    assert refused.status_code == 200
    assert indonesian("Say why the draft is returned.") in unescape(refused.get_data(as_text=True))
    assert _open(db_session, permit).id == sign.id
    assert (
        act(
            kepala, sign.id, {"outcome": "return", "note": "Tambahkan alamat Polsek."}, open_first=False
        ).status_code
        == 302
    )

    # Back at the PK: the obligations written the first time are in the form, and the reasons shown.
    draft = _open(db_session, permit)
    assert draft.step == "draft"
    page = _take_up(pk2, draft.id)
    textarea = re.search(r'<textarea[^>]*name="note"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert textarea.strip() == OBLIGATIONS
    assert "Tambahkan alamat Polsek." in page
    assert act(pk2, draft.id, {"note": textarea.strip()}).status_code == 302

    # Signing needs no reason.
    assert act(kepala, _open(db_session, permit).id, {"outcome": "approve", "note": ""}).status_code == 302
    permit = _permit(db_session, code)
    assert permit.signed_at is not None and permit.obligations == OBLIGATIONS


def test_the_portal_gives_the_letter_only_after_the_hand_over(client, login_as, db_session, clock):
    code, permit = _approved(client, login_as, db_session, clock, "Kota Salatiga")
    assert act(login_as("pk2"), _open(db_session, permit).id, {"note": ""}).status_code == 302
    assert act(login_as("kepala"), _open(db_session, permit).id, {"outcome": "approve"}).status_code == 302

    waiting = indonesian(
        "The permit letter has been signed. Your PK will hand it over to you and explain its obligations; "
        "it can be downloaded here after the hand-over."
    )
    status = unescape(client.get(f"/layanan/status/{code}").get_data(as_text=True))
    assert waiting in status and f"/layanan/status/{code}/surat.pdf" not in status
    refused = client.get(f"/layanan/status/{code}/surat.pdf")
    assert refused.status_code == 303 and refused.headers["Location"].endswith(f"/layanan/status/{code}")
    assert waiting in unescape(client.get(refused.headers["Location"]).get_data(as_text=True))

    assert act(login_as("pk2"), _open(db_session, permit).id, {"note": "Diserahkan."}).status_code == 302
    status = unescape(client.get(f"/layanan/status/{code}").get_data(as_text=True))
    assert waiting not in status and f"/layanan/status/{code}/surat.pdf" in status
    letter = client.get(f"/layanan/status/{code}/surat.pdf")
    assert letter.status_code == 200 and letter.mimetype == "application/pdf"
    assert _permit(db_session, code).letter_number in _text(letter.data).replace(" ", "")


def test_the_detail_page_links_the_letter_once_signed(client, login_as, db_session, clock):
    _, permit = _approved(client, login_as, db_session, clock, "Kota Pekalongan")
    letter = f"/travelpermitview/letter/{permit.id}"
    preview = f"/travelpermitview/preview/{permit.id}"
    show = f"/travelpermitview/show/{permit.id}"
    page = _page(login_as("pk2"), show)
    assert letter not in page and preview in page
    assert preview not in _page(login_as("pengawas"), show)  # the preview is the PK's and the Kepala's
    assert act(login_as("pk2"), _open(db_session, permit).id, {"note": ""}).status_code == 302
    assert act(login_as("kepala"), _open(db_session, permit).id, {"outcome": "approve"}).status_code == 302
    for who in ("pk2", "kepala", "pengawas"):
        page = _page(login_as(who), show)
        assert letter in page and preview not in page, who
        assert login_as(who).get(letter).mimetype == "application/pdf"
    # Out of scope: neither the page nor the letter.
    assert login_as("pk1").get(show).status_code == 404
    assert login_as("pk1").get(letter).status_code == 404


def test_the_pk_and_the_kepala_preview_the_draft(client, login_as, db_session, clock):
    code, permit = _approved(client, login_as, db_session, clock, "Kota Tegal")
    preview = f"/travelpermitview/preview/{permit.id}"
    pk2 = login_as("pk2")
    draft = _open(db_session, permit)
    page = _take_up(pk2, draft.id)
    assert f'formaction="{preview}"' in page and indonesian("Preview the draft (PDF)") in page

    # What the PK is typing, as the letter would read: marked DRAF, no number, no QR code; not saved.
    typed = "Lapor ke Polres Tegal dalam 1x24 jam."
    response = pk2.post_form(preview, {"note": typed}, form_url=f"/tasks/{draft.id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _text(response.data)
    assert typed in text and "DRAF" in text
    assert indonesian("Number") + ": -" in text and "verifikasi" not in text
    assert _permit(db_session, code).obligations is None
    # Saved obligations (none yet: the standard ones) on a plain GET; the Kepala too.
    standard = indonesian("Carry this letter and the guidance card throughout the trip.")
    assert standard in _text(pk2.get(preview).data)
    assert standard in _text(login_as("kepala").get(preview).data)
    # Nobody else previews; a bad post is refused; nothing to preview once signed.
    for who in ("kasubsi.bkd", "pengawas", "tu"):
        assert login_as(who).get(preview).status_code == 403, who
    assert pk2.client.post(preview, data={"note": typed}).status_code == 400  # no CSRF token
    long = pk2.post_form(preview, {"note": "x" * 2001}, form_url=f"/tasks/{draft.id}")
    assert long.status_code == 400
    assert act(pk2, draft.id, {"note": typed}).status_code == 302
    sign = _open(db_session, permit)
    assert preview in _page(login_as("kepala"), f"/tasks/{sign.id}")
    assert act(login_as("kepala"), sign.id, {"outcome": "approve"}).status_code == 302
    assert pk2.get(preview).status_code == 404


def test_the_permit_list_shows_the_status_without_a_query_per_row(app, client, login_as, db_session, clock):
    _approved(client, login_as, db_session, clock, "Kota Pemalang")
    kepala = login_as("kepala")
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def count(*_args) -> None:
        seen.append("x")

    event.listen(engine, "before_cursor_execute", count)
    try:
        page = _page(kepala, "/travelpermitview/list/")
        few = len(seen)
        for city in ("Kota Brebes", "Kota Kendal", "Kota Demak"):
            _code(submit(client, destination_city=city))
        seen.clear()
        page = _page(kepala, "/travelpermitview/list/")
        many = len(seen)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert f"<th>{indonesian('Status')}" in page.replace("\n", "") or indonesian("Status") in page
    assert indonesian("Draft the permit letter for the Kepala's signature") in page
    assert indonesian("PK checks the request") in page
    assert many == few, (few, many)
