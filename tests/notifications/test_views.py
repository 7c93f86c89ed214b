"""The bell on every staff page, the list, opening a notification (read, then its task), one's
channels; a notification is its recipient's only, whatever the reader's role."""

from __future__ import annotations

import re
from datetime import datetime

from app.extensions import db
from app.models.notifications import APP, Notification, NotificationPreference
from app.timeutil import WIB
from tests.notifications.conftest import letter, notices, staff

AT = datetime(2027, 6, 1, 10, 0, tzinfo=WIB)
BADGE = re.compile(r'id="bapas-bell".*?<span class="badge">(\d+)</span>', re.S)


def _badge(html: str) -> int:
    found = BADGE.search(html)
    return int(found.group(1)) if found else 0


def test_the_bell_counts_opening_reads_and_goes_to_the_task(app, login_as, clock):
    clock(AT)
    with app.app_context():
        record = letter("ABH", "Bel untuk Kepala", AT)
        db.session.commit()
        (bell,) = notices(record, APP)
        bell_id, task = bell.id, f"/tasks/{record.id}"
    kepala = login_as("Kepala")
    before = _badge(kepala.get("/").get_data(as_text=True))
    assert before >= 1
    listing = kepala.get("/notifications/list/").get_data(as_text=True)
    assert f"/notifications/open/{bell_id}" in listing and "Tugas baru" in listing
    opened = kepala.get(f"/notifications/open/{bell_id}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith(task)
    assert _badge(kepala.get("/caseload/list/").get_data(as_text=True)) == before - 1
    with app.app_context():
        assert db.session.get(Notification, bell_id).read_at is not None
    kepala.post_form("/notifications/read-all", {}, form_url="/notifications/list/")
    assert _badge(kepala.get("/").get_data(as_text=True)) == 0


def test_a_notification_is_its_recipients_only(app, login_as, clock):
    clock(AT)
    with app.app_context():
        record = letter("ABH", "Bel bukan untuk orang lain", AT)
        db.session.commit()
        (bell,) = notices(record, APP)
        bell_id = bell.id
    for who in ("Pengawas", "PK", "Admin", "kasubsi.bka", "kepala.smg"):
        session = login_as(who)
        assert session.get(f"/notifications/open/{bell_id}").status_code == 404, who
        assert f"/notifications/open/{bell_id}" not in session.get("/notifications/list/").get_data(
            as_text=True
        )
    with app.app_context():
        assert db.session.get(Notification, bell_id).read_at is None


def test_staff_choose_their_channels(app, login_as):
    pk = login_as("pk2")
    page = pk.get("/notifications/settings").get_data(as_text=True)
    assert "Saluran notifikasi" in page
    refused = pk.post_form("/notifications/settings", {"email": "y", "whatsapp": "y", "whatsapp_number": ""})
    assert refused.status_code == 200 and "Isi nomor WhatsApp." in refused.get_data(as_text=True)
    with app.app_context():
        pk2 = staff("pk2")
        assert db.session.get(NotificationPreference, pk2.id) is None
    saved = pk.post_form("/notifications/settings", {"whatsapp": "y", "whatsapp_number": "0812 3456 7890"})
    assert saved.status_code == 302
    with app.app_context():
        chosen = db.session.get(NotificationPreference, pk2.id)
        assert (chosen.email, chosen.whatsapp, chosen.whatsapp_number) == (False, True, "081234567890")
        db.session.delete(chosen)
        db.session.commit()


def test_the_profile_leads_to_the_channels(app, login_as):
    pk = login_as("pk2")
    profile = pk.get("/users/userinfo/").get_data(as_text=True)
    assert "notificationchannels" in profile and "Saluran notifikasi" in profile
    with app.app_context():
        me = staff("pk2").id
    url = f"/users/action/notificationchannels/{me}"
    response = pk.client.post(url, data={"csrf_token": pk.token("/users/userinfo/")})
    assert response.status_code == 302 and response.headers["Location"].endswith("/notifications/settings")
