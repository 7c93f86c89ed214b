"""A complaint never reaches the staff member it accuses (issue #17, item 6): staff named in the
text are found, the complaint unit says whether they are complained about, and nobody named is
offered or accepted as the official who answers."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape

import pytest
from sqlalchemy import func, select

from app.models.complaints import Complaint
from app.models.staff import Staff
from app.timeutil import WIB
from app.workflow import complaint_names, complaints, engine
from tests.conftest import indonesian
from tests.steps import act
from tests.workflow.test_complaints import code_of, complaint, submit, waiting
from tests.workflow.test_outreach import ids, inboxes_showing

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
PHONE_CALL = {
    "channel": "TELEPON", "received_at": "2026-11-23 08:40", "category": "PERILAKU", "sop": "SOP12",
    "title": "Petugas membentak keluarga klien",
    "description": "Ibu SITI rahmawati membentak saya ketika saya menanyakan jadwal pendampingan.",
    "staff_named": "", "complainant_name": "Pak Darmo", "complainant_contact": "081300002222",
    "subject_staff": 0,
}  # fmt: skip
WARNING = (
    'The complaint names %(names)s. Choose the staff member complained about, or tick "No staff member is '
    'complained about".'
)


def _count(db_session) -> int:
    db_session.rollback()
    return db_session.scalar(select(func.count(Complaint.id)))


def _offered(html: str, field: str) -> set[int]:
    """The staff ids a drop-down offers."""
    select_html = re.search(rf'<select[^>]*name="{field}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return {int(v) for v in re.findall(r'<option[^>]*value="(\d+)"', select_html)} - {0}


def test_a_phone_complaint_naming_staff_is_not_saved_until_the_unit_answers(login_as, db_session, clock):
    clock(MONDAY)
    unit = login_as("pengaduan")
    before = _count(db_session)
    warned = unit.post_form("/complaintview/intake", PHONE_CALL)
    assert warned.status_code == 200
    assert indonesian(WARNING, names="Siti Rahmawati") in unescape(warned.get_data(as_text=True))
    assert _count(db_session) == before

    pk1 = ids(db_session, "pk1")[0]
    both = unit.post_form(
        "/complaintview/intake", {**PHONE_CALL, "subject_staff": pk1, "no_staff_concerned": "y"}
    )
    assert indonesian(
        'Choose the staff member complained about or tick "No staff member is complained about", not both.'
    ) in unescape(both.get_data(as_text=True))
    assert _count(db_session) == before

    saved = unit.post_form("/complaintview/intake", {**PHONE_CALL, "no_staff_concerned": "y"})
    assert saved.status_code == 302
    item = db_session.scalar(select(Complaint).where(Complaint.title == PHONE_CALL["title"]))
    assert item.no_staff_concerned is True and item.subject_staff_id is None

    # The unit's recommendation keeps the confirmation; the Kepala is never offered Siti.
    record = waiting(db_session, item)
    data = {"category": "PERILAKU", "sop": "SOP12", "subject_staff": 0, "no_staff_concerned": "y",
            "recommendation": "Mohon klarifikasi dari Kasubsi BKA."}  # fmt: skip
    assert act(unit, record.id, data).status_code == 302
    review = waiting(db_session, item)
    kepala = login_as("kepala")
    kepala.client.post(f"/tasks/{review.id}/open", data={"csrf_token": kepala.token()})
    screen = unescape(kepala.get(f"/tasks/{review.id}").get_data(as_text=True))
    offered = _offered(screen, "responsible")
    assert pk1 not in offered and ids(db_session, "kasubsi.bka")[0] in offered
    assert indonesian("Staff named in the text") in screen and "Siti Rahmawati" in screen
    # A forged choice is refused and the complaint stays with the Kepala.
    forged = act(kepala, review.id, {"direction": "Klarifikasi.", "responsible": pk1}, open_first=False)
    assert forged.status_code == 200 and waiting(db_session, item).step == "review"
    assert "Petugas membentak keluarga klien" not in unescape(login_as("pk1").get("/").get_data(as_text=True))


def test_the_server_refuses_a_named_official_whatever_the_form(app, db_session, clock):
    clock(MONDAY)
    users = {u.username: u for u in db_session.scalars(select(Staff))}
    fields = {"category": "LAYANAN", "sop": "LAIN", "title": "Berkas lambat",
              "description": "Berkas saya dipegang dewi anggraini sejak sebulan."}  # fmt: skip
    with pytest.raises(engine.MoveRefused):
        complaints.submit(fields, channel="SURAT", recorded_by=users["pengaduan"])
    item = complaints.submit(fields, channel="SURAT", recorded_by=users["pengaduan"], no_staff_concerned=True)
    complaints.recommend(item.instance.steps[-1], users["pengaduan"], category="LAYANAN", sop="LAIN",
                         subject_staff_id=None, recommendation="x", no_staff_concerned=True)  # fmt: skip
    db_session.flush()
    review = item.instance.steps[-1]
    with pytest.raises(engine.MoveRefused, match="Dewi Anggraini"):
        complaints.direct(review, users["kepala"], direction="x", responsible=users["pk3"])
    assert review.finished_at is None and item.responsible_id is None
    assert users["pk3"].id not in {s.id for s in complaints.staff_choices(
        exclude=complaint_names.barred(item), officials_only=True)}  # fmt: skip
    db_session.rollback()


def test_a_portal_complaint_naming_staff_needs_the_units_answer_at_its_review(
    client, login_as, db_session, clock
):
    clock(MONDAY)
    title = "PK tidak datang ke sidang anak"
    code = code_of(submit(client, title=title, staff_named="Dewi Anggraini",
                          description="PK yang ditunjuk tidak hadir di sidang diversi."))  # fmt: skip
    item = complaint(db_session, code)
    record = waiting(db_session, item)
    unit = login_as("pengaduan")
    unit.client.post(f"/tasks/{record.id}/open", data={"csrf_token": unit.token()})
    screen = unescape(unit.get(f"/tasks/{record.id}").get_data(as_text=True))
    assert indonesian("The complaint names %(names)s.", names="Dewi Anggraini") in screen  # before submitting
    data = {"category": "PERILAKU", "sop": "SOP12", "subject_staff": 0, "recommendation": "Periksa."}
    refused = act(unit, record.id, data, open_first=False)
    assert indonesian(WARNING, names="Dewi Anggraini") in unescape(refused.get_data(as_text=True))
    assert waiting(db_session, item).step == "record"

    pk3 = ids(db_session, "pk3")[0]
    assert act(unit, record.id, {**data, "subject_staff": pk3}, open_first=False).status_code == 302
    review = waiting(db_session, item)
    kepala = login_as("kepala")
    kepala.client.post(f"/tasks/{review.id}/open", data={"csrf_token": kepala.token()})
    assert pk3 not in _offered(
        unescape(kepala.get(f"/tasks/{review.id}").get_data(as_text=True)), "responsible"
    )
    assert title not in unescape(login_as("pk3").get("/").get_data(as_text=True))
    kasubsi = ids(db_session, "kasubsi.bka")[0]
    assert (
        act(
            kepala, review.id, {"direction": "Periksa.", "responsible": kasubsi}, open_first=False
        ).status_code
        == 302
    )
    assert inboxes_showing(login_as, title) == {"kasubsi.bka"}


def test_names_are_found_whole_ignoring_case_and_accents(app, db_session):
    with app.app_context():
        found = complaint_names.named_staff
        assert [s.username for s in found("Kata ibu SÌTI  Rahmawatí, lalu budi hartono.", 1)] == [
            "pk2",
            "pk1",
        ]
        assert found("Siti Rahmawatinya dan Budi Hartonoyo", 1) == []  # whole words only
        assert found("Siti saja", 1) == []  # a first name alone names no one
        assert found("Lina Marlina dari Semarang", 1) == []  # another office's staff
        assert [s.username for s in found("Lina Marlina", 2)] == ["pk.smg"]
        pk4 = db_session.scalar(select(Staff).where(Staff.username == "pk4"))
        pk4.active = False
        try:
            assert found("Rudi Setiawan", 1) == []  # no longer active
        finally:
            db_session.rollback()
