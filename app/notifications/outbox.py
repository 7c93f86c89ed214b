"""The outbox: each notice is a row written in the transaction of the move that causes it.

A step that became someone's is noted by the engine (`app.notifications.step_ready`) and its actors
are resolved just before the transaction commits; a rollback forgets the note, so a move that did
not happen tells no one. Each staff recipient gets the bell and the channels of their profile.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, selectinload

from app.extensions import db
from app.models.notifications import APP, EMAIL, HANDOVER, PENDING, READY, SENT, WHATSAPP, Notification
from app.models.notifications import NotificationPreference as Preference
from app.models.staff import Staff
from app.models.workflow import StepRecord
from app.notifications import READY_KEY, messages, schedule
from app.security import scope
from app.security.roles import KASUBSI, PK, PUBLIC
from app.timeutil import as_utc, utcnow
from app.workflow.definitions import CHILD_ACCOMPANIMENT
from app.workflow.inbox import SUPERVISES

WRITTEN_KEY = "bapas_notices_written"  # a commit that wrote notices to deliver wakes the worker


def install() -> None:
    """Resolve the steps that became someone's before each commit, ahead of the audit seal."""
    if not event.contains(Session, "before_commit", _resolve):
        event.listen(Session, "before_commit", _resolve, insert=True)
    if not event.contains(Session, "after_transaction_end", _forget):
        event.listen(Session, "after_transaction_end", _forget)


def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(READY_KEY, None)
        session.info.pop(WRITTEN_KEY, None)


def _resolve(session: Session) -> None:
    records = session.info.pop(READY_KEY, None)
    if not records:
        return
    session.flush()  # ids for the links
    for record in records:
        if record.finished_at is None:
            tell_ready(record)


def urgent(record: StepRecord) -> bool:
    """ABH (SOP 12) runs around the clock: its notices go at once, quiet hours or not."""
    return record.instance.service == CHILD_ACCOMPANIMENT.code


def _short(record: StepRecord) -> bool:
    from app.workflow.engine import step_of

    standard = step_of(record).standard
    if standard is not None and standard.wall is not None and standard.wall < timedelta(days=1):
        return True
    due = record.due_at
    return due is not None and as_utc(due) - as_utc(record.ready_at) < timedelta(days=1)


def tell_ready(record: StepRecord) -> None:
    """Tell the actors of a step that it is theirs: at once for ABH and standards under a day, else
    in the morning's digest (the bell shows it at once either way)."""
    soon = urgent(record) or _short(record)
    subject, body = messages.staff_text(READY, record, record.due_at)
    for staff in actors_of(record):
        write_staff(staff, READY, record, subject, body, digest=not soon)


def _office_staff(office_id: int | None) -> list[Staff]:
    stmt = (
        select(Staff)
        .where(Staff.office_id == office_id, Staff.active.is_(True))
        .options(selectinload(Staff.roles), selectinload(Staff.groups))
    )
    return list(db.session.scalars(stmt))


def _reaches(staff: Staff, record: StepRecord) -> bool:
    """Not a step hidden from this person (a complaint about them): scope.EXCLUDED decides."""
    stmt = select(StepRecord.id).where(StepRecord.id == record.id, scope.not_excluded(StepRecord, staff))
    return db.session.scalar(stmt) is not None


def actors_of(record: StepRecord) -> list[Staff]:
    """The staff members who may act on a step: its PK and team, its named official, or the
    holders of its role (and section) in the instance's office."""
    from app.workflow.engine import can_act

    if record.actor_role == PUBLIC:
        return []
    if record.assignee_id is not None:
        ids = {record.assignee_id}
        if record.actor_role == PK:
            ids |= {member.id for member in record.instance.members}
        candidates = list(db.session.scalars(select(Staff).where(Staff.id.in_(ids), Staff.active.is_(True))))
    else:
        candidates = [
            s for s in _office_staff(record.instance.office_id) if record.actor_role in s.role_names
        ]
    return [s for s in candidates if can_act(s, record) and _reaches(s, record)]


