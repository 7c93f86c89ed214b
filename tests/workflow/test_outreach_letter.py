"""Bambang Solah's team leader and assignment letter (issue #17, item 11): the leader is the one the
Kasubsi chose, and the surat tugas the Kepala signs has a number and the signer's name and NIP."""

from __future__ import annotations

import io
import re
from datetime import datetime
from html import unescape

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.models.outreach import Outreach
from app.models.staff import Staff
from app.timeutil import WIB
from app.workflow import correspondence, engine, outreach
from tests.conftest import indonesian
from tests.steps import act
from tests.workflow.test_outreach import code_of, ids, submit, waiting

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
KEPALA_NIP = "197203151995031002"


def _pdf_text(response) -> str:
    """The letter's text with all whitespace removed (pypdf spaces words unevenly)."""
    assert response.mimetype == "application/pdf"
    return "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages).split())


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _appoint_step(login_as, db_session, client, institution: str, day: str):
    item = db_session.scalar(
        select(Outreach).where(
            Outreach.receipt_code == code_of(submit(client, institution=institution, requested_on=day))
        )
    )
    dispose = waiting(db_session, item)
    data = {"to": ids(db_session, "kasubsi.bka")[0], "instructions": ["tindak_lanjuti"], "urgency": "biasa"}
    assert act(login_as("kepala"), dispose.id, data).status_code == 302
    return item, waiting(db_session, item)


def _reload(db_session, item: Outreach) -> Outreach:
    db_session.rollback()
    return db_session.get(Outreach, item.id)


def test_the_leader_is_the_one_the_kasubsi_chose(login_as, client, db_session, clock):
    clock(MONDAY)
    item, appoint = _appoint_step(login_as, db_session, client, "SD Negeri Bondowoso", "2026-12-07")
    pk1, pk3, pk2 = ids(db_session, "pk1", "pk3", "pk2")
    kasubsi = login_as("kasubsi.bka")
    kasubsi.client.post(f"/tasks/{appoint.id}/open", data={"csrf_token": kasubsi.token()})
    screen = unescape(kasubsi.get(f"/tasks/{appoint.id}").get_data(as_text=True))
    assert indonesian("Team leader (one of the PK of the team)") in screen
    for bad in (
        {"officers": [pk3, pk1]},
        {"officers": [pk3, pk1], "leader": 0},
        {"officers": [pk3, pk1], "leader": pk2},
    ):
        refused = act(kasubsi, appoint.id, bad, open_first=False)
        page = unescape(refused.get_data(as_text=True))
        assert refused.status_code == 200, bad
        assert (
            indonesian("Choose the team leader among the PK of the team.") in page
            or indonesian("This field is required.") in page
        ), bad
        assert waiting(db_session, item).step == "appoint"
    # Dewi Anggraini (pk3) comes first by name; the Kasubsi chose Siti Rahmawati (pk1).
    assert (
        act(kasubsi, appoint.id, {"officers": [pk3, pk1], "leader": pk1}, open_first=False).status_code == 302
    )
    item = _reload(db_session, item)
    carry_out = waiting(db_session, item)
    assert item.instance.officer_id == pk1 and carry_out.assignee_id == pk1
    assert item.leader.username == "pk1" and [m.username for m in item.team] == ["pk1", "pk3"]
    task = unescape(login_as("pk3").get(f"/tasks/{carry_out.id}").get_data(as_text=True))
    assert f"Siti Rahmawati ({indonesian('leader')})" in task
    assert f"Dewi Anggraini ({indonesian('leader')})" not in task
    letter = _pdf_text(login_as("pk3").get(f"/outreachview/assignment/{item.id}"))
    assert _squeezed(f"{indonesian('Team leader')}: Siti Rahmawati") in letter
    assert _squeezed(f"Siti Rahmawati ({indonesian('leader')})") in letter
    assert _squeezed(f"Dewi Anggraini ({indonesian('leader')})") not in letter


def test_the_workflow_refuses_a_leader_outside_the_team(db_session, clock):
    clock(MONDAY)
    users = {u.username: u for u in db_session.scalars(select(Staff))}
    request = {"institution": "Desa Uji Ketua", "institution_kind": "DESA", "contact_name": "x",
               "contact_phone": "0293", "requested_on": datetime(2026, 12, 8).date(), "place": "x",
               "audience": "x", "topic": "x"}  # fmt: skip
    sambang = outreach.submit(request, ("image/png", b"\x89PNG", "surat.png"))
    db_session.flush()
    correspondence.dispose(sambang.instance.steps[-1], users["kepala"], to=users["kasubsi.bka"],
                           instructions=[], note="ok", urgency="biasa", deadline=None)  # fmt: skip
    db_session.flush()
    team = [users["pk1"], users["pk3"]]
    for leader in (None, users["pk2"]):
        with pytest.raises(engine.MoveRefused):
            outreach.appoint(sambang.instance.steps[-1], users["kasubsi.bka"], team, None, leader=leader)
    db_session.rollback()


