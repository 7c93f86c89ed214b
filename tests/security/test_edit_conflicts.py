"""Two saves of one record at once: the loser is told so in Indonesian, with a link to reload,
and nothing of its save is kept."""

from __future__ import annotations

from html import unescape

from sqlalchemy import event, select, update

from app.models.clients import Client
from tests.conftest import indonesian
from tests.views.test_clients import _form

CONFLICT = "Someone else changed this record after you opened it; reload and try again."


def _edit_data(db_session, client: Client, **changes: str) -> dict:
    common = {
        "register_number": client.register_number,
        "name": client.name,
        "nik": client.nik,
        "birth_date": client.birth_date.isoformat(),
        "guardian_name": client.guardian_name,
        "guidance_card_number": client.guidance_card_number,
        "supervision_start": client.supervision_start.isoformat(),
        "supervision_end": client.supervision_end.isoformat(),
        "version_seen": str(client.version),
    }
    return _form(db_session, **common, **changes)


def test_the_save_that_loses_the_race_says_so_with_a_link_to_reload(login_as, db_session):
    session = login_as("PK")
    client = db_session.scalar(select(Client).where(Client.register_number == "BKA-003/2026"))
    url = f"/clientview/edit/{client.id}"
    data = _edit_data(db_session, client, phone="0833333333")
    phone_before = client.phone
    db_session.rollback()

    def the_other_save_commits_first(_mapper, connection, target: Client) -> None:
        # Both saves passed the form's version check; the other one reaches the database first.
        connection.execute(update(Client).where(Client.id == target.id).values(version=Client.version + 1))

    event.listen(Client, "before_update", the_other_save_commits_first, once=True)
    try:
        response = session.post_form(url, data, follow_redirects=True)
    finally:
        if event.contains(Client, "before_update", the_other_save_commits_first):
            event.remove(Client, "before_update", the_other_save_commits_first)
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert indonesian(CONFLICT) in page
    assert indonesian("Database Error") not in page
    assert f'href="{url}"' in page
    db_session.rollback()
    assert db_session.get(Client, client.id).phone == phone_before


def test_a_stale_form_does_not_overwrite_and_links_to_the_fresh_record(login_as, db_session):
    first, second = login_as("PK"), login_as("PK")
    client = db_session.scalar(select(Client).where(Client.register_number == "BKA-003/2026"))
    url = f"/clientview/edit/{client.id}"
    assert first.post_form(url, _edit_data(db_session, client, phone="0811111112")).status_code == 302
    response = second.post_form(
        url, _edit_data(db_session, client, phone="0822222223"), follow_redirects=True
    )
    page = unescape(response.get_data(as_text=True))
    assert indonesian(CONFLICT) in page
    assert f'href="{url}"' in page
    db_session.rollback()
    assert db_session.get(Client, client.id).phone == "0811111112"
