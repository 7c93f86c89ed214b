"""The permission matrix: each role x each view x each operation, written out by hand."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.cli import sync_roles
from app.extensions import appbuilder
from app.models.audit import AuditLog
from app.models.cases import Case
from app.models.clients import Client
from app.models.staff import Staff

OPS = "LSAEDX"  # list, show, add, edit, delete, action (CSV export)
#          client    register  case      audit     users     roles
EXPECTED = {
    "Kepala": ("LS...X", "......", "LS....", "LS....", "......", "......"),
    "Kasubsi": ("LSAE.X", "......", "LSAE..", "......", "......", "......"),
    "PK": ("LS.E.X", "......", "LSAE..", "......", "......", "......"),
    "TU": ("......", "LSA...", "......", "......", "......", "......"),
    "Pengaduan": ("......", "......", "......", "......", "......", "......"),
    "Pengawas": ("LS...X", "......", "LS....", "LS....", "......", "......"),
    "Admin": ("......", "......", "......", "LS....", "LSAED.", "LSAED."),
}
VIEWS = ("/clientview", "/clientregisterview", "/caseview", "/auditlogview", "/users", "/roles")


def _target(db_session, base: str) -> int:
    """A record every role with access to the view has in scope (pk1's child client)."""
    if base in ("/clientview", "/clientregisterview"):
        return db_session.scalar(select(Client.id).where(Client.register_number == "BKA-001/2026"))
    if base == "/caseview":
        return db_session.scalar(select(Case.id).where(Case.number.like("LP/B/112%")))
    if base == "/auditlogview":
        return db_session.scalar(select(func.min(AuditLog.id)))
    if base == "/users":
        return db_session.scalar(select(Staff.id).where(Staff.username == "pk2"))
    return appbuilder.sm.find_role("Pengaduan").id


def _throwaway(db_session, base: str) -> int | None:
    """A record made to be deleted, for the views where deleting is possible at all."""
    sm = appbuilder.sm
    if base == "/users":
        user = sm.add_user(
            "hapus.saya", "Hapus", "Saya", "hapus@example.go.id", sm.find_role("TU"), "x-Rahasia-1"
        )
        return user.id
    if base == "/roles":
        return sm.add_role("Peran Sementara").id
    return _target(db_session, base)


def _allowed(session, base: str, op: str, pk: int, db_session) -> bool:
    if op == "L":
        response = session.get(f"{base}/list/")
    elif op == "S":
        response = session.get(f"{base}/show/{pk}")
    elif op == "A":
        response = session.get(f"{base}/add")
    elif op == "E":
        response = session.get(f"{base}/edit/{pk}")
    elif op == "D":
        response = session.client.post(f"{base}/delete/{pk}", data={"csrf_token": session.token()})
        model = appbuilder.sm.user_model if base == "/users" else appbuilder.sm.role_model
        if base in ("/users", "/roles"):
            gone = db_session.get(model, pk) is None
            db_session.rollback()
            return gone
        assert response.status_code == 403
        return False
    else:
        response = session.client.post(
            f"{base}/action_post", data={"action": "export_csv", "rowid": [pk], "csrf_token": session.token()}
        )
        if response.status_code == 200:
            assert response.mimetype == "text/csv"
            return True
        assert response.status_code == 302
        return False
    assert response.status_code in (200, 403), (base, op, response.status_code)
    return response.status_code == 200


@pytest.mark.parametrize("role", EXPECTED)
def test_permission_matrix(role, login_as, db_session, app):
    session = login_as(role)
    seen = []
    for base, expected in zip(VIEWS, EXPECTED[role], strict=True):
        row = ""
        for op, want in zip(OPS, expected, strict=True):
            if op == "X" and base != "/clientview":
                row += "."
                continue
            if op == "D" and want == "D":
                pk = _throwaway(db_session, base)
                db_session.commit()
            else:
                pk = _target(db_session, base)
            row += op if _allowed(session, base, op, pk, db_session) else "."
        seen.append(row)
    assert tuple(seen) == EXPECTED[role]


def test_anonymous_is_sent_to_login(client):
    for base in VIEWS:
        response = client.get(f"{base}/list/")
        assert response.status_code == 302
        assert "/login/" in response.headers["Location"]


def test_role_sync_is_idempotent(app):
    with app.app_context():
        sync_roles()
        assert sync_roles() == 0


def test_role_sync_repairs_a_tampered_role(app):
    with app.app_context():
        sm = appbuilder.sm
        role = sm.find_role("TU")
        role.permissions = [*role.permissions, sm.find_permission_view_menu("can_list", "AuditLog")]
        sm.session.commit()
        assert sync_roles() == 1
        assert sm.find_permission_view_menu("can_list", "AuditLog") not in sm.find_role("TU").permissions


def test_writes_need_a_csrf_token(login_as, db_session):
    session = login_as("PK")
    pk = db_session.scalar(select(Client.id).where(Client.register_number == "BKA-001/2026"))
    response = session.client.post(f"/clientview/edit/{pk}", data={"name": "Tanpa Token"})
    assert response.status_code == 400
    assert db_session.get(Client, pk).name != "Tanpa Token"
