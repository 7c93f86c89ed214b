"""The portal's limits count what matters: successful submissions per address and per client (not
failed ones or look-ups), and receipt codes that find nothing; their pages look public."""

from __future__ import annotations

from collections.abc import Iterator
from html import unescape

import pytest
from sqlalchemy import func, select

from app.extensions import appbuilder
from app.models.complaints import Complaint
from tests.conftest import csrf_token, indonesian
from tests.workflow import test_complaints, test_outreach, test_travel_permits
from tests.workflow.test_travel_permits import MONDAY

LIMITS = ("PORTAL_RATE_LIMIT", "PORTAL_STATUS_RATE_LIMIT", "PORTAL_CLIENT_RATE_LIMIT")


@pytest.fixture()
def limits(app) -> Iterator[dict]:
    """The portal's limits, to be tightened by the test; fresh counters, restored afterwards."""
    saved = {key: app.config[key] for key in LIMITS}
    appbuilder.sm.limiter.reset()
    yield app.config
    app.config.update(saved)
    appbuilder.sm.limiter.reset()


def _public(response) -> str:
    """The page's text, after checking it is the portal's (no staff menu, no staff links)."""
    page = unescape(response.get_data(as_text=True))
    assert 'class="portal"' in page
    assert indonesian("Back to my tasks") not in page and "navbar-right" not in page
    return page


def _lookup(client, code: str):
    token = csrf_token(client.get("/layanan/").get_data(as_text=True))
    return client.post("/layanan/status", data={"code": code, "csrf_token": token})


def test_failed_submissions_and_look_ups_do_not_use_up_the_limit(client, db_session, clock, limits):
    clock(MONDAY)
    limits["PORTAL_RATE_LIMIT"] = "2 per hour"
    before = db_session.scalar(select(func.count(Complaint.id)))
    for _ in range(5):  # a citizen correcting the form, and looking requests up
        assert test_complaints.submit(client, title="").status_code == 200
        assert _lookup(client, "BELUM-ADA").status_code == 200
    codes = [
        test_complaints.code_of(test_complaints.submit(client, title=f"Batas alamat {n}")) for n in range(2)
    ]
    assert client.get(f"/layanan/pengaduan/status/{codes[0]}").status_code == 200
    # Two stored: the third, of another service too, is refused (the limit is the address's).
    blocked = test_outreach.submit(client)
    assert blocked.status_code == 429
    page = _public(blocked)
    assert indonesian("Too many requests") in page
    db_session.rollback()
    assert db_session.scalar(select(func.count(Complaint.id))) == before + 2
    # Looking up what was sent still works.
    assert client.get(f"/layanan/pengaduan/status/{codes[1]}").status_code == 200


def test_a_client_named_in_requests_has_a_limit_of_its_own(app, db_session, clock, limits):
    clock(MONDAY)
    limits["PORTAL_CLIENT_RATE_LIMIT"] = "2 per day"
    for _ in range(2):
        test_travel_permits._code(test_travel_permits.submit(app.test_client()))
    refused = test_travel_permits.submit(app.test_client())
    assert refused.status_code == 200
    message = indonesian("Too many requests for this client today. Please contact the Bapas.")
    assert message in unescape(refused.get_data(as_text=True))
    # Another client is not concerned.
    other = test_travel_permits.submit(
        app.test_client(), register_number="BKD-002/2026", birth_date="1985-04-04"
    )
    test_travel_permits._code(other)


def test_codes_that_find_nothing_are_limited_and_the_page_is_public(client, db_session, limits):
    limits["PORTAL_STATUS_RATE_LIMIT"] = "3 per hour"
    complaint = db_session.scalar(select(Complaint).order_by(Complaint.id))
    for _ in range(6):  # the right code, read again and again, does not count
        assert client.get(f"/layanan/pengaduan/status/{complaint.receipt_code}").status_code == 200
    assert _lookup(client, "SALAH-1").status_code == 200
    assert client.get("/layanan/bambang-solah/status/SALAH-2").status_code == 404
    unknown = client.get("/layanan/status/SALAH-3")
    assert unknown.status_code == 404
    message = indonesian("No request or page has this address. Check the receipt code and try again.")
    assert message in _public(unknown)
    blocked = client.get(f"/layanan/pengaduan/status/{complaint.receipt_code}")
    assert blocked.status_code == 429 and indonesian("Too many requests") in _public(blocked)
    # The portal's forms are not look-ups: they stay open.
    assert client.get("/layanan/").status_code == 200


def test_a_too_large_request_on_the_portal_gets_a_public_page(app, client):
    body = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/layanan/status", data=body, content_type="application/octet-stream")
    assert response.status_code == 413
    assert indonesian("File too large") in _public(response)
