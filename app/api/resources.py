"""What the REST API reads, declared once as data: each resource's model, the permission it needs
(the same as its screen), its fields with their OpenAPI types, and the filters it accepts. Row scope
and masking are those of the screens (`scope.restrict`, `app.masking`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import selectinload

from app import masking
from app.models.cases import Case
from app.models.clients import Client
from app.models.complaints import Complaint
from app.models.guidance import GuidanceLog, ProgressReport
from app.models.workflow import ServiceInstance
from app.security import roles
from app.timeutil import as_utc

# OpenAPI type of each kind of field.
TYPES: dict[str, dict[str, str]] = {
    "int": {"type": "integer"},
    "str": {"type": "string"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "bool": {"type": "boolean"},
}


@dataclass(frozen=True)
class Field:
    """A field of a resource: its kind (a key of TYPES) and how it is read from a row."""

    kind: str
    read: Callable[[Any], Any] | None = None  # default: the column of the same name
    nullable: bool = True


@dataclass(frozen=True)
class Filter:
    """A query parameter that narrows a list: the column it compares and how."""

    kind: str  # "int", "str" or "date"
    column: Any
    op: str = "eq"  # "eq", or "ge" for a lower bound (…_since)


@dataclass(frozen=True)
class Resource:
    """One readable collection of the API."""

    name: str
    model: type
    view: str  # the permission's view name, as on the screens
    summary: str
    fields: dict[str, Field]
    filters: dict[str, Filter] = field(default_factory=dict)
    options: tuple[Any, ...] = ()


def _client_field(column: str, kind: str) -> Field:
    return Field(kind, lambda client: masking.masked_value(client, column, getattr(client, column)))


def _steps(instance: ServiceInstance) -> list[dict[str, Any]]:
    return [{name: plain(getattr(step, name)) for name in STEP_FIELDS} for step in instance.steps]


def plain(value: Any) -> Any:
    """A value as JSON carries it: dates in ISO form, moments in UTC with their offset."""
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    return value.isoformat() if isinstance(value, date) else value


STEP_FIELDS = {
    "step": "str",
    "actor_role": "str",
    "section": "str",
    "ready_at": "datetime",
    "opened_at": "datetime",
    "finished_at": "datetime",
    "due_at": "datetime",
    "outcome": "str",
    "waiting_seconds": "int",
    "handling_seconds": "int",
    "lead_seconds": "int",
    "within_standard": "bool",
}

RESOURCES: dict[str, Resource] = {
    resource.name: resource
    for resource in (
        Resource(
            "clients",
            Client,
            roles.CLIENT,
            "Clients in the caller's scope; a child's identity masked as on screen.",
            {
                "id": Field("int", nullable=False),
                "register_number": Field("str", nullable=False),
                **{name: _client_field(name, "str") for name in ("name", "nik", "birth_place", "address")},
                "birth_date": Field(
                    "str", lambda c: plain(masking.masked_value(c, "birth_date", c.birth_date))
                ),
                "sex": Field("str", nullable=False),
                "category": Field("str", nullable=False),
                "legal_basis": Field("str", nullable=False),
                "status": Field("str", nullable=False),
                "officer_id": Field("int"),
                "office_id": Field("int"),
                "supervision_start": Field("date"),
                "supervision_end": Field("date"),
                "updated_at": Field("datetime"),
            },
            {
                "status": Filter("str", Client.status),
                "category": Filter("str", Client.category),
                "officer_id": Filter("int", Client.officer_id),
                "updated_since": Filter("date", Client.updated_at, "ge"),
            },
        ),
        Resource(
            "cases",
            Case,
            roles.CASE,
            "Cases (perkara) of the clients in the caller's scope.",
            {
                "id": Field("int", nullable=False),
                "number": Field("str", nullable=False),
                "offence": Field("str", nullable=False),
                "article": Field("str"),
                "authority": Field("str", nullable=False),
                "section": Field("str", nullable=False),
                "legal_stage": Field("str", nullable=False),
                "client_ids": Field("str", lambda case: ",".join(str(c.id) for c in case.clients)),
                "created_at": Field("datetime"),
            },
            {"section": Filter("str", Case.section), "legal_stage": Filter("str", Case.legal_stage)},
            (selectinload(Case.clients),),
        ),
        Resource(
            "guidance-logs",
            GuidanceLog,
            roles.GUIDANCE_LOG,
            "Guidance sessions (bimbingan); confidential notes never leave the back office.",
            {
                "id": Field("int", nullable=False),
                "client_id": Field("int", nullable=False),
                "officer_id": Field("int", nullable=False),
                "held_on": Field("date", nullable=False),
                "stage": Field("str"),
                "kind": Field("str", nullable=False),
                "place": Field("str", nullable=False),
                "notes": Field("str", nullable=False),
                "next_appointment": Field("date"),
                "created_at": Field("datetime"),
            },
            {
                "client_id": Filter("int", GuidanceLog.client_id),
                "officer_id": Filter("int", GuidanceLog.officer_id),
                "held_since": Filter("date", GuidanceLog.held_on, "ge"),
            },
        ),
        Resource(
            "progress-reports",
            ProgressReport,
            roles.PROGRESS_REPORT,
            "Monthly progress reports (laporan perkembangan).",
            {
                "id": Field("int", nullable=False),
                "client_id": Field("int", nullable=False),
                "month": Field("date", nullable=False),
                "stage": Field("str"),
                "officer_id": Field("int"),
                "sessions": Field("int"),
                "progress": Field("str"),
                "problems": Field("str"),
                "next_plan": Field("str"),
                "filed_at": Field("datetime"),
            },
            {
                "client_id": Filter("int", ProgressReport.client_id),
                "month_since": Filter("date", ProgressReport.month, "ge"),
            },
        ),
        Resource(
            "service-instances",
            ServiceInstance,
            roles.INSTANCE,
            "Services of the standards with their steps and measured times.",
            {
                "id": Field("int", nullable=False),
                "service": Field("str", nullable=False),
                "subject": Field("str", masking.subject),
                "section": Field("str"),
                "officer_id": Field("int"),
                "client_id": Field("int"),
                "status": Field("str", nullable=False),
                "current_step": Field("str"),
                "started_at": Field("datetime", nullable=False),
                "finished_at": Field("datetime"),
                "limit_due_at": Field("datetime"),
                "limit_met": Field("bool"),
                "steps": Field("steps", _steps, nullable=False),
            },
            {
                "service": Filter("str", ServiceInstance.service),
                "status": Filter("str", ServiceInstance.status),
                "client_id": Filter("int", ServiceInstance.client_id),
                "started_since": Filter("date", ServiceInstance.started_at, "ge"),
            },
            (selectinload(ServiceInstance.steps),),
        ),
        Resource(
            "complaints",
            Complaint,
            roles.COMPLAINT,
            "Complaints, without the complainant's identity or words (name, contact, description).",
            {
                "id": Field("int", nullable=False),
                "channel": Field("str", nullable=False),
                "category": Field("str", nullable=False),
                "sop": Field("str", nullable=False),
                "title": Field("str", nullable=False),
                "instance_id": Field("int"),
                "received_at": Field("datetime", nullable=False),
                "closed_at": Field("datetime"),
            },
            {"channel": Filter("str", Complaint.channel), "category": Filter("str", Complaint.category)},
        ),
    )
}
