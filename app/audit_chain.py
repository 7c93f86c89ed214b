"""Tamper evidence for the audit trail: each row carries an HMAC over its content and the
previous row's hash, so a forged, altered or removed row breaks the chain at a known id."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import Connection, bindparam, select, text
from sqlalchemy.orm import Session

from app.models.audit import AuditLog
from app.timeutil import as_utc

# pg_advisory_xact_lock key: one writer at a time computes the next link ("audit" in ASCII).
LOCK_KEY = 0x6175646974
CONTENT = ("at", "user_id", "username", "action", "table_name", "record_id", "office_id", "changes")
VERIFY_ACTION = "audit_verify"


def hmac_key(config: Mapping[str, Any] | None = None) -> bytes:
    """AUDIT_HMAC_KEY, or SECRET_KEY when none is set."""
    config = config if config is not None else current_app.config
    return str(config.get("AUDIT_HMAC_KEY") or config["SECRET_KEY"]).encode()


def _canonical(row: Mapping[str, Any]) -> bytes:
    content = {key: row[key] for key in CONTENT}
    moment = row["at"]
    if isinstance(moment, str):  # SQLite through a bare connection
        moment = datetime.fromisoformat(moment)
    content["at"] = as_utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    changes = row["changes"]
    content["changes"] = json.loads(changes) if isinstance(changes, str) else changes
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest(row: Mapping[str, Any], prev_hash: str | None, key: bytes) -> str:
    """The row's hash: HMAC-SHA256 over the previous hash and the row's canonical JSON."""
    return hmac.new(key, (prev_hash or "").encode() + b"|" + _canonical(row), hashlib.sha256).hexdigest()


def _lock(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    else:
        # SQLite: an empty write takes the database's write lock now, not at the INSERT, so no
        # other writer can append between reading the last hash and adding ours.
        connection.execute(text("DELETE FROM audit_log WHERE 1 = 0"))


def _head(connection: Connection) -> str | None:
    return connection.scalar(select(AuditLog.row_hash).order_by(AuditLog.id.desc()).limit(1))


def append(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert rows at the end of the chain; the lock is held until the transaction ends."""
    connection = session.connection()
    _lock(connection)
    prev, key = _head(connection), hmac_key()
    for row in rows:
        row["changes"] = json.loads(json.dumps(row["changes"]))  # exactly what the database returns
        row["prev_hash"] = prev
        row["row_hash"] = prev = digest(row, prev, key)
    connection.execute(AuditLog.__table__.insert(), rows)


@dataclass(frozen=True)
class ChainReport:
    """What a verification found: the number of rows read and the first broken one, if any."""

    checked: int
    broken_id: int | None
    head_id: int | None
    head_hash: str | None

    @property
    def ok(self) -> bool:
        """Whether every link holds."""
        return self.broken_id is None


def verify(connection: Connection | Session, key: bytes | None = None) -> ChainReport:
    """Walk the trail in id order; report the first row whose hash or link does not hold."""
    key = key or hmac_key()
    columns = [AuditLog.id, AuditLog.prev_hash, AuditLog.row_hash, *(getattr(AuditLog, c) for c in CONTENT)]
    stmt = select(*columns).order_by(AuditLog.id).execution_options(yield_per=1000)
    prev, checked, last_id = None, 0, None
    result = connection.execute(stmt)
    try:
        for row in result.mappings():
            if row["prev_hash"] != prev or row["row_hash"] != digest(row, row["prev_hash"], key):
                return ChainReport(checked, row["id"], last_id, prev)
            prev, checked, last_id = row["row_hash"], checked + 1, row["id"]
    finally:
        result.close()  # a streamed result left open would hold the table
    return ChainReport(checked, None, last_id, prev)


def rechain(connection: Connection, key: bytes, batch: int = 1000) -> int:
    """Compute every row's link afresh (the migration that adds the columns); the caller lets
    UPDATE through the append-only triggers. Returns the number of rows."""
    table = AuditLog.__table__
    columns = [table.c.id, *(table.c[c] for c in CONTENT)]
    update = (
        table.update()
        .where(table.c.id == bindparam("row_id"))
        .values(prev_hash=bindparam("prev"), row_hash=bindparam("hash"))
    )
    prev, count, pending = None, 0, []
    for row in connection.execute(select(*columns).order_by(table.c.id)).mappings().all():
        row_hash = digest(row, prev, key)
        pending.append({"row_id": row["id"], "prev": prev, "hash": row_hash})
        prev, count = row_hash, count + 1
        if len(pending) == batch:
            connection.execute(update, pending)
            pending = []
    if pending:
        connection.execute(update, pending)
    return count


def check_and_record(session: Session) -> ChainReport:
    """Verify the chain and record the outcome in the trail (the daily job); a broken chain is
    what the Kepala and the Pengawas are alerted to on their home page."""
    from app import audit

    report = verify(session)
    outcome = {"ok": report.ok, "checked": report.checked, "broken_id": report.broken_id}
    audit.record_event(
        VERIFY_ACTION, AuditLog.__tablename__, report.broken_id or report.head_id or 0, outcome
    )
    session.commit()
    return report


def latest_alert(session: Session) -> AuditLog | None:
    """The latest integrity check, if it found the chain broken."""
    last = session.scalar(
        select(AuditLog)
        # The table name (always audit_log for a check) lets the (table_name, record_id) index find
        # the few checks; on the action alone PostgreSQL walked the whole log backwards (0.2 s at 200 k).
        .where(AuditLog.table_name == AuditLog.__tablename__, AuditLog.action == VERIFY_ACTION)
        .order_by(AuditLog.id.desc())
        .limit(1)
    )
    return last if last is not None and not last.changes.get("ok") else None
