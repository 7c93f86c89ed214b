"""Sign-in: one lockout counter per account, whatever name is typed, and the trail of sign-ins."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import appbuilder, db
from app.models.audit import AuditLog
from app.models.staff import Staff
from app.timeutil import utcnow
from tests.conftest import DEMO_PASSWORD, sign_in
from tests.security.conftest import Account


def _signed_in(response) -> bool:
    return response.request.path == "/"


def _fail(client, name: str, times: int) -> None:
    for _ in range(times):
        assert not _signed_in(sign_in(client, name, "salah-sekali-kata-sandinya"))


@pytest.mark.parametrize(
    ("fail_as", "then_as"),
    [("email", "username"), ("username", "email"), ("email", "email"), ("mixed", "username")],
)
def test_one_lockout_counter_whatever_name_is_typed(client, account, fail_as, then_as):
    names = {"username": account.username, "email": account.email}
    if fail_as == "mixed":
        _fail(client, account.username, 2)
        _fail(client, account.email.upper(), 2)
        _fail(client, account.username.upper(), 1)
    else:
        _fail(client, names[fail_as], 5)
    response = sign_in(client, names[then_as])
    assert not _signed_in(response)


def test_the_right_password_by_email_signs_in_before_lockout(client, account):
    _fail(client, account.email, 4)
    assert _signed_in(sign_in(client, account.email))


def test_sign_ins_failures_and_lockouts_are_in_the_trail(app, client, account):
    assert _signed_in(sign_in(client, account.username))
    _fail(app.test_client(), account.email, 5)
    with app.app_context():
        of_account = (AuditLog.table_name == "ab_user", AuditLog.record_id == str(account.id))
        events = AuditLog.action.not_in(("insert", "update"))  # the account's creation by the fixture
        rows = db.session.scalars(select(AuditLog).where(*of_account, events).order_by(AuditLog.id)).all()
    assert [row.action for row in rows] == ["login", *["login_failed"] * 5, "lockout"]
    assert {row.username for row in rows} == {account.username}


def test_the_json_login_is_not_served(app, account):
    assert not [rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/security")]
    client = app.test_client()
    for attempt in range(25):
        password = DEMO_PASSWORD if attempt == 24 else f"tebakan-{attempt}"
        body = {"username": account.username, "password": password, "provider": "db"}
        response = client.post("/api/v1/security/login", json=body)
        assert response.status_code in (404, 405)
        assert "access_token" not in response.get_data(as_text=True)


def _outcomes(app, account: Account) -> dict[str, tuple[str, str]]:
    """Name and password of each sign-in outcome; the locked and the inactive accounts are made here."""
    with app.app_context():
        locked = db.session.get(Staff, account.id)
        locked.locked_until = utcnow() + timedelta(minutes=15)
        inactive = appbuilder.sm.add_user(
            f"{account.username}.off",
            "Uji",
            "Nonaktif",
            f"off.{account.email}",
            appbuilder.sm.find_role("PK"),
            DEMO_PASSWORD,
        )
        inactive.active = False
        other = appbuilder.sm.add_user(
            f"{account.username}.on",
            "Uji",
            "Aktif",
            f"on.{account.email}",
            appbuilder.sm.find_role("PK"),
            DEMO_PASSWORD,
        )
        db.session.commit()
        return {
            "unknown": ("tidak.ada.orangnya", DEMO_PASSWORD),
            "locked": (account.username, DEMO_PASSWORD),
            "inactive": (inactive.username, DEMO_PASSWORD),
            "wrong password": (other.username, "bukan-kata-sandinya"),
            "right password": (other.username, DEMO_PASSWORD),
        }


def test_every_outcome_checks_one_password_hash(app, account, monkeypatch):
    from app.security import manager

    calls = []
    real = manager.check_password_hash

    def counting(stored: str, password: str) -> bool:
        calls.append(stored)
        return real(stored, password)

    monkeypatch.setattr(manager, "check_password_hash", counting)
    for outcome, (name, password) in _outcomes(app, account).items():
        calls.clear()
        with app.test_request_context():
            user = appbuilder.sm.auth_user_db(name, password)
            real_method = appbuilder.sm.find_user("admin").password.split("$")[0]
        assert (user is not None) == (outcome == "right password"), outcome
        assert len(calls) == 1, outcome
        assert calls[0].split("$")[0] == real_method, outcome  # same algorithm and cost


def test_outcomes_take_about_the_same_time(app, account):
    timings: dict[str, list[float]] = {}
    outcomes = _outcomes(app, account)
    for _ in range(5):
        for outcome, (name, password) in outcomes.items():
            with app.test_request_context():
                start = time.perf_counter()
                appbuilder.sm.auth_user_db(name, password)
                timings.setdefault(outcome, []).append(time.perf_counter() - start)
    medians = {outcome: statistics.median(values) for outcome, values in timings.items()}
    assert max(medians.values()) / min(medians.values()) < 3, medians


def test_sign_in_events_read_in_indonesian_in_the_trail(app, client, account, login_as):
    _fail(client, account.username, 1)
    with app.app_context():
        of_account = (AuditLog.table_name == "ab_user", AuditLog.record_id == str(account.id))
        entry = db.session.scalars(
            select(AuditLog.id).where(*of_account, AuditLog.action == "login_failed")
        ).one()
    response = login_as("Pengawas").get(f"/auditlogview/show/{entry}")
    assert response.status_code == 200
    assert "Gagal masuk" in response.get_data(as_text=True)
