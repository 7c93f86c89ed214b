"""BATAKO entries sent from the field app (maybe made offline): recorded once per device-made key,
conflicts answered in Indonesian, CSRF and scope enforced; the pages the device may keep."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import func, select

from app.models.guidance import GuidanceLog
from app.models.mobile import MobileAttendance, MobileEntry, MobileService
from app.timeutil import WIB, as_utc
from tests.conftest import indonesian
from tests.factories import client_with_period, signature

DAY = date(2026, 12, 1)  # a Tuesday
NOTE = {
    "kind": "kepribadian",
    "notes": "Klien bekerja di bengkel.",
    "confidential_notes": "",
    "next_appointment": "",
}
NOT_MINE = (
    "No client you may serve has this guidance card or register number: only your own "
    "clients and the clients of your section report at your point."
)


def _open_point(login_as, db_session, clock, who: str, town: str):
    """A point of `who` on DAY, open and serving; returns (session, point id, page url)."""
    clock(datetime(2026, 11, 30, 10, 0, tzinfo=WIB))
    pk = login_as(who)
    form = {"town": town, "place": f"Balai Desa {town}", "held_on": DAY.isoformat()}
    assert pk.post_form("/mobileserviceview/add", form).status_code == 302
    db_session.rollback()
    point_id = db_session.scalar(select(MobileService.id).where(MobileService.town == town))
    page = f"/mobileserviceview/point/{point_id}"
    clock(datetime(2026, 12, 1, 8, 0, tzinfo=WIB))
    pk.post_form(f"{page}/setup", {}, form_url=page)
    pk.post_form(f"{page}/open", {}, form_url=page)
    return pk, point_id, page


def _sync(pk, page: str, entry: dict, with_token: bool = True):
    headers = {"X-CSRFToken": pk.token(page)} if with_token else {}
    return pk.client.post(f"{page}/sync", json=entry, headers=headers)


def _visits(db_session, point_id: int) -> int:
    db_session.rollback()
    return db_session.scalar(select(func.count()).where(MobileAttendance.service_id == point_id))


def test_the_same_key_twice_records_once_and_answers_the_first_result(app, login_as, db_session, clock):
    client_id = client_with_period(
        app, "BKD-810/2026", "pk2", date(2026, 5, 1), date(2027, 4, 30), card="KB-8100"
    )
    pk, point_id, page = _open_point(login_as, db_session, clock, "pk2", "Kecamatan Secang")
    clock(datetime(2026, 12, 1, 9, 30, tzinfo=WIB))
    key = str(uuid.uuid4())
    made_offline = "2026-12-01T01:10:00Z"  # 08:10 WIB on the phone, sent at 09:30
    entry = {"key": key, "kind": "hadir", "card": "KB-8100", "signature": signature(), "at": made_offline}
    first, second = _sync(pk, page, entry), _sync(pk, page, entry)
    assert first.status_code == second.status_code == 200
    assert first.json["status"] == second.json["status"] == "ok"
    assert first.json["visit_id"] == second.json["visit_id"] and second.json["repeated"] is True
    assert first.json["message"] == indonesian("%(name)s has reported.", name="Klien BKD-810/2026")
    assert _visits(db_session, point_id) == 1
    visit = db_session.get(MobileAttendance, first.json["visit_id"])
    assert as_utc(visit.checked_in_at) == datetime(2026, 12, 1, 8, 10, tzinfo=WIB)  # the phone's time

    # The note of a client checked in on the device refers to that check-in by its key.
    note = {"key": str(uuid.uuid4()), "kind": "bimbing", "checkin_key": key, "note": NOTE}
    assert _sync(pk, page, note).json["status"] == "ok"
    repeated = _sync(pk, page, note)
    assert repeated.status_code == 200 and repeated.json["repeated"] is True
    db_session.rollback()
    assert db_session.scalar(select(func.count()).where(GuidanceLog.client_id == client_id)) == 1
    assert db_session.scalar(select(func.count()).where(MobileEntry.service_id == point_id)) == 2

    # A key that is not a UUID, or an entry of no known kind: a clear refusal, nothing saved.
    for bad in (
        {**entry, "key": "123"},
        {**entry, "key": str(uuid.uuid4()), "kind": "x"},
        ["not", "a", "dict"],
    ):
        refused = _sync(pk, page, bad)
        assert refused.status_code == 400 and refused.json["status"] == "invalid"
    assert _visits(db_session, point_id) == 1


def test_a_conflict_comes_back_on_its_entry_and_the_others_are_recorded(app, login_as, db_session, clock):
    client_with_period(app, "BKD-820/2026", "pk2", date(2026, 5, 1), date(2027, 4, 30), card="KB-8200")
    client_with_period(app, "BKD-821/2026", "pk2", date(2026, 5, 1), date(2027, 4, 30), card="KB-8210")
    pk, point_id, page = _open_point(login_as, db_session, clock, "pk2", "Kecamatan Bandongan")
    # Meanwhile pk4 (same section) checks the first client in at its own point.
    other, _other_id, other_page = _open_point(login_as, db_session, clock, "pk4", "Kecamatan Kaliangkrik")
    clock(datetime(2026, 12, 1, 9, 0, tzinfo=WIB))
    taken = {"key": str(uuid.uuid4()), "kind": "hadir", "card": "KB-8200", "signature": signature()}
    assert _sync(other, other_page, taken).json["status"] == "ok"

    mine = {"key": str(uuid.uuid4()), "kind": "hadir", "card": "KB-8200", "signature": signature(stroke=3)}
    conflict = _sync(pk, page, mine)
    assert conflict.status_code == 409 and conflict.json["status"] == "conflict"
    expected = "This client has already reported today at another BATAKO point (%(place)s)."
    assert conflict.json["message"] == indonesian(expected, place="Balai Desa Kecamatan Kaliangkrik")
    # Its note cannot follow; the other client's entry is recorded all the same.
    orphan = {"key": str(uuid.uuid4()), "kind": "bimbing", "checkin_key": mine["key"], "note": NOTE}
    assert _sync(pk, page, orphan).json["message"] == indonesian(
        "The check-in of this client was not recorded, so its guidance note was not sent."
    )
    ok = {"key": str(uuid.uuid4()), "kind": "hadir", "card": "KB-8210", "signature": signature(stroke=4)}
    assert _sync(pk, page, ok).json["status"] == "ok"
    assert _visits(db_session, point_id) == 1

    # The same client again at the same point under a new key (a second device): refused once more.
    again = _sync(pk, page, {**ok, "key": str(uuid.uuid4())})
    assert again.json["message"] == indonesian("This client has already reported at this service point.")


def test_writes_need_the_csrf_token_and_the_pks_own_scope(app, login_as, db_session, clock):
    client_with_period(app, "BKD-830/2026", "pk2", date(2026, 5, 1), date(2027, 4, 30), card="KB-8300")
    pk, point_id, page = _open_point(login_as, db_session, clock, "pk2", "Kecamatan Mertoyudan")
    entry = {"key": str(uuid.uuid4()), "kind": "hadir", "card": "KB-8300", "signature": signature()}
    no_token = _sync(pk, page, entry, with_token=False)
    assert no_token.status_code == 400 and _visits(db_session, point_id) == 0

    # pk1's child (BKA) is not pk2's to serve: the same words as an unknown card.
    child = {"key": str(uuid.uuid4()), "kind": "hadir", "card": "BKA-001/2026", "signature": signature()}
    refused = _sync(pk, page, child)
    assert refused.status_code == 409 and refused.json["message"] == indonesian(NOT_MINE)

    # Another PK cannot record at pk2's point, not even a client it could serve itself.
    pk4 = login_as("pk4")
    foreign = pk4.client.post(f"{page}/sync", json=entry, headers={"X-CSRFToken": pk4.token()})
    assert foreign.status_code in (403, 404)
    assert _visits(db_session, point_id) == 0

    # A client moved to another section since the check-in: the note sent later is refused.
    assert _sync(pk, page, entry).json["status"] == "ok"
    visit_id = _sync(pk, page, entry).json["visit_id"]
    from app.extensions import db
    from app.models.clients import Client

    with app.app_context():
        client = db.session.scalar(select(Client).where(Client.register_number == "BKD-830/2026"))
        officer_id, client.officer_id, client.category = client.officer_id, None, "anak"
        db.session.commit()
    note = {"key": str(uuid.uuid4()), "kind": "bimbing", "visit_id": visit_id, "note": NOTE}
    moved = _sync(pk, page, note)
    assert moved.status_code == 409 and moved.json["message"] == indonesian(
        "This client is no longer yours to serve; the note was not recorded."
    )
    with app.app_context():
        client = db.session.scalar(select(Client).where(Client.register_number == "BKD-830/2026"))
        client.officer_id, client.category = officer_id, "dewasa"
        db.session.commit()
    # An empty note is refused with the field's words, nothing saved.
    empty = _sync(pk, page, {**note, "key": str(uuid.uuid4()), "note": {**NOTE, "notes": ""}})
    assert empty.status_code == 400 and empty.json["status"] == "invalid"
    db_session.rollback()
    assert db_session.get(MobileAttendance, visit_id).guided_at is None


def test_the_field_app_is_installable_and_kept_only_by_the_points_pk(app, login_as, db_session, clock):
    pk, _point_id, page = _open_point(login_as, db_session, clock, "pk2", "Kecamatan Tempuran")
    field_page = pk.get(page)
    html = field_page.get_data(as_text=True)
    assert field_page.headers["X-Batako-Offline"] == "1"
    assert "/static/batako/manifest.json" in html and "js/batako-offline.js" in html
    assert (
        "unsafe-inline"
        not in field_page.headers["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    )
    worker = pk.get("/static/js/batako-sw.js")
    assert worker.status_code == 200 and worker.headers["Service-Worker-Allowed"] == "/mobileserviceview/"
    manifest = pk.get("/static/batako/manifest.json").get_json()
    assert manifest["scope"] == "/mobileserviceview/" and page.startswith(manifest["scope"])
    assert all(pk.get(icon["src"]).status_code == 200 for icon in manifest["icons"])
    # The Kasubsi reads the point but its device keeps nothing of it.
    kasubsi = login_as("kasubsi.bkd").get(page)
    assert "X-Batako-Offline" not in kasubsi.headers and "batako-offline.js" not in kasubsi.get_data(
        as_text=True
    )
    # Signing out clears what the device kept.
    out = pk.client.post("/logout/", data={"csrf_token": pk.token()})
    assert out.headers["Clear-Site-Data"] == '"storage"'
