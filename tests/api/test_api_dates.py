"""The REST API refuses an out-of-range date with 400 and its reasons, never a 5xx (issue #17, item 12)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.models.letters import IncomingLetter
from app.timeutil import WIB
from tests.conftest import expected

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
BODY = {
    "service": "ABH",
    "sender": "Polres Magelang Kota",
    "sender_kind": "POLRI",
    "letter_number": "B/API-2001/XI/2026",
    "letter_date": "2026-11-20",
    "subject": "Permintaan pendampingan anak",
    "received_at": "2026-11-23 08:00",
}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"received_at": "2001-03-05 10:00", "letter_date": "2001-03-01"}, "received_at"),
        ({"received_at": "2099-01-01 10:00"}, "received_at"),
        ({"received_at": "0001-01-01 00:00"}, "received_at"),
        ({"received_at": "9999-12-31 23:59"}, "received_at"),
        ({"letter_date": "2024-11-20"}, "letter_date"),
    ],
)
def test_a_letter_dated_out_of_range_is_refused_with_400(client, issue, db_session, clock, changes, field):
    from app.forms import ranges

    clock(NOW)
    before = db_session.scalar(select(func.count(IncomingLetter.id)))
    response = client.post(
        "/api/v1/incoming-letters",
        json={**BODY, **changes},
        headers={"Authorization": f"Bearer {issue('tu')}"},
    )
    assert response.status_code == 400, response.get_data(as_text=True)
    messages = " ".join(response.get_json()["error"]["fields"][field])
    window = ranges.RECEIVED if field == "received_at" else ranges.LETTER_DATE
    assert expected(window) in messages
    db_session.rollback()
    assert db_session.scalar(select(func.count(IncomingLetter.id))) == before


def test_a_letter_received_sixty_days_ago_is_registered(client, issue, db_session, clock):
    clock(NOW)
    edge = (NOW - timedelta(days=60)).strftime("%Y-%m-%d 08:00")
    body = {**BODY, "letter_number": "B/API-60/IX/2026", "letter_date": edge[:10], "received_at": edge}
    made = client.post(
        "/api/v1/incoming-letters", json=body, headers={"Authorization": f"Bearer {issue('tu')}"}
    )
    assert made.status_code == 201, made.get_json()
