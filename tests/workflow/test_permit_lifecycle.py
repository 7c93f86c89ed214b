"""SOP 11 beyond the happy path: the 14-working-day limit over the year-end holidays, the draft the
Kepala reads before signing, revocation, and a client without a PK or moved to another PK."""

from __future__ import annotations

import io
from datetime import date, datetime
from html import unescape

from pypdf import PdfReader
from sqlalchemy import select

from app.models.clients import ACTIVE, Client
from app.models.staff import Staff
from app.models.workflow import ServiceInstance
from app.timeutil import WIB, as_utc
from app.verification import permit_token
from tests.conftest import indonesian
from tests.factories import client_form
from tests.steps import act, tpp_decides
from tests.workflow.test_travel_permits import _code, _open, _permit, submit

# Wednesday 16 December 2026, 10:00 WIB: Thu 24 Dec (cuti bersama), Fri 25 Dec (Natal),
# Fri 1 Jan 2027 (Tahun Baru) and Tue 5 Jan 2027 (Isra Mikraj) are not working days.
BEFORE_HOLIDAYS = datetime(2026, 12, 16, 10, 0, tzinfo=WIB)
TRIP = {"depart_on": "2027-01-18", "return_on": "2027-01-20"}


def _pdf_text(data: bytes) -> str:
    return "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def _escalated(session) -> str:
    """The "overdue work of your team" part of a home page."""
    page = unescape(session.get("/").get_data(as_text=True))
    heading = indonesian("Overdue work of your team")
    return page.split(heading, 1)[1] if heading in page else ""


def _to_signature(login_as, db_session, permit) -> None:
    assert (
        act(login_as("pk2"), _open(db_session, permit).id, {"outcome": "done", "note": "ok"}).status_code
        == 302
    )
    tpp_decides(login_as, db_session, _open(db_session, permit), "approve", "Disetujui.")
    assert act(login_as("pk2"), _open(db_session, permit).id, {"note": ""}).status_code == 302


def test_the_limit_counts_14_working_days_over_the_year_end_holidays(client, login_as, db_session, clock):
    clock(BEFORE_HOLIDAYS)
    code = _code(submit(client, destination_city="Kabupaten Wonosobo", **TRIP))
    permit = _permit(db_session, code)
    # Without holidays 14 working days would end on Tue 5 Jan; four holidays: the close of Mon 11 Jan.
    assert as_utc(permit.instance.limit_due_at).astimezone(WIB) == datetime(2027, 1, 12, 0, 0, tzinfo=WIB)
    _to_signature(login_as, db_session, permit)

    clock(datetime(2027, 1, 8, 15, 0, tzinfo=WIB))
    sign = _open(db_session, permit)
    assert (
        act(login_as("kepala"), sign.id, {"outcome": "approve", "note": "Ditandatangani."}).status_code == 302
    )
    # The letter waits for the PK's hand-over; the overall limit escalates to the Kepala when it runs out.
    clock(datetime(2027, 1, 11, 23, 30, tzinfo=WIB))
    assert "Kabupaten Wonosobo" not in _escalated(login_as("kepala"))
    clock(datetime(2027, 1, 12, 0, 30, tzinfo=WIB))
    assert "Kabupaten Wonosobo" in _escalated(login_as("kepala"))
    assert act(login_as("pk2"), _open(db_session, permit).id, {"note": "Diserahkan."}).status_code == 302
    db_session.rollback()
    assert db_session.get(ServiceInstance, permit.instance_id).limit_met is False


