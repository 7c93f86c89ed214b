"""The REST API: bearer tokens only, the screens' row scope and masking, cursor pages, every call
in the audit trail, and a letter registered by a partner system."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from app.models.audit import AuditLog
from app.models.clients import Client
from app.models.letters import IncomingLetter
from app.models.staff import Staff
from app.timeutil import WIB
from tests.conftest import indonesian


def _walk(api, token: str, path: str, limit: int = 2) -> list[dict]:
    rows, cursor = [], None
    while True:
        response = api(token, path, query_string={"limit": limit, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        rows += body["data"]
        cursor = body["next_cursor"]
        if cursor is None:
            return rows


def _ids_of(db_session, username: str) -> set[int]:
    officer = db_session.scalar(select(Staff.id).where(Staff.username == username))
    return set(db_session.scalars(select(Client.id).where(Client.officer_id == officer)))


def test_no_token_or_a_bad_one_is_refused_in_indonesian(api, client, issue):
    assert client.get("/api/v1/clients").status_code == 401
    for token in ("bukan-token", issue("pk1", days=-1), issue("pk1", revoked=True)):
        response = api(token, "clients")
        assert response.status_code == 401
        assert response.get_json()["error"]["message"] == indonesian(
            "The token is unknown, expired or revoked."
        )


def test_a_browser_session_cannot_call_the_api(login_as):
    session = login_as("TU")
    assert session.get("/api/v1/clients").status_code == 401
    body = {"service": "SURAT", "sender": "Polres", "sender_kind": "POLRI"}
    assert session.client.post("/api/v1/incoming-letters", json=body).status_code == 401


def test_a_pk_token_returns_exactly_its_own_clients_page_by_page(api, issue, db_session):
    rows = _walk(api, issue("pk1"), "clients")
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)) and ids == sorted(ids)
    assert set(ids) == _ids_of(db_session, "pk1")
    other = next(iter(_ids_of(db_session, "pk2")))
    assert api(issue("pk1"), f"clients/{other}").status_code == 404


def test_children_are_masked_as_on_screen(api, issue, db_session):
    child = db_session.scalar(select(Client).where(Client.register_number == "BKA-001/2026"))
    seen = api(issue("pengawas"), f"clients/{child.id}").get_json()["data"]
    assert (
        seen["name"] != child.name
        and seen["nik"] != child.nik
        and seen["birth_date"] == str(child.birth_date.year)
    )
    own = api(issue("pk1"), f"clients/{child.id}").get_json()["data"]
    assert own["name"] == child.name and own["nik"] == child.nik


def test_complaints_never_carry_the_complainant(api, issue):
    rows = _walk(api, issue("pengaduan"), "complaints", limit=50)
    assert rows, "the demo has complaints"
    assert not {"complainant_name", "complainant_contact", "description"} & set(rows[0])


def test_a_role_without_the_screen_gets_403(api, issue):
    response = api(issue("tu"), "guidance-logs")
    assert response.status_code == 403
    assert response.get_json()["error"]["message"] == indonesian(
        "The service account's role may not read or write this."
    )


def test_bad_parameters_are_a_400_in_indonesian(api, issue):
    token = issue("kepala")
    for query in ({"limit": "0"}, {"limit": "x"}, {"cursor": "!!"}, {"fields": "password"}, {"nope": "1"}):
        response = api(token, "clients", query_string=query)
        assert response.status_code == 400, query
        assert response.get_json()["error"]["message"]
    assert api(token, "nothing-here").status_code == 404


def test_fields_and_filters(api, issue, db_session):
    token = issue("kepala")
    response = api(
        token, "clients", query_string={"fields": "register_number", "category": "anak", "limit": 200}
    )
    rows = response.get_json()["data"]
    assert rows and all(set(row) == {"id", "register_number"} for row in rows)
    children = db_session.scalar(
        select(func.count(Client.id)).where(Client.category == "anak", Client.office_id == 1)
    )
    assert len(rows) == children


def test_every_call_is_in_the_audit_trail(api, issue, db_session):
    token = issue("kepala")
    before = db_session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "api"))
    api(token, "clients")
    api(token, "clients/999999")
    db_session.rollback()
    rows = db_session.scalars(
        select(AuditLog).where(AuditLog.action == "api").order_by(AuditLog.id.desc()).limit(2)
    ).all()
    assert db_session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "api")) == before + 2
    assert {row.changes["status"] for row in rows} == {200, 404} and rows[0].username == "kepala"


def test_a_partner_registers_a_police_letter(client, issue, db_session, clock):
    clock(datetime(2026, 11, 23, 9, 0, tzinfo=WIB))  # the letter's dates lie within 60 days of receipt
    headers = {"Authorization": f"Bearer {issue('tu')}"}
    body = {
        "service": "ABH",
        "sender": "Polres Magelang Kota",
        "sender_kind": "POLRI",
        "letter_number": "B/API-1/XI/2026",
        "letter_date": "2026-11-01",
        "subject": "Permintaan pendampingan anak",
        "received_at": "2026-11-01 09:00",
    }
    before = db_session.scalar(select(func.count(IncomingLetter.id)))
    bad = client.post("/api/v1/incoming-letters", json={**body, "letter_date": "kemarin"}, headers=headers)
    assert bad.status_code == 400 and "letter_date" in bad.get_json()["error"]["fields"]
    refused = client.post(
        "/api/v1/incoming-letters", json=body, headers={"Authorization": f"Bearer {issue('pk1')}"}
    )
    assert refused.status_code == 403
    db_session.rollback()
    assert db_session.scalar(select(func.count(IncomingLetter.id))) == before
    made = client.post("/api/v1/incoming-letters", json=body, headers=headers)
    assert made.status_code == 201, made.get_json()
    letter = db_session.get(IncomingLetter, made.get_json()["data"]["id"])
    assert letter.letter_number == body["letter_number"] and letter.instance_id and letter.office_id == 1
