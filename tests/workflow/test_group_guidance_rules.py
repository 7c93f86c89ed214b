"""Issue 17 item 8: the task to propose clients waits in each PK's inbox with its deadline, a session
takes clients of its own section only, and the invitations carry the time and the letterhead."""

from __future__ import annotations

import io
from datetime import date, datetime
from html import unescape

from pypdf import PdfReader
from sqlalchemy import select

from app.models.group_guidance import GroupMember, GroupSession
from app.models.staff import Staff
from app.models.workflow import REJECTED, ServiceInstance, StepRecord
from app.timeutil import WIB
from tests.conftest import indonesian
from tests.factories import client_with_period
from tests.workflow.test_binding_deadlines import row_of, rows

PERIOD = (date(2026, 6, 1), date(2027, 5, 31))
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)


def _announce(login_as, db_session, clock, topic: str) -> tuple[GroupSession, str]:
    clock(MONDAY)
    form = {"topic": topic, "held_on": "2026-11-26", "starts_at": "13:30", "place": "Aula Bapas",
            "proposals_due": "2026-11-24"}  # fmt: skip
    assert login_as("kasubsi.bkd").post_form("/groupsessionview/add", form).status_code == 302
    db_session.rollback()
    session = db_session.scalar(select(GroupSession).where(GroupSession.topic == topic))
    return session, f"/groupsessionview/session/{session.id}"


def _steps(db_session, session: GroupSession, step: str) -> list[StepRecord]:
    db_session.rollback()
    stmt = (
        select(StepRecord)
        .join(StepRecord.instance)
        .where(ServiceInstance.service == "KELOMPOK", StepRecord.step == step)
        .where(ServiceInstance.data["session"].as_integer() == session.id)
    )
    return list(db_session.scalars(stmt))


def _staff(db_session) -> dict[int, Staff]:
    return {s.id: s for s in db_session.scalars(select(Staff))}


def test_each_pk_of_the_section_finds_the_task_to_propose_with_its_deadline(app, login_as, db_session, clock):
    adult = client_with_period(app, "BKD-820/2026", "pk2", *PERIOD)
    session, page = _announce(login_as, db_session, clock, "Persiapan kerja")
    assert (session.section, session.proposals_due) == ("BKD", date(2026, 11, 24))
    staff = _staff(db_session)
    proposals = [staff[r.assignee_id] for r in _steps(db_session, session, "propose")]
    assert {s.username for s in proposals} >= {"pk2", "pk4"}
    assert all(s.section == "BKD" for s in proposals)

    for who in ("pk2", "pk4"):
        row = row_of(login_as(who).get("/").get_data(as_text=True), "Persiapan kerja")
        assert "24 November 2026, akhir hari kerja" in row and "—" not in row
    assert not [
        body for _, body in rows(login_as("pk1").get("/").get_data(as_text=True)) if "Persiapan" in body
    ]

    # pk4 has nobody to propose and says so; pk2 proposes; pk2's list binds the Kasubsi (1 working day).
    pk4 = login_as("pk4")
    assert pk4.post_form(f"{page}/propose", {"none": "1"}, form_url=page).status_code == 302
    assert (
        login_as("pk2").post_form(f"{page}/propose", {"clients": [adult]}, form_url=page).status_code == 302
    )
    row = row_of(login_as("kasubsi.bkd").get("/").get_data(as_text=True), "Persiapan kerja")
    assert "24 November 2026, akhir hari kerja" in row
    assert not [body for _, body in rows(pk4.get("/").get_data(as_text=True)) if "Persiapan" in body]
    # Every step of the lists binds a deadline: the one Tugas Saya shows.
    for step in ("propose", "compile"):
        assert all(r.deadline_at is not None for r in _steps(db_session, session, step))