def test_the_kepala_reads_the_draft_then_signs_and_may_revoke(app, client, login_as, db_session, clock):
    clock(datetime(2026, 11, 23, 9, 0, tzinfo=WIB))
    code = _code(submit(client, destination_city="Kota Magelang Selatan"))
    permit = _permit(db_session, code)
    kepala = login_as("kepala")
    assert kepala.get(f"/travelpermitview/letter/{permit.id}").status_code == 404  # nothing drafted yet
    _to_signature(login_as, db_session, permit)

    draft = kepala.get(f"/travelpermitview/letter/{permit.id}")
    assert draft.mimetype == "application/pdf"
    assert "".join(indonesian("DRAFT — not signed, not valid as a permit.").split()) in _pdf_text(draft.data)
    assert client.get(f"/layanan/status/{code}/surat.pdf").status_code == 404  # the public gets no draft
    sign = _open(db_session, permit)
    assert indonesian("Draft permit letter (PDF)") in unescape(
        kepala.get(f"/tasks/{sign.id}").get_data(as_text=True)
    )
    assert act(kepala, sign.id, {"outcome": "approve", "note": "Ditandatangani."}).status_code == 302

    permit = _permit(db_session, code)
    with app.test_request_context():
        token = permit_token(permit)
    assert indonesian("VALID") in client.get(f"/layanan/verifikasi/{token}").get_data(as_text=True)
    task = f"/tasks/{_open(db_session, permit).id}"
    # Neither the PK nor the Pengawas may revoke; an empty reason is refused; then the Kepala revokes.
    revoke = f"/travelpermitview/revoke/{permit.id}"
    for other in ("pk2", "pengawas"):
        assert login_as(other).post_form(revoke, {"reason": "x"}, form_url="/").status_code == 403
    kepala.post_form(f"/travelpermitview/revoke/{permit.id}", {"reason": ""}, form_url=task)
    assert _permit(db_session, code).revoked_at is None
    reason = "Klien tidak memenuhi wajib lapor."
    assert (
        kepala.post_form(
            f"/travelpermitview/revoke/{permit.id}", {"reason": reason}, form_url=task
        ).status_code
        == 302
    )
    permit = _permit(db_session, code)
    assert permit.revoked_at is not None and permit.revoked_by_id is not None
    verify = unescape(client.get(f"/layanan/verifikasi/{token}").get_data(as_text=True))
    assert indonesian("NO LONGER IN FORCE") in verify and indonesian("the permit has been revoked.") in verify
    assert reason not in verify  # the public check says revoked, not why
    status = unescape(client.get(f"/layanan/status/{code}").get_data(as_text=True))
    assert reason in status and indonesian("Download the permit letter (PDF)") not in status
    assert client.get(f"/layanan/status/{code}/surat.pdf").status_code == 404


def test_a_client_without_pk_waits_for_the_kasubsi_and_follows_the_pk_assigned(
    app, client, login_as, db_session, clock
):
    clock(datetime(2026, 11, 23, 9, 0, tzinfo=WIB))
    with app.app_context():
        from app.extensions import db

        db.session.add(
            Client(register_number="BKD-077/2026", name="Tanpa PK", birth_date=date(1979, 5, 5), sex="L",
                   address="Jl. Ikhlas 7", category="dewasa", legal_basis="PB", status=ACTIVE,
                   supervision_start=date(2026, 6, 1), supervision_end=date(2027, 6, 1))
        )  # fmt: skip
        db.session.commit()
    code = _code(submit(client, register_number="BKD-077/2026", birth_date="1979-05-05",
                        destination_city="Kabupaten Purworejo"))  # fmt: skip
    assert "Kabupaten Purworejo" not in login_as("pk2").get("/").get_data(as_text=True)
    assert "Kabupaten Purworejo" in _escalated(login_as("kasubsi.bkd"))
    assert "Kabupaten Purworejo" not in _escalated(login_as("kasubsi.bka"))

    client_id, form = client_form(db_session, "BKD-077/2026", officer=_id(db_session, "pk2"))
    response = login_as("kasubsi.bkd").post_form(f"/clientview/edit/{client_id}", form)
    assert response.status_code == 302
    permit = _permit(db_session, code)
    assert permit.instance.officer.username == "pk2"
    assert _open(db_session, permit).assignee_id == _id(db_session, "pk2")
    assert "Kabupaten Purworejo" in unescape(login_as("pk2").get("/").get_data(as_text=True))


def _id(db_session, username: str) -> int:
    return db_session.scalar(select(Staff.id).where(Staff.username == username))
