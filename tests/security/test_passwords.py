"""The password policy on every form that sets one, and the new password after an Admin reset."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.staff import Staff
from tests.conftest import DEMO_PASSWORD, Session, indonesian, sign_in
from tests.security.conftest import Account, make_account

GOOD = "Kopi-Tubruk-Magelang-77"
TOO_SHORT = ("Kopi-Tubruk", "Use at least %(count)d characters.", {"count": 12})
COMMON = "This password is among the most commonly used ones; choose another."
BAD = [
    TOO_SHORT,
    ("password1234", COMMON, {}),
    ("Bismillah2026", COMMON, {}),
    ("Bapas-Magelang-2026", COMMON, {}),
    ("qwerty123456", COMMON, {}),
    ("{username}-Rahasia-Besar", "The password may not contain the username.", {}),
]


def _session(app, account: Account, password: str = DEMO_PASSWORD) -> Session:
    client = app.test_client()
    sign_in(client, account.username, password)
    return Session(client)


def _hash(app, account: Account) -> str:
    with app.app_context():
        return db.session.get(Staff, account.id).password


def _page(response) -> str:
    return response.get_data(as_text=True)


def _own_change(session: Session, password: str, current: str = DEMO_PASSWORD):
    data = {"old_password": current, "password": password, "conf_password": password}
    return session.post_form("/resetmypassword/form", data)


def _admin_reset(admin: Session, account: Account, password: str):
    data = {"password": password, "conf_password": password}
    return admin.post_form(f"/resetpassword/form?pk={account.id}", data)


def _admin_add(app, admin: Session, username: str, password: str):
    data = {"first_name": "Baru", "last_name": "Sekali", "username": username,
            "email": f"{username}@bapas-magelang.go.id", "active": "y", "roles": _role_id(app, "TU"),
            "office": "1", "password": password, "conf_password": password}  # fmt: skip
    return admin.post_form("/users/add", data)


def _role_id(app, name: str) -> str:
    from app.extensions import appbuilder

    with app.app_context():
        return str(appbuilder.sm.find_role(name).id)


@pytest.mark.parametrize(("password", "msgid", "params"), BAD)
def test_own_change_refuses_weak_passwords(app, account, password, msgid, params):
    session = _session(app, account)
    before = _hash(app, account)
    response = _own_change(session, password.format(username=account.username))
    assert response.status_code == 200
    assert indonesian(msgid, **params) in _page(response)
    assert _hash(app, account) == before


@pytest.mark.parametrize(("password", "msgid", "params"), BAD)
def test_admin_reset_refuses_weak_passwords(app, account, login_as, password, msgid, params):
    before = _hash(app, account)
    response = _admin_reset(login_as("Admin"), account, password.format(username=account.username))
    assert response.status_code == 200
    assert indonesian(msgid, **params) in _page(response)
    assert _hash(app, account) == before


@pytest.mark.parametrize(("password", "msgid", "params"), BAD)
def test_admin_add_refuses_weak_passwords(app, login_as, password, msgid, params):
    username = f"baru.{BAD.index((password, msgid, params))}"
    response = _admin_add(app, login_as("Admin"), username, password.format(username=username))
    assert response.status_code == 200
    assert indonesian(msgid, **params) in _page(response)
    with app.app_context():
        assert db.session.scalar(select(Staff).where(Staff.username == username)) is None


def test_the_demo_password_passes_the_policy(app):
    from app.security.passwords import policy_problem

    with app.test_request_context():
        for username in ("kepala", "kasubsi.bka", "pk1", "tu", "pengaduan", "pengawas", "admin"):
            assert policy_problem(DEMO_PASSWORD, username) is None


def test_own_change_needs_the_current_password(app, account):
    session = _session(app, account)
    before = _hash(app, account)
    response = _own_change(session, GOOD, current="bukan-kata-sandi-saya")
    assert indonesian("The current password is wrong.") in _page(response)
    assert _hash(app, account) == before


def test_own_change_with_a_good_password(app, account):
    session = _session(app, account)
    assert _own_change(session, GOOD).status_code == 302
    assert sign_in(Session(app.test_client()).client, account.username, GOOD).request.path == "/"


def test_after_an_admin_reset_the_user_chooses_a_new_password(app, account, login_as):
    assert _admin_reset(login_as("Admin"), account, GOOD).status_code == 302
    session = _session(app, account, GOOD)
    for url in ("/", "/clientview/list/", "/users/userinfo/"):
        response = session.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/resetmypassword/form")
    page = _page(session.get("/clientview/list/", follow_redirects=True))
    assert indonesian("Your password was set by an administrator. Choose a new password to continue.") in page
    same = _own_change(session, GOOD, current=GOOD)
    assert indonesian("Choose a password different from the current one.") in _page(same)
    assert _own_change(session, "Teh-Poci-Borobudur-88", current=GOOD).status_code == 302
    assert session.get("/clientview/list/").status_code == 200


def test_an_account_admin_creates_chooses_its_own_password(app, login_as):
    assert _admin_add(app, login_as("Admin"), "baru.sekali", GOOD).status_code == 302
    session = _session(app, Account(0, "baru.sekali", ""), GOOD)
    assert session.get("/").headers["Location"].endswith("/resetmypassword/form")


def test_a_new_account_with_the_demo_password(app, login_as):
    assert _admin_add(app, login_as("Admin"), "baru.demo", DEMO_PASSWORD).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Staff).where(Staff.username == "baru.demo")) is not None


def test_an_account_made_by_command_is_not_forced(app):
    account = make_account(app)
    assert _session(app, account).get("/").status_code == 200
