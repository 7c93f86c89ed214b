"""An existing single-office database (the head before offices) upgrades with every record in the
one office and nothing lost: rows, numbers, counters and the audit trail (whose chain then verifies)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

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


def _flask(url: str, tmp_path: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess:
    """A `flask` command on that database, in a process of its own (the suite's app stays as it is)."""
    env = {**os.environ, "DATABASE_URL": url, "BAPAS_INSTANCE_DIR": str(tmp_path), "FLASK_APP": "run.py",
           **extra_env}  # fmt: skip
    env.pop("BAPAS_ENV", None)
    flask = Path(sys.executable).parent / "flask"
    return subprocess.run(  # noqa: S603 (our own flask command, fixed arguments)
        [str(flask), *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_a_single_office_database_upgrades_into_the_first_office(tmp_path):
    url, admin = _database(tmp_path)
    engine = create_engine(url)
    try:
        assert _flask(url, tmp_path, "db", "upgrade", BEFORE_OFFICES).returncode == 0
        with engine.begin() as conn:
            for statement in ROWS.values():
                conn.execute(text(statement))
        upgraded = _flask(url, tmp_path, "db", "upgrade")
        assert upgraded.returncode == 0, upgraded.stderr[-2000:]
        with engine.connect() as conn:
            office = conn.execute(text("SELECT id, short_name FROM office")).one()
            assert tuple(office) == (1, "Bapas Kelas II Magelang")
            for table in ("client", "legal_case", "service_instance", "audit_log", "ab_user"):
                rows = conn.execute(text(f"SELECT office_id FROM {table}"))  # noqa: S608 (fixed names)
                assert rows.scalars().all() == [1], table
            counter = conn.execute(text("SELECT office_id, kind, year, last FROM agenda_counter")).one()
            assert tuple(counter) == (1, "agenda", 2025, 41)
            assert conn.execute(text("SELECT name FROM client")).scalar() == "Anak Lama"
        # The old row was chained by the upgrade: the trail verifies.
        verified = _flask(url, tmp_path, "bapas", "audit-verify")
        assert verified.returncode == 0, verified.stdout + verified.stderr[-2000:]
    finally:
        engine.dispose()
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text("DROP DATABASE IF EXISTS bapas_migration_test"))


def test_stored_totp_keys_are_encrypted_by_the_upgrade_and_decrypted_by_the_downgrade(tmp_path):
    from app.security import mfa

    url, admin = _database(tmp_path)
    engine = create_engine(url)
    key = {"SECRET_KEY": "migration-test-key"}
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    try:
        assert _flask(url, tmp_path, "db", "upgrade", "0009_signin", **key).returncode == 0
        with engine.begin() as conn:
            conn.execute(text(ROWS["ab_user"]))
            conn.execute(text("UPDATE ab_user SET totp_secret = :s"), {"s": secret})
        upgraded = _flask(url, tmp_path, "db", "upgrade", **key)
        assert upgraded.returncode == 0, upgraded.stderr[-2000:]
        with engine.connect() as conn:
            sealed = conn.execute(text("SELECT totp_secret FROM ab_user")).scalar()
        assert secret not in sealed and mfa.unseal(sealed, key) == secret
        downgraded = _flask(url, tmp_path, "db", "downgrade", "0009_signin", **key)
        assert downgraded.returncode == 0, downgraded.stderr[-2000:]
        with engine.connect() as conn:
            assert conn.execute(text("SELECT totp_secret FROM ab_user")).scalar() == secret
    finally:
        engine.dispose()
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text("DROP DATABASE IF EXISTS bapas_migration_test"))
