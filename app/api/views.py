"""The API's routes: a list by cursor, one record, registering a letter, and the OpenAPI document."""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from typing import Any

from flask import Response, g, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import select

from app.api import ApiError, bp, require
from app.api.letters import register_from_json
from app.api.openapi import document
from app.api.resources import RESOURCES, Resource, plain
from app.extensions import db
from app.security import scope
from app.timeutil import WIB

DEFAULT_LIMIT, MAX_LIMIT = 50, 200


def _resource(name: str) -> Resource:
    resource = RESOURCES.get(name)
    if resource is None:
        raise ApiError(404, _("There is no such collection in the API."))
    require("can_list", resource.view)
    return resource


def serialize(resource: Resource, row: Any, fields: list[str]) -> dict[str, Any]:
    """A row as the caller may see it: the chosen fields, masked as on screen."""
    out = {}
    for name in fields:
        spec = resource.fields[name]
        out[name] = plain(spec.read(row) if spec.read else getattr(row, name))
    return out


def _fields(resource: Resource) -> list[str]:
    asked = request.args.get("fields")
    if not asked:
        return list(resource.fields)
    names = [name.strip() for name in asked.split(",") if name.strip()]
    unknown = [name for name in names if name not in resource.fields]
    if unknown or not names:
        raise ApiError(400, _("Unknown field: %(names)s.", names=", ".join(unknown) or "-"))
    return ["id", *[name for name in names if name != "id"]]


def _int(name: str, raw: str, low: int = 1, high: int = 2**31 - 1) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise ApiError(
            400,
            _(
                "The parameter %(name)s must be a whole number from %(low)d to %(high)d.",
                name=name,
                low=low,
                high=high,
            ),
        )
    return value


def _filter_value(name: str, kind: str, raw: str) -> Any:
    if kind == "int":
        return _int(name, raw)
    if kind == "date":
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise ApiError(400, _("The parameter %(name)s must be a date (YYYY-MM-DD).", name=name)) from None
    if len(raw) > 100:
        raise ApiError(400, _("The parameter %(name)s is too long.", name=name))
    return raw


def _cursor(raw: str | None) -> int:
    if not raw:
        return 0
    try:
        return _int("cursor", base64.urlsafe_b64decode(raw.encode() + b"==").decode(), 1)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ApiError(400, _("The cursor is not one this API gave.")) from None


def _next_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(str(last_id).encode()).decode().rstrip("=")


def _query(resource: Resource) -> Any:
    model = resource.model
    known = {"limit", "cursor", "fields", *resource.filters}
    unknown = sorted(set(request.args) - known)
    if unknown:
        raise ApiError(400, _("Unknown parameter: %(names)s.", names=", ".join(unknown)))
    stmt = scope.restrict(select(model), model).options(*resource.options)
    for name, spec in resource.filters.items():
        if name in request.args:
            value = _filter_value(name, spec.kind, request.args[name])
            if spec.kind == "date" and spec.column.type.python_type is datetime:
                value = datetime(value.year, value.month, value.day, tzinfo=WIB)  # from midnight WIB
            stmt = stmt.where(spec.column >= value if spec.op == "ge" else spec.column == value)
    return stmt


@bp.get("/<string:collection>")
def collection(collection: str) -> Response:
    """A page of a collection in id order; `next_cursor` fetches the next page (null at the end)."""
    resource = _resource(collection)
    fields = _fields(resource)
    limit = _int("limit", request.args.get("limit", str(DEFAULT_LIMIT)), 1, MAX_LIMIT)
    after = _cursor(request.args.get("cursor"))
    key = resource.model.id  # type: ignore[attr-defined]
    stmt = _query(resource).where(key > after).order_by(key).limit(limit + 1)
    rows = list(db.session.scalars(stmt).unique())
    more = len(rows) > limit
    rows = rows[:limit]
    return jsonify(
        data=[serialize(resource, row, fields) for row in rows],
        next_cursor=_next_cursor(rows[-1].id) if more else None,
    )


@bp.get("/<string:collection>/<int:pk>")
def item(collection: str, pk: int) -> Response:
    """One record of a collection, or 404 when it does not exist or lies outside the caller's scope."""
    resource = _resource(collection)
    fields = _fields(resource)
    if pk > 2**31 - 1:
        raise ApiError(404, _("The record does not exist, or is outside your work area."))
    model = resource.model
    stmt = scope.restrict(select(model).where(model.id == pk), model).options(*resource.options)  # type: ignore[attr-defined]
    row = db.session.scalars(stmt).unique().first()
    if row is None:
        raise ApiError(404, _("The record does not exist, or is outside your work area."))
    return jsonify(data=serialize(resource, row, fields))


@bp.post("/incoming-letters")
def incoming_letter() -> tuple[Response, int]:
    """Register an incoming letter (e.g. the police's request for a child's accompaniment)."""
    require("can_register", "IncomingLetter")
    letter = register_from_json(g.user, request.get_json(silent=True))
    return jsonify(
        data={"id": letter.id, "agenda_number": letter.agenda_number, "instance_id": letter.instance_id}
    ), 201


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3 description of this API."""
    return jsonify(document())
