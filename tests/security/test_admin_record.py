"""Admin power on the record: accounts, roles, permissions, passwords and uploads leave audit rows,
and nobody grants himself a role or a permission."""

from __future__ import annotations

import io
import json
from html import unescape

import pytest
from flask_appbuilder.security.sqla.models import Group, PermissionView, Role
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from app.models.audit import AuditLog
from app.models.staff import Staff
from tests.conftest import DEMO_PASSWORD, indonesian
from tests.views.test_clients import PNG_1PX, _form

NEW_PASSWORD = "Sandi-Baru-Yang-Panjang-2026"
SELF_GRANT = "You cannot give yourself a role or a permission; another administrator must do it."


@pytest.fixture(scope="module")
def accounts(app) -> dict[str, int]:
    """A second Admin and three test accounts (created once), by username → id."""
    from app.extensions import db

    wanted = {"admin.dua": "Admin", "kepala.uji": "Kepala", "staf.uji": "TU", "staf.sandi": "TU"}
    with app.app_context():
        for number, (username, role) in enumerate(wanted.items()):
            if db.session.scalar(select(Staff).where(Staff.username == username)) is None:
                db.session.add(
                    Staff(
                        username=username,
                        first_name="Uji",
                        last_name=username,
                        email=f"{username}@bapas.example",
                        active=True,
                        password=generate_password_hash(DEMO_PASSWORD),
                        roles=[db.session.scalar(select(Role).where(Role.name == role))],
                        nip=f"19900101201501100{number}",
                        # Staff work in an office (Magelang); the second Admin is national.
                        office_id=None if role == "Admin" else 1,
                    )
                )
        db.session.commit()
        return {
            name: db.session.scalar(select(Staff.id).where(Staff.username == name))
            for name in [*wanted, "admin", "kepala"]
        }


def _role_id(db_session, name: str) -> int:
    return db_session.scalar(select(Role.id).where(Role.name == name))


def _user_form(db_session, user_id: int, **changes) -> dict:
    """The user edit form as the screen posts it, with changes."""
    db_session.rollback()
    user = db_session.get(Staff, user_id)
    form = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "username": user.username,
        "email": user.email,
        "roles": [str(role.id) for role in user.roles],
        "nip": user.nip or "",
        "position": user.position or "",
        "section": user.section or "",
        "office": str(user.office_id or ""),
    }
    if user.active:
        form["active"] = "y"
    form.update(changes)
    return form


def _last_id(db_session) -> int:
    db_session.rollback()
    return db_session.scalar(select(func.max(AuditLog.id))) or 0


def _rows_since(db_session, mark: int, **where) -> list[AuditLog]:
    db_session.rollback()
    stmt = select(AuditLog).where(AuditLog.id > mark).order_by(AuditLog.id)
    for column, value in where.items():
        stmt = stmt.where(getattr(AuditLog, column) == value)
    return list(db_session.scalars(stmt))


def _role_names(db_session, user_id: int) -> set[str]:
    db_session.rollback()
    return {role.name for role in db_session.get(Staff, user_id).roles}


def test_admin_cannot_give_himself_the_kepala_role(login_as, db_session, accounts):
    admin = accounts["admin"]
    session = login_as("Admin")  # the sign-in is on the record too; what follows must add nothing
    mark = _last_id(db_session)
    roles = [str(_role_id(db_session, "Admin")), str(_role_id(db_session, "Kepala"))]
    response = session.post_form(
        f"/users/edit/{admin}", _user_form(db_session, admin, roles=roles), follow_redirects=True
    )
    assert response.status_code == 200
    assert indonesian(SELF_GRANT) in unescape(response.get_data(as_text=True))
    assert _role_names(db_session, admin) == {"Admin"}
    assert _rows_since(db_session, mark, table_name="ab_user") == []
    # Nor the other way to the Kepala's notes: the Kepala's own pages stay closed to him.
    assert session.get("/clientview/list/").status_code in (302, 403)


def test_admin_cannot_join_a_group_holding_a_role(login_as, db_session, accounts):
    session = login_as("Admin")
    mark = _last_id(db_session)
    data = {
        "name": "Pimpinan bayangan",
        "label": "",
        "description": "",
        "users": [str(accounts["admin"])],
        "roles": [str(_role_id(db_session, "Kepala"))],
    }
    response = session.post_form("/groups/add", data, follow_redirects=True)
    assert indonesian(SELF_GRANT) in unescape(response.get_data(as_text=True))
    db_session.rollback()
    assert db_session.scalar(select(Group).where(Group.name == "Pimpinan bayangan")) is None
    assert _rows_since(db_session, mark) == []


def test_admin_cannot_widen_his_own_role(login_as, db_session, accounts):
    admin_role = db_session.get(Role, _role_id(db_session, "Admin"))
    held = {pv.id for pv in admin_role.permissions}
    extra = db_session.scalar(select(PermissionView.id).where(PermissionView.id.not_in(held)).limit(1))
    data = {"name": "Admin", "permissions": [str(pv) for pv in sorted(held | {extra})]}
    response = login_as("Admin").post_form(f"/roles/edit/{admin_role.id}", data, follow_redirects=True)
    assert indonesian(SELF_GRANT) in unescape(response.get_data(as_text=True))
    db_session.rollback()
    assert {pv.id for pv in db_session.get(Role, admin_role.id).permissions} == held


