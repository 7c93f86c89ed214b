"""What waits for whom: each role's inbox, escalations to superiors, and PK caseloads."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, and_, false, func, not_, or_, select, union
from sqlalchemy.orm import contains_eager, joinedload, load_only

from app.extensions import db
from app.models.clients import ACCOMPANIED, ACTIVE, Client
from app.models.staff import Staff
from app.models.workflow import OPEN, ServiceInstance, StepRecord, instance_member
from app.security import scope
from app.security.roles import ASSIGNEE, KASUBSI, KEPALA, PENGADUAN, PK, TU
from app.security.sqlsets import own_or_member
from app.timeutil import as_utc, utcnow, wib_midnight
from app.workflow.definitions import TRAVEL_PERMIT

# Rows of each section the landing page shows: the most urgent, a list page's worth, with the count
# of all ("lihat semua" shows up to SHOWN_ALL). A Kepala's office waits on thousands of steps at
# national scale, and rendering them all made the page take a second.
SHOWN, SHOWN_ALL = 25, 1000


class Waiting(NamedTuple):
    """The most urgent waiting steps of one section of the inbox, and how many wait in all (up to
    SHOWN_ALL + 1: more than SHOWN_ALL)."""

    rows: list[StepRecord]
    total: int


# Whose overdue work each role is told about (the actor's superior).
SUPERVISES = {KASUBSI: (PK,), KEPALA: (KASUBSI, TU, PENGADUAN, ASSIGNEE), PENGADUAN: (ASSIGNEE,)}


def _mine(user: Staff, counting: bool = False) -> ColumnElement[bool]:
    """Open steps whose actor this user is (role, section, assigned PK or team member, named official).

    The same rows either way; `counting` writes a PK's teams as a set read from an index (sqlsets),
    which a count needs and which would make a page sort every one of the PK's steps.
    """
    # Steps named to the user: an ASSIGNEE step, or a step routed to them on duty (SOP 12).
    parts = [and_(StepRecord.actor_role != PK, StepRecord.assignee_id == user.id)]
    unrouted = StepRecord.assignee_id.is_(None)
    for role in user.role_names:
        if role == PK:
            # Its own steps, or an assigned step of a team it sits on.
            teams = select(instance_member.c.instance_id).where(instance_member.c.staff_id == user.id)
            own, assigned = StepRecord.assignee_id == user.id, StepRecord.assignee_id.is_not(None)
            if counting:  # own OR (assigned AND team), distributed
                team = and_(or_(own, assigned), own_or_member(own, StepRecord.instance_id, teams))
            else:
                team = or_(own, and_(assigned, StepRecord.instance_id.in_(teams)))
            parts.append(and_(StepRecord.actor_role == PK, team))
        elif role == KASUBSI:
            parts.append(and_(StepRecord.actor_role == KASUBSI, StepRecord.section == user.section, unrouted))
        else:
            parts.append(and_(StepRecord.actor_role == role, unrouted))
    return or_(*parts) if parts else false()


def _where(user: Staff, condition: ColumnElement[bool]) -> list[ColumnElement[bool]]:
    return [
        StepRecord.finished_at.is_(None),
        ServiceInstance.status == OPEN,
        condition,
        scope.step_office(user),
        scope.office_clause(ServiceInstance, user),
        scope.not_excluded(StepRecord, user),
    ]


def _query(
    user: Staff, condition: ColumnElement[bool], limit: int, counted: list[ColumnElement[bool]]
) -> Waiting:
    """The `limit` most urgent steps meeting `condition`, and how many do: `counted` are conditions
    whose union is `condition`, each read from an index range of its own."""
    stmt = (
        select(StepRecord)
        .join(StepRecord.instance)
        .options(
            contains_eager(StepRecord.instance)
            .joinedload(ServiceInstance.officer)
            .load_only(Staff.id, Staff.first_name, Staff.last_name)  # the name, never the password hash
        )
        .where(*_where(user, condition))
        .order_by(StepRecord.deadline_at.asc().nulls_last(), StepRecord.ready_at, StepRecord.id)
        .limit(limit)
    )
    rows = list(db.session.scalars(stmt))
    if len(rows) < limit:
        return Waiting(rows, len(rows))
    # A full page: count them, without the sort and the officer (a window count in the same statement
    # made PostgreSQL sort every row instead of keeping the top ones), up to SHOWN_ALL + 1: an office
    # of a national instance waits on tens of thousands, and "more than 1,000" says enough. Each part
    # is capped on its own: their union is exact below the cap, and past it when any part is.
    parts = [
        select(StepRecord.id)
        .join(StepRecord.instance)
        .where(*_where(user, part))
        .limit(SHOWN_ALL + 1)
        .subquery()
        for part in counted
    ]
    ids = union(*(select(part.c.id) for part in parts)).subquery()
    total = db.session.scalar(select(func.count()).select_from(ids)) or 0
    return Waiting(rows, min(total, SHOWN_ALL + 1))


def inbox(user: Staff, limit: int = SHOWN) -> Waiting:
    """The user's waiting steps by the deadline that binds them: overdue first, then the soonest."""
    return _query(user, _mine(user), limit, [_mine(user, counting=True)])


