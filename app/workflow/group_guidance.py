"""SOP 14 group guidance: PKs propose their clients, the Kasubsi BKD compiles the list and invites,
the PKs record attendance and guidance. Each PK's proposal is one instance of the service, so the
clock of every list (1 day from its submission to the invitations) is kept by the engine."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.formatting import fmt_date
from app.models.clients import ACTIVE, Client
from app.models.group_guidance import INVITED, LISTED, PROPOSING, GroupMember, GroupSession
from app.models.guidance import GROUP
from app.models.letters import next_agenda_seq
from app.models.staff import Staff
from app.models.workflow import StepRecord
from app.security import scope
from app.timeutil import WIB, today_wib, utcnow, wib_midnight
from app.workflow import engine, guidance
from app.workflow.definitions import GROUP_GUIDANCE
from app.workflow.guidance import Refused

SECTION = GROUP_GUIDANCE.step("compile").section


def plan_session(user: Staff, topic: str, held_on: date, place: str) -> GroupSession:
    """The Kasubsi announces a session; PKs may then propose clients."""
    if held_on < today_wib():
        raise Refused("held_on", _l("The date has passed."))
    session = GroupSession(topic=topic, held_on=held_on, place=place, created_by_id=user.id)
    db.session.add(session)
    return session


def members_of(session: GroupSession) -> list[GroupMember]:
    """The session's proposed clients with their client and PK."""
    stmt = (
        select(GroupMember)
        .options(joinedload(GroupMember.client), joinedload(GroupMember.proposed_by))
        .where(GroupMember.session_id == session.id)
        .order_by(GroupMember.id)
    )
    return list(db.session.scalars(stmt))


def propose(session: GroupSession, user: Staff, client_ids: list[int]) -> None:
    """A PK submits its list of clients for the session (SOP 14 step 1)."""
    if session.status != PROPOSING:
        raise Refused("clients", _l("The list of this session has already been compiled."))
    if not client_ids:
        raise Refused("clients", _l("Choose at least one client."))
    stmt = scope.restrict(
        select(Client).where(Client.id.in_(client_ids), Client.status == ACTIVE), Client, user
    )
    clients = list(db.session.scalars(stmt))
    if len(clients) != len(set(client_ids)):
        raise Refused("clients", _l("Choose clients under your supervision."))
    listed = {m.client_id for m in members_of(session)}
    twice = [c.name for c in clients if c.id in listed]
    if twice:
        raise Refused(
            "clients", _l("Already on the list of this session: %(names)s.", names=", ".join(twice))
        )
    instance = engine.start(
        GROUP_GUIDANCE.code,
        f"{session.topic} ({fmt_date(session.held_on)}): {user.full_name}"[:300],
        section=user.section,
        officer_id=user.id,
        # The attendance and guidance notes are due by the end of the session's day.
        data={
            "session": session.id,
            "session_ends": wib_midnight(session.held_on + timedelta(days=1)).isoformat(),
        },
    )
    db.session.add_all(
        GroupMember(session=session, client=c, proposed_by_id=user.id, instance=instance) for c in clients
    )
    db.session.flush()
    engine.complete(instance.steps[0], user, note=", ".join(c.name for c in clients))


def _open_steps(session: GroupSession, code: str, officer: Staff | None = None) -> list[StepRecord]:
    instances = {m.instance_id for m in session.members if officer is None or m.proposed_by_id == officer.id}
    stmt = select(StepRecord).where(
        StepRecord.instance_id.in_(instances), StepRecord.step == code, StepRecord.finished_at.is_(None)
    )
    return list(db.session.scalars(stmt.order_by(StepRecord.id)))


def compile_list(session: GroupSession, user: Staff, included: list[int]) -> None:
    """The Kasubsi BKD compiles the proposals into the session list (SOP 14 step 2)."""
    if session.status != PROPOSING:
        raise engine.MoveRefused(_l("The list of this session has already been compiled."))
    if not set(included) & {m.id for m in session.members}:
        raise engine.MoveRefused(_l("Put at least one proposed client on the list."))
    for member in session.members:
        member.included = member.id in included
    for record in _open_steps(session, "compile"):
        engine.complete(record, user)
    session.status = LISTED


def invite(session: GroupSession, user: Staff) -> None:
    """The listed clients are invited (SOP 14 step 3); the letters are printed from the session."""
    if session.status != LISTED:
        raise engine.MoveRefused(_l("Compile the list before inviting."))
    year = utcnow().astimezone(WIB).year
    office = session.office
    session.invitation_number = office.letter_number(
        "PK.01.04", next_agenda_seq(office.id, year, "undangan"), year
    )
    session.invited_at = utcnow()
    for record in _open_steps(session, "invite"):
        engine.complete(record, user, note=session.invitation_number)
    session.status = INVITED


def record_attendance(member: GroupMember, user: Staff, attended: bool, note: dict[str, Any] | None) -> None:
    """The PK records whether a listed client came and, if so, the guidance given (SOP 14 step 4)."""
    session = member.session
    if session.status != INVITED or not member.included:
        raise engine.MoveRefused(_l("Attendance is recorded for invited clients only."))
    if member.proposed_by_id != user.id:
        raise engine.MoveRefused(_l("This client is on another PK's list."))
    if member.attended is not None:
        raise engine.MoveRefused(_l("The attendance of this client has already been recorded."))
    if session.held_on > today_wib():
        raise engine.MoveRefused(_l("Attendance is recorded on or after the day of the session."))
    member.attended = attended
    if attended:
        guidance.record_log(user, member.client, {**note, "held_on": session.held_on, "place": GROUP},
                            group_member_id=member.id)  # fmt: skip
    same_list = [m for m in session.members if m.instance_id == member.instance_id and m.included]
    if all(m.attended is not None for m in same_list):
        for record in _open_steps(session, "attend", user):
            engine.complete(record, user)
