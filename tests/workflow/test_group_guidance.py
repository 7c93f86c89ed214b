"""SOP 14 group guidance walked through HTTP: PKs propose, the Kasubsi BKD compiles and invites
within the day, PKs record attendance and guidance."""

from __future__ import annotations

import io
from datetime import date, datetime
from html import unescape

from pypdf import PdfReader
from sqlalchemy import select

from app.models.group_guidance import GroupMember, GroupSession
from app.models.guidance import GuidanceLog
from app.models.workflow import FINISHED, ServiceInstance
from app.timeutil import WIB
from tests.conftest import indonesian
from tests.factories import client_with_period

PERIOD = (date(2026, 6, 1), date(2027, 5, 31))


def _session(db_session, topic: str) -> GroupSession:
    db_session.rollback()
    return db_session.scalar(select(GroupSession).where(GroupSession.topic == topic))


def _member(db_session, session_id: int, client_id: int) -> GroupMember:
    db_session.rollback()
    stmt = select(GroupMember).where(GroupMember.session_id == session_id, GroupMember.client_id == client_id)
    return db_session.scalar(stmt)


def test_group_guidance_from_the_proposals_to_attendance(app, login_as, db_session, clock):
    adult = client_with_period(app, "BKD-800/2026", "pk2", *PERIOD)
    other = client_with_period(app, "BKD-801/2026", "pk2", *PERIOD)
    child = client_with_period(app, "BKA-800/2026", "pk1", *PERIOD, born=date(2011, 2, 2))
    clock(datetime(2026, 11, 23, 9, 0, tzinfo=WIB))
    organiser = login_as("kasubsi.bkd")
    form = {"topic": "Bahaya narkoba", "held_on": "2026-11-26", "starts_at": "09:30", "place": "Aula Bapas",
            "proposals_due": "2026-11-24"}  # fmt: skip
    assert organiser.post_form("/groupsessionview/add", form).status_code == 302
    session = _session(db_session, "Bahaya narkoba")
    page = f"/groupsessionview/session/{session.id}"

    pk2, pk1 = login_as("pk2"), login_as("pk1")
    assert pk2.post_form(f"{page}/propose", {"clients": [adult, other]}, form_url=page).status_code == 302
    for clients, message in (
        ([adult], "Already on the list of this session: %(names)s."),
        ([child], "Choose clients under your supervision."),
        ([], "Choose at least one client."),
    ):
        response = pk2.post_form(f"{page}/propose", {"clients": clients}, form_url=page)
        params = {"names": "Klien BKD-800/2026"} if "%(names)s" in message else {}
        assert indonesian(message, **params) in unescape(response.get_data(as_text=True))
    # A child never joins an adults' session (docs/decisions.md): pk1 (BKA) is refused.
    pk1.post_form(f"{page}/propose", {"clients": [child]}, form_url=page)
    assert _member(db_session, session.id, child) is None
    assert "BKD-800/2026" not in pk1.get(page).get_data(as_text=True)
    members = {c: _member(db_session, session.id, c) for c in (adult, other)}
    assert members[adult].instance_id == members[other].instance_id

    # Only the Kasubsi BKD compiles: the Kasubsi BKA is refused by the engine.
    chosen = {"members": [members[adult].id]}
    login_as("kasubsi.bka").post_form(f"{page}/compile", chosen, form_url=page)
    assert _session(db_session, "Bahaya narkoba").status == "usulan"
    clock(datetime(2026, 11, 23, 14, 0, tzinfo=WIB))
    assert organiser.post_form(f"{page}/compile", chosen, form_url=page).status_code == 302
    clock(datetime(2026, 11, 23, 14, 5, tzinfo=WIB))
    assert organiser.post_form(f"{page}/invite", {}, form_url=page).status_code == 302
    session = _session(db_session, "Bahaya narkoba")
    assert session.status == "undangan" and session.invitation_number
    instances = {m.instance_id for m in session.members}
    assert all(db_session.get(ServiceInstance, i).limit_met is True for i in instances)

    # The Kepala prints every listed client's letter; a PK only those of the clients in its scope.
    pdf = login_as("kepala").get(f"{page}/invitations")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Klien BKD-800/2026" in text and "Klien BKD-801/2026" not in text
    assert "09.30 WIB" in text
    assert (
        session.invitation_number in "".join(text.split()) and len(PdfReader(io.BytesIO(pdf.data)).pages) == 1
    )
    pdf = pk1.get(f"{page}/invitations")
    assert "BKD-800" not in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)

    note = {
        "kind": "kepribadian",
        "notes": "Aktif bertanya.",
        "confidential_notes": "",
        "next_appointment": "",
    }
    adult_form = {"attended": "1", **{f"m{members[adult].id}-{k}": v for k, v in note.items()}}
    early = pk2.post_form(f"/groupsessionview/member/{members[adult].id}/attend", adult_form, form_url=page)
    assert early.status_code == 302 and _member(db_session, session.id, adult).attended is None
    clock(datetime(2026, 11, 26, 11, 0, tzinfo=WIB))
    assert (
        pk2.post_form(
            f"/groupsessionview/member/{members[adult].id}/attend", adult_form, form_url=page
        ).status_code
        == 302
    )
    db_session.rollback()
    log = db_session.scalar(select(GuidanceLog).where(GuidanceLog.client_id == adult))
    assert (log.place, log.held_on, log.group_member_id) == (
        "kelompok",
        date(2026, 11, 26),
        members[adult].id,
    )
    assert db_session.scalar(select(GuidanceLog).where(GuidanceLog.client_id == child)) is None
    assert all(db_session.get(ServiceInstance, i).status == FINISHED for i in instances)
