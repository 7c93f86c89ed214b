"""The audit trail: every change recorded with old and new values; nobody can alter it."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from app.models.audit import AuditLog
from app.models.clients import Client
from app.models.workflow import StepRecord
from app.timeutil import WIB
from app.workflow.supervision import open_due_work
from tests.factories import client_with_period
from tests.steps import act
from tests.views.test_clients import _form


def test_a_change_by_pk1_is_recorded_with_old_and_new_values(login_as, db_session):
    client = db_session.scalar(select(Client).where(Client.register_number == "BKA-001/2026"))
    old_phone = client.phone
    data = _form(
        db_session,
        register_number=client.register_number,
        name=client.name,
        nik=client.nik,
        birth_date=client.birth_date.isoformat(),
        guardian_name=client.guardian_name,
        guidance_card_number=client.guidance_card_number,
        supervision_start=client.supervision_start.isoformat(),
        supervision_end=client.supervision_end.isoformat(),
        legal_basis=client.legal_basis,
        phone="085600001111",
        confidential_notes="catatan baru yang rahasia",
        version_seen=str(client.version),
    )
    session = login_as("pk1")
    assert session.post_form(f"/clientview/edit/{client.id}", data).status_code == 302
    db_session.rollback()
    entry = db_session.scalars(
        select(AuditLog)
        .where(AuditLog.table_name == "client", AuditLog.record_id == str(client.id))
        .order_by(AuditLog.id.desc())
    ).first()
    assert entry.username == "pk1" and entry.action == "update"
    assert entry.changes["phone"] == [old_phone, "085600001111"]
    assert entry.changes["confidential_notes"][1] == "[rahasia]"
    # pk1's clients are children: the Kepala reads the change, the Pengawas sees it masked.
    page = login_as("Kepala").get(f"/auditlogview/show/{entry.id}").get_data(as_text=True)
    assert "085600001111" in page and old_phone in page
    assert "catatan baru yang rahasia" not in page
    page = login_as("Pengawas").get(f"/auditlogview/show/{entry.id}").get_data(as_text=True)
    assert "085600001111" not in page and old_phone not in page


@pytest.mark.parametrize("role", ["Admin", "Kepala", "Pengawas", "PK"])
@pytest.mark.parametrize("operation", ["edit", "delete"])
def test_no_role_can_edit_or_delete_the_trail(login_as, db_session, role, operation):
    entry_id = db_session.scalar(select(AuditLog.id).limit(1))
    session = login_as(role)
    response = session.client.post(
        f"/auditlogview/{operation}/{entry_id}", data={"username": "x", "csrf_token": session.token()}
    )
    assert response.status_code in (403, 404, 405)
    db_session.rollback()
    assert db_session.get(AuditLog, entry_id).username != "x"


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET username = 'x'", "DELETE FROM audit_log"])
def test_the_database_refuses_to_alter_the_trail(db_session, statement):
    with pytest.raises(DatabaseError):
        db_session.execute(text(statement))
    db_session.rollback()


def test_the_moves_of_a_step_are_in_the_trail(app, login_as, db_session, clock):
    """The engine moves steps with conditional UPDATEs; the trail still says who did what when."""
    clock(datetime(2026, 11, 3, 9, 0, tzinfo=WIB))
    client_id = client_with_period(app, "BKD-990/2026", "pk2", date(2026, 9, 1), date(2027, 8, 31))
    with app.app_context():
        open_due_work(date(2026, 11, 3))
    stmt = select(StepRecord).where(StepRecord.step == "report", StepRecord.instance.has(client_id=client_id))
    record = db_session.scalar(stmt)
    report = {"progress": "Baik.", "problems": "", "next_plan": "Lanjut."}
    assert act(login_as("pk2"), record.id, report).status_code == 302
    db_session.rollback()
    entries = db_session.scalars(
        select(AuditLog)
        .where(AuditLog.table_name == "step_record", AuditLog.record_id == str(record.id))
        .order_by(AuditLog.id)
    ).all()
    opened, finished = entries[-2:]
    assert (opened.username, finished.username) == ("pk2", "pk2")
    assert "opened_at" in opened.changes
    assert finished.changes["outcome"] == [None, "done"] and finished.changes["finished_at"][1]
