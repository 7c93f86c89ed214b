"""A staff member who leaves: what they hold, the PKs who could take it over with their caseloads,
and the reassignment of their clients and open services in one transaction. The account is
deactivated only when nothing is left with them (app.security.accounts keeps it from deletion).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import ColumnElement, and_, delete, func, insert, not_, or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from app import audit, notifications
from app.extensions import db
from app.models.clients import ACCOMPANIED, ACTIVE, SECTION_OF_CATEGORY, Client
from app.models.complaints import Complaint
from app.models.mobile import MobileService
from app.models.staff import Staff
from app.models.workflow import OPEN, ServiceInstance, StepRecord, instance_member
from app.notifications import outbox
from app.security import scope, sessions
from app.security.accounts import AccountKept, handover_link
from app.workflow import engine, inbox, moves

HELD_STATUSES = (ACTIVE, ACCOMPANIED)  # clients still supervised or accompanied
SYNC = {"synchronize_session": False}


class HandoverRefused(engine.MoveRefused):
    """A reassignment refused as a whole; the message is for the user."""


@dataclass(frozen=True)
class Summary:
    """How much a staff member holds, counted in SQL: clients by section, services by code."""

    clients: dict[str, int] = field(default_factory=dict)
    services: dict[str, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """Whether nothing is left with the person."""
        return not any(self.clients.values()) and not any(self.services.values())


def _clients_of(staff: Staff) -> ColumnElement[bool]:
    return and_(Client.officer_id == staff.id, Client.status.in_(HELD_STATUSES))


def _services_of(staff: Staff) -> ColumnElement[bool]:
    """Open services the person leads, is on the team of, or has an open step of; those of the
    person's own clients go with the client (moves.hand_over)."""
    teams = select(instance_member.c.instance_id).where(instance_member.c.staff_id == staff.id)
    steps = select(StepRecord.instance_id).where(
        StepRecord.assignee_id == staff.id, StepRecord.finished_at.is_(None)
    )
    own_clients = select(Client.id).where(_clients_of(staff))
    return and_(
        ServiceInstance.status == OPEN,
        or_(
            ServiceInstance.officer_id == staff.id,
            ServiceInstance.id.in_(teams),
            ServiceInstance.id.in_(steps),
        ),
        or_(ServiceInstance.client_id.is_(None), not_(ServiceInstance.client_id.in_(own_clients))),
    )


def summary(staff: Staff) -> Summary:
    """The counts of what the person holds (two grouped queries)."""
    clients = db.session.execute(
        select(Client.category, func.count()).where(_clients_of(staff)).group_by(Client.category)
    ).all()
    services = db.session.execute(
        select(ServiceInstance.service, func.count())
        .where(_services_of(staff))
        .group_by(ServiceInstance.service)
    ).all()
    return Summary(
        {SECTION_OF_CATEGORY[category]: n for category, n in clients}, {code: n for code, n in services}
    )


def held_clients(staff: Staff) -> list[Client]:
    """The person's clients still under supervision or accompanied, by section and number."""
    stmt = select(Client).where(_clients_of(staff)).order_by(Client.category, Client.register_number)
    return list(db.session.scalars(stmt))


def held_services(staff: Staff) -> list[ServiceInstance]:
    """The open services the person holds apart from those of their own clients."""
    stmt = (
        select(ServiceInstance)
        .where(_services_of(staff))
        .options(selectinload(ServiceInstance.members), joinedload(ServiceInstance.client))
        .order_by(ServiceInstance.service, ServiceInstance.id)
    )
    return list(db.session.scalars(stmt).unique())


def section_of(service: ServiceInstance, departing: Staff) -> str | None:
    """The section whose PKs may take over a service: its own, else the departing person's."""
    return service.section or departing.section


def candidates(section: str | None, departing: Staff) -> list[tuple[Staff, int, int]]:
    """Active PKs of the departing person's office (and section) with their active clients and open
    tasks, counted in SQL, lightest first."""
    return [
        row
        for row in inbox.caseloads(section)
        if row[0].office_id == departing.office_id and row[0].id != departing.id
    ]


