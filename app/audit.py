"""Writes the audit trail inside the same transaction as the change it records."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import g, has_request_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app import audit_chain
from app.timeutil import as_utc, utcnow

_PENDING = "audit_pending"  # session.info key: rows waiting for the commit
REDACTED = "[rahasia]"  # confidential values are marked as changed but never copied

# Many-to-many links of the account tables, recorded once on the side that owns them, whichever
# side the change came from: link table -> (owner's column in it, key recorded on the owner).
OWNED_LINKS = {
    "ab_user_role": ("user_id", "roles"),
    "ab_user_group": ("user_id", "groups"),
    "ab_group_role": ("group_id", "roles"),
    "ab_permission_view_role": ("role_id", "permissions"),
}


@dataclass(frozen=True)
class LinkChange:
    """One link added to or removed from its owner (a role given to a user, a permission to a role)."""

    owner: Any
    key: str
    target: Any
    added: bool


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


_BLANK = (None, "")  # an empty form field and a missing value are the same to a reader


def _label(obj: Any) -> str:
    return getattr(obj, "username", None) or str(obj)


def link_changes(objects: Iterable[Any]) -> list[LinkChange]:
    """The account links (OWNED_LINKS) that the pending changes of `objects` add or remove."""
    found = []
    for obj in objects:
        state = inspect(obj)
        for rel in state.mapper.relationships:
            if rel.secondary is None or rel.secondary.name not in OWNED_LINKS:
                continue
            owner_column, key = OWNED_LINKS[rel.secondary.name]
            is_owner = any(column.name == owner_column for _, column in rel.synchronize_pairs)
            history = state.attrs[rel.key].history
            for added, targets in ((True, history.added), (False, history.deleted)):
                for target in targets:
                    owner, other = (obj, target) if is_owner else (target, obj)
                    found.append(LinkChange(owner, key, other, added))
    return found


def _link_diffs(objects: Iterable[Any]) -> dict[Any, dict[str, list[list[str]]]]:
    """Per owner and key, [removed labels, added labels] (each link once, whichever side changed)."""
    sets: dict[Any, dict[str, tuple[set[str], set[str]]]] = {}
    for change in link_changes(objects):
        removed, added = sets.setdefault(change.owner, {}).setdefault(change.key, (set(), set()))
        (added if change.added else removed).add(_label(change.target))
    return {
        owner: {
            key: [sorted(removed - added), sorted(added - removed)] for key, (removed, added) in keys.items()
        }
        for owner, keys in sets.items()
    }


def _changes(obj: Any, action: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    secret = getattr(type(obj), "__audit_redact__", ())
    columns = getattr(type(obj), "__audit_columns__", None)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in ("version", "updated_at") or (columns is not None and key not in columns):
            continue
        history = state.attrs[key].history
        if action == "update":
            if not history.has_changes():
                continue
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old in _BLANK and new in _BLANK:
                continue
        else:
            value = state.attrs[key].value
            old, new = (None, value) if action == "insert" else (value, None)
            if value in _BLANK:
                continue
        if key in secret:
            old, new = (REDACTED if old else None), (REDACTED if new else None)
        changes[key] = [_plain(old), _plain(new)]
    for rel in state.mapper.relationships:
        if rel.uselist and rel.secondary is not None:
            if rel.secondary.name in OWNED_LINKS:
                held = getattr(obj, rel.key) if action == "delete" else None
                if held and rel.key == OWNED_LINKS[rel.secondary.name][1]:
                    changes[rel.key] = [sorted(_label(t) for t in held), None]
                continue
            history = state.attrs[rel.key].history
            if history.has_changes():
                changes[rel.key] = [_plain(history.deleted), _plain(history.added)]
    return changes


def _office_of(obj: Any) -> dict[str, int]:
    """The office an audited row belongs to (an office's own row: that office), if it tells."""
    office_id = obj.id if obj.__tablename__ == "office" else getattr(obj, "office_id", None)
    return {"office_id": office_id} if office_id else {}


def _secret_events(obj: Any, user_id: int | None) -> list[tuple[str, dict[str, Any]]]:
    """Events for changed columns whose value is never recorded (a password): who, not what."""
    state = inspect(obj)
    events = []
    for key, (own, others) in getattr(type(obj), "__audit_secret_events__", {}).items():
        if state.attrs[key].history.has_changes():
            events.append((own if user_id == obj.id else others, {"account": _label(obj)}))
    return events


def _record(session: Session, _flush_context: Any) -> None:
    user_id, username = _actor()
    flushed = (*session.new, *session.dirty, *session.deleted)
    links = _link_diffs(flushed)
    rows = []

    def row(action: str, obj: Any, changes: dict[str, Any]) -> dict[str, Any]:
        identity = inspect(obj).identity
        return {
            "user_id": user_id,
            "username": username,
            "action": action,
            "table_name": obj.__tablename__,
            "record_id": str(identity[0] if identity else obj.id),
            **_office_of(obj),
            "changes": changes,
        }

    for action, objects in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if not getattr(type(obj), "__audited__", False):
                continue
            if action == "update":
                rows.extend(row(event, obj, changes) for event, changes in _secret_events(obj, user_id))
            changes = {**_changes(obj, action), **links.pop(obj, {})}
            if action == "update" and not changes:
                continue
            rows.append(row(action, obj, changes))
    # Links changed from the other side, their owner otherwise untouched.
    rows.extend(
        row("update", owner, changes)
        for owner, changes in links.items()
        if getattr(type(owner), "__audited__", False) and owner not in session.deleted
    )
    if rows:
        write(session, rows)


def write(session: Session, rows: list[dict[str, Any]]) -> None:
    """Queue audit rows in the current transaction: the one way anything reaches the audit trail.
    They are chained and inserted just before the transaction commits, so the chain's lock is held
    only for that moment and a rolled-back change leaves no row."""
    from app.offices import current_office_id

    office_id = current_office_id(session)
    for row in rows:
        row["at"] = as_utc(row.get("at") or utcnow())
        row.setdefault("office_id", office_id)
    session.info.setdefault(_PENDING, []).extend(rows)


def _seal(session: Session) -> None:
    session.flush()  # the last changes queue their rows too
    rows = session.info.pop(_PENDING, None)
    if rows:
        audit_chain.append(session, rows)


def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def log_update(
    model: type,
    record_id: int,
    values: dict[str, Any],
    before: dict[str, Any] | None = None,
    office_id: int | None = None,
) -> None:
    """Record a change made by a direct UPDATE, which the flush listener does not see (the engine
    moves steps that way, so that of two concurrent moves only one can win); `before` holds the old
    values where they are known, `office_id` the trail the row joins if not the user's office's."""
    before = before or {}
    kept = {k: v for k, v in values.items() if v not in (None, {}, []) or before.get(k) is not None}
    log_updates(model, [record_id], kept, office_id, before)


def log_updates(
    model: type,
    record_ids: list[Any],
    values: dict[str, Any],
    office_id: int | None = None,
    before: dict[str, Any] | None = None,
) -> None:
    """Record one set-based UPDATE (the same new values on many rows) in the trail; `office_id`
    names whose trail the rows join when it is not the signed-in user's office."""
    from app.extensions import db

    if not record_ids:
        return
    user_id, username = _actor()
    secret = getattr(model, "__audit_redact__", ())
    changes = {
        key: [_plain((before or {}).get(key)), REDACTED if key in secret and value else _plain(value)]
        for key, value in values.items()
    }
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
    """Listen to every session's flush, commit and transaction end (idempotent)."""
    for name, listener in (
        ("after_flush", _record),
        ("before_commit", _seal),
        ("after_transaction_end", _forget),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
