"""Fixtures of the security tests: accounts of their own, so that locking or signing one out
disturbs no other test. The fuzz test runs last: its valid submissions change the shared demo data
other tests read."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from tests.conftest import DEMO_PASSWORD

LAST = "tests/security/test_fuzz.py"
_serial = itertools.count(1)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Move the fuzz test to the end of the run, keeping every other test's order."""
    items.sort(key=lambda item: item.nodeid.startswith(LAST))


@dataclass(frozen=True)
class Account:
    """A test account's identifiers."""

    id: int
    username: str
    email: str


def make_account(app, role: str = "PK", password: str = DEMO_PASSWORD) -> Account:
    """A new active account with one role in the first office (section BKA for Kasubsi and PK);
    an Admin is national."""
    from app.extensions import appbuilder, db

    with app.app_context():
        username = f"uji.{role.lower()}{next(_serial)}"
        sm = appbuilder.sm
        user = sm.add_user(
            username, "Uji", role, f"{username}@bapas-magelang.go.id", sm.find_role(role), password
        )
        user.section = "BKA" if role in ("PK", "Kasubsi") else None
        user.office_id = None if role == "Admin" else 1
        db.session.commit()
        return Account(user.id, user.username, user.email)


@pytest.fixture()
def account(app) -> Account:
    """A fresh PK account."""
    return make_account(app)