def supervisors_of(record: StepRecord, actors: list[Staff]) -> list[Staff]:
    """Whom an overdue step escalates to, as Tugas Saya does (inbox.SUPERVISES): the Kasubsi of the
    section for a PK, the Kepala for a Kasubsi, TU or the complaint unit, …"""
    bosses = {boss for boss, subordinates in SUPERVISES.items() if record.actor_role in subordinates}
    section = record.section or record.instance.section
    skip = {staff.id for staff in actors}
    found = []
    for staff in _office_staff(record.instance.office_id):
        roles = staff.role_names & bosses
        if staff.id in skip or not roles:
            continue
        if roles == {KASUBSI} and staff.section != section:
            continue
        if _reaches(staff, record):
            found.append(staff)
    return found


def _channels(staff: Staff) -> list[tuple[str, str]]:
    """The delivery channels a staff member chose (e-mail unless they turned it off)."""
    chosen = db.session.get(Preference, staff.id)
    found = []
    if (chosen is None or chosen.email) and staff.email:
        found.append((EMAIL, staff.email))
    if chosen is not None and chosen.whatsapp and chosen.whatsapp_number:
        found.append((WHATSAPP, chosen.whatsapp_number))
    return found


def write_staff(
    staff: Staff,
    kind: str,
    record: StepRecord,
    subject: str,
    body: str,
    *,
    digest: bool = False,
    now: datetime | None = None,
) -> None:
    """The bell and the chosen channels of one staff member, in the current transaction."""
    now = now or utcnow()
    common = {
        "staff_id": staff.id,
        "kind": kind,
        "subject": subject,
        "body": body,
        "link": f"/tasks/{record.id}",
        "instance_id": record.instance_id,
        "step_record_id": record.id,
        "office_id": record.instance.office_id,
        "created_at": now,
    }
    key = f"{kind}:{record.id}:{staff.id}"
    if _already_written(key):
        return  # told once: the same step handed back, or a notice the watcher wrote before
    db.session.add(Notification(channel=APP, status=SENT, sent_at=now, dedupe_key=f"{key}:{APP}", **common))
    is_urgent = urgent(record)
    due = schedule.send_at(now, urgent=is_urgent, digest=digest)
    for channel, address in _channels(staff):
        db.session.add(
            Notification(
                channel=channel,
                address=address,
                status=PENDING,
                urgent=is_urgent,
                digest=digest,
                next_attempt_at=due,
                dedupe_key=f"{key}:{channel}",
                **common,
            )
        )
        db.session.info[WRITTEN_KEY] = True


def write_note(staff: Staff, departing: Staff, count: int) -> None:
    """Tell a PK that a departing colleague's clients or services became theirs (the bell and the
    chosen channels, in the handover's transaction); the steps among them are told as new tasks."""
    from flask_babel import gettext as _

    now = utcnow()
    subject = _("Work handed over to you")
    body = _(
        "%(count)d clients or services of %(name)s are now yours: see your client list and Tugas Saya.",
        count=count,
        name=departing.full_name,
    )
    common = {"staff_id": staff.id, "kind": HANDOVER, "subject": subject, "body": body}
    common |= {"link": "/clientview/list/", "office_id": staff.office_id, "created_at": now}
    db.session.add(Notification(channel=APP, status=SENT, sent_at=now, **common))
    due = schedule.send_at(now, urgent=False, digest=False)
    for channel, address in _channels(staff):
        pending = {"channel": channel, "address": address, "status": PENDING, "next_attempt_at": due}
        db.session.add(Notification(**pending, **common))
        db.session.info[WRITTEN_KEY] = True


def _already_written(key: str) -> bool:
    """Whether this notice (its bell row) is in the outbox already: a second one would break the
    unique key and with it the move that caused it."""
    stmt = select(Notification.id).where(Notification.dedupe_key == f"{key}:{APP}")
    return db.session.scalar(stmt) is not None


def write_public(
    instance: Any, kind: str, channel: str, address: str, text: tuple[str, str], link: str
) -> None:
    """A notice to the person who made a request, at the contact they gave and agreed to."""
    now = utcnow()
    subject, body = text
    if instance.office_id is None:
        db.session.flush()  # a new request gets its office at flush
    db.session.add(
        Notification(
            channel=channel,
            address=address,
            kind=kind,
            subject=subject,
            body=body,
            link=link,
            instance=instance,
            office_id=instance.office_id,
            created_at=now,
            status=PENDING,
            next_attempt_at=schedule.send_at(now, urgent=False, digest=False),
        )
    )
    db.session.info[WRITTEN_KEY] = True
