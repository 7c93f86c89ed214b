"""Fixtures of the API tests: tokens issued straight into the database for demo accounts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select


@pytest.fixture()
def issue(app):
    """issue("pk1") -> a bearer token of that account, valid a day (or as `days` says)."""
    from app.extensions import db
    from app.models.api import ApiToken, hash_token, new_token
    from app.models.staff import Staff
    from app.timeutil import utcnow

    def _issue(username: str, days: int = 1, revoked: bool = False) -> str:
        token = new_token()
        with app.app_context():
            account = db.session.scalar(select(Staff).where(Staff.username == username))
            db.session.add(
                ApiToken(
                    name=f"uji {username}",
                    account_id=account.id,
                    token_hash=hash_token(token),
                    hint=token[:12],
                    expires_at=utcnow() + timedelta(days=days),
                    revoked_at=utcnow() if revoked else None,
                )
            )
            db.session.commit()
        return token

    return _issue


@pytest.fixture()
def api(client):
    """api(token, path, **kwargs) -> GET response of /api/v1/<path> with the bearer token."""

    def _get(token: str, path: str, **kwargs):
        return client.get(f"/api/v1/{path}", headers={"Authorization": f"Bearer {token}"}, **kwargs)

    return _get
