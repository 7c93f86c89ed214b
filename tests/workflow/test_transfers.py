"""Pindah wilayah through HTTP: a client of Magelang proposed, refused by Semarang, proposed again,
accepted and given a PK there; who sees the client and its file before and after."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from html import unescape

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.models.audit import AuditLog
from app.models.cases import Case
from app.models.clients import Client
from app.models.guidance import GuidanceLog, ProgressReport
from app.models.letters import IncomingLetter
from app.models.staff import Staff
from app.models.transfers import ClientTransfer
from app.models.travel_permits import TravelPermit
from app.models.workflow import FINISHED, OPEN, REJECTED, ServiceInstance, StepRecord
from app.timeutil import WIB
from tests.conftest import indonesian
from tests.factories import client_with_period
from tests.steps import act
from tests.views.test_clients import PNG_1PX

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
CHILD = "BKA-950/2026"
PROPOSAL = {"reason": "Orang tua pindah kerja ke Semarang.", "new_address": "Jl. Pemuda No. 5, Semarang"}
REFUSAL = "Alamat baru di luar wilayah kerja kami; mohon periksa kembali."


def _ids(db_session) -> dict[str, int]:
    return {u.username: u.id for u in db_session.scalars(select(Staff))}


@pytest.fixture(scope="module")
def child(app):
    """pk1's child with a file: a guidance log, a case of its own, a case shared with another child,
    an open permit request and an accompaniment letter."""
    from app.extensions import db
    from app.workflow import correspondence, travel_permits

    client_id = client_with_period(
        app, CHILD, "pk1", date(2026, 6, 1), date(2027, 5, 31), born=date(2012, 2, 2)
    )
    other_id = client_with_period(app, "BKA-951/2026", "pk1", date(2026, 6, 1), date(2027, 5, 31),
                                  born=date(2012, 3, 3))  # fmt: skip
    with app.app_context():
        users = {u.username: u for u in db.session.scalars(select(Staff))}
        client, other = db.session.get(Client, client_id), db.session.get(Client, other_id)
        db.session.add_all([
            GuidanceLog(client=client, officer_id=users["pk1"].id, held_on=date(2026, 11, 2),
                        kind="kepribadian", place="kantor", notes="Catatan bimbingan yang pindah."),
            ProgressReport(client=client, month=date(2026, 10, 1), officer_id=users["pk1"].id,
                           progress="Laporan perkembangan yang pindah."),
            Case(number="LP/B/950/2026/Polres Magelang", offence="Pencurian", authority="POLRI",
                 section="BKA", legal_stage="PEMBIMBINGAN", clients=[client]),
            Case(number="LP/B/951/2026/Polres Magelang", offence="Pengeroyokan", authority="POLRI",
                 section="BKA", legal_stage="PEMBIMBINGAN", clients=[client, other]),
        ])  # fmt: skip
        trip = {f: "x" for f in travel_permits.FIELDS} | {
            "destination_city": "Yogyakarta", "depart_on": date(2026, 12, 20),
            "return_on": date(2026, 12, 22), "applicant_relation": "keluarga",
        }  # fmt: skip
        travel_permits.submit(client, trip, ("image/png", PNG_1PX, "ttd.png"))
        letter = correspondence.register_letter(
            users["tu"], service="ABH", sender="Polres Magelang", sender_kind="POLRI",
            letter_number="B/950/2026", letter_date=date(2026, 11, 2),
            subject="Permintaan pendampingan (uji pindah)",
            received_at=datetime(2026, 11, 2, 9, 0, tzinfo=WIB),
        )  # fmt: skip
        letter.instance.client_id = client.id
        db.session.commit()
    return client_id


def _transfer(db_session, client_id: int) -> ClientTransfer:
    db_session.rollback()
    return db_session.scalar(
        select(ClientTransfer).where(ClientTransfer.client_id == client_id).order_by(ClientTransfer.id.desc())
    )


def _waiting(db_session, transfer: ClientTransfer) -> StepRecord:
    db_session.rollback()
    return db_session.scalar(
        select(StepRecord).where(
            StepRecord.instance_id == transfer.instance_id, StepRecord.finished_at.is_(None)
        )
    )


def _page(session, url: str) -> str:
    return unescape(session.get(url).get_data(as_text=True))


def _file_urls(db_session, client_id: int) -> list[str]:
    log = db_session.scalar(select(GuidanceLog.id).where(GuidanceLog.client_id == client_id))
    report = db_session.scalar(select(ProgressReport.id).where(ProgressReport.client_id == client_id))
    permit = db_session.scalar(select(TravelPermit.id).where(TravelPermit.client_id == client_id))
    case = db_session.scalar(select(Case.id).where(Case.number == "LP/B/950/2026/Polres Magelang"))
    return [f"/clientview/show/{client_id}", f"/guidancelogview/show/{log}",
            f"/progressreportview/show/{report}", f"/travelpermitview/show/{permit}",
            f"/caseview/show/{case}"]  # fmt: skip


def _propose(login_as, client_id: int, who="pk1", **changes):
    """Propose a transfer to office 2 as `who` (a username or a signed-in session)."""
    data = {"destination_office_id": 2, **PROPOSAL, **changes}
    session = login_as(who) if isinstance(who, str) else who
    return session.post_form(f"/clienttransferview/propose/{client_id}", data)


def test_transfer_refused_then_accepted_moves_the_file(app, child, login_as, db_session, clock):
    clock(MONDAY)
    page = _page(login_as("pk1"), f"/clientview/show/{child}")
    assert indonesian("Transfer to another Bapas") in page
    # Bad input: nothing is proposed.
    response = _propose(login_as, child, destination_office_id=1)
    assert indonesian("Not a valid choice.") in unescape(response.get_data(as_text=True))
    response = _propose(login_as, child, reason="")
    assert indonesian("This field is required.") in unescape(response.get_data(as_text=True))
    assert _transfer(db_session, child) is None

    assert _propose(login_as, child).status_code == 302
    transfer = _transfer(db_session, child)
    assert transfer.status == "diusulkan" and transfer.origin_office_id == 1
    twice = _propose(login_as, child)
    assert indonesian("A transfer of this client is already under way.") in unescape(
        twice.get_data(as_text=True)
    )
    assert (
        db_session.scalar(select(func.count(ClientTransfer.id)).where(ClientTransfer.client_id == child)) == 1
    )

    # The origin's Kepala approves: the transfer letter is numbered in Magelang's series.
    approve = _waiting(db_session, transfer)
    assert approve.step == "approve"
    assert login_as("kepala.smg").get(f"/tasks/{approve.id}").status_code == 404
    assert act(login_as("kepala"), approve.id, {"outcome": "approve", "note": "Setuju."}).status_code == 302
    transfer = _transfer(db_session, child)
    # Numbered in Magelang's own series (which other tests may have used before this one).
    assert re.fullmatch(r"W13\.PAS\.PAS\.49-PK\.01\.06-\d{4}/2026", transfer.letter_number)
    letter = login_as("pk1").get(f"/clienttransferview/letter/{transfer.id}")
    assert letter.mimetype == "application/pdf"
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.data)).pages).split())
    assert transfer.letter_number in text and "SEMARANG" in text.upper() and PROPOSAL["reason"] in text

    # Before accepting, Semarang sees the matter at its Kepala's step and nothing of the file.
    accept = _waiting(db_session, transfer)
    assert accept.step == "accept"
    assert accept.section is None
    smg = login_as("kepala.smg")
    assert PROPOSAL["reason"] in _page(smg, f"/tasks/{accept.id}")
    assert f"/tasks/{accept.id}" in _page(smg, "/")
    assert smg.get(f"/clienttransferview/letter/{transfer.id}").status_code == 200
    for url in _file_urls(db_session, child):
        assert smg.get(url).status_code == 404, url
    for who in ("kasubsi.smg", "pk.smg"):
        assert login_as(who).get(f"/tasks/{accept.id}").status_code == 404
        assert login_as(who).get(f"/clienttransferview/show/{transfer.id}").status_code == 404
    assert login_as("pk1").get(f"/tasks/{accept.id}").status_code == 404
    assert indonesian("Waiting for the destination's decision") in _page(
        login_as("pk1"), f"/clienttransferview/show/{transfer.id}"
    )

    # Refused: the matter is back with pk1 with the reasons; the client stays in Magelang.
    assert act(smg, accept.id, {"outcome": "return", "note": ""}).status_code == 200  # reasons required
    assert act(smg, accept.id, {"outcome": "return", "note": REFUSAL}, open_first=False).status_code == 302
    renew = _waiting(db_session, transfer)
    assert renew.step == "propose" and renew.instance.office_id == 1 and renew.section == "BKA"
    assert REFUSAL in _page(login_as("pk1"), f"/tasks/{renew.id}")
    assert _transfer(db_session, child).status == "ditolak_tujuan"
    assert login_as("pk1").get(f"/clientview/show/{child}").status_code == 200
    assert smg.get(f"/clientview/show/{child}").status_code == 404
    assert smg.get(f"/clienttransferview/show/{transfer.id}").status_code == 404

    # Proposed again (a more precise address), approved, accepted with Semarang's register number.
    again = {"outcome": "done", "destination_office_id": 2, "reason": PROPOSAL["reason"],
             "new_address": "Jl. Pandanaran No. 7, Semarang Tengah", "note": ""}  # fmt: skip
    assert act(login_as("pk1"), renew.id, again).status_code == 302
    approve = _waiting(db_session, transfer)
    assert act(login_as("kepala"), approve.id, {"outcome": "approve", "note": "Setuju."}).status_code == 302
    accept = _waiting(db_session, transfer)
    act(smg, accept.id, {"outcome": "approve", "register_number": "SMG-BKA-001/2026", "note": ""})
    taken = _page(smg, f"/tasks/{accept.id}")
    assert indonesian("The destination already has a client with this register number.") in taken
    assert _waiting(db_session, transfer).step == "accept"
    decision = {"outcome": "approve", "register_number": "SMG-BKA-950/2026", "note": "Diterima."}
    assert act(smg, accept.id, decision, open_first=False).status_code == 302

    # From acceptance the client and its file are Semarang's; Magelang keeps the summary.
    db_session.rollback()
    client = db_session.get(Client, child)
    assert (client.office_id, client.register_number, client.officer_id) == (2, "SMG-BKA-950/2026", None)
    assert client.address == "Jl. Pandanaran No. 7, Semarang Tengah"
    for url in _file_urls(db_session, child):
        assert smg.get(url).status_code == 200, url
        for who in ("pk1", "kepala", "kasubsi.bka"):
            assert login_as(who).get(url).status_code == 404, (who, url)
    services = db_session.scalars(
        select(ServiceInstance).where(ServiceInstance.client_id == child, ServiceInstance.status == OPEN)
    ).all()
    assert {s.office_id for s in services} == {2} and len(services) == 3  # permit, ABH, the transfer
    cases = dict(
        db_session.execute(select(Case.number, Case.office_id).where(Case.number.like("LP/B/95%"))).all()
    )
    assert cases == {"LP/B/950/2026/Polres Magelang": 2, "LP/B/951/2026/Polres Magelang": 1}
    letter = db_session.scalar(select(IncomingLetter).where(IncomingLetter.letter_number == "B/950/2026"))
    assert letter.office_id == 2
    transfer = _transfer(db_session, child)
    assert transfer.moved["cases_kept"] == ["LP/B/951/2026/Polres Magelang"]
    assert transfer.moved["letters"][0][1] == letter.agenda_number
    for who in ("kepala", "pk1", "kasubsi.bka"):
        session = login_as(who)
        listing = _page(session, "/clienttransferview/list/")
        assert CHILD in listing and "Bapas Kelas I Semarang" in listing
        summary = _page(session, f"/clienttransferview/show/{transfer.id}")
        assert indonesian("Accepted; waiting for a PK") in summary and REFUSAL not in summary
    # The origin's audit trail keeps the move; Semarang's does not show Magelang's history.
    moved = db_session.scalar(
        select(func.count(AuditLog.id)).where(
            AuditLog.table_name == "client", AuditLog.record_id == str(child), AuditLog.office_id == 1
        )
    )
    assert moved >= 2

    # Semarang's Kasubsi BKA gives the client a PK; the open services follow the PK.
    assign = _waiting(db_session, transfer)
    assert assign.step == "assign" and assign.section == "BKA"
    assert f"/tasks/{assign.id}" in _page(login_as("kasubsi.smg"), "/")
    ids = _ids(db_session)
    assert act(login_as("kasubsi.smg"), assign.id, {"officer": ids["pk.smg"], "note": ""}).status_code == 302
    db_session.rollback()
    transfer = _transfer(db_session, child)
    assert transfer.status == "selesai" and transfer.pending_client_id is None
    assert db_session.get(ServiceInstance, transfer.instance_id).status == FINISHED
    assert db_session.get(Client, child).officer_id == ids["pk.smg"]
    pk = login_as("pk.smg")
    for url in _file_urls(db_session, child):
        assert pk.get(url).status_code == 200, url
    permit_check = db_session.scalar(
        select(StepRecord)
        .join(StepRecord.instance)
        .where(
            ServiceInstance.client_id == child,
            ServiceInstance.service == "IZIN",
            StepRecord.finished_at.is_(None),
        )
    )
    assert permit_check.assignee_id == ids["pk.smg"]
    assert f"/tasks/{permit_check.id}" in _page(pk, "/")
    assert indonesian("Transferred") in _page(login_as("pk1"), f"/clienttransferview/show/{transfer.id}")
    # The Kanwil of both offices reads the summary, the child masked (name, new address).
    kanwil = login_as("kanwil.jateng")
    summary = _page(kanwil, f"/clienttransferview/show/{transfer.id}")
    assert "K. B." in summary and "Klien BKA-950" not in summary and "Pandanaran" not in summary
    assert CHILD in _page(kanwil, "/clienttransferview/list/")
    # Semarang's figures count the moved services' earlier steps without naming Magelang's staff.
    figures = _page(login_as("kepala.smg"), "/performance/list/")
    assert indonesian("Staff of another office") in figures and "Syamsurijal" not in figures


def test_the_origin_kepala_rejects_and_the_pk_withdraws(app, login_as, db_session, clock):
    clock(MONDAY + timedelta(days=1))
    client_id = client_with_period(app, "BKD-952/2026", "pk2", date(2026, 6, 1), date(2027, 5, 31))
    session = login_as("pk2")
    assert _propose(login_as, client_id, session).status_code == 302
    transfer = _transfer(db_session, client_id)
    approve = _waiting(db_session, transfer)
    assert (
        act(login_as("kepala"), approve.id, {"outcome": "return", "note": "Lengkapi alasannya."}).status_code
        == 302
    )
    renew = _waiting(db_session, transfer)
    assert renew.step == "propose" and _transfer(db_session, client_id).status == "dikembalikan"
    assert act(session, renew.id, {"outcome": "reject", "note": ""}).status_code == 200  # why, required
    assert (
        act(
            session, renew.id, {"outcome": "reject", "note": "Klien batal pindah."}, open_first=False
        ).status_code
        == 302
    )
    transfer = _transfer(db_session, client_id)
    assert transfer.status == "dibatalkan" and transfer.pending_client_id is None
    assert db_session.get(ServiceInstance, transfer.instance_id).status == REJECTED
    # A new proposal is possible again, and the Kepala may refuse it outright.
    assert _propose(login_as, client_id, session).status_code == 302
    transfer = _transfer(db_session, client_id)
    approve = _waiting(db_session, transfer)
    assert (
        act(
            login_as("kepala"), approve.id, {"outcome": "reject", "note": "Masa bimbingan hampir habis."}
        ).status_code
        == 302
    )
    transfer = _transfer(db_session, client_id)
    assert transfer.status == "ditolak" and transfer.letter_number is None
    assert login_as("pk2").get(f"/clienttransferview/letter/{transfer.id}").status_code == 404
    assert db_session.get(Client, client_id).office_id == 1


def test_only_the_clients_pk_proposes(app, login_as, db_session):
    client_id = client_with_period(app, "BKD-953/2026", "pk2", date(2026, 6, 1), date(2027, 5, 31))
    data = {"destination_office_id": 2, **PROPOSAL}
    assert (
        login_as("pk4").post_form(f"/clienttransferview/propose/{client_id}", data, form_url="/").status_code
        == 404
    )
    for who in ("kepala", "kasubsi.bkd", "tu"):
        response = login_as(who).post_form(f"/clienttransferview/propose/{client_id}", data, form_url="/")
        assert response.status_code == 403, who
    assert _transfer(db_session, client_id) is None
