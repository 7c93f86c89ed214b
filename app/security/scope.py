"""Row scope: which records each user may reach. The one place every view, action,
export and download asks; FAB's base_filters are not used for this because actions
and downloads skip them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, g, has_request_context
from sqlalchemy import ColumnElement, Select, String, and_, cast, false, func, not_, or_, select, true

from app.extensions import db
from app.models.api import ApiToken
from app.models.audit import AuditLog
from app.models.cases import Case
from app.models.clients import CHILD, IDENTITY_FIELDS, SECTION_OF_CATEGORY, Client
from app.models.complaints import Complaint
from app.models.duty import DutyDay
from app.models.group_guidance import GroupMember, GroupSession
from app.models.guidance import GuidanceLog, ProgressReport, StagePlan, SupervisionPeriod
from app.models.letters import Disposition, IncomingLetter
from app.models.mobile import MobileService
from app.models.notifications import Notification
from app.models.offices import Office, Region
from app.models.outreach import Outreach
from app.models.reporting import ReportingOccurrence, ReportingSchedule, WarningLetter
from app.models.staff import Staff
from app.models.tpp import TppItem, TppSession
from app.models.transfers import ClientTransfer
from app.models.travel_permits import TravelPermit
from app.models.workflow import ExtraHoliday, ServiceInstance, StepRecord, instance_member
from app.security.reach import NATIONAL_ROLES as NATIONAL_ROLES
from app.security.reach import OFFICE_PATHS as OFFICE_PATHS
from app.security.reach import is_national as is_national
from app.security.reach import office_clause as office_clause
from app.security.reach import office_column_in as _office_column_in
from app.security.reach import staff_clause as staff_clause
from app.security.roles import (
    ADMIN,
    DITJENPAS,
    KANWIL,
    KASUBSI,
    KEPALA,
    PENGADUAN,
    PENGAWAS,
    PK,
    SECTIONED_ROLES,
    SEES_EVERYTHING,
    TU,
)
from app.security.sqlsets import own_or_member
from app.workflow.definitions import COMPLAINT

Rule = Callable[[Staff], ColumnElement[bool]]
M = TypeVar("M")

CONFIDENTIAL_READERS = (KEPALA, KASUBSI, PK)
# Who reads a child's name, NIK, birth date, address and guardian (UU 11/2012): those who work the
# case, and TU who registers the child; Pengawas, Admin and the complaint unit see it masked.
CHILD_IDENTITY_READERS = (KEPALA, KASUBSI, PK, TU)
CATEGORY_OF_SECTION = {section: category for category, section in SECTION_OF_CATEGORY.items()}


def _everything(_user: Staff) -> ColumnElement[bool]:
    return true()


def _teams(user: Staff) -> Select[Any]:
    return select(instance_member.c.instance_id).where(instance_member.c.staff_id == user.id)


def _of_instances(model: Any, rule: Rule) -> Rule:
    """`model.instance.has(rule)` written as the set of those instances (sqlsets): a PK's few thousand
    services read from an index, not a probe of the instance per row of the country."""
    instances = lambda user: select(ServiceInstance.id).where(rule(user))  # noqa: E731
    return lambda user: own_or_member(false(), model.instance_id, instances(user))


RULES: dict[type, dict[str, Rule]] = {
    Client: {
        KASUBSI: lambda user: Client.category == CATEGORY_OF_SECTION.get(user.section, ""),
        PK: lambda user: Client.officer_id == user.id,
        # TU registers clients; its own view shows identity columns only.
        TU: _everything,
    },
    Case: {
        KASUBSI: lambda user: Case.section == (user.section or ""),
        PK: lambda user: Case.clients.any(Client.officer_id == user.id),
    },
    AuditLog: {ADMIN: _everything, PENGAWAS: _everything},
    ExtraHoliday: {ADMIN: _everything},
    TravelPermit: {
        KASUBSI: lambda user: TravelPermit.instance.has(ServiceInstance.section == (user.section or "")),
        PK: _of_instances(TravelPermit, lambda user: ServiceInstance.officer_id == user.id),
    },
    # TPP members see the agendas they sit on; Kasubsi prepare the sessions.
    TppSession: {KASUBSI: _everything, PK: lambda user: TppSession.members.any(Staff.id == user.id)},
    ServiceInstance: {
        KASUBSI: lambda user: ServiceInstance.section == (user.section or ""),
        # The responsible PK, and every member of the instance's team.
        PK: lambda user: own_or_member(
            ServiceInstance.officer_id == user.id, ServiceInstance.id, _teams(user)
        ),
        PENGADUAN: lambda _user: ServiceInstance.service == COMPLAINT.code,
    },
    IncomingLetter: {
        # TU keeps the agenda book; others reach a letter through its service instance.
        TU: _everything,
        KASUBSI: lambda user: (
            IncomingLetter.instance.has(ServiceInstance.section == (user.section or ""))
            | IncomingLetter.dispositions.any(Disposition.to_id == user.id)
        ),
        PK: lambda user: (
            IncomingLetter.instance.has(ServiceInstance.officer_id == user.id)
            | IncomingLetter.dispositions.any(Disposition.assignees.any(Staff.id == user.id))
        ),
    },
}


def _client_rule(model: type, rule: Rule) -> Rule:
    return lambda user: model.client.has(rule(user))


def _through_client(model: type) -> dict[str, Rule]:
    """A client's records (guidance, reports, plans) are reachable wherever the client is, except
    through TU's register, which shows identities only."""
    rules = {role: _client_rule(model, rule) for role, rule in RULES[Client].items() if role != TU}
    # The PK's clients as a set (the same rows as "the client is the PK's"): a page or a count of a
    # PK's records is then read from the records' client index, not by walking the office's.
    rules[PK] = lambda user: own_or_member(
        false(), model.client_id, select(Client.id).where(RULES[Client][PK](user))
    )
    return rules


