"""Caseload of each PK: open clients, open and overdue tasks, instances in progress."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.extensions import db
from app.models.staff import Staff
from app.models.workflow import OPEN, ServiceInstance, StepRecord
from app.security import scope
from app.security.roles import SEES_EVERYTHING
from app.timeutil import utcnow
from app.workflow import inbox


@dataclass(frozen=True)
class Caseload:
    """One PK's load."""

    officer: Staff
    clients: int
    tasks: int
    overdue: int
    instances: int


def rows(user: Staff) -> list[Caseload]:
    """The PKs the user oversees (a Kasubsi its section, the Kepala and Pengawas all), lightest first."""
    section = None if user.role_names & set(SEES_EVERYTHING) else (user.section or "-")  # no section: nobody
    loads = inbox.caseloads(section)
    ids = [staff.id for staff, _c, _t in loads]
    overdue = dict(
        db.session.execute(
            select(StepRecord.assignee_id, func.count())
            .where(
                StepRecord.assignee_id.in_(ids),
                StepRecord.finished_at.is_(None),
                StepRecord.due_at < utcnow(),
                scope.step_office(user),
                scope.clause(StepRecord, user),
            )
            .group_by(StepRecord.assignee_id)
        ).all()
    )
    instances = dict(
        db.session.execute(
            select(ServiceInstance.officer_id, func.count())
            .where(
                ServiceInstance.officer_id.in_(ids),
                ServiceInstance.status == OPEN,
                scope.clause(ServiceInstance, user),
            )
            .group_by(ServiceInstance.officer_id)
        ).all()
    )
    return [
        Caseload(staff, clients, tasks, overdue.get(staff.id, 0), instances.get(staff.id, 0))
        for staff, clients, tasks in loads
    ]
