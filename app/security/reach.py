"""Which offices a user reaches: each record's way to its office (its own column, or the record it
belongs to) and the accounts of those offices. app.security.scope ANDs this to every rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, false, select, true

from app.models.api import ApiToken
from app.models.audit import AuditLog
from app.models.clients import Client
from app.models.group_guidance import GroupMember, GroupSession
from app.models.guidance import StagePlan, SupervisionPeriod
from app.models.offices import Office, OfficeOwned, Region
from app.models.staff import Staff
from app.models.tpp import TppItem, TppSession
from app.models.transfers import ACCEPTED_STATES, AWAITING, ClientTransfer
from app.models.travel_permits import TravelPermit
from app.models.workflow import ExtraHoliday, ServiceInstance, StepRecord
from app.security.roles import (
    ADMIN,
    DITJENPAS,
    KEPALA,
)

# Roles of accounts that belong to no office and reach every office (the national Admin, and the
# Directorate General, which has no record view at all: only figures, see RULES below).
NATIONAL_ROLES = (ADMIN, DITJENPAS)


def office_column_in(column: Any, user: Staff) -> ColumnElement[bool]:
    if user.office_id:
        return column == user.office_id
    if user.region_id:
        return column.in_(select(Office.id).where(Office.region_id == user.region_id))
    # An account of no office and no region reaches every office only with a national role;
    # an account created without its office reaches none (fail closed).
    return true() if user.role_names & set(NATIONAL_ROLES) else false()


def _through(relation: Any, target: type) -> Callable[[Staff], ColumnElement[bool]]:
    return lambda user: relation.has(office_clause(target, user))


# How each model reaches its office: its own column, or the record it belongs to.
OFFICE_PATHS: dict[type, Callable[[Staff], ColumnElement[bool]]] = {}


def office_clause(model: type, user: Staff) -> ColumnElement[bool]:
    """SQL condition keeping the rows of `model` in the offices the user reaches (no staff member
    reaches another office's records); `true()` for a national account."""
    if issubclass(model, OfficeOwned):
        return office_column_in(model.office_id, user)  # type: ignore[attr-defined]
    path = OFFICE_PATHS.get(model)
    return path(user) if path else true()


def _region_reach(user: Staff) -> ColumnElement[bool]:
    if user.office_id:
        return false()
    if user.region_id:
        return Region.id == user.region_id
    return office_column_in(Office.id, user)  # no office, no region: national or nothing


def _transfer_offices(user: Staff) -> ColumnElement[bool]:
    """The origin keeps a transfer for good (its summary of a client who left); the destination
    reaches it from acceptance on, and before that only its Kepala, while the decision is its own."""
    at_destination = ClientTransfer.status.in_(ACCEPTED_STATES)
    if KEPALA in user.role_names:
        at_destination = at_destination | (ClientTransfer.status == AWAITING)
    return office_column_in(ClientTransfer.origin_office_id, user) | (
        office_column_in(ClientTransfer.destination_office_id, user) & at_destination
    )


OFFICE_PATHS.update(
    {
        Office: lambda user: office_column_in(Office.id, user),
        Region: _region_reach,
        ClientTransfer: _transfer_offices,
        ApiToken: lambda user: ApiToken.account.has(staff_clause(user)),
        StagePlan: _through(StagePlan.client, Client),
        SupervisionPeriod: _through(SupervisionPeriod.client, Client),
        TravelPermit: lambda user: office_column_in(TravelPermit.office_id, user),  # its service's office
        StepRecord: _through(StepRecord.instance, ServiceInstance),
        GroupMember: _through(GroupMember.session, GroupSession),
        TppItem: _through(TppItem.session, TppSession),
        AuditLog: lambda user: office_column_in(AuditLog.office_id, user),
        # A national day off (no office) counts everywhere.
        ExtraHoliday: lambda user: (
            ExtraHoliday.office_id.is_(None) | office_column_in(ExtraHoliday.office_id, user)
        ),
    }
)


def is_national(user: Staff | None) -> bool:
    """Whether the account reaches every office: no office, no region and a national role."""
    return (
        user is not None
        and user.office_id is None
        and user.region_id is None
        and bool(user.role_names & set(NATIONAL_ROLES))
    )


def staff_clause(user: Staff | None) -> ColumnElement[bool]:
    """SQL condition on Staff: the colleagues a user may choose or see (those of its offices)."""
    if user is None:
        return true()
    return office_column_in(Staff.office_id, user)