RULES.update({model: _through_client(model) for model in (ProgressReport, StagePlan, SupervisionPeriod)})
# A PK reads the guidance it gave to another PK's client (e.g. at a BATAKO point) too.
RULES[GuidanceLog] = _through_client(GuidanceLog)
RULES[GuidanceLog][PK] = lambda user: own_or_member(
    GuidanceLog.officer_id == user.id, GuidanceLog.client_id, select(Client.id).where(RULES[Client][PK](user))
)
RULES[MobileService] = {
    KASUBSI: lambda user: MobileService.officer.has(Staff.section == (user.section or "")),
    PK: lambda user: MobileService.officer_id == user.id,
}
# Every Kasubsi and PK reads the group sessions: PKs propose their clients, the Kasubsi BKD compiles.
RULES[GroupSession] = {KASUBSI: _everything, PK: _everything}


def _through_instance(model: Any, rule: Rule) -> Rule:
    return lambda user: model.instance.has(rule(user))


# A step is reachable wherever its instance is, and by whoever must act on it; an outreach request
# by its section and its team.
RULES[StepRecord] = {
    role: _through_instance(StepRecord, rule) for role, rule in RULES[ServiceInstance].items()
}
# A PK's steps, as the set of its services and its teams' (through each step's instance, a PK's
# dashboard probed every open step of the country).
RULES[StepRecord][PK] = _of_instances(StepRecord, RULES[ServiceInstance][PK])
# A step fixed to a section (the Kasubsi BKA appoints the PK of every ABH request) is reachable by that
# section's Kasubsi; a step named to a staff member by that member (ANYONE below).
RULES[StepRecord][KASUBSI] = lambda user: (
    _through_instance(StepRecord, RULES[ServiceInstance][KASUBSI])(user)
    | ((StepRecord.actor_role == KASUBSI) & (StepRecord.section == (user.section or "")))
)
RULES[Outreach] = {role: _through_instance(Outreach, RULES[ServiceInstance][role]) for role in (KASUBSI, PK)}
RULES[Complaint] = {PENGADUAN: _everything}
# A group session's proposed clients and a TPP agenda's matters: each person sees the items of the
# clients and services in their own scope; the Kepala (TPP chair) sees all (docs/decisions.md).
RULES[GroupMember] = {
    KASUBSI: lambda user: GroupMember.client.has(RULES[Client][KASUBSI](user)),
    PK: lambda user: (
        (GroupMember.proposed_by_id == user.id) | GroupMember.client.has(Client.officer_id == user.id)
    ),
}
RULES[TppItem] = {
    role: (lambda step_rule: lambda user: TppItem.step_record.has(step_rule(user)))(rule)
    for role, rule in RULES[StepRecord].items()
}

# Wajib lapor: a client's schedule, its occurrences and warning letters are reachable wherever the
# client is (its PK, the Kasubsi of its section; the Kepala reads all). Another office never reaches
# them: a client reporting there during a permitted trip is recorded through the permit
# (`travel_permits.record_arrival`, under `visiting_clause`), which writes the occurrence without
# reading the schedule (docs/decisions.md).
RULES.update(
    {model: _through_client(model) for model in (ReportingSchedule, ReportingOccurrence, WarningLetter)}
)

