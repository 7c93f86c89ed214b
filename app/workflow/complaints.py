"""Complaint handling (Penanganan Pengaduan): intake, recommendation, direction, answer, closing."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from flask_appbuilder.security.sqla.models import Role
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import receipts
from app.extensions import db
from app.models.complaints import Complaint
from app.models.staff import Staff
from app.models.workflow import StepRecord
from app.security import scope
from app.security.roles import KASUBSI, KEPALA, PENGADUAN, PENGAWAS, PK, TU
from app.timeutil import as_utc, utcnow
from app.uploads import store
from app.workflow import complaint_names, engine
from app.workflow.definitions import COMPLAINT, DONE

FIELDS = (
    "category", "sop", "title", "description", "staff_named", "complainant_name", "complainant_contact",
)  # fmt: skip
# Who may be named to answer a complaint: staff who act on services (not Admin, not the read-only Pengawas).
OFFICIAL_ROLES = (KEPALA, KASUBSI, PK, TU, PENGADUAN)
CANNOT_ANSWER_OWN = _l("The staff member complained about cannot handle the complaint.")


def submit(
    fields: dict[str, Any],
    *,
    channel: str,
    evidence: tuple[str, bytes, str] | None = None,
    received_at: datetime | None = None,
    recorded_by: Staff | None = None,
    subject_staff_id: int | None = None,
    no_staff_concerned: bool = False,
) -> Complaint:
    """Store a complaint with its receipt code and put it in the complaint unit's inbox.

    Taken by the complaint unit (`recorded_by`), a complaint whose text names staff of the office
    needs the staff member complained about or the confirmation that none is.
    """
    at = as_utc(received_at) if received_at else utcnow()
    if recorded_by is not None:
        text = complaint_names.text_of(*(fields.get(f) for f in ("title", "description", "staff_named")))
        named = complaint_names.named_staff(text, recorded_by.office_id)
        complaint_names.require_answer(named, subject_staff_id, no_staff_concerned)
    complaint = Complaint(
        receipt_code=receipts.new_code(),
        channel=channel,
        received_at=at,
        recorded_by_id=recorded_by.id if recorded_by else None,
        subject_staff_id=subject_staff_id or None,
        no_staff_concerned=bool(no_staff_concerned and not subject_staff_id),
        **{f: (fields.get(f) or "").strip() or None for f in FIELDS},
    )
    if evidence:
        mime, content, filename = evidence
        complaint.evidence_file = store(mime, content, filename, recorded_by.id if recorded_by else None)
    complaint.instance = engine.start(COMPLAINT.code, complaint.title[:300], ready_at=at)
    db.session.add(complaint)
    db.session.flush()
    return complaint


def complaint_of(record: StepRecord) -> Complaint | None:
    """The complaint behind a step of complaint handling."""
    return db.session.scalar(select(Complaint).where(Complaint.instance_id == record.instance_id))


def recommend(
    record: StepRecord,
    user: Staff,
    *,
    category: str,
    sop: str,
    subject_staff_id: int | None,
    recommendation: str,
    no_staff_concerned: bool = False,
) -> None:
    """The complaint unit's check of the complaint and its recommendation to the Kepala; a text that
    names staff needs the staff member complained about or the confirmation that none is."""
    step = engine.claim(record, user, note=recommendation)
    complaint = complaint_of(record)
    complaint_names.require_answer(complaint_names.named_in(complaint), subject_staff_id, no_staff_concerned)
    complaint.category, complaint.sop = category, sop
    complaint.subject_staff_id = subject_staff_id or None
    complaint.no_staff_concerned = bool(no_staff_concerned and not subject_staff_id)
    complaint.recommendation = recommendation
    review = engine.advance(record, step)
    subject = db.session.get(Staff, complaint.subject_staff_id) if complaint.subject_staff_id else None
    if review is not None and subject is not None and KEPALA in subject.role_names:
        # The Kepala cannot direct a complaint about himself: internal supervision (SATOPS PATNAL)
        # reviews it and names who answers (docs/decisions.md).
        review.actor_role = PENGAWAS


def direct(record: StepRecord, user: Staff, *, direction: str, responsible: Staff) -> None:
    """The Kepala's direction, naming the official who answers: never the person complained about
    nor anyone the complaint names."""
    complaint = complaint_of(record)
    if complaint.subject_staff_id == responsible.id:
        raise engine.MoveRefused(CANNOT_ANSWER_OWN)
    if responsible.id in complaint_names.barred(complaint):
        raise engine.MoveRefused(complaint_names.barred_message(responsible))
    if not responsible.active or not responsible.role_names & set(OFFICIAL_ROLES):
        raise engine.MoveRefused(_l("Choose an active staff member who acts on services."))
    step = engine.claim(record, user, note=direction)
    complaint.direction = direction
    complaint.responsible_id = responsible.id
    record.instance.officer_id = responsible.id
    engine.advance(record, step)


def respond(record: StepRecord, user: Staff, *, fix: str | None, clarification: str | None) -> None:
    """The official's fix and/or clarification."""
    fix, clarification = (fix or "").strip() or None, (clarification or "").strip() or None
    if fix is None and clarification is None:
        raise engine.MoveRefused(_l("Write the fix made or the clarification, or both."))
    step = engine.claim(record, user, note=clarification or fix)
    complaint = complaint_of(record)
    complaint.fix, complaint.clarification = fix, clarification
    engine.advance(record, step)


def close(record: StepRecord, user: Staff, *, outcome: str, note: str | None) -> None:
    """The complaint unit closes the complaint, or sends it back to the official."""
    step = engine.claim(record, user, outcome=outcome, note=note or None)
    if outcome == DONE:
        complaint_of(record).closed_at = record.finished_at
    engine.advance(record, step)


def staff_choices(exclude: Collection[int] = (), officials_only: bool = False) -> list[Staff]:
    """Active staff members, by name, but those excluded; only those who may answer a complaint if
    `officials_only`."""
    stmt = (
        select(Staff)
        .where(Staff.active.is_(True), scope.staff_clause(scope.current_staff()))
        .order_by(Staff.first_name, Staff.last_name)
    )
    if officials_only:
        stmt = stmt.where(Staff.roles.any(Role.name.in_(OFFICIAL_ROLES)))
    if exclude:
        stmt = stmt.where(Staff.id.not_in(list(exclude)))
    return list(db.session.scalars(stmt))
