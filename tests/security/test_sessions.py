"""Sessions end on the server: logout, a password change or reset, idleness and age."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.audit import AuditLog
from tests.conftest import DEMO_PASSWORD, Session, csrf_token, sign_in
from tests.security.conftest import Account

NEW_PASSWORD = "Kopi-Tubruk-Magelang-77"


@pytest.fixture()
def session_clock(monkeypatch):
    """Set the sessions' wall clock: clock(datetime)."""
    from app.security import sessions

    def _set(moment: datetime) -> None:
        monkeypatch.setattr(sessions, "clock", moment.timestamp)

    return _set


def _session(app, account: Account) -> Session:
    client = app.test_client()
    assert sign_in(client, account.username).request.path == "/"
    return Session(client)


def _signed_in(session: Session) -> bool:
    response = session.get("/clientview/list/")
    if response.status_code == 302:
        assert "/login/" in response.headers["Location"]
        return False
    assert response.status_code == 200
    return True


def _copy(app, session: Session) -> Session:
    """Another browser holding a copy of the session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", session.client.get_cookie("session").value)
    return Session(thief)


def _logout(session: Session):
    return session.client.post("/logout/", data={"csrf_token": session.token()})


def test_a_cookie_copied_before_logout_no_longer_works(app, account):
    session = _session(app, account)
    copy = _copy(app, session)
    assert _signed_in(copy)
    response = _logout(session)
    assert response.status_code == 302
    assert not _signed_in(session)
    assert not _signed_in(copy)


def test_logout_ends_only_this_session(app, account):
    """Signing out on one computer leaves the account's session on another (a password change
    still ends the others, below)."""
    here, elsewhere = _session(app, account), _session(app, account)
    _logout(here)
    assert not _signed_in(here)
    assert _signed_in(elsewhere)
    again = _session(app, account)  # signing in again after a logout works
    assert _signed_in(again)


def test_logout_is_recorded(app, account):
    _logout(_session(app, account))
    with app.app_context():
        of_account = (AuditLog.table_name == "ab_user", AuditLog.record_id == str(account.id))
        actions = db.session.scalars(select(AuditLog.action).where(*of_account).order_by(AuditLog.id)).all()
    assert actions[-1] == "logout"


def test_logout_needs_a_post_with_a_csrf_token(app, account):
    session = _session(app, account)
    assert session.get("/logout/").status_code == 405
    assert session.client.post("/logout/").status_code == 400
    assert _signed_in(session)


def test_the_layout_logs_out_with_a_small_form(app, account):
    page = _session(app, account).get("/").get_data(as_text=True)
    assert 'href="/logout/"' not in page
    form = page[page.index('<form method="post" action="/logout/"') :]
    form = form[: form.index("</form>")]
    assert csrf_token(form)


def test_a_password_change_ends_every_other_session(app, account):
    session, other = _session(app, account), _session(app, account)
    data = {"old_password": DEMO_PASSWORD, "password": NEW_PASSWORD, "conf_password": NEW_PASSWORD}
    response = session.post_form("/resetmypassword/form", data)
    assert response.status_code == 302
    assert _signed_in(session)
    assert not _signed_in(other)


def test_an_admin_reset_ends_every_session_of_that_user(app, account, login_as):
    session = _session(app, account)
    admin = login_as("Admin")
    data = {"password": NEW_PASSWORD, "conf_password": NEW_PASSWORD}
    response = admin.post_form(f"/resetpassword/form?pk={account.id}", data)
    assert response.status_code == 302
    assert not _signed_in(session)
    assert admin.get("/users/list/").status_code == 200


@pytest.mark.parametrize(("idle", "still_in"), [(29, True), (31, False)])
def test_idle_sessions_end_after_30_minutes(app, account, session_clock, idle, still_in):
    start = datetime.now(UTC)
    session_clock(start)
    session = _session(app, account)
    session_clock(start + timedelta(minutes=20))
    assert _signed_in(session)
    session_clock(start + timedelta(minutes=20 + idle))
    assert _signed_in(session) is still_in


def test_a_busy_session_still_ends_at_its_absolute_lifetime(app, account, session_clock):
    start = datetime.now(UTC)
    session_clock(start)
    session = _session(app, account)
    lifetime = app.permanent_session_lifetime
    moment = start
    while moment + timedelta(minutes=25) < start + lifetime:
        moment += timedelta(minutes=25)
        session_clock(moment)
        assert _signed_in(session), moment - start
    session_clock(start + lifetime + timedelta(minutes=1))
    assert not _signed_in(session)


def test_an_expired_session_says_so_in_indonesian(app, account, session_clock):
    start = datetime.now(UTC)
    session_clock(start)
    session = _session(app, account)
    session_clock(start + timedelta(minutes=45))
    page = session.get("/clientview/list/", follow_redirects=True).get_data(as_text=True)
    assert "Sesi Anda telah berakhir" in page