# Whom a PK may serve at a BATAKO point (SOP 13): its own clients, and the clients of its section
# (a colleague's client reporting at the section's counter). Never another section's client.
SERVES: dict[str, Rule] = {
    PK: lambda user: (Client.officer_id == user.id) | RULES[Client][KASUBSI](user),
}

# Who records a client's attendance at the office's counter (wajib lapor): TU, who keeps the
# counter, any client of the office; a PK its own clients and its section's (as at BATAKO); a Kasubsi
# its section's.
ATTENDS: dict[str, Rule] = {
    TU: _everything,
    PK: SERVES[PK],
    KASUBSI: RULES[Client][KASUBSI],
}

# The Kanwil reads every record of its region's offices, as the Pengawas does in its own office
# (read-only: it holds no write permission); the office conjunct keeps it inside its region.
for rules in RULES.values():
    rules[KANWIL] = _everything
# The Directorate General reaches instances and steps only, which the performance figures count; it
# holds no permission on any view of records.
for model in (ServiceInstance, StepRecord):
    RULES[model][DITJENPAS] = _everything
# Offices and regions: the Admin manages them, an office's Admin only its own office, the national
# Admin all. A region sits above the offices: no office's account reaches it (nor its other offices).
RULES[Office] = {ADMIN: _everything}
# API tokens: the Admin of the offices whose accounts hold them (app.security.reach).
RULES[ApiToken] = {ADMIN: _everything}
RULES[Region] = {ADMIN: _everything}


# A transfer of a client (pindah wilayah): the PK who proposed it and the PK who took the client
# over, the Kasubsi of the client's section; which offices reach it: app.security.reach.
RULES[ClientTransfer] = {
    KANWIL: _everything,  # the transfers of its region's offices (_transfer_offices)
    KASUBSI: lambda user: ClientTransfer.section == (user.section or ""),
    PK: lambda user: (ClientTransfer.proposed_by_id == user.id) | (ClientTransfer.officer_id == user.id),
}


def departing_clause(user: Staff | None) -> ColumnElement[bool]:
    """SQL condition on Staff: the colleagues whose work `user` may see and hand over when they leave
    (app.workflow.departures): the Kepala and the Admin those of their offices, a Kasubsi those of its
    own section; nobody else, and never oneself."""
    if user is None:
        return false()
    roles = user.role_names
    if roles & {KEPALA, ADMIN}:
        allowed = true()
    elif KASUBSI in roles:
        allowed = Staff.section == (user.section or "")
    else:
        return false()
    return and_(allowed, staff_clause(user), Staff.id != user.id)


# Rows a signed-in staff member reaches whatever their role: the step they are named to act on
# (e.g. the official a complaint is directed to) and that complaint.
ANYONE: dict[type, Rule] = {
    StepRecord: lambda user: StepRecord.assignee_id == user.id,
    Complaint: lambda user: Complaint.responsible_id == user.id,
}


def _complaints_about(user: Staff) -> Any:
    return select(Complaint.instance_id).where(Complaint.subject_staff_id == user.id)


# A notification is its recipient's only, whatever their role (the Kepala and the Pengawas, who read
# every record, included); the Admin reads the outbox's delivery state (app.views.notifications).
RULES[Notification] = {ADMIN: _everything}
ANYONE[Notification] = lambda user: Notification.staff_id == user.id
PERSONAL = (Notification,)


def addressed_to(user: Staff | type[Staff]) -> ColumnElement[bool]:
    """SQL condition on Notification: the notices of this staff member (the bell), and no one else's;
    given the Staff entity itself, those of the account row an enclosing query selects."""
    return ANYONE[Notification](user)


# Rows no user reaches whatever their role, AND-ed after every rule above (also for the roles
# that see everything): a complaint about a staff member, its service instance, its steps and
# their audit trail stay hidden from that staff member.
EXCLUDED: dict[type, Rule] = {
    Complaint: lambda user: Complaint.subject_staff_id == user.id,
    ServiceInstance: lambda user: ServiceInstance.id.in_(_complaints_about(user)),
    StepRecord: lambda user: StepRecord.instance_id.in_(_complaints_about(user)),
    AuditLog: lambda user: or_(
        and_(
            AuditLog.table_name == Complaint.__tablename__,
            AuditLog.record_id.in_(
                select(cast(Complaint.id, String)).where(Complaint.subject_staff_id == user.id)
            ),
        ),
        and_(
            AuditLog.table_name == ServiceInstance.__tablename__,
            AuditLog.record_id.in_(
                select(cast(Complaint.instance_id, String)).where(Complaint.subject_staff_id == user.id)
            ),
        ),
        and_(
            AuditLog.table_name == StepRecord.__tablename__,
            AuditLog.record_id.in_(
                select(cast(StepRecord.id, String)).where(StepRecord.instance_id.in_(_complaints_about(user)))
            ),
        ),
    ),
}


