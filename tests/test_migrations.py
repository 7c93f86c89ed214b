"""An existing single-office database (the head before offices) upgrades with every record in the
one office and nothing lost: rows, numbers, counters and the audit trail (whose chain then verifies)."""

from __future__ import annotations

import os
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from app import create_app

BEFORE_OFFICES = "0008"
ROWS = {
    "ab_user": "INSERT INTO ab_user (id, first_name, last_name, username, email, active) "
    "VALUES (1, 'Siti', 'Rahmawati', 'pk1', 'pk1@x.go.id', true)",
    "client": "INSERT INTO client (id, register_number, name, sex, address, category, legal_basis, status, "
    "created_at, updated_at, version, officer_id) VALUES (1, 'BKA-001/2025', 'Anak Lama', 'L', 'Jl. A', "
    "'anak', 'DIVERSI', 'aktif', '2025-01-02 03:00:00', '2025-01-02 03:00:00', 1, 1)",
    "legal_case": "INSERT INTO legal_case (id, number, offence, authority, section, legal_stage, created_at, "
    "version) VALUES (1, 'LP/1/2025', 'Pencurian', 'POLRI', 'BKA', 'DIVERSI', '2025-01-02 03:00:00', 1)",
    "service_instance": "INSERT INTO service_instance (id, service, subject, status, started_at, data, "
    "version, client_id) VALUES (1, 'IZIN', 'Anak Lama: Semarang', 'open', '2025-01-02 03:00:00', '{}', "
    "1, 1)",
    "agenda_counter": "INSERT INTO agenda_counter (kind, year, last) VALUES ('agenda', 2025, 41)",
    "audit_log": "INSERT INTO audit_log (at, username, action, table_name, record_id, changes) "
    "VALUES ('2025-01-02 03:00:00', 'pk1', 'insert', 'client', '1', '{\"name\": [null, \"Anak Lama\"]}')",
}


def _database(tmp_path: Path) -> tuple[str, object]:
    """A fresh database: SQLite always; PostgreSQL (a database of its own) when the suite runs there."""
    base = os.environ.get("TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        return f"sqlite:///{tmp_path / 'old.db'}", None
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS bapas_migration_test"))
        conn.execute(text("CREATE DATABASE bapas_migration_test"))
    return base.rsplit("/", 1)[0] + "/bapas_migration_test", admin


def test_a_single_office_database_upgrades_into_the_first_office(tmp_path):
    url, admin = _database(tmp_path)
    app = create_app({"ENV": "test", "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": str(tmp_path / "up")})
    from app import audit_chain
    from app.extensions import db

    try:
        with app.app_context():
            upgrade(revision=BEFORE_OFFICES)
            with db.engine.begin() as conn:
                for statement in ROWS.values():
                    conn.execute(text(statement))
            upgrade()
            with db.engine.connect() as conn:
                office = conn.execute(text("SELECT id, short_name FROM office")).one()
                assert office == (1, "Bapas Kelas II Magelang")
                for table in ("client", "legal_case", "service_instance", "audit_log", "ab_user"):
                    rows = conn.execute(text(f"SELECT office_id FROM {table}"))  # noqa: S608 (fixed names)
                    assert rows.scalars().all() == [1], table
                assert conn.execute(text("SELECT office_id, kind, year, last FROM agenda_counter")).one() == (
                    1,
                    "agenda",
                    2025,
                    41,
                )
                assert conn.execute(text("SELECT name FROM client")).scalar() == "Anak Lama"
                report = audit_chain.verify(conn)
            assert report.ok and report.checked == 1
            # The numbers go on where they stopped, in the office.
            from app.models.letters import next_agenda_seq

            assert next_agenda_seq(1, 2025) == 42
            db.session.rollback()
    finally:
        with app.app_context():
            db.engine.dispose()
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text("DROP DATABASE IF EXISTS bapas_migration_test"))
