"""Incoming letters through the engine: registration, disposition, assignment."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import offices
from app.extensions import db
from app.models.letters import INSTRUCTIONS, Disposition, IncomingLetter, next_agenda_seq
from app.models.staff import Staff
from app.models.workflow import StepRecord
from app.security.roles import KASUBSI, PK
from app.timeutil import WIB, as_utc, utcnow
from app.uploads import store
from app.workflow import engine
from app.workflow.definitions import CHILD_ACCOMPANIMENT, SERVICES


def register_letter(
    user: Staff,
    *,
    service: str,
    sender: str,
    sender_kind: str,
    letter_number: str,
    letter_date: date,
    subject: str,
    received_at: datetime,
    upload: tuple[str, bytes, str] | None = None,
    data: dict | None = None,
) -> IncomingLetter:
    """Give the letter the next agenda number, start its service and finish the registration step.

    `data` is what the letter fixes for its service (e.g. the date an outreach is asked for).
    """
    received = as_utc(received_at)
    year = utcnow().astimezone(WIB).year
    instance = engine.start(
        service,
        f"{sender}: {subject}"[:300],
        ready_at=received,
        data=data,
        section=CHILD_ACCOMPANIMENT.step("appoint").section if service == CHILD_ACCOMPANIMENT.code else None,
    )
    letter = IncomingLetter(
        agenda_year=year,
        agenda_seq=next_agenda_seq(offices.current_office_id(), year),
        sender=sender,
        sender_kind=sender_kind,
        letter_number=letter_number,
        letter_date=letter_date,
        subject=subject,
        received_at=received,
        registered_by_id=user.id,
        instance=instance,
    )
    if upload:
        mime, data, filename = upload
        letter.attachment = store(mime, data, filename, user.id)
    db.session.add(letter)
    db.session.flush()
    engine.complete(instance.steps[0], user, note=_l("Agenda number %(number)s", number=letter.agenda_number))
    return letter


def letter_of(record: StepRecord) -> IncomingLetter | None:
    """The letter that started a step's instance."""
    return db.session.scalar(select(IncomingLetter).where(IncomingLetter.instance_id == record.instance_id))


@dataclass(frozen=True)
class DispositionSummary:
    """What a disposition hands on, as the steps after it show it (the fields of a Disposition)."""

    to: Staff | None
    instructions: list[str]
    urgency: str | None
    deadline: datetime | None
    note: str | None
    assignees: list[Staff] = field(default_factory=list)
    assignment_note: str | None = None


def disposition_of(record: StepRecord) -> Disposition | DispositionSummary | None:
    """The latest disposition of a step's instance: the letter's, or for a request that came without
    a letter (e.g. from the portal) the one its disposition step recorded; None before it is made."""
    letter = letter_of(record)
    if letter is not None:
        return letter.dispositions[-1] if letter.dispositions else None
    instance = record.instance
    disposed = [
        r for r in instance.steps if r.finished_at is not None and engine.step_of(r).form == "dispose"
    ]
    if not disposed:
        return None
    data = disposed[-1].data or {}
    deadline = instance.data.get("deadline")
    return DispositionSummary(
        to=db.session.get(Staff, data["to"]) if isinstance(data.get("to"), int) else None,
        instructions=list(data.get("instructions") or []),
        urgency=data.get("urgency"),
        deadline=datetime.fromisoformat(deadline) if isinstance(deadline, str) else None,
        note=disposed[-1].note,
        assignees=list(instance.members) or ([instance.officer] if instance.officer else []),
    )


def disposition_targets(record: StepRecord) -> list[Staff]:
    """Kasubsi accounts a disposition may go to (only the fixed section's, where the SOP fixes it)."""
    from flask_appbuilder.security.sqla.models import Role

    following = engine.service_of(record.instance).after(record.step)
    stmt = (
        select(Staff)
        .join(Staff.roles)
        .where(Role.name == KASUBSI, Staff.active.is_(True), Staff.office_id == record.instance.office_id)
        .order_by(Staff.section, Staff.first_name)
    )
    if following is not None and following.section:
        stmt = stmt.where(Staff.section == following.section)
    return list(db.session.scalars(stmt).unique())


def dispose(
    record: StepRecord,
    user: Staff,
    *,
    to: Staff,
    instructions: list[str],
    note: str | None,
    urgency: str,
    deadline: datetime | None,
) -> Disposition | None:
    """Record the Kepala's disposition and hand the instance to the chosen Kasubsi's section.

    A request that came without a letter (e.g. from the portal) keeps the disposition on its step.
    """
    chosen = ", ".join(str(INSTRUCTIONS.get(code, code)) for code in instructions)
    step = engine.claim(
        record,
        user,
        note=note or chosen,
        data={"to": to.id, "instructions": instructions, "urgency": urgency},
    )
    letter = letter_of(record)
    disposition = None
    if letter is not None:
        disposition = Disposition(
            letter=letter,
            by_id=user.id,
            to_id=to.id,
            instructions=instructions,
            note=note,
            urgency=urgency,
            deadline=as_utc(deadline) if deadline else None,
        )
        db.session.add(disposition)
    instance = record.instance
    instance.section = to.section
    if deadline:
        instance.data = {**instance.data, "deadline": as_utc(deadline).isoformat()}
    engine.advance(record, step)
    return disposition


def assign(record: StepRecord, user: Staff, officers: list[Staff], note: str | None) -> None:
    """The Kasubsi's assignment: the first PK is responsible for the instance's PK steps."""
    if not officers or any(PK not in o.role_names or o.section != record.section for o in officers):
        raise engine.MoveRefused(_l("Choose PK of this section."))
    step = engine.claim(record, user, note=note or ", ".join(o.full_name for o in officers))
    instance = record.instance
    instance.officer_id = officers[0].id
    letter = letter_of(record)
    if letter is not None and letter.dispositions:
        letter.dispositions[-1].assignees = officers
        letter.dispositions[-1].assignment_note = note or None
    engine.advance(record, step)


def service_title(code: str) -> str:
    """Title of a declared service."""
    return str(SERVICES[code].title)
