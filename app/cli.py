"""Command line: `flask bapas sync-roles`, `demo-data`, `daily`, `rebuild-rollups`, `audit-verify`,
`db-grants`, `mfa-reset` and `notify`."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import inspect, text

from app import audit_chain, demo
from app.extensions import appbuilder, db
from app.models.audit import AuditLog
from app.security import mfa, sessions
from app.security.auth import record_sign_in
from app.security.roles import ROLE_PERMISSIONS
from app.timeutil import today_wib
from app.workflow import rollups, supervision

bapas = AppGroup("bapas", help="Bapas back-office administration.")


def available_permissions() -> set[tuple[str, str]]:
    """Every (permission, view) pair the registered views and menu entries offer."""
    pairs = {
        (permission, view.class_permission_name)
        for view in appbuilder.baseviews
        for permission in view.base_permissions or ()
    }
    for category in appbuilder.menu.get_list():
        pairs.add(("menu_access", category.name))
        pairs.update(("menu_access", item.name) for item in category.childs if item.name != "-")
    return pairs


def sync_roles() -> int:
    """Make every declared role hold exactly its declared permissions; return the number of changes."""
    sm = appbuilder.sm
    offered = available_permissions()
    unknown = set().union(*ROLE_PERMISSIONS.values()) - offered
    if unknown:
        raise click.ClickException(f"Izin tidak dikenal di roles.py: {sorted(unknown)}")
    changes = 0
    for name, wanted in ROLE_PERMISSIONS.items():
        role = sm.find_role(name)
        if role is None:
            role = sm.add_role(name)
            changes += 1
        current = {(pv.permission.name, pv.view_menu.name) for pv in role.permissions}
        if current != wanted:
            changes += len(current ^ wanted)
            role.permissions = [sm.add_permission_view_menu(p, v) for p, v in sorted(wanted)]
    public = sm.find_role(sm.auth_role_public) or sm.add_role(sm.auth_role_public)
    if public.permissions:
        changes += len(public.permissions)
        public.permissions = []
    db.session.commit()
    return changes


@bapas.command("sync-roles")
def sync_roles_command() -> None:
    """Create the roles and set their permissions as declared in app/security/roles.py."""
    click.echo(f"Peran disinkronkan: {sync_roles()} perubahan.")


@bapas.command("daily")
def daily_command() -> None:
    """Open this month's progress reports and the stage plans that are due, and check the audit
    trail's hash chain (run once a day)."""
    opened = supervision.open_due_work(today_wib())
    click.echo(f"Laporan perkembangan dibuka: {opened['reports']}; rencana tahap dibuka: {opened['plans']}.")
    report = audit_chain.check_and_record(db.session)
    if report.ok:
        click.echo(_chain_message(report))
    else:  # recorded: the Kepala and the Pengawas see it on their home page
        click.echo(_chain_message(report), err=True)


def _chain_message(report: audit_chain.ChainReport) -> str:
    if report.ok:
        head = f"#{report.head_id} {report.head_hash}" if report.head_id else "-"
        return f"Jejak audit utuh: {report.checked} entri diperiksa; entri terakhir {head}."
    broken = report.broken_id
    return f"Jejak audit RUSAK: rantai putus pada entri #{broken} ({report.checked} entri sebelumnya utuh)."


@bapas.command("rebuild-rollups")
def rebuild_rollups_command() -> None:
    """Recompute the Kinerja roll-ups from the step records, set-based (after an upgrade or a bulk
    load; the engine keeps them current otherwise)."""
    rollups.rebuild()
    db.session.commit()
    click.echo("Ringkasan kinerja bulanan dibangun ulang.")


@bapas.command("notify")
def notify_command() -> None:
    """One delivery pass: write the 75 % and overdue notices, send what is due, retry what failed."""
    from app.notifications.jobs import run_pass

    result = run_pass()
    click.echo(
        f"Notifikasi terkirim: {result.sent}; dicoba lagi nanti: {result.retried}; gagal: {result.failed}."
    )


@bapas.command("audit-verify")
def audit_verify_command() -> None:
    """Check the audit trail's hash chain; exit status 1 and the first broken entry if it fails."""
    report = audit_chain.verify(db.session)
    click.echo(_chain_message(report), err=not report.ok)
    if not report.ok:
        sys.exit(1)


@bapas.command("db-grants")
@click.option("--role", "role", required=True, help="The database role the application connects as.")
def db_grants_command(role: str) -> None:
    """PostgreSQL: give the application's role what it needs, and on the audit trail only SELECT
    and INSERT. Run as the owner of the tables (the role that runs the migrations)."""
    if db.engine.dialect.name != "postgresql":
        raise click.ClickException("Hak akses per peran basis data hanya ada di PostgreSQL.")
    for statement in grant_statements(role):
        db.session.execute(text(statement))
    db.session.commit()
    click.echo(f"Hak akses untuk peran {role} diterapkan; jejak audit: SELECT dan INSERT saja.")


def grant_statements(role: str) -> list[str]:
    """The GRANT/REVOKE statements for the application's database role."""
    quote = db.engine.dialect.identifier_preparer.quote
    who = quote(role)
    audit = quote(AuditLog.__tablename__)
    statements = []
    for table in inspect(db.engine).get_table_names():
        statements.append(f"REVOKE ALL ON TABLE {quote(table)} FROM {who}")
        if table == "alembic_version":  # migrations run as the owner, never as the app
            statements.append(f"GRANT SELECT ON TABLE {quote(table)} TO {who}")
        elif table != AuditLog.__tablename__:
            statements.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE {quote(table)} TO {who}")
    statements += [
        f"GRANT SELECT, INSERT ON TABLE {audit} TO {who}",
        f"GRANT USAGE ON SCHEMA public TO {who}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {who}",
    ]
    return statements


@bapas.command("demo-data")
def demo_data_command() -> None:
    """On an empty database, create one demo account per role and sample clients and cases."""
    password = demo.load()
    if password is None:
        click.echo("Basis data sudah berisi pengguna; data demo tidak dibuat.")
    else:
        click.echo(f"Akun demo dibuat. Kata sandi semua akun demo: {password}")


@bapas.command("mfa-reset")
@click.argument("username")
def mfa_reset_command(username: str) -> None:
    """Remove an account's authenticator app and recovery codes (a lost phone); its sessions end and
    its next sign-in asks for a new enrolment if its role requires one."""
    user = appbuilder.sm.find_account(username)
    if user is None:
        raise click.ClickException(f"Akun tidak ditemukan: {username}")
    mfa.remove(user)
    sessions.end_all(user)
    record_sign_in("mfa_reset", user)
    db.session.commit()
    click.echo(f"Verifikasi dua langkah {user.username} disetel ulang.")


def register(app: Flask) -> None:
    """Attach the command group to the app."""
    app.cli.add_command(bapas)