def escalations(user: Staff, limit: int = SHOWN) -> Waiting:
    """Overdue steps of the people this user supervises, and instances past their overall limit."""
    now = utcnow()
    parts = []
    for role in user.role_names:
        for subordinate in SUPERVISES.get(role, ()):
            condition = and_(StepRecord.actor_role == subordinate, StepRecord.deadline_at < now)
            if role == KASUBSI:
                condition = and_(condition, StepRecord.section == user.section)
            parts.append(condition)
    if KASUBSI in user.role_names:
        # A PK step with no PK (the client has none yet) waits until the Kasubsi assigns the client.
        parts.append(
            and_(
                StepRecord.actor_role == PK,
                StepRecord.assignee_id.is_(None),
                StepRecord.section == user.section,
            )
        )
    counted = list(parts)
    if user.role_names & {KEPALA, KASUBSI}:
        limit_missed = and_(ServiceInstance.limit_due_at < now, ServiceInstance.limit_met.is_(None))
        if KEPALA not in user.role_names:
            limit_missed = and_(limit_missed, ServiceInstance.section == user.section)
        parts.append(limit_missed)
        # Counted from the instances past their limit (a few in thousands) to their steps.
        late = select(ServiceInstance.id).where(
            limit_missed, ServiceInstance.status == OPEN, scope.office_clause(ServiceInstance, user)
        )
        counted.append(own_or_member(false(), StepRecord.instance_id, late))
    if not parts:
        return Waiting([], 0)
    # Counted part by part, each from an index range (one OR of them all read every open step of the
    # office). Not the user's own (in Tugas Saya already); NULL, e.g. a step nobody is named to, is not
    # theirs: a bare NOT dropped every unrouted step of TU, a Kasubsi and the complaint unit.
    others = not_(func.coalesce(_mine(user), false()))
    return _query(user, and_(or_(*parts), others), limit, [and_(part, others) for part in counted])


def caseloads(section: str | None) -> list[tuple[Staff, int, int]]:
    """Each active PK of a section with its open clients and open tasks, lightest first."""
    from flask_appbuilder.security.sqla.models import Role

    # Counted per PK from its own index range (ix_client_officer_status, ix_step_record_open_assignee),
    # not grouped over every client and open step of the country.
    clients = (
        select(func.count())
        .where(Client.officer_id == Staff.id, Client.status.in_((ACTIVE, ACCOMPANIED)))
        .correlate(Staff)
        .scalar_subquery()
    )
    tasks = (
        select(func.count())
        .where(StepRecord.assignee_id == Staff.id, StepRecord.finished_at.is_(None))
        .correlate(Staff)
        .scalar_subquery()
    )
    stmt = (
        select(Staff, clients, tasks)
        .join(Staff.roles)
        .where(Role.name == PK, Staff.active.is_(True), scope.staff_clause(scope.current_staff()))
        .options(
            joinedload(Staff.roles),
            load_only(Staff.id, Staff.first_name, Staff.last_name, Staff.section, Staff.office_id),
        )
    )
    if section:
        stmt = stmt.where(Staff.section == section)
    loads = [(staff, n_clients, n_tasks) for staff, n_clients, n_tasks in db.session.execute(stmt).unique()]
    # Sorted here: an ORDER BY on the two counts made PostgreSQL count every PK's rows twice.
    return sorted(
        loads, key=lambda load: (load[1] + load[2], (load[0].first_name or "").casefold(), load[0].id)
    )


def departures(records: list[StepRecord]) -> dict[int, date]:
    """The departure date of the trip behind each travel-permit row, by instance (one query)."""
    from app.models.travel_permits import TravelPermit

    ids = {r.instance_id for r in records if r.instance.service == TRAVEL_PERMIT.code}
    if not ids:
        return {}
    stmt = select(TravelPermit.instance_id, TravelPermit.depart_on).where(TravelPermit.instance_id.in_(ids))
    return dict(db.session.execute(stmt).tuples().all())


def after_departure(deadline: datetime | None, depart_on: date | None) -> bool:
    """Whether a permit's decision may come after the client leaves: its deadline passes the start of
    the departure day (WIB)."""
    return bool(deadline and depart_on and as_utc(deadline) > wib_midnight(depart_on))
