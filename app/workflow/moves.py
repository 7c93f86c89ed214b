"""Open work that follows a client or an instance elsewhere: to another PK (a client handed over)
or another office (a transfer), each in a few set-based UPDATEs, on the audit trail and with its
Kinerja figures (app.workflow.rollups)."""

from __future__ import annotations

from sqlalchemy import and_, or_, select, update

from app import audit, notifications
from app.extensions import db
from app.models.travel_permits import TravelPermit
from app.models.workflow import OPEN, ServiceInstance, StepRecord
from app.workflow import rollups
from app.workflow.definitions import SERVICES


def hand_over(client_ids: list[int], officer_id: int | None) -> None:
    """Clients moved to another PK: their open services and those services' PK steps go with them
    (two UPDATEs, however many clients)."""
    if not client_ids:
        return
    sync = {"synchronize_session": "fetch"}
    moved = db.session.scalars(
        update(ServiceInstance)
        .where(ServiceInstance.client_id.in_(client_ids), ServiceInstance.status == OPEN)
        .values(officer_id=officer_id)
        .returning(ServiceInstance.id),
        execution_options=sync,
    ).all()
    audit.log_updates(ServiceInstance, moved, {"officer_id": officer_id})
    assigned = [
        and_(ServiceInstance.service == service.code, StepRecord.step.in_(codes))
        for service in SERVICES.values()
        if (codes := [step.code for step in service.steps if step.assigned])
    ]
    waiting = (
        select(StepRecord.id)
        .join(StepRecord.instance)
        .where(ServiceInstance.id.in_(moved), StepRecord.finished_at.is_(None), or_(*assigned))
    )
    steps = db.session.scalars(
        update(StepRecord)
        .where(StepRecord.id.in_(waiting))
        .values(assignee_id=officer_id)
        .returning(StepRecord.id),
        execution_options=sync,
    ).all()
    audit.log_updates(StepRecord, steps, {"assignee_id": officer_id})
    # The steps became the new PK's: tell it as for any step that becomes someone's.
    for record in db.session.scalars(select(StepRecord).where(StepRecord.id.in_(steps))):
        notifications.step_ready(record)


def follow_office(instance_ids: list[int]) -> None:
    """The copies of an instance's office, kept for indexing (its step records and its travel permit),
    follow instances that moved to another office (one UPDATE each, no audit row of their own)."""
    if not instance_ids:
        return
    for model in (StepRecord, TravelPermit):
        office = select(ServiceInstance.office_id).where(ServiceInstance.id == model.instance_id)
        db.session.execute(
            update(model)
            .where(model.instance_id.in_(instance_ids))
            .values(office_id=office.scalar_subquery())
            .execution_options(synchronize_session=False)
        )


def to_office(client_id: int, origin: int, destination: int) -> list[int]:
    """A transferred client's running services go to the destination office with their steps and
    Kinerja figures; their waiting steps wait for the destination's PK (`hand_over`, when its Kasubsi
    assigns). Returns the services moved."""
    running = select(ServiceInstance.id).where(
        ServiceInstance.client_id == client_id,
        ServiceInstance.status == OPEN,
        ServiceInstance.office_id == origin,
    )
    services = list(db.session.scalars(running))
    with rollups.moving(services):
        db.session.execute(
            update(ServiceInstance)
            .where(ServiceInstance.id.in_(services))
            .values(office_id=destination, officer_id=None)
            .execution_options(synchronize_session=False)
        )
    audit.log_updates(ServiceInstance, services, {"office_id": destination, "officer_id": None}, origin)
    follow_office(services)
    steps = db.session.scalars(
        update(StepRecord)
        .where(StepRecord.instance_id.in_(services), StepRecord.finished_at.is_(None))
        .values(assignee_id=None)
        .returning(StepRecord.id)
        .execution_options(synchronize_session=False)
    ).all()
    audit.log_updates(StepRecord, steps, {"assignee_id": None}, origin)
    return services
