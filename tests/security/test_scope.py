"""Row scope: a PK reaches only its own clients, a Kasubsi only its section."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models.cases import Case
from app.models.clients import Client


def _client_id(db_session, register_number: str) -> int:
    return db_session.scalar(select(Client.id).where(Client.register_number == register_number))


PK2_CLIENT = "BKD-001/2026"


def test_pk1_does_not_list_pk2_clients(login_as):
    page = login_as("pk1").get("/clientview/list/").get_data(as_text=True)
    assert "BKA-001/2026" in page
    assert "BKD-" not in page
    assert "Joko Susilo" not in page


def test_pk1_search_does_not_reach_pk2_clients(login_as):
    page = login_as("pk1").get("/clientview/list/?_flt_0_name=Joko").get_data(as_text=True)
    assert "Joko Susilo" not in page


@pytest.mark.parametrize(
    "url", ["/clientview/show/{pk}", "/clientview/edit/{pk}", "/clientview/handover/{pk}"]
)
def test_pk1_cannot_open_pk2_client(login_as, db_session, url):
    response = login_as("pk1").get(url.format(pk=_client_id(db_session, PK2_CLIENT)))
    assert response.status_code == 404
    assert "Joko" not in response.get_data(as_text=True)


def test_pk1_cannot_edit_pk2_client_by_post(login_as, db_session):
    session = login_as("pk1")
    pk = _client_id(db_session, PK2_CLIENT)
    response = session.client.post(
        f"/clientview/edit/{pk}", data={"name": "Diubah", "csrf_token": session.token()}
    )
    assert response.status_code == 404
    db_session.rollback()
    assert db_session.get(Client, pk).name == "Joko Susilo"


def test_fab_csv_action_is_gone_for_every_role(login_as, db_session):
    """Exports go through /ekspor/ only, where identities are masked; FAB's CSV action bypassed it."""
    own = _client_id(db_session, "BKA-001/2026")
    for who in ("pk1", "pengawas", "kepala"):
        session = login_as(who)
        response = session.client.post(
            "/clientview/action_post",
            data={"action": "export_csv", "rowid": [own], "csrf_token": session.token()},
        )
        assert response.status_code == 400
        assert "Rizky Aditya" not in response.get_data(as_text=True)
        assert "text/csv" not in response.content_type


@pytest.mark.parametrize(
    ("who", "sees", "never"),
    [
        ("kasubsi.bka", "BKA-001/2026", "BKD-"),
        ("kasubsi.bkd", "BKD-001/2026", "BKA-"),
        ("kepala", "BKA-001/2026", None),
        ("pengawas", "BKD-001/2026", None),
    ],
)
def test_section_scope(login_as, who, sees, never):
    page = login_as(who).get("/clientview/list/?psize_ClientView=100").get_data(as_text=True)
    assert sees in page
    if never:
        assert never not in page


def test_kasubsi_bkd_cannot_open_a_child(login_as, db_session):
    response = login_as("kasubsi.bkd").get(f"/clientview/show/{_client_id(db_session, 'BKA-001/2026')}")
    assert response.status_code == 404


def test_cases_follow_their_clients(login_as, db_session):
    other_case = db_session.scalar(select(Case.id).where(Case.section == "BKD"))
    session = login_as("pk1")
    assert session.get(f"/caseview/show/{other_case}").status_code == 404
    assert "Pid.B/2024" not in session.get("/caseview/list/").get_data(as_text=True)


def test_tu_register_hides_confidential_notes(login_as, db_session, app):
    pk = _client_id(db_session, "BKA-002/2026")
    client = db_session.get(Client, pk)
    client.confidential_notes = "Riwayat kesehatan: rahasia sekali"
    db_session.commit()
    page = login_as("TU").get(f"/clientregisterview/show/{pk}").get_data(as_text=True)
    assert "Nabila Putri" in page
    assert "rahasia sekali" not in page
    assert "rahasia sekali" in login_as("pk1").get(f"/clientview/show/{pk}").get_data(as_text=True)
