"""Out-of-range dates are refused on every kind of screen, nothing is saved, and the edges pass
(issue #17, item 12): a complaint received in 2001, a BATAKO point in 2099, a client born in 1970
registered as a child."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from html import unescape

from sqlalchemy import func, select

from app.forms import ranges
from app.models.clients import Client
from app.models.complaints import Complaint
from app.models.group_guidance import GroupSession
from app.models.guidance import GuidanceLog
from app.models.mobile import MobileService
from app.models.outreach import Outreach
from app.models.travel_permits import TravelPermit
from app.models.workflow import ExtraHoliday
from app.timeutil import WIB
from tests.conftest import expected, indonesian
from tests.factories import client_with_period
from tests.workflow.test_outreach import submit as ask_for_outreach
from tests.workflow.test_travel_permits import submit as ask_for_permit

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)  # a Monday
TODAY = NOW.date()
COMPLAINT = {
    "channel": "TELEPON", "category": "LAYANAN", "sop": "SOP13", "title": "Titik BATAKO tutup",
    "description": "Petugas tidak datang ke titik layanan.", "staff_named": "", "complainant_name": "Warsini",
    "complainant_contact": "", "subject_staff": 0,
}  # fmt: skip


def _page(response) -> str:
    return unescape(response.get_data(as_text=True))


def _count(db_session, model, *where) -> int:
    db_session.rollback()
    return db_session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_complaint_received_in_2001_is_refused_and_the_edge_passes(login_as, db_session, clock):
    clock(NOW)
    unit = login_as("pengaduan")
    title = Complaint.title == COMPLAINT["title"]
    before = _count(db_session, Complaint, title)
    response = unit.post_form("/complaintview/intake", {**COMPLAINT, "received_at": "2001-03-05 10:00"})
    page = _page(response)
    assert response.status_code == 200
    assert f"{indonesian('Received at')} harus antara 24 September 2026 dan sekarang" in page
    assert expected(ranges.RECEIVED) in page
    assert _count(db_session, Complaint, title) == before
    edge = (TODAY - timedelta(days=60)).isoformat() + " 08:00"
    response = unit.post_form("/complaintview/intake", {**COMPLAINT, "received_at": edge})
    assert response.status_code == 302, _page(response)[-1500:]
    assert _count(db_session, Complaint, title) == before + 1


def test_a_batako_point_in_2099_is_refused_and_a_year_ahead_passes(login_as, db_session, clock):
    clock(NOW)
    pk = login_as("pk2")
    form = pk.get("/mobileserviceview/add").get_data(as_text=True)
    assert (
        f'min="{TODAY.isoformat()}"' in form and f'max="{(TODAY + timedelta(days=365)).isoformat()}"' in form
    )
    for held_on in ("2099-01-05", (TODAY + timedelta(days=366)).isoformat(), "2026-11-22"):
        response = pk.post_form(
            "/mobileserviceview/add", {"town": "Kota 2099", "place": "Balai", "held_on": held_on}
        )
        assert response.status_code == 200 and expected(ranges.PLANNED) in _page(response), held_on
    assert _count(db_session, MobileService, MobileService.town == "Kota 2099") == 0
    last = (TODAY + timedelta(days=365)).isoformat()
    response = pk.post_form(
        "/mobileserviceview/add", {"town": "Kota 2099", "place": "Balai", "held_on": last}
    )
    assert response.status_code == 302
    assert _count(db_session, MobileService, MobileService.town == "Kota 2099") == 1


def _client(**changes: object) -> dict:
    data = {
        "register_number": "BKA-580/2026", "name": "Budi Santoso", "nik": "", "birth_place": "Magelang",
        "birth_date": "1970-05-01", "sex": "L", "address": "Jl. Tentara Pelajar 3, Magelang", "phone": "",
        "category": "anak", "guardian_name": "Sumarni", "guardian_relation": "ibu", "guardian_phone": "",
        "legal_basis": "DIVERSI", "supervision_start": "2026-11-01", "supervision_end": "2027-05-01",
        "status": "aktif", "handover_number": "", "handover_date": "", "guidance_card_number": "",
    }  # fmt: skip
    data.update(changes)
    return data


def test_a_client_born_in_1970_is_not_registered_as_a_child(login_as, db_session, clock):
    clock(NOW)
    tu = login_as("tu")
    register = Client.register_number.like("BKA-58_/2026")
    cases = [
        ({}, "Anak berusia di bawah 18 tahun; klien ini berusia 56 tahun pada 1 November 2026"),
        # Eighteen on the day supervision starts: no longer a child.
        ({"birth_date": "2008-11-01"}, "klien ini berusia 18 tahun pada 1 November 2026"),
        # Without a start (accompanied in the legal process), the age on the day of registration.
        ({"birth_date": "2008-11-23", "supervision_start": "", "supervision_end": "", "status": "didampingi"},
         "klien ini berusia 18 tahun pada 23 November 2026"),
        ({"birth_date": "2010-01-01", "category": "dewasa"}, "Dewasa berusia 18 tahun atau lebih"),
        ({"birth_date": "1899-12-31", "category": "dewasa"}, expected(ranges.BIRTH)),
        ({"birth_date": "2020-01-01"}, expected(ranges.BIRTH)),
        ({"supervision_start": "1990-01-01"}, expected(ranges.SUPERVISION_START)),
        ({"supervision_end": "2099-01-01"}, expected(ranges.SUPERVISION_END)),
        ({"handover_date": "2027-01-01"}, expected(ranges.HANDOVER)),
    ]  # fmt: skip
    for changes, message in cases:
        response = tu.post_form("/clientregisterview/add", _client(**changes))
        page = _page(response)
        assert response.status_code == 200 and message in page, (changes, page[-3000:])
    assert _count(db_session, Client, register) == 0
    # The edges: 17 the day supervision starts is a child; 18 that day is an adult; born in 1900.
    accepted = [
        {"register_number": "BKA-581/2026", "birth_date": "2008-11-02"},
        {"register_number": "BKA-582/2026", "birth_date": "2008-11-01", "category": "dewasa"},
        {"register_number": "BKA-583/2026", "birth_date": "1900-01-01", "category": "dewasa"},
    ]  # fmt: skip
    for changes in accepted:
        response = tu.post_form("/clientregisterview/add", _client(**changes))
        assert response.status_code == 302, (changes, _page(response)[-3000:])
    db_session.rollback()
    made = {c.register_number: c.category for c in db_session.scalars(select(Client).where(register))}
    assert made == {"BKA-581/2026": "anak", "BKA-582/2026": "dewasa", "BKA-583/2026": "dewasa"}


def test_the_public_portal_answers_bad_dates_with_a_message(client, db_session, clock):
    clock(NOW)
    permits = _count(db_session, TravelPermit)
    for changes, window in [
        ({"birth_date": "1850-01-01"}, ranges.BIRTH),
        ({"depart_on": "2099-12-14", "return_on": "2099-12-16"}, ranges.PLANNED),
        ({"return_on": "2099-12-16"}, ranges.TRIP_RETURN),
    ]:
        response = ask_for_permit(client, **changes)
        assert response.status_code == 200 and expected(window) in _page(response), changes
    assert _count(db_session, TravelPermit) == permits
    requests = _count(db_session, Outreach)
    response = ask_for_outreach(client, requested_on="2099-01-05")
    assert response.status_code == 200 and expected(ranges.PLANNED) in _page(response)
    assert _count(db_session, Outreach) == requests


def test_an_edit_keeps_a_date_already_held_but_cannot_move_it_out_of_range(login_as, db_session, clock):
    clock(NOW)
    kasubsi = login_as("kasubsi.bkd")
    data = {
        "topic": "Kemandirian usaha",
        "held_on": "2026-11-30",
        "place": "Aula Bapas",
        "starts_at": "09:00",
    }
    assert (
        kasubsi.post_form("/groupsessionview/add", {**data, "proposals_due": "2026-11-27"}).status_code == 302
    )
    db_session.rollback()
    session = db_session.scalar(select(GroupSession).where(GroupSession.topic == "Kemandirian usaha"))
    clock(NOW + timedelta(days=200))  # the session lies half a year back now
    url = f"/groupsessionview/edit/{session.id}"
    moved = kasubsi.post_form(url, {**data, "held_on": "2026-12-01", "version_seen": session.version})
    assert moved.status_code == 200 and expected(ranges.PLANNED) in _page(moved)
    kept = kasubsi.post_form(
        url, {**data, "topic": "Kemandirian usaha (ralat)", "version_seen": session.version}
    )
    assert kept.status_code == 302, _page(kept)[-2000:]
    db_session.rollback()
    session = db_session.get(GroupSession, session.id)
    assert session.topic == "Kemandirian usaha (ralat)" and session.held_on == date(2026, 11, 30)


def test_a_guidance_session_outside_the_period_is_still_refused(app, login_as, db_session, clock):
    clock(NOW)
    late = client_with_period(app, "BKD-581/2026", "pk2", date(2026, 11, 10), date(2027, 11, 9))
    data = {"client": late, "held_on": "2026-11-05", "place": "kantor", "kind": "kemandirian", "notes": "x"}
    response = login_as("pk2").post_form("/guidancelogview/add", data)
    assert indonesian("The date is outside the client's supervision period.") in _page(response)
    assert _count(db_session, GuidanceLog, GuidanceLog.client_id == late) == 0


def test_the_admin_cannot_add_a_holiday_in_2099(login_as, db_session, clock):
    clock(NOW)
    admin = login_as("Admin")
    response = admin.post_form(
        "/extraholidayview/add", {"day": "2099-01-02", "name": "Salah ketik", "is_holiday": "y"}
    )
    assert response.status_code == 200 and expected(ranges.CALENDAR_DAY) in _page(response)
    assert _count(db_session, ExtraHoliday, ExtraHoliday.name == "Salah ketik") == 0


def test_the_browser_is_told_the_window_of_a_moment(login_as, clock):
    clock(NOW)
    page = login_as("pengaduan").get("/complaintview/intake").get_data(as_text=True)
    low = (TODAY - timedelta(days=60)).isoformat()
    assert f'min="{low}T00:00"' in page and f'max="{TODAY.isoformat()}T23:59"' in page
