"""Two-step verification: enrolment, the code after the password, recovery codes, the roles that
must have it. Codes are computed with pyotp, as the phone would."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.audit import AuditLog
from app.models.staff import RecoveryCode, Staff
from app.security import mfa
from config import Config
from tests.conftest import ACCOUNT_OF_ROLE, Session, indonesian, sign_in
from tests.security.conftest import Account, make_account

# The deployed configuration's roles (the tests' own configuration requires none).
REQUIRED = Config.MFA_REQUIRED_ROLES


@pytest.fixture()
def required(app, monkeypatch):
    """The roles of the deployed configuration must use two-step verification."""
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", REQUIRED)


def _enrolled(app, account: Account) -> tuple[str, list[str]]:
    """Give the account an authenticator key directly; return it and the recovery codes."""
    with app.app_context():
        user = db.session.get(Staff, account.id)
        secret = pyotp.random_base32()
        codes = mfa.enrol(user, secret, step=0)
        db.session.commit()
        return secret, codes


def _wrong(secret: str) -> str:
    """A six-digit code that is none of those the app could show now."""
    totp = pyotp.TOTP(secret)
    step = int(mfa.clock() // 30)
    good = {totp.generate_otp(s) for s in (step - 1, step, step + 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in good)


def _password(app, account: Account):
    client = app.test_client()
    return client, sign_in(client, account.username)


def _verify(client, code: str):
    page = client.get("/login/verify/").get_data(as_text=True)
    return client.post(
        "/login/verify/", data={"code": code, "csrf_token": _token(page)}, follow_redirects=True
    )


def _token(page: str) -> str:
    from tests.conftest import csrf_token

    return csrf_token(page)


def _signed_in(client) -> bool:
    return client.get("/clientview/list/").status_code == 200


def _actions(app, account: Account) -> list[str]:
    with app.app_context():
        of_account = (AuditLog.table_name == "ab_user", AuditLog.record_id == str(account.id))
        return list(db.session.scalars(select(AuditLog.action).where(*of_account).order_by(AuditLog.id)))


def test_enrolment_shows_a_qr_code_and_the_key_and_gives_ten_recovery_codes(app, account):
    client, _ = _password(app, account)
    page = client.get("/mfa/enrol/").get_data(as_text=True)
    assert 'src="data:image/png;base64,' in page
    key = re.search(r'class="bapas-code">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    assert indonesian("If you cannot scan it, type this key into the app instead:") in page
    response = client.post("/mfa/enrol/", data={"code": pyotp.TOTP(key).now(), "csrf_token": _token(page)})
    codes = re.findall(r"<li>([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})</li>", response.get_data(as_text=True))
    assert len(set(codes)) == 10
    with app.app_context():
        assert mfa.secret_of(db.session.get(Staff, account.id)) == key
        stored = db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == account.id))
        stored = set(stored)
    assert len(stored) == 10 and not stored & {c.replace("-", "") for c in codes} and not stored & set(codes)
    assert "mfa_enrolled" in _actions(app, account)


def test_a_wrong_code_at_enrolment_saves_nothing(app, account):
    client, _ = _password(app, account)
    page = client.get("/mfa/enrol/").get_data(as_text=True)
    key = re.search(r'class="bapas-code">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    response = client.post("/mfa/enrol/", data={"code": _wrong(key), "csrf_token": _token(page)})
    assert indonesian("The code does not match. Check the phone's clock and type the newest code.") in (
        response.get_data(as_text=True)
    )
    with app.app_context():
        assert db.session.get(Staff, account.id).totp_secret is None


def test_an_enrolled_account_needs_the_code_after_the_password(app, account):
    secret, _ = _enrolled(app, account)
    client, response = _password(app, account)
    assert response.request.path == "/login/verify/"
    assert not _signed_in(client)
    assert _verify(client, pyotp.TOTP(secret).now()).request.path == "/"
    assert _signed_in(client)
    assert _actions(app, account)[-1] == "login"


def test_a_code_is_good_once(app, account):
    secret, _ = _enrolled(app, account)
    code = pyotp.TOTP(secret).now()
    first, _ = _password(app, account)
    assert _verify(first, code).request.path == "/"
    second, _ = _password(app, account)
    response = _verify(second, code)
    assert indonesian("The code is wrong or has already been used.") in response.get_data(as_text=True)
    assert not _signed_in(second)


def test_wrong_codes_count_on_the_one_lockout_counter(app, account):
    secret, _ = _enrolled(app, account)
    client, _ = _password(app, account)
    for _ in range(5):
        _verify(client, _wrong(secret))
    assert client.get("/login/verify/").headers["Location"].endswith("/login/")
    again, response = _password(app, account)
    assert response.request.path == "/login/"
    assert not _signed_in(again)
    assert _actions(app, account)[-3:] == ["login_failed", "lockout", "login_failed"]


def test_a_password_success_does_not_reset_the_code_failures(app, account):
    secret, _ = _enrolled(app, account)
    for _ in range(5):
        client, _ = _password(app, account)
        _verify(client, _wrong(secret))
    client, response = _password(app, account)
    assert response.request.path == "/login/"


def test_a_recovery_code_signs_in_once(app, account):
    _, codes = _enrolled(app, account)
    client, _ = _password(app, account)
    assert _verify(client, codes[3].lower()).request.path == "/"
    other, _ = _password(app, account)
    assert _verify(other, codes[3]).request.path == "/login/verify/"
    with app.app_context():
        assert mfa.recovery_codes_left(db.session.get(Staff, account.id)) == 9


def test_the_second_step_must_follow_the_password_soon(app, account, monkeypatch):
    from app.security import sessions

    _enrolled(app, account)
    client, _ = _password(app, account)
    later = sessions.clock() + app.config["MFA_STEP_SECONDS"] + 1
    monkeypatch.setattr(sessions, "clock", lambda: later)
    response = client.get("/login/verify/", follow_redirects=True)
    assert response.request.path == "/login/"
    assert indonesian("The sign-in took too long or was stopped. Please sign in again.") in (
        response.get_data(as_text=True)
    )


def test_every_role_that_sees_the_whole_office_or_many_offices_must_use_it():
    assert set(REQUIRED) == {"Admin", "Kepala", "Pengawas", "Kanwil", "Ditjenpas"}


@pytest.mark.parametrize("role", REQUIRED)
def test_required_roles_must_enrol_before_anything_else(app, required, role):
    account = make_account(app, role)
    client, response = _password(app, account)
    assert response.request.path == "/mfa/enrol/"
    assert indonesian("Your role requires two-step verification. Set it up now to continue.") in (
        response.get_data(as_text=True)
    )
    for url in ("/", "/auditlogview/list/", "/users/userinfo/", "/mfa/"):
        assert client.get(url).headers["Location"].endswith("/mfa/enrol/")
    page = client.get("/mfa/enrol/").get_data(as_text=True)
    key = re.search(r'class="bapas-code">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    client.post("/mfa/enrol/", data={"code": pyotp.TOTP(key).now(), "csrf_token": _token(page)})
    assert client.get("/").status_code == 200


def test_other_roles_may_go_without(app, required, account):
    client, response = _password(app, account)
    assert response.request.path == "/"
    assert _signed_in(client)


def test_required_roles_cannot_turn_it_off(app, required):
    account = make_account(app, "Pengawas")
    secret, _ = _enrolled(app, account)
    client, _ = _password(app, account)
    _verify(client, pyotp.TOTP(secret).now())
    page = client.get("/mfa/").get_data(as_text=True)
    assert "/mfa/disable/" not in page
    client.post("/mfa/disable/", data={"code": _wrong(secret), "csrf_token": _token(page)})
    with app.app_context():
        assert mfa.secret_of(db.session.get(Staff, account.id)) == secret


def test_a_pk_turns_it_off_with_a_code(app, account):
    secret, codes = _enrolled(app, account)
    client, _ = _password(app, account)
    _verify(client, codes[0])
    page = client.get("/mfa/").get_data(as_text=True)
    response = client.post(
        "/mfa/disable/",
        data={"code": pyotp.TOTP(secret).now(), "csrf_token": _token(page)},
        follow_redirects=True,
    )
    assert indonesian("Two-step verification is off.") in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Staff, account.id).totp_secret is None
    assert _password(app, account)[1].request.path == "/"


def test_new_recovery_codes_replace_the_old(app, account):
    secret, old = _enrolled(app, account)
    client, _ = _password(app, account)
    _verify(client, old[0])
    page = client.get("/mfa/").get_data(as_text=True)
    response = client.post("/mfa/codes/", data={"code": pyotp.TOTP(secret).now(), "csrf_token": _token(page)})
    new = re.findall(r"<li>([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})</li>", response.get_data(as_text=True))
    assert len(new) == 10
    other, _ = _password(app, account)
    assert _verify(other, old[1]).request.path == "/login/verify/"
    assert _verify(other, new[1]).request.path == "/"


@pytest.mark.parametrize("role", ACCOUNT_OF_ROLE)
def test_every_role_can_open_its_two_step_page(login_as, role):
    session: Session = login_as(role)
    page = session.get("/mfa/").get_data(as_text=True)
    assert indonesian("Set up an authenticator app") in page


def test_the_key_is_encrypted_at_rest(app, account):
    """The column holds a sealed token, not the key: a copy of the database without the app's key
    gives no one the second factor, and a token sealed with another key does not open."""
    secret, _ = _enrolled(app, account)
    with app.app_context():
        stored = db.session.get(Staff, account.id).totp_secret
        assert secret not in stored and stored.startswith("gAAAAA")  # Fernet's version byte
        assert mfa.unseal(stored) == secret
        assert mfa.unseal(stored, {"SECRET_KEY": "another key"}) is None
        assert mfa.unseal(stored, {**app.config, "TOTP_ENCRYPTION_KEY": "its own key"}) is None
    client, _ = _password(app, account)
    assert _verify(client, pyotp.TOTP(secret).now()).request.path == "/"


def test_a_lost_phone_is_reset_from_the_command_line(app, account):
    from app.cli import mfa_reset_command

    secret, _ = _enrolled(app, account)
    client, _ = _password(app, account)
    _verify(client, pyotp.TOTP(secret).now())
    result = app.test_cli_runner().invoke(mfa_reset_command, [account.username])
    assert result.exit_code == 0, result.output
    assert not _signed_in(client)
    assert _password(app, account)[1].request.path == "/"
    assert "mfa_reset" in _actions(app, account)