# Travel permits of another office's clients whose trip goes to this office's city (SOP 11 across
# offices): the destination's Kepala, Kasubsi and PK see them, once signed, in "Clients of other
# offices" only (app.views.visiting) — never through the origin's permit views, signature or letter.
VISITING_ROLES = (KEPALA, KASUBSI, PK)


def visiting_clause(user: Staff | None) -> ColumnElement[bool]:
    """SQL condition on TravelPermit: the signed permits of other offices' clients travelling to the
    user's office."""
    if user is None or not user.office_id or not user.role_names & set(VISITING_ROLES):
        return false()
    return and_(
        TravelPermit.destination_office_id == user.office_id,
        TravelPermit.signed_at.is_not(None),
        # A client since transferred here is this office's own: no longer a visitor.
        TravelPermit.client.has(Client.office_id != user.office_id),
    )


def restrict_visiting(query: Any, user: Staff | None = None) -> Any:
    """Apply `visiting_clause` of the current user to a Query or Select over TravelPermit."""
    return query.filter(visiting_clause(user or current_staff()))


def get_visiting_or_404(pk: Any, user: Staff | None = None) -> TravelPermit:
    """One permit of a client of another office travelling here, or 404."""
    stmt = restrict_visiting(select(TravelPermit).where(TravelPermit.id == pk), user)
    permit = db.session.execute(stmt).scalar_one_or_none()
    if permit is None:
        abort(404)
    return permit


def sees_confidential(user: Staff | None) -> bool:
    """Whether the user may read confidential notes and a child's identity (UU 11/2012): the
    client's PK, its Kasubsi and the Kepala; row scope has already narrowed which clients."""
    return user is not None and bool(user.role_names & set(CONFIDENTIAL_READERS))


def sees_child_identity(user: Staff | None) -> bool:
    """Whether the user may read a child's identity; row scope has already narrowed which clients."""
    return user is not None and bool(user.role_names & set(CHILD_IDENTITY_READERS))


def current_staff() -> Staff | None:
    """The signed-in staff member, or None outside a request or when anonymous."""
    if not has_request_context():
        return None
    user = getattr(g, "user", None)
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def step_office(user: Staff) -> ColumnElement[bool]:
    """SQL condition on StepRecord: the step's copy of its instance's office (kept by the engine and
    `moves.follow_office`) in the user's reach; added to `office_clause` on the instance so that an
    office's steps are one index range (ix_step_record_open_office, ix_step_record_office_finished)."""
    return _office_column_in(StepRecord.office_id, user)


def not_excluded(model: type, user: Staff) -> ColumnElement[bool]:
    """SQL condition leaving out the rows of `model` that `user` must never reach (EXCLUDED)."""
    rule = EXCLUDED.get(model)
    # NULL (e.g. a complaint about no one) must keep the row, not drop it.
    return not_(func.coalesce(rule(user), false())) if rule else true()


def clause(model: type, user: Staff | None) -> ColumnElement[bool]:
    """SQL condition selecting the rows of `model` that `user` may reach."""
    if user is None:
        return false()
    roles = user.role_names
    if roles & set(SEES_EVERYTHING) and model not in PERSONAL:
        allowed = true()
    else:
        rules = RULES.get(model, {})
        parts = [rules[role](user) for role in sorted(roles) if role in rules]
        if model in ANYONE:
            parts.append(ANYONE[model](user))
        allowed = or_(*parts) if parts else false()
    allowed = and_(allowed, office_clause(model, user))
    return and_(allowed, not_excluded(model, user)) if model in EXCLUDED else allowed


def rollup_clause(user: Staff | None, keys: Any, subject_excluded: ColumnElement[bool]) -> Any:
    """Row scope over the keys of the Kinerja roll-ups (`keys.office_id`, `.service`, `.section` of the
    instance, and for steps `.step_section`, `.actor_role`), or None where they cannot express it: a
    PK's scope holds the teams it joined, which no key records. Together with the steps named to the
    user (ANYONE, counted apart) it is exactly `clause` for instances and steps."""
    if user is None:
        return false()
    roles = user.role_names
    if roles & {*SEES_EVERYTHING, KANWIL, DITJENPAS}:
        allowed: ColumnElement[bool] = true()
    else:
        parts = []
        for role in roles & set(RULES[ServiceInstance]):
            if role == KASUBSI:
                parts.append(keys.section == (user.section or ""))
                if hasattr(keys, "actor_role"):
                    parts.append((keys.actor_role == KASUBSI) & (keys.step_section == (user.section or "")))
            elif role == PENGADUAN:
                parts.append(keys.service == COMPLAINT.code)
            else:
                return None
        allowed = or_(*parts) if parts else false()
    return and_(allowed, _office_column_in(keys.office_id, user), not_(subject_excluded))