def test_unanswered_proposals_end_when_the_list_is_compiled(app, login_as, db_session, clock):
    adult = client_with_period(app, "BKD-821/2026", "pk2", *PERIOD)
    session, page = _announce(login_as, db_session, clock, "Pengelolaan keuangan")
    login_as("pk2").post_form(f"{page}/propose", {"clients": [adult]}, form_url=page)
    db_session.rollback()
    member = db_session.scalar(select(GroupMember).where(GroupMember.session_id == session.id))
    organiser = login_as("kasubsi.bkd")
    assert organiser.post_form(f"{page}/compile", {"members": [member.id]}, form_url=page).status_code == 302
    staff = _staff(db_session)
    waiting = [r for r in _steps(db_session, session, "propose") if staff[r.assignee_id].username == "pk4"]
    assert waiting and all(r.finished_at is not None and r.outcome == "reject" for r in waiting)
    assert all(r.instance.status == REJECTED for r in waiting)
    assert not [b for _, b in rows(login_as("pk4").get("/").get_data(as_text=True)) if "Pengelolaan" in b]


def test_a_child_is_neither_offered_nor_accepted_for_an_adult_session(app, login_as, db_session, clock):
    child = client_with_period(app, "BKA-822/2026", "pk1", *PERIOD, born=date(2011, 2, 2))
    # A child followed by a BKD PK (e.g. before a handover): still not for an adults' session.
    stray = client_with_period(app, "BKA-823/2026", "pk2", *PERIOD, born=date(2010, 3, 3))
    session, page = _announce(login_as, db_session, clock, "Disiplin diri")
    refusal = indonesian(
        "This session is for the clients of section %(section)s.", section="BKD (klien dewasa)"
    )

    pk1 = login_as("pk1")
    assert refusal in unescape(pk1.get(page).get_data(as_text=True))
    response = pk1.post_form(f"{page}/propose", {"clients": [child]}, form_url=page)
    assert refusal in unescape(response.get_data(as_text=True))

    pk2 = login_as("pk2")
    assert "BKA-823/2026" not in pk2.get(page).get_data(as_text=True)
    response = pk2.post_form(f"{page}/propose", {"clients": [stray]}, form_url=page)
    assert refusal in unescape(response.get_data(as_text=True))
    db_session.rollback()
    assert db_session.scalar(select(GroupMember).where(GroupMember.session_id == session.id)) is None
    assert "BKA-82" not in login_as("kasubsi.bkd").get(page).get_data(as_text=True)


def test_every_invitation_has_the_time_and_the_letterhead(app, login_as, db_session, clock):
    ids = [client_with_period(app, f"BKD-83{n}/2026", "pk2", *PERIOD) for n in range(3)]
    session, page = _announce(login_as, db_session, clock, "Hidup sehat")
    login_as("pk2").post_form(f"{page}/propose", {"clients": ids}, form_url=page)
    db_session.rollback()
    members = db_session.scalars(select(GroupMember.id).where(GroupMember.session_id == session.id)).all()
    organiser = login_as("kasubsi.bkd")
    organiser.post_form(f"{page}/compile", {"members": list(members)}, form_url=page)
    organiser.post_form(f"{page}/invite", {}, form_url=page)

    pdf = PdfReader(io.BytesIO(login_as("kepala").get(f"{page}/invitations").data))
    assert len(pdf.pages) == 3
    for page_ in pdf.pages:
        text = page_.extract_text()
        assert "DIREKTORAT JENDERAL PEMASYARAKATAN" in text and indonesian("INVITATION") in text
        assert "13.30 WIB" in text
    assert "13.30 WIB" in login_as("pk2").get(page).get_data(as_text=True)


def test_the_proposals_last_day_lies_between_today_and_the_session(login_as, db_session, clock):
    clock(MONDAY)
    form = {"topic": "Tanggal salah", "held_on": "2026-11-26", "starts_at": "13:30", "place": "Aula",
            "proposals_due": "2026-11-26"}  # fmt: skip
    response = login_as("kasubsi.bkd").post_form("/groupsessionview/add", form)
    message = indonesian("The last day for proposals is between today and the day before the session.")
    assert response.status_code == 200 and message in unescape(response.get_data(as_text=True))
    response = login_as("kasubsi.bkd").post_form("/groupsessionview/add", {**form, "starts_at": "25:00"})
    assert response.status_code == 200
    db_session.rollback()
    assert db_session.scalar(select(GroupSession).where(GroupSession.topic == "Tanggal salah")) is None