def test_the_kepala_signs_the_assignment_letter_with_a_number_and_nip(login_as, client, db_session, clock):
    clock(MONDAY)
    item, appoint = _appoint_step(login_as, db_session, client, "SMA Negeri 1 Muntilan", "2026-12-09")
    pk1, pk3 = ids(db_session, "pk1", "pk3")
    assert (
        act(login_as("kasubsi.bka"), appoint.id, {"officers": [pk1, pk3], "leader": pk3}).status_code == 302
    )

    draft = _pdf_text(login_as("pk1").get(f"/outreachview/assignment/{item.id}"))
    assert (
        _squeezed(indonesian("DRAFT — not signed by the Kepala, not valid as an assignment letter.")) in draft
    )
    assert "Syamsurijal" not in draft

    # Neither a PK nor the Kasubsi signs it; a GET changes nothing.
    for who in ("pk1", "kasubsi.bka"):
        session = login_as(who)
        assert (
            session.client.post(
                f"/outreachview/sign/{item.id}", data={"csrf_token": session.token()}
            ).status_code
            == 403
        )
    kepala = login_as("kepala")
    assert kepala.client.post(f"/outreachview/sign/{item.id}").status_code == 400  # no CSRF token
    assert _reload(db_session, item).assignment_number is None

    task = unescape(kepala.get(f"/outreachview/show/{item.id}", follow_redirects=True).get_data(as_text=True))
    assert indonesian("Sign the assignment letter") in task
    signed = kepala.client.post(
        f"/outreachview/sign/{item.id}", data={"csrf_token": kepala.token()}, follow_redirects=True
    )
    item = _reload(db_session, item)
    number = item.assignment_number
    assert re.fullmatch(r"W13\.PAS\.PAS\.49-PK\.01\.07-\d{4}/2026", number), number
    assert indonesian("The assignment letter is signed: number %(number)s.", number=number) in unescape(
        signed.get_data(as_text=True)
    )
    assert item.assignment_signed_by.username == "kepala" and item.assignment_signed_at is not None

    letter = _pdf_text(login_as("pk3").get(f"/outreachview/assignment/{item.id}"))
    assert _squeezed(f"{indonesian('Number')}: {number}") in letter
    assert "Syamsurijal" in letter and f"NIP.{KEPALA_NIP}" in letter and "NIP.-" not in letter
    assert (
        _squeezed(indonesian("DRAFT — not signed by the Kepala, not valid as an assignment letter."))
        not in letter
    )

    again = kepala.client.post(
        f"/outreachview/sign/{item.id}", data={"csrf_token": kepala.token()}, follow_redirects=True
    )
    assert indonesian(
        "The assignment letter is already signed (number %(number)s).", number=number
    ) in unescape(again.get_data(as_text=True))
    assert _reload(db_session, item).assignment_number == number

    # The next letter takes the next number of the office's series.
    other, appoint = _appoint_step(login_as, db_session, client, "SMP Negeri 2 Salam", "2026-12-10")
    act(login_as("kasubsi.bka"), appoint.id, {"officers": [pk1, pk3], "leader": pk1})
    kepala.client.post(f"/outreachview/sign/{other.id}", data={"csrf_token": kepala.token()})
    following = _reload(db_session, other).assignment_number
    assert int(following.split("-")[-1].split("/")[0]) == int(number.split("-")[-1].split("/")[0]) + 1


def test_no_letter_is_signed_while_a_nip_is_missing(login_as, client, db_session, clock):
    clock(MONDAY)
    item, appoint = _appoint_step(login_as, db_session, client, "Desa Tamanagung", "2026-12-11")
    pk1, pk3 = ids(db_session, "pk1", "pk3")
    assert (
        act(login_as("kasubsi.bka"), appoint.id, {"officers": [pk1, pk3], "leader": pk1}).status_code == 302
    )
    kepala = login_as("kepala")

    def sign() -> str:
        response = kepala.client.post(
            f"/outreachview/sign/{item.id}", data={"csrf_token": kepala.token()}, follow_redirects=True
        )
        return unescape(response.get_data(as_text=True))

    def set_nip(username: str, nip: str | None) -> None:
        db_session.rollback()
        db_session.scalar(select(Staff).where(Staff.username == username)).nip = nip
        db_session.commit()

    set_nip("kepala", None)
    try:
        assert (
            indonesian("Your NIP is not recorded in your account; ask the Admin to add it before signing.")
            in sign()
        )
    finally:
        set_nip("kepala", KEPALA_NIP)
    assert _reload(db_session, item).assignment_number is None

    nip = db_session.scalar(select(Staff.nip).where(Staff.username == "pk3"))
    set_nip("pk3", None)
    try:
        assert (
            indonesian(
                "The NIP of %(names)s is not recorded; ask the Admin to add it before the letter is signed.",
                names="Dewi Anggraini",
            )
            in sign()
        )
    finally:
        set_nip("pk3", nip)
    assert _reload(db_session, item).assignment_number is None
    assert "Syamsurijal" not in _pdf_text(login_as("pk1").get(f"/outreachview/assignment/{item.id}"))
