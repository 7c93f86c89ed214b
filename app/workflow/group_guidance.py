"""SOP 14 group guidance: PKs propose their clients, the section's Kasubsi (BKD in the seed) compiles
the list and invites, the PKs record attendance and guidance. Each PK's proposal is one instance of
the service, opened for every PK of the session's section when the session is announced (the task to
propose, due at the close of the proposals' last day), so the clock of every list (1 day from its
submission to the invitations) is kept by the engine."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from flask_appbuilder.security.sqla.models import Role
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.formatting import fmt_date
from app.models.clients import ACTIVE, Client
from app.models.group_guidance import INVITED, LISTED, PROPOSING, GroupMember, GroupSession
from app.models.guidance import GROUP
from app.models.letters import next_agenda_seq
from app.models.staff import SECTIONS, Staff
from app.models.workflow import ServiceInstance, StepRecord
from app.security import scope
from app.security.roles import PK
from app.security.scope import CATEGORY_OF_SECTION
from app.timeutil import WIB, today_wib, utcnow, wib_midnight
from app.workflow import engine, guidance
from app.workflow.definitions import GROUP_GUIDANCE, REJECT
from app.workflow.guidance import Refused

# The seed's organiser (Kasubsi BKD): the section of a session announced by someone without one.
SECTION = "BKD"


def plan_session(
    user: Staff,
    topic: str,
    held_on: date,
    place: str,
    starts_at: time = time(9),
    proposals_due: date | None = None,
) -> GroupSession:
    """The Kasubsi announces a session for its section's clients; each PK of the section gets the task
    to propose clients, due at the close of `proposals_due` (by default the day before the session)."""
    today = today_wib()
    if held_on < today:
        raise Refused("held_on", _l("The date has passed."))
    proposals_due = proposals_due or held_on - timedelta(days=1)
    if not today <= proposals_due < held_on:
        raise Refused(
            "proposals_due", _l("The last day for proposals is between today and the day before the session.")
        )
    section = user.section if user.section in SECTIONS else SECTION
    session = GroupSession(
        topic=topic,
        held_on=held_on,
        starts_at=starts_at,
        place=place,
        section=section,
        proposals_due=proposals_due,
        created_by_id=user.id,
    )
    db.session.add(session)
    db.session.flush()
    for officer in _section_pks(session):
        _open_proposal(session, officer)
    return session


def _section_pks(session: GroupSession) -> list[Staff]:
    """The active PKs of the session's office and section, by name."""
    stmt = (
        select(Staff)
        .join(Staff.roles)
        .where(
            Role.name == PK,
            Staff.active.is_(True),
            Staff.section == session.section,
            Staff.office_id == session.office_id,
        )
        .order_by(Staff.first_name, Staff.id)
    )
    return list(db.session.scalars(stmt).unique())


def _open_proposal(session: GroupSession, officer: Staff) -> ServiceInstance:
    """A PK's list for the session: an instance whose first step (propose) waits in the PK's inbox."""
    data = {
        "session": session.id,
        # The attendance and guidance notes are due by the end of the session's day.
        "session_ends": wib_midnight(session.held_on + timedelta(days=1)).isoformat(),
    }
    if session.proposals_due is not None:
        data["proposals_due"] = wib_midnight(session.proposals_due + timedelta(days=1)).isoformat()
    return engine.start(
        GROUP_GUIDANCE.code,
        f"{session.topic} ({fmt_date(session.held_on)}): {officer.full_name}"[:300],
        section=session.section,
        officer_id=officer.id,
        office_id=session.office_id,
        data=data,
    )


def _waiting_proposals(session: GroupSession, officer: Staff | None = None) -> list[StepRecord]:
    """The open "propose" steps of the session (of one PK, or of all)."""
    stmt = (
        select(StepRecord)
        .join(StepRecord.instance)
        .where(
            ServiceInstance.service == GROUP_GUIDANCE.code,
            ServiceInstance.office_id == session.office_id,
            ServiceInstance.data["session"].as_integer() == session.id,
            StepRecord.step == "propose",
            StepRecord.finished_at.is_(None),
        )
        .order_by(StepRecord.id)
    )
    if officer is not None:
        stmt = stmt.where(StepRecord.assignee_id == officer.id)
    return list(db.session.scalars(stmt))


def can_propose(session: GroupSession, user: Staff) -> bool:
    """Whether the user is a PK of the session's section while proposals are open."""
    return session.status == PROPOSING and PK in user.role_names and user.section == session.section


def proposable(session: GroupSession) -> list[Client]:
    """The user's clients under supervision that the session's section serves (the choices offered)."""
    category = CATEGORY_OF_SECTION.get(session.section, "")
    stmt = select(Client).where(Client.status == ACTIVE, Client.category == category).order_by(Client.name)
    return list(db.session.scalars(scope.restrict(stmt, Client)))


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
    """A PK submits its list of clients for the session (SOP 14 step 1): its own clients of the
    session's section only (a child never joins an adults' session, nor its name their list)."""
    if session.status != PROPOSING:
        raise Refused("clients", _l("The list of this session has already been compiled."))
    if user.section != session.section:
        raise Refused(
            "clients",
            _l("This session is for the clients of section %(section)s.", section=SECTIONS[session.section]),
        )
    if not client_ids:
        raise Refused("clients", _l("Choose at least one client."))
    stmt = scope.restrict(
        select(Client).where(Client.id.in_(client_ids), Client.status == ACTIVE), Client, user
    )
    clients = list(db.session.scalars(stmt))
    if len(clients) != len(set(client_ids)):
        raise Refused("clients", _l("Choose clients under your supervision."))
    if any(c.category != CATEGORY_OF_SECTION.get(session.section) for c in clients):
        raise Refused(
            "clients",
            _l("This session is for the clients of section %(section)s.", section=SECTIONS[session.section]),
        )
    listed = {m.client_id for m in members_of(session)}
    twice = [c.name for c in clients if c.id in listed]
    if twice:
        raise Refused(
            "clients", _l("Already on the list of this session: %(names)s.", names=", ".join(twice))
        )
    waiting = _waiting_proposals(session, user)
    # A PK who joined the section after the announcement, or proposes a second list, opens one now.
    record = waiting[0] if waiting else _open_proposal(session, user).steps[0]
    db.session.add_all(
        GroupMember(session=session, client=c, proposed_by_id=user.id, instance=record.instance)
        for c in clients
    )
    db.session.flush()
    engine.complete(record, user, note=", ".join(c.name for c in clients))


def propose_none(session: GroupSession, user: Staff) -> None:
    """A PK has no client to propose for the session: its task ends without a list."""
    if session.status != PROPOSING:
        raise Refused("clients", _l("The list of this session has already been compiled."))
    waiting = _waiting_proposals(session, user)
    if not waiting:
        raise Refused("clients", _l("You have no proposal waiting for this session."))
    engine.complete(waiting[0], user, outcome=REJECT, note=_l("No client to propose"))


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
    # The PKs who proposed nothing by now: their task ends with the list (nothing to propose).
    for record in _waiting_proposals(session):
        engine.lapse(record, _l("The list was compiled without a proposal"))
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