def test_another_admin_grants_a_role_and_it_is_recorded(login_as, db_session, accounts):
    target = accounts["staf.uji"]
    mark = _last_id(db_session)
    roles = [str(_role_id(db_session, "TU")), str(_role_id(db_session, "Pengawas"))]
    response = login_as("admin.dua").post_form(
        f"/users/edit/{target}", _user_form(db_session, target, roles=roles)
    )
    assert response.status_code == 302
    assert _role_names(db_session, target) == {"TU", "Pengawas"}
    (row,) = _rows_since(db_session, mark, table_name="ab_user", record_id=str(target))
    assert (row.username, row.action) == ("admin.dua", "update")
    assert row.changes["roles"] == [[], ["Pengawas"]]


def test_admin_resets_the_kepala_password_on_the_record(login_as, db_session, accounts):
    target = accounts["kepala.uji"]
    mark = _last_id(db_session)
    data = {"password": NEW_PASSWORD, "conf_password": NEW_PASSWORD}
    response = login_as("Admin").post_form(f"/resetpassword/form?pk={target}", data)
    assert response.status_code == 302
    (row,) = _rows_since(db_session, mark, table_name="ab_user", record_id=str(target))
    assert (row.username, row.user_id, row.action) == ("admin", accounts["admin"], "password_reset")
    stored_hash = db_session.get(Staff, target).password
    assert stored_hash[:20] not in json.dumps(row.changes)
    assert "password" not in row.changes
    page = login_as("Pengawas").get(f"/auditlogview/show/{row.id}")
    assert page.status_code == 200
    assert "kepala.uji" in page.get_data(as_text=True)


def test_own_password_change_is_recorded(login_as, db_session, accounts):
    target = accounts["staf.sandi"]
    session = login_as("staf.sandi")
    mark = _last_id(db_session)
    data = {"old_password": DEMO_PASSWORD, "password": NEW_PASSWORD, "conf_password": NEW_PASSWORD}
    response = session.post_form("/resetmypassword/form", data)
    assert response.status_code == 302
    (row,) = _rows_since(db_session, mark, table_name="ab_user", record_id=str(target))
    assert (row.username, row.action) == ("staf.sandi", "password_change")
    assert "password" not in row.changes


def test_role_permission_changes_are_recorded(login_as, db_session, accounts):
    first, second = db_session.scalars(select(PermissionView).order_by(PermissionView.id).limit(2)).all()
    labels = str(first), str(second)
    session = login_as("Admin")
    mark = _last_id(db_session)
    data = {"name": "Peran Uji", "permissions": [str(first.id)]}
    assert session.post_form("/roles/add", data).status_code == 302
    role_id = _role_id(db_session, "Peran Uji")
    data = {"name": "Peran Uji", "permissions": [str(second.id)]}
    assert session.post_form(f"/roles/edit/{role_id}", data).status_code == 302
    created, changed = _rows_since(db_session, mark, table_name="ab_role", record_id=str(role_id))
    assert (created.username, created.action) == ("admin", "insert")
    assert created.changes["name"] == [None, "Peran Uji"]
    assert created.changes["permissions"] == [[], [labels[0]]]
    assert (changed.username, changed.action) == ("admin", "update")
    assert changed.changes["permissions"] == [[labels[0]], [labels[1]]]


def test_an_account_is_recorded_from_creation_to_deletion(login_as, db_session, accounts):
    session = login_as("Admin")
    mark = _last_id(db_session)
    data = {
        "first_name": "Akun",
        "last_name": "Sementara",
        "username": "akun.sementara",
        "active": "y",
        "email": "akun.sementara@bapas.example",
        "roles": [str(_role_id(db_session, "TU"))],
        "nip": "",
        "position": "",
        "section": "",
        "office": "1",
        "password": NEW_PASSWORD,
        "conf_password": NEW_PASSWORD,
    }
    assert session.post_form("/users/add", data).status_code == 302
    user_id = db_session.scalar(select(Staff.id).where(Staff.username == "akun.sementara"))
    form = _user_form(db_session, user_id)
    del form["active"]
    assert session.post_form(f"/users/edit/{user_id}", form).status_code == 302
    assert (
        session.client.post(f"/users/delete/{user_id}", data={"csrf_token": session.token()}).status_code
        == 302
    )
    rows = _rows_since(db_session, mark, table_name="ab_user", record_id=str(user_id))
    assert [(row.username, row.action) for row in rows] == [
        ("admin", "insert"),
        ("admin", "update"),
        ("admin", "delete"),
    ]
    created, deactivated, deleted = rows
    assert created.changes["username"] == [None, "akun.sementara"]
    assert created.changes["roles"] == [[], ["TU"]]
    assert "password" not in created.changes
    assert deactivated.changes == {"active": [True, False]}
    assert deleted.changes["username"] == ["akun.sementara", None]


def test_an_upload_is_recorded_with_its_uploader(login_as, db_session, accounts):
    mark = _last_id(db_session)
    data = _form(db_session, register_number="BKA-970/2026")
    data["handover_upload"] = (io.BytesIO(PNG_1PX), "bast-uji.png")
    response = login_as("Kasubsi").post_form("/clientview/add", data, content_type="multipart/form-data")
    assert response.status_code == 302
    (row,) = _rows_since(db_session, mark, table_name="stored_file")
    assert (row.username, row.action) == ("kasubsi.bka", "insert")
    assert row.changes["original_name"] == [None, "bast-uji.png"]
    assert row.changes["size"][1] > 0
    assert row.changes["uploaded_by_id"][1] == row.user_id
