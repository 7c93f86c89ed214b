"""The address limit of the sign-in form counts failures, not sign-ins: an office behind one NAT
address signs everyone in at the start of the day; guesses from one address are stopped."""

from __future__ import annotations

from collections.abc import Iterator
from html import unescape

import pytest

from app.extensions import appbuilder
from tests.conftest import indonesian, sign_in
from tests.security.conftest import make_account


@pytest.fixture()
def limited(app) -> Iterator[None]:
    """The sign-in limit switched on, at 3 failures per address, with fresh counters."""
    app.config.update(AUTH_RATE_LIMITED=True, AUTH_RATE_LIMIT="3 per 5 minute")
    appbuilder.sm.limiter.reset()
    yield
    app.config.update(AUTH_RATE_LIMITED=False, AUTH_RATE_LIMIT="10 per 5 minute")
    appbuilder.sm.limiter.reset()


def test_a_morning_of_sign_ins_from_one_address_is_not_limited(app, limited):
    accounts = [make_account(app) for _ in range(8)]
    for account in accounts:
        client = app.test_client()
        assert sign_in(client, account.username).request.path == "/"


def test_failures_from_one_address_are_limited_whichever_account(app, limited):
    client = app.test_client()
    codes = [sign_in(client, f"tidak.ada.{n}", "salah-sekali").status_code for n in range(3)]
    assert codes == [200, 200, 200]
    # The next attempt from the address is refused, even with the right password of a real account.
    blocked = sign_in(app.test_client(), make_account(app).username)
    assert blocked.status_code == 429
    assert indonesian("Too many attempts") in unescape(blocked.get_data(as_text=True))


def test_sign_ins_between_failures_do_not_clear_or_use_up_the_count(app, limited):
    client = app.test_client()
    for n in range(2):
        assert sign_in(client, f"tidak.ada.{n}", "salah").status_code == 200
    for _ in range(4):
        assert sign_in(app.test_client(), make_account(app).username).request.path == "/"
    assert sign_in(client, "tidak.ada.lagi", "salah").status_code == 200
    assert sign_in(client, "tidak.ada.sekali.lagi", "salah").status_code == 429
