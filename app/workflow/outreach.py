"""SOP 14 "Bambang Solah": a village's or school's request, the team, the activity report."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_appbuilder.security.sqla.models import Role
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import receipts
from app.extensions import db
from app.models.letters import IncomingLetter, next_agenda_seq
from app.models.outreach import MIN_TEAM, Outreach
from app.models.staff import Staff
from app.models.tpp import TppSession, tpp_member
from app.models.workflow import StepRecord, instance_member
from app.security import scope
from app.security.roles import KEPALA, PK
from app.timeutil import WIB, utcnow, wib_midnight
from app.uploads import store
from app.workflow import correspondence, deadlines, engine, signing
from app.workflow.definitions import OUTREACH

ASSIGNMENT_SERIES = "PK.01.07"  # surat tugas of a Bambang Solah team
FIELDS = (
    "institution", "institution_kind", "contact_name", "contact_phone", "requested_on", "place",
    "audience", "topic",
)  # fmt: skip


def schedule(requested_on: date) -> dict[str, str]:
    """The moments an outreach request fixes: the activity's day, and the report a working day later."""
    report_day = deadlines.calendar().nth_working_day(requested_on + timedelta(days=1), 1)
    return {
        "requested_on": requested_on.isoformat(),
        "activity_start": wib_midnight(requested_on).isoformat(),
        "activity_end": wib_midnight(requested_on + timedelta(days=1)).isoformat(),
        "report_due": wib_midnight(report_day + timedelta(days=1)).isoformat(),
    }


def _subject(fields: dict[str, Any]) -> str:
    return f"{fields['institution']}: {fields['topic']}"[:300]


def submit(fields: dict[str, Any], request_letter: tuple[str, bytes, str]) -> Outreach:
    """A request from the portal: stored with its letter, SOP 14 started, the public step done."""
    mime, content, filename = request_letter
    outreach = Outreach(receipt_code=receipts.new_code(), **{f: fields[f] for f in FIELDS})
    outreach.request_file = store(mime, content, filename, None)
    outreach.instance = engine.start(OUTREACH.code, _subject(fields), data=schedule(fields["requested_on"]))
    db.session.add(outreach)
    db.session.flush()
    engine.complete(outreach.instance.steps[0], None)
    return outreach


def from_letter(user: Staff, letter: dict[str, Any], fields: dict[str, Any]) -> Outreach:
    """A request letter TU registers: agenda number, SOP 14 started, the public step done by TU."""
    registered: IncomingLetter = correspondence.register_letter(
        user, service=OUTREACH.code, data=schedule(fields["requested_on"]), **letter
    )
    outreach = Outreach(
        receipt_code=receipts.new_code(),
        letter=registered,
        instance=registered.instance,
        institution=registered.sender,
        institution_kind=registered.sender_kind,
        topic=registered.subject,
        submitted_at=registered.received_at,
        **{f: fields[f] for f in FIELDS if f not in ("institution", "institution_kind", "topic")},
    )
    db.session.add(outreach)
    db.session.flush()
    return outreach


def outreach_of(record: StepRecord) -> Outreach | None:
    """The outreach request behind a step of SOP 14."""
    return db.session.scalar(select(Outreach).where(Outreach.instance_id == record.instance_id))


def appoint(
    record: StepRecord, user: Staff, officers: list[Staff], note: str | None, *, leader: Staff | None
) -> None:
    """The Kasubsi's team: PK of the section, at least two, led by the one the Kasubsi chose."""
    if len(officers) < MIN_TEAM:
        raise engine.MoveRefused(_l("A Bambang Solah team has at least two PK."))
    if any(PK not in o.role_names or o.section != record.section or not o.active for o in officers):
        raise engine.MoveRefused(_l("Choose PK of this section."))
    if leader is None or leader.id not in {o.id for o in officers}:
        raise engine.MoveRefused(_l("Choose the team leader among the PK of the team."))
    step = engine.claim(record, user, note=note or ", ".join(o.full_name for o in officers))
    engine.assign_team(record.instance, officers, leader)
    outreach = outreach_of(record)
    if outreach is not None and outreach.letter is not None and outreach.letter.dispositions:
        outreach.letter.dispositions[-1].assignees = list(officers)
        outreach.letter.dispositions[-1].assignment_note = note or None
    engine.advance(record, step)


