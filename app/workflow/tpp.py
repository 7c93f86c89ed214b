"""Sidang TPP: the agenda is built from every step waiting for the TPP, in any service."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import contains_eager

from app.extensions import db
from app.models.staff import Staff
from app.models.tpp import SESSION_OPEN, TppItem, TppSession
from app.models.workflow import OPEN, ServiceInstance, StepRecord
from app.timeutil import utcnow
from app.workflow import engine
from app.workflow.definitions import tpp_steps


def candidates() -> list[StepRecord]:
    """Steps waiting for the TPP that no session has on its agenda yet."""
    stmt = (
        select(StepRecord)
        .join(StepRecord.instance)
        .options(contains_eager(StepRecord.instance).joinedload(ServiceInstance.client))
        .where(
            or_(
                *(and_(ServiceInstance.service == svc, StepRecord.step == code) for svc, code in tpp_steps())
            ),
            StepRecord.finished_at.is_(None),
            ServiceInstance.status == OPEN,
            ~select(TppItem.id).where(TppItem.step_record_id == StepRecord.id).exists(),
        )
        .order_by(StepRecord.ready_at)
    )
    return list(db.session.scalars(stmt))


def put_on_agenda(session: TppSession, record: StepRecord) -> TppItem:
    """Place a waiting step on an open session's agenda."""
    if session.status != SESSION_OPEN:
        raise engine.MoveRefused(_l("This session is closed."))
    if record not in candidates():
        raise engine.MoveRefused(_l("This matter is already on an agenda or decided."))
    item = TppItem(session=session, step_record=record)
    db.session.add(item)
    return item


def decide(item: TppItem, user: Staff, decision: str, notes: str) -> None:
    """Record the TPP's decision; the engine moves the matter on (the chair is the step's actor)."""
    record = item.step_record
    step = engine.claim(record, user, outcome=decision, note=notes)
    item.decision, item.notes, item.decided_at = decision, notes, utcnow()
    engine.advance(record, step)
