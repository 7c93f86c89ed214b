"""Row scope: which records each user may reach. The one place every view, action,
export and download asks; FAB's base_filters are not used for this because actions
and downloads skip them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, g, has_request_context
from sqlalchemy import ColumnElement, false, or_, select, true

from app.extensions import db
from app.models.audit import AuditLog
from app.models.cases import Case
from app.models.clients import SECTION_OF_CATEGORY, Client
from app.models.group_guidance import GroupSession
from app.models.guidance import GuidanceLog, ProgressReport, StagePlan, SupervisionPeriod
from app.models.letters import Disposition, IncomingLetter
from app.models.mobile import MobileService
from app.models.staff import Staff
from app.models.tpp import TppSession
from app.models.travel_permits import TravelPermit
from app.models.workflow import ExtraHoliday, ServiceInstance, StepRecord
from app.security.roles import ADMIN, KASUBSI, KEPALA, PENGAWAS, PK, SEES_EVERYTHING, TU

Rule = Callable[[Staff], ColumnElement[bool]]
M = TypeVar("M")

CONFIDENTIAL_READERS = (KEPALA, KASUBSI, PK)
CATEGORY_OF_SECTION = {section: category for category, section in SECTION_OF_CATEGORY.items()}


def _everything(_user: Staff) -> ColumnElement[bool]:
    return true()


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
        PK: lambda user: TravelPermit.instance.has(ServiceInstance.officer_id == user.id),
    },
    # TPP members see the agendas they sit on; Kasubsi prepare the sessions.
    TppSession: {KASUBSI: _everything, PK: lambda user: TppSession.members.any(Staff.id == user.id)},
    ServiceInstance: {
        KASUBSI: lambda user: ServiceInstance.section == (user.section or ""),
        PK: lambda user: ServiceInstance.officer_id == user.id,
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
    return {role: _client_rule(model, rule) for role, rule in RULES[Client].items() if role != TU}


RULES.update({model: _through_client(model) for model in (ProgressReport, StagePlan, SupervisionPeriod)})
# A PK reads the guidance it gave to another PK's client (e.g. at a BATAKO point) too.
RULES[GuidanceLog] = _through_client(GuidanceLog)
RULES[GuidanceLog][PK] = lambda user: (
    (GuidanceLog.officer_id == user.id) | GuidanceLog.client.has(Client.officer_id == user.id)
)
RULES[MobileService] = {
    KASUBSI: lambda user: MobileService.officer.has(Staff.section == (user.section or "")),
    PK: lambda user: MobileService.officer_id == user.id,
}
# Every Kasubsi and PK reads the group sessions: PKs propose their clients, the Kasubsi BKD compiles.
RULES[GroupSession] = {KASUBSI: _everything, PK: _everything}


# A step is reachable wherever its instance is, and by whoever must act on it.
def _through_instance(rule: Rule) -> Rule:
    return lambda user: StepRecord.instance.has(rule(user))


RULES[StepRecord] = {role: _through_instance(rule) for role, rule in RULES[ServiceInstance].items()}
# A step fixed to a section (the Kasubsi BKD compiles every PK's group list) or to a PK.
RULES[StepRecord][KASUBSI] = lambda user: (
    _through_instance(RULES[ServiceInstance][KASUBSI])(user)
    | ((StepRecord.actor_role == KASUBSI) & (StepRecord.section == (user.section or "")))
)
RULES[StepRecord][PK] = lambda user: (
    _through_instance(RULES[ServiceInstance][PK])(user) | (StepRecord.assignee_id == user.id)
)


def sees_confidential(user: Staff | None) -> bool:
    """Whether the user may read confidential notes and a child's identity (UU 11/2012): the
    client's PK, its Kasubsi and the Kepala; row scope has already narrowed which clients."""
    return user is not None and bool(user.role_names & set(CONFIDENTIAL_READERS))


def current_staff() -> Staff | None:
    """The signed-in staff member, or None outside a request or when anonymous."""
    if not has_request_context():
        return None
    user = getattr(g, "user", None)
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def clause(model: type, user: Staff | None) -> ColumnElement[bool]:
    """SQL condition selecting the rows of `model` that `user` may reach."""
    if user is None:
        return false()
    roles = user.role_names
    if roles & set(SEES_EVERYTHING):
        return true()
    rules = RULES.get(model, {})
    parts = [rules[role](user) for role in sorted(roles) if role in rules]
    return or_(*parts) if parts else false()


def restrict(query: Any, model: type, user: Staff | None = None) -> Any:
    """Apply the current user's scope to a Query or Select over `model`."""
    return query.filter(clause(model, user or current_staff()))


def get_or_404(model: type[M], pk: Any, user: Staff | None = None) -> M:
    """Load one record the user may reach, or answer 404 (never revealing it exists)."""
    stmt = select(model).where(model.id == pk)  # type: ignore[attr-defined]
    item = db.session.execute(restrict(stmt, model, user)).scalar_one_or_none()
    if item is None:
        abort(404)
    return item