def sign_assignment(outreach: Outreach, user: Staff) -> None:
    """The Kepala signs the team's assignment letter: it takes the next number of the office's
    series and prints the signer's name and NIP."""
    if KEPALA not in user.role_names:
        raise engine.MoveRefused(_l("Only the Kepala signs the assignment letter."))
    team = outreach.team
    if not team:
        raise engine.MoveRefused(_l("The team has not been appointed yet."))
    if outreach.assignment_number:
        raise engine.MoveRefused(
            _l(
                "The assignment letter is already signed (number %(number)s).",
                number=outreach.assignment_number,
            )
        )
    signing.require_nip(user, team)
    year = utcnow().astimezone(WIB).year
    office = outreach.office
    outreach.assignment_number = office.letter_number(
        ASSIGNMENT_SERIES, next_agenda_seq(office.id, year, "tugas"), year
    )
    outreach.assignment_signed_at = utcnow()
    outreach.assignment_signed_by_id = user.id


def report(
    record: StepRecord,
    user: Staff,
    *,
    held_on: date,
    participants_count: int,
    participants: str,
    summary: str,
    photos: list[tuple[str, bytes, str]],
) -> None:
    """The team's activity report: who took part, what was done, the photos."""
    step = engine.claim(record, user, note=summary)
    outreach = outreach_of(record)
    outreach.held_on = held_on
    outreach.participants_count = participants_count
    outreach.participants = participants
    outreach.summary = summary
    outreach.reported_at = utcnow()
    outreach.photos = [store(mime, content, name, user.id) for mime, content, name in photos]
    engine.advance(record, step)


def commitments(section: str | None, day: date, outreach_id: int) -> list[tuple[Staff, int, int, int]]:
    """Each active PK of a section with, on `day`: other outreach, open tasks due, TPP sessions."""
    start = wib_midnight(day)  # SQLite compares the stored UTC text
    outreach = (
        select(instance_member.c.staff_id, func.count().label("n"))
        .join(Outreach, Outreach.instance_id == instance_member.c.instance_id)
        .where(Outreach.requested_on == day, Outreach.id != outreach_id)
        .group_by(instance_member.c.staff_id)
        .subquery()
    )
    tasks = (
        select(StepRecord.assignee_id.label("staff_id"), func.count().label("n"))
        .where(
            StepRecord.finished_at.is_(None),
            StepRecord.due_at >= start,
            StepRecord.due_at < start + timedelta(days=1),
        )
        .group_by(StepRecord.assignee_id)
        .subquery()
    )
    sessions = (
        select(tpp_member.c.staff_id, func.count().label("n"))
        .join(TppSession, TppSession.id == tpp_member.c.session_id)
        .where(TppSession.held_on == day)
        .group_by(tpp_member.c.staff_id)
        .subquery()
    )
    counts = [func.coalesce(q.c.n, 0) for q in (outreach, tasks, sessions)]
    stmt = (
        select(Staff, *counts)
        .join(Staff.roles)
        .outerjoin(outreach, outreach.c.staff_id == Staff.id)
        .outerjoin(tasks, tasks.c.staff_id == Staff.id)
        .outerjoin(sessions, sessions.c.staff_id == Staff.id)
        .where(
            Role.name == PK,
            Staff.active.is_(True),
            Staff.section == section,
            scope.staff_clause(scope.current_staff()),
        )
        .order_by(counts[0] + counts[1] + counts[2], Staff.first_name)
    )
    return [tuple(row) for row in db.session.execute(stmt).unique()]


def other_outreach(day: date, outreach_id: int, staff_ids: list[int]) -> dict[int, list[str]]:
    """The institutions each of these PKs is already going to on `day`."""
    rows = db.session.execute(
        select(instance_member.c.staff_id, Outreach.institution)
        .join(Outreach, Outreach.instance_id == instance_member.c.instance_id)
        .where(
            Outreach.requested_on == day,
            Outreach.id != outreach_id,
            instance_member.c.staff_id.in_(staff_ids),
        )
        .order_by(Outreach.institution)
    )
    found: dict[int, list[str]] = {}
    for staff_id, institution in rows:
        found.setdefault(staff_id, []).append(institution)
    return found