def refuse_deactivation(staff: Staff) -> None:
    """Refuse to deactivate an account that still holds clients or open services."""
    held = summary(staff)
    if held.empty:
        return
    message = _(
        "%(name)s still holds %(clients)d clients and %(services)d services in progress; "
        "hand them over to other PKs before deactivating the account.",
        name=staff.full_name,
        clients=sum(held.clients.values()),
        services=sum(held.services.values()),
    )
    raise AccountKept(Markup("{} {}").format(message, handover_link(staff)))


def deactivate(staff: Staff) -> None:
    """Deactivate an account that holds nothing and end its sessions (the caller commits)."""
    refuse_deactivation(staff)
    staff.active = False
    sessions.end_all(staff)


def _targets(departing: Staff, sections: Iterable[str | None]) -> dict[str | None, set[int]]:
    return {section: {s.id for s, _c, _t in candidates(section, departing)} for section in set(sections)}


def reassign(departing: Staff, user: Staff, clients: dict[int, int], services: dict[int, int]) -> int:
    """Move the chosen clients and services of `departing` to the chosen PKs, all or nothing: the
    caller commits, and rolls back on HandoverRefused. Returns how many items moved."""
    held_c = {c.id: c for c in held_clients(departing)}
    held_s = {s.id: s for s in held_services(departing)}
    if set(clients) - set(held_c) or set(services) - set(held_s):
        raise HandoverRefused(_("Some of the chosen work is no longer held by this person; reload the page."))
    outside = set(clients) - scope.reachable(Client, clients, user)
    outside |= set(services) - scope.reachable(ServiceInstance, services, user)
    if outside:
        raise HandoverRefused(_("Some of the chosen work lies outside your section; the Kepala hands it on."))
    wanted = [(held_c[i].section, t) for i, t in clients.items()]
    wanted += [(section_of(held_s[i], departing), t) for i, t in services.items()]
    allowed = _targets(departing, {section for section, _t in wanted})
    if any(target not in allowed[section] for section, target in wanted):
        raise HandoverRefused(_("Choose an active PK of the same office and section for each item."))
    _refuse_accused(services)
    for target, ids in _grouped(clients).items():
        _move_clients(departing, target, ids)
    for target, ids in _grouped(services).items():
        _move_services(departing, db.session.get(Staff, target), ids)
    moved = Counter(clients.values()) + Counter(services.values())
    receivers = {target: db.session.get(Staff, target) for target in moved}
    audit.record_event(
        "handover",
        Staff.__tablename__,
        departing.id,
        {
            "handed_clients": len(clients),
            "handed_services": len(services),
            "handed_to": sorted(f"{receivers[t].full_name} ({n})" for t, n in moved.items()),
        },
    )
    for target, count in moved.items():
        outbox.write_note(receivers[target], departing, count)
    return len(clients) + len(services)


def _grouped(choices: dict[int, int]) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = {}
    for item, target in choices.items():
        grouped.setdefault(target, []).append(item)
    return grouped


def _refuse_accused(services: dict[int, int]) -> None:
    """A complaint never goes to the staff member it is about."""
    stmt = select(Complaint.instance_id, Complaint.subject_staff_id).where(
        Complaint.instance_id.in_(list(services)), Complaint.subject_staff_id.is_not(None)
    )
    if any(services[instance] == accused for instance, accused in db.session.execute(stmt)):
        raise HandoverRefused(_("A complaint cannot be handed to the staff member it is about."))


def _move_clients(departing: Staff, target: int, ids: list[int]) -> None:
    """The clients (a conditional UPDATE: moved meanwhile, the whole is refused), then their open
    services and steps (moves.hand_over, which tells the new PK of each step)."""
    moved = db.session.scalars(
        update(Client)
        .where(Client.id.in_(ids), Client.officer_id == departing.id)
        .values(officer_id=target, version=Client.version + 1)
        .returning(Client.id),
        execution_options=SYNC,
    ).all()
    if len(moved) != len(ids):
        raise HandoverRefused(_("Some of the chosen work is no longer held by this person; reload the page."))
    audit.log_updates(Client, moved, {"officer_id": target}, before={"officer_id": departing.id})
    for client_id in moved:
        moves.hand_over([client_id], target)


