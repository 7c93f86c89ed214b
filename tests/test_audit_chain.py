"""The audit trail's hash chain: a forged, altered or removed row is found at its id, the daily
check alerts the Kepala and the Pengawas, and on PostgreSQL the trail cannot be truncated and the
application's role may only read and append."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from app import audit_chain
from app.models.audit import AuditLog
from tests.conftest import indonesian

SQLITE_TRIGGERS = {
    event: f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    for event in ("UPDATE", "DELETE")
}
FORGE = text(
    "INSERT INTO audit_log"
    " (at, user_id, username, action, table_name, record_id, changes, prev_hash, row_hash) "
    "VALUES ('2026-11-29 10:00:00.000000', NULL, 'admin', 'update', 'client', '1', '{}', :prev, :hash) "
    "RETURNING id"
)
APP_ROLE = "bapas_app_audit_test"


def _postgres(session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


@contextmanager
def _triggers_off(session) -> Iterator[None]:
    """The append-only triggers switched off inside the current transaction (as a superuser or the
    table's owner could); the caller rolls back or commits with the triggers back on."""
    if _postgres(session):
        session.execute(text("ALTER TABLE audit_log DISABLE TRIGGER ALL"))
        yield
        session.execute(text("ALTER TABLE audit_log ENABLE TRIGGER ALL"))
    else:
        session.execute(text("DELETE FROM audit_log WHERE 1 = 0"))  # opens the transaction first
        for event in SQLITE_TRIGGERS:
            session.execute(text(f"DROP TRIGGER audit_log_no_{event.lower()}"))
        yield
        for statement in SQLITE_TRIGGERS.values():
            session.execute(text(statement))


def _head(session) -> str:
    return session.scalar(select(AuditLog.row_hash).order_by(AuditLog.id.desc()).limit(1))


def _some_ids(session) -> list[int]:
    return list(session.scalars(select(AuditLog.id).order_by(AuditLog.id)))


def test_a_clean_chain_verifies(app, db_session):
    report = audit_chain.verify(db_session)
    assert report.ok and report.checked == db_session.scalar(select(func.count(AuditLog.id))) > 10
    result = app.test_cli_runner().invoke(args=["bapas", "audit-verify"])
    assert result.exit_code == 0, result.output
    assert "Jejak audit utuh" in result.output


def test_each_row_links_to_the_previous_one(login_as, db_session):
    login_as("pk1").get("/")  # any request that writes rows
    last, before = db_session.scalars(select(AuditLog).order_by(AuditLog.id.desc()).limit(2)).all()
    assert last.prev_hash == before.row_hash and len(last.row_hash) == 64
    assert last.row_hash != before.row_hash


@pytest.mark.parametrize("forgery", ["wrong hash", "wrong key", "no hash"])
def test_a_forged_insert_is_reported_at_its_id(db_session, forgery):
    prev = _head(db_session)
    row = {
        "at": "2026-11-29 10:00:00",
        "user_id": None,
        "username": "admin",
        "action": "update",
        "table_name": "client",
        "record_id": "1",
        "office_id": None,
        "changes": {},
    }
    hashes = {
        "wrong hash": (prev, "0" * 64),
        "wrong key": (prev, audit_chain.digest(row, prev, b"a guessed key")),
        "no hash": (None, None),
    }[forgery]
    forged = db_session.execute(FORGE, {"prev": hashes[0], "hash": hashes[1]}).scalar()
    try:
        assert audit_chain.verify(db_session).broken_id == forged
    finally:
        db_session.rollback()


@pytest.mark.parametrize(
    "tamper",
    ["UPDATE audit_log SET username = 'pk2' WHERE id = :id", "DELETE FROM audit_log WHERE id = :id"],
)
def test_a_change_behind_disabled_triggers_is_detected(db_session, tamper):
    ids = _some_ids(db_session)
    target = ids[len(ids) // 2]
    try:
        with _triggers_off(db_session):
            db_session.execute(text(tamper), {"id": target})
        found = audit_chain.verify(db_session).broken_id
        # An altered row breaks at itself; a removed one at the row that pointed to it.
        assert found == (target if tamper.startswith("UPDATE") else ids[ids.index(target) + 1])
    finally:
        db_session.rollback()
    assert audit_chain.verify(db_session).ok


def test_the_migration_chains_rows_written_before_it(app, db_session):
    try:
        with _triggers_off(db_session):
            db_session.execute(text("UPDATE audit_log SET prev_hash = NULL, row_hash = NULL"))
            assert audit_chain.verify(db_session).broken_id == _some_ids(db_session)[0]
            count = audit_chain.rechain(db_session.connection(), audit_chain.hmac_key(app.config))
        report = audit_chain.verify(db_session)
        assert report.ok and report.checked == count
    finally:
        db_session.rollback()


def test_truncate_is_refused(db_session):
    if not _postgres(db_session):
        pytest.skip("SQLite has no TRUNCATE")
    with pytest.raises(DatabaseError, match="append-only"):
        db_session.execute(text("TRUNCATE audit_log"))
    db_session.rollback()
    assert db_session.scalar(select(func.count(AuditLog.id))) > 0


def test_concurrent_writers_keep_one_chain(app, db_session):
    from app import audit
    from app.extensions import db

    before = db_session.scalar(select(func.count(AuditLog.id)))
    db_session.rollback()
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def writer(number: int) -> None:
        try:
            with app.app_context():
                start.wait()
                for step in range(25):
                    audit.record_event("concurrency_test", "audit_log", step, {"writer": number})
                    db.session.commit()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    db_session.rollback()
    assert db_session.scalar(select(func.count(AuditLog.id))) == before + 50
    assert audit_chain.verify(db_session).ok


@pytest.fixture()
def forged_row(app, db_session) -> Iterator[int]:
    """A forged row committed to the trail; removed afterwards with every row after it."""
    forged = db_session.execute(FORGE, {"prev": _head(db_session), "hash": "f" * 64}).scalar()
    db_session.commit()
    yield forged
    db_session.rollback()
    with _triggers_off(db_session):
        db_session.execute(text("DELETE FROM audit_log WHERE id >= :id"), {"id": forged})
    db_session.commit()
    assert audit_chain.verify(db_session).ok


def test_a_broken_chain_fails_the_check_and_alerts_kepala_and_pengawas(app, login_as, db_session, forged_row):
    result = app.test_cli_runner().invoke(args=["bapas", "audit-verify"])
    assert result.exit_code == 1
    assert f"#{forged_row}" in result.output
    with app.app_context():
        from app.extensions import db

        assert audit_chain.check_and_record(db.session).broken_id == forged_row
    db_session.rollback()
    check = db_session.scalar(
        select(AuditLog).where(AuditLog.action == "audit_verify").order_by(AuditLog.id.desc())
    )
    assert check.changes == {"ok": False, "checked": check.changes["checked"], "broken_id": forged_row}
    alert = indonesian(
        "The audit trail's integrity check of %(when)s found the chain broken at entry #%(id)s: entries may "
        "have been altered, added or removed outside the application. Report it to the administrator and "
        "to the Kanwil.",
        when="@",
        id=forged_row,
    ).split("@")[1]
    for role, alerted in (("Kepala", True), ("Pengawas", True), ("PK", False), ("Admin", False)):
        page = unescape(login_as(role).get("/").get_data(as_text=True))
        assert (alert in page) is alerted, role


def test_db_grants_leave_the_app_only_select_and_insert_on_the_trail(app, db_session):
    if not _postgres(db_session):
        pytest.skip("database roles are PostgreSQL's")
    db_session.execute(text(f"DROP ROLE IF EXISTS {APP_ROLE}"))
    db_session.execute(text(f"CREATE ROLE {APP_ROLE} NOLOGIN"))
    db_session.commit()
    try:
        result = app.test_cli_runner().invoke(args=["bapas", "db-grants", "--role", APP_ROLE])
        assert result.exit_code == 0, result.output
        privileges = {
            (table, privilege): db_session.scalar(
                text("SELECT has_table_privilege(:role, :table, :privilege)"),
                {"role": APP_ROLE, "table": table, "privilege": privilege},
            )
            for table in ("audit_log", "client")
            for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")
        }
        assert privileges == {
            ("audit_log", "SELECT"): True,
            ("audit_log", "INSERT"): True,
            ("audit_log", "UPDATE"): False,
            ("audit_log", "DELETE"): False,
            ("audit_log", "TRUNCATE"): False,
            ("client", "SELECT"): True,
            ("client", "INSERT"): True,
            ("client", "UPDATE"): True,
            ("client", "DELETE"): True,
            ("client", "TRUNCATE"): False,
        }
        # As that role: appending works, rewriting is refused by the grants themselves.
        db_session.execute(text(f"SET ROLE {APP_ROLE}"))
        with pytest.raises(DatabaseError, match="permission denied"):
            db_session.execute(text("UPDATE audit_log SET username = 'x'"))
    finally:
        db_session.rollback()
        db_session.execute(text(f"DROP OWNED BY {APP_ROLE}"))
        db_session.execute(text(f"DROP ROLE {APP_ROLE}"))
        db_session.commit()
