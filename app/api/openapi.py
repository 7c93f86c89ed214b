"""The OpenAPI 3 description of the API, built with apispec from the resource table, so the document
and the routes cannot drift apart (tests/api fuzzes the routes against it with schemathesis)."""

from __future__ import annotations

from functools import cache
from typing import Any

from apispec import APISpec

from app.api.resources import RESOURCES, STEP_FIELDS, TYPES, Resource
from app.forms.letters import SERVICES_FOR_LETTERS
from app.models.letters import SENDER_KINDS
from app.workflow.definitions import OUTREACH

MAX_ID = 2**31 - 1
ERRORS = {
    "400": "Invalid parameter or body (message in Indonesian).",
    "401": "No token, or an unknown, expired or revoked one.",
    "403": "The service account's role may not do this.",
}


def _type(kind: str, nullable: bool) -> dict[str, Any]:
    if kind == "steps":
        return {"type": "array", "items": {"$ref": "#/components/schemas/Step"}}
    return {**TYPES[kind], **({"nullable": True} if nullable else {})}


def _schema(resource: Resource) -> dict[str, Any]:
    props = {name: _type(spec.kind, spec.nullable) for name, spec in resource.fields.items()}
    return {"type": "object", "properties": props, "required": ["id"]}


def _error_responses(*codes: str) -> dict[str, Any]:
    return {
        code: {
            "description": ERRORS.get(code, "Not found, or outside the caller's scope."),
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for code in codes
    }


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _query_parameters(resource: Resource) -> list[dict[str, Any]]:
    params = [
        {
            "name": "limit",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
            "description": "Rows per page.",
        },
        {
            "name": "cursor",
            "in": "query",
            "schema": {"type": "string"},
            "description": "The `next_cursor` of the previous page.",
        },
        {
            "name": "fields",
            "in": "query",
            "schema": {"type": "string"},
            "description": "Comma-separated field names to return (`id` always comes too): "
            + ", ".join(resource.fields),
        },
    ]
    for name, spec in resource.filters.items():
        schema = (
            {"type": "integer", "minimum": 1, "maximum": MAX_ID} if spec.kind == "int" else TYPES[spec.kind]
        )
        if spec.kind == "str":
            schema = {"type": "string", "maxLength": 100}
        params.append({"name": name, "in": "query", "schema": schema, "description": "Filter."})
    return params


def _letter_body() -> dict[str, Any]:
    services = [code for code in SERVICES_FOR_LETTERS if code != OUTREACH.code]
    text = {"type": "string", "minLength": 1}
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "service",
            "sender",
            "sender_kind",
            "letter_number",
            "letter_date",
            "subject",
            "received_at",
        ],
        "properties": {
            "service": {"type": "string", "enum": services},
            "sender": {**text, "maxLength": 200},
            "sender_kind": {"type": "string", "enum": list(SENDER_KINDS)},
            "letter_number": {**text, "maxLength": 100},
            "letter_date": {"type": "string", "format": "date"},
            "subject": {**text, "maxLength": 300},
            "received_at": {
                "type": "string",
                "example": "2026-11-29 08:15",
                "description": "WIB, YYYY-MM-DD HH:MM",
            },
        },
    }


@cache
def document() -> dict[str, Any]:
    """The whole OpenAPI document (built once per process)."""
    spec = APISpec(
        title="Bapas back office API",
        version="1.0.0",
        openapi_version="3.0.3",
        info={
            "description": "Read access for partner systems under the caller's row scope, with a "
            "child's identity masked as on screen; pages by cursor in id order."
        },
        servers=[{"url": "/api/v1"}],
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema(
        "Error",
        {
            "type": "object",
            "properties": {
                "error": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "integer"},
                        "message": {"type": "string"},
                        "fields": {
                            "type": "object",
                            "additionalProperties": {"type": "array", "items": {"type": "string"}},
                        },
                    },
                    "required": ["code", "message"],
                }
            },
            "required": ["error"],
        },
    )
    spec.components.schema(
        "Step",
        {"type": "object", "properties": {name: _type(kind, True) for name, kind in STEP_FIELDS.items()}},
    )
    security = [{"bearer": []}]
    for resource in RESOURCES.values():
        name = resource.model.__name__
        spec.components.schema(name, _schema(resource))
        ref = {"$ref": f"#/components/schemas/{name}"}
        page = {
            "type": "object",
            "properties": {
                "data": {"type": "array", "items": ref},
                "next_cursor": {"type": "string", "nullable": True},
            },
            "required": ["data", "next_cursor"],
        }
        spec.path(
            path=f"/{resource.name}",
            operations={
                "get": {
                    "summary": resource.summary,
                    "operationId": f"list_{name}",
                    "security": security,
                    "parameters": _query_parameters(resource),
                    "responses": {"200": _json(page, "A page."), **_error_responses("400", "401", "403")},
                }
            },
        )
        spec.path(
            path=f"/{resource.name}/{{id}}",
            operations={
                "get": {
                    "summary": f"One record of {resource.name}.",
                    "operationId": f"get_{name}",
                    "security": security,
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                        },
                        _query_parameters(resource)[2],
                    ],
                    "responses": {
                        "200": _json(
                            {"type": "object", "properties": {"data": ref}, "required": ["data"]},
                            "The record.",
                        ),
                        **_error_responses("400", "401", "403", "404"),
                    },
                }
            },
        )
    created = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "agenda_number": {"type": "string"},
            "instance_id": {"type": "integer", "nullable": True},
        },
    }
    spec.path(
        path="/incoming-letters",
        operations={
            "post": {
                "summary": "Register an incoming letter (e.g. a police request for a child's accompaniment).",
                "operationId": "register_letter",
                "security": security,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _letter_body()}},
                },
                "responses": {
                    "201": _json({"type": "object", "properties": {"data": created}}, "Registered."),
                    **_error_responses("400", "401", "403"),
                },
            }
        },
    )
    return spec.to_dict()