def _move_services(departing: Staff, target: Staff, ids: list[int]) -> None:
    """Services the person led, was on the team of or had a step of: leader, team, open steps and
    the domain record naming the person (a BATAKO point's PK, a complaint's official)."""
    led = db.session.scalars(
        update(ServiceInstance)
        .where(ServiceInstance.id.in_(ids), ServiceInstance.officer_id == departing.id)
        .values(officer_id=target.id, version=ServiceInstance.version + 1)
        .returning(ServiceInstance.id),
        execution_options=SYNC,
    ).all()
    audit.log_updates(ServiceInstance, led, {"officer_id": target.id}, before={"officer_id": departing.id})
    _swap_team(departing, target, ids)
    steps = db.session.scalars(
        update(StepRecord)
        .where(
            StepRecord.instance_id.in_(ids),
            StepRecord.assignee_id == departing.id,
            StepRecord.finished_at.is_(None),
        )
        .values(assignee_id=target.id)
        .returning(StepRecord.id),
        execution_options=SYNC,
    ).all()
    audit.log_updates(StepRecord, steps, {"assignee_id": target.id}, before={"assignee_id": departing.id})
    for model, column in ((MobileService, MobileService.officer_id), (Complaint, Complaint.responsible_id)):
        rows = db.session.scalars(
            update(model)
            .where(model.instance_id.in_(ids), column == departing.id)
            .values({column.key: target.id, "version": model.version + 1})
            .returning(model.id),
            execution_options=SYNC,
        ).all()
        audit.log_updates(model, rows, {column.key: target.id}, before={column.key: departing.id})
    db.session.expire_all()  # the records loaded before the UPDATEs read their new values
    for record in db.session.scalars(select(StepRecord).where(StepRecord.id.in_(steps))):
        notifications.step_ready(record)


def _swap_team(departing: Staff, target: Staff, ids: list[int]) -> None:
    """On each team the person was on, the new PK takes their place (once)."""
    teams = db.session.scalars(
        select(instance_member.c.instance_id).where(
            instance_member.c.instance_id.in_(ids), instance_member.c.staff_id == departing.id
        )
    ).all()
    if not teams:
        return
    already = set(
        db.session.scalars(
            select(instance_member.c.instance_id).where(
                instance_member.c.instance_id.in_(teams), instance_member.c.staff_id == target.id
            )
        )
    )
    db.session.execute(
        delete(instance_member).where(
            instance_member.c.instance_id.in_(teams), instance_member.c.staff_id == departing.id
        )
    )
    joining = [{"instance_id": i, "staff_id": target.id} for i in teams if i not in already]
    if joining:
        db.session.execute(insert(instance_member), joining)
    audit.log_updates(
        ServiceInstance, list(teams), {"members": target.full_name}, before={"members": departing.full_name}
    )


def spread(
    departing: Staff, clients: list[int], services: list[int]
) -> tuple[dict[int, int], dict[int, int]]:
    """Each item to the PK of its section with the fewest active clients at that moment (counting
    what this spread already gave), for the Kasubsi who hands a caseload over evenly."""
    held_c = {c.id: c.section for c in held_clients(departing)}
    held_s = {s.id: section_of(s, departing) for s in held_services(departing)}
    loads: dict[str | None, dict[int, int]] = {}

    def lightest(section: str | None) -> int | None:
        if section not in loads:
            loads[section] = {s.id: n for s, n, _t in candidates(section, departing)}
        load = loads[section]
        if not load:
            return None
        chosen = min(load, key=lambda staff_id: (load[staff_id], staff_id))
        load[chosen] += 1
        return chosen

    chosen_c = {i: t for i in clients if i in held_c and (t := lightest(held_c[i])) is not None}
    chosen_s = {i: t for i in services if i in held_s and (t := lightest(held_s[i])) is not None}
    return chosen_c, chosen_s
