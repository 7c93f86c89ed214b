"""Writes the audit trail inside the same transaction as the change it records."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import g, has_request_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.models.audit import AuditLog

REDACTED = "[rahasia]"  # confidential values are marked as changed but never copied


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(str(v) for v in value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _actor() -> tuple[int | None, str]:
    user = getattr(g, "user", None) if has_request_context() else None
    if user is not None and getattr(user, "is_authenticated", False):
        return user.id, user.username
    return None, "sistem"


def _changes(obj: Any, action: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    secret = getattr(type(obj), "__audit_redact__", ())
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in ("version", "updated_at"):
            continue
        history = state.attrs[key].history
        if action == "update":
            if not history.has_changes():
                continue
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
        else:
            value = state.attrs[key].value
            old, new = (None, value) if action == "insert" else (value, None)
            if value is None:
                continue
        if key in secret:
            old, new = (REDACTED if old else None), (REDACTED if new else None)
        changes[key] = [_plain(old), _plain(new)]
    for rel in state.mapper.relationships:
        if rel.uselist and rel.secondary is not None:
            history = state.attrs[rel.key].history
            if history.has_changes():
                changes[rel.key] = [_plain(history.deleted), _plain(history.added)]
    return changes


def _office_of(obj: Any) -> dict[str, int]:
    """The office an audited row belongs to (an office's own row: that office), if it tells."""
    office_id = obj.id if obj.__tablename__ == "office" else getattr(obj, "office_id", None)
    return {"office_id": office_id} if office_id else {}


def _record(session: Session, _flush_context: Any) -> None:
    user_id, username = _actor()
    rows = []
    for action, objects in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if not getattr(type(obj), "__audited__", False):
                continue
            if action == "update" and not session.is_modified(obj):
                continue
            changes = _changes(obj, action)
            if action == "update" and not changes:
                continue
            rows.append(
                {
                    "user_id": user_id,
                    "username": username,
                    "action": action,
                    "table_name": obj.__tablename__,
                    "record_id": str(inspect(obj).identity[0] if inspect(obj).identity else obj.id),
                    **_office_of(obj),
                    "changes": changes,
                }
            )
    if rows:
        write(session, rows)


def write(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert audit rows: the one way anything reaches the audit trail."""
    from app.offices import current_office_id

    office_id = current_office_id(session)
    for row in rows:
        row.setdefault("office_id", office_id)
    session.execute(AuditLog.__table__.insert(), rows)


def log_update(model: type, record_id: int, values: dict[str, Any]) -> None:
    """Record a change made by a direct UPDATE, which the flush listener does not see (the engine
    moves steps that way, so that of two concurrent moves only one can win)."""
    from app.extensions import db

    user_id, username = _actor()
    secret = getattr(model, "__audit_redact__", ())
    changes = {
        key: [None, REDACTED if key in secret and value else _plain(value)]
        for key, value in values.items()
        if value not in (None, {}, [])
    }
    write(
        db.session,
        [
            {
                "user_id": user_id,
                "username": username,
                "action": "update",
                "table_name": model.__tablename__,
                "record_id": str(record_id),
                "changes": changes,
            }
        ],
    )


def log_updates(
    model: type, record_ids: list[Any], values: dict[str, Any], office_id: int | None = None
) -> None:
    """Record one set-based UPDATE (the same new values on many rows) in one insert; `office_id`
    names whose trail the rows join when it is not the signed-in user's office."""
    from app.extensions import db

    if not record_ids:
        return
    user_id, username = _actor()
    changes = {key: [None, _plain(value)] for key, value in values.items()}
    extra = {"office_id": office_id} if office_id else {}
    write(
        db.session,
        [
            {
                "user_id": user_id,
                "username": username,
                "action": "update",
                "table_name": model.__tablename__,
                "record_id": str(record_id),
                "changes": changes,
                **extra,
            }
            for record_id in record_ids
        ],
    )


def record_event(
    action: str,
    table_name: str,
    record_id: Any,
    changes: dict[str, Any] | None = None,
    username: str | None = None,
) -> None:
    """Record an event that is not a row change (a sign-in, a lockout, a download) in the current
    transaction; the caller commits. `username` names the actor when no one is signed in yet."""
    from app.extensions import db

    user_id, actor = _actor()
    write(
        db.session,
        [
            {
                "user_id": user_id,
                "username": username or actor,
                "action": action,
                "table_name": table_name,
                "record_id": str(record_id),
                "changes": {key: _plain(value) for key, value in (changes or {}).items()},
            }
        ],
    )


def install() -> None:
    """Listen to every session's flush (idempotent)."""
    if not event.contains(Session, "after_flush", _record):
        event.listen(Session, "after_flush", _record)
