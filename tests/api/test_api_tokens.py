"""The Admin issues a token on screen (shown once, only its hash kept) and revokes it."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from app.forms.ranges import TOKEN_EXPIRY
from app.models.api import ApiToken, hash_token
from app.models.audit import AuditLog
from app.models.staff import Staff
from app.timeutil import today_wib
from tests.conftest import expected


def _pk1(db_session) -> int:
    return db_session.scalar(select(Staff.id).where(Staff.username == "pk1"))


def test_the_admin_issues_and_revokes_a_token(login_as, client, db_session):
    admin = login_as("Admin")
    form = {
        "name": "SDP uji",
        "account_id": _pk1(db_session),
        "expires_on": str(today_wib() + timedelta(days=30)),
    }
    page = admin.post_form("/apitokenview/add", form).get_data(as_text=True)
    token = re.search(r'<pre id="api-token">([^<]+)</pre>', page).group(1)
    record = db_session.scalar(select(ApiToken).where(ApiToken.name == "SDP uji"))
    assert record.token_hash == hash_token(token) and token not in str(record.__dict__.values())
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/clients", headers=headers).status_code == 200
    # The list and the detail never show the token again.
    assert token not in admin.get("/apitokenview/list/").get_data(as_text=True)
    assert token not in admin.get(f"/apitokenview/show/{record.id}").get_data(as_text=True)
    admin.post_form(f"/apitokenview/revoke/{record.id}", {}, form_url=f"/apitokenview/show/{record.id}")
    assert client.get("/api/v1/clients", headers=headers).status_code == 401
    # Issuing and revoking are on the audit trail (the hash redacted); a use is an "api" event only.
    rows = db_session.execute(
        select(AuditLog.action, AuditLog.changes)
        .where(AuditLog.table_name == "api_token", AuditLog.record_id == str(record.id))
        .order_by(AuditLog.id)
    ).all()
    assert [action for action, _ in rows] == ["insert", "api", "update"]
    assert record.token_hash not in str(rows) and set(rows[2].changes) == {"revoked_at"}


def test_a_bad_expiry_saves_nothing(login_as, db_session):
    admin = login_as("Admin")
    form = {
        "name": "Terlalu lama",
        "account_id": _pk1(db_session),
        "expires_on": str(today_wib() + timedelta(days=400)),
    }
    page = admin.post_form("/apitokenview/add", form).get_data(as_text=True)
    assert expected(TOKEN_EXPIRY) in page
    assert db_session.scalar(select(ApiToken).where(ApiToken.name == "Terlalu lama")) is None


def test_an_office_admin_sees_only_its_offices_tokens(app, issue, login_as, db_session):
    from tests.security.conftest import make_account

    issue("pk1")  # a token of office 1
    other = make_account(app, "Admin")
    with app.app_context():
        from app.extensions import db

        db.session.get(Staff, other.id).office_id = 2
        db.session.commit()
    page = login_as(other.username).get("/apitokenview/list/").get_data(as_text=True)
    assert "uji pk1" not in page
    token_id = db_session.scalar(select(ApiToken.id).where(ApiToken.name == "uji pk1"))
    assert login_as(other.username).get(f"/apitokenview/show/{token_id}").status_code == 404


def test_the_hint_is_shown_as_code(issue, login_as, db_session):
    """A token's first characters look like an identifier (bapas_tbtt_q): they are shown as code."""
    from tests.test_i18n import CODE_ON_SCREEN, visible_text

    token = issue("pk1")
    record = db_session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    record.hint = "bapas_tbtt_q"
    db_session.commit()
    page = login_as("Admin").get("/apitokenview/list/").get_data(as_text=True)
    assert "<code>bapas_tbtt_q…</code>" in page
    assert not CODE_ON_SCREEN["identifier"].findall(visible_text(page))