def writable_section(user: Staff | None) -> str | None:
    """The one section a user's writes are bound to (a Kasubsi's or PK's own), or None when the
    role is not bound to a section; forms offer only that section's values, `allows` refuses others."""
    if user is None or user.role_names & set(SEES_EVERYTHING) or not user.role_names & set(SECTIONED_ROLES):
        return None
    return user.section or ""


def serves_clause(user: Staff | None) -> ColumnElement[bool]:
    """SQL condition selecting the clients `user` may serve at a BATAKO point."""
    if user is None:
        return false()
    parts = [rule(user) for role, rule in SERVES.items() if role in user.role_names]
    return and_(or_(*parts), office_clause(Client, user)) if parts else false()


def attends_clause(user: Staff | None) -> ColumnElement[bool]:
    """SQL condition selecting the clients whose attendance `user` may record at the office."""
    if user is None:
        return false()
    parts = [rule(user) for role, rule in ATTENDS.items() if role in user.role_names]
    return and_(or_(*parts), office_clause(Client, user)) if parts else false()


def reachable(model: type, ids: Any, user: Staff | None = None) -> set[Any]:
    """Which of these ids of `model` the user may reach (one query)."""
    ids = set(ids)
    if not ids:
        return set()
    key = model.id  # type: ignore[attr-defined]
    stmt = restrict(select(key).where(key.in_(ids)), model, user)
    return set(db.session.scalars(stmt))


def allows(item: Any, user: Staff | None = None) -> bool:
    """Whether a (flushed) record lies within the user's scope: the check every write makes."""
    model = type(item)
    return item.id in reachable(model, [item.id], user)


# What a reader who sees a child masked may not search by: the child's identity, and the subject of
# the child's service (which carries the name). Such a search finds the other rows only, so that
# neither a row nor a count confirms a child's name or NIK.
MASKED_SEARCH: dict[type, tuple[frozenset[str], Callable[[], ColumnElement[bool]]]] = {
    Client: (frozenset(IDENTITY_FIELDS), lambda: Client.category != CHILD),
    ServiceInstance: (
        frozenset({"subject"}),
        lambda: not_(ServiceInstance.client.has(Client.category == CHILD)),
    ),
}


def search_clause(model: type, searched: Any, user: Staff | None) -> ColumnElement[bool]:
    """SQL condition a search on the columns `searched` adds for `user` (MASKED_SEARCH)."""
    guard = MASKED_SEARCH.get(model)
    if guard is None or sees_child_identity(user) or not guard[0] & set(searched):
        return true()
    return guard[1]()


def restrict(query: Any, model: type, user: Staff | None = None, searched: Any = ()) -> Any:
    """Apply the current user's scope to a Query or Select over `model`; `searched`: the columns the
    query searches by, which a reader who sees children masked searches among adults only."""
    user = user or current_staff()
    query = query.filter(clause(model, user))
    return query.filter(search_clause(model, searched, user)) if searched else query


def get_or_404(model: type[M], pk: Any, user: Staff | None = None, options: Any = ()) -> M:
    """Load one record the user may reach, or answer 404 (never revealing it exists); `options`:
    loader options (eager loads) for what the page reads of it."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        abort(404)
    stmt = select(model).where(model.id == pk).options(*options)  # type: ignore[attr-defined]
    item = db.session.execute(restrict(stmt, model, user)).scalar_one_or_none()
    if item is None:
        abort(404)
    return item


# The duty roster (SOP 12) of the user's office: every staff member of the office reads it; the
# Kepala and the Kasubsi BKA write it, for their own office only (no office: no roster).
RULES[DutyDay] = {}
ANYONE[DutyDay] = lambda _user: true()
ROSTER_SECTION = "BKA"


def edits_roster(user: Staff | None) -> bool:
    """Whether the user edits the duty roster of their office: its Kepala, or its Kasubsi BKA."""
    if user is None or not user.office_id:
        return False
    roles = user.role_names
    return KEPALA in roles or (KASUBSI in roles and user.section == ROSTER_SECTION)
