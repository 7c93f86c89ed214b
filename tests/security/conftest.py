"""Fixtures of the security tests: accounts of their own, so that locking or signing one out
disturbs no other test."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from tests.conftest import DEMO_PASSWORD

_serial = itertools.count(1)


@dataclass(frozen=True)
class Account:
    """A test account's identifiers."""

    id: int
    username: str
    email: str


def make_account(app, role: str = "PK", password: str = DEMO_PASSWORD) -> Account:
    """A new active account with one role (section BKA for Kasubsi and PK)."""
    from app.extensions import appbuilder, db

    with app.app_context():
        username = f"uji.{role.lower()}{next(_serial)}"
        sm = appbuilder.sm
        user = sm.add_user(
            username, "Uji", role, f"{username}@bapas-magelang.go.id", sm.find_role(role), password
        )
        user.section = "BKA" if role in ("PK", "Kasubsi") else None
        db.session.commit()
        return Account(user.id, user.username, user.email)


@pytest.fixture()
def account(app) -> Account:
    """A fresh PK account."""
    return make_account(app)
