"""Complaint handling through HTTP: portal or complaint unit, recommendation, direction, answer, closing."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from html import unescape

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.forms.ranges import RECEIVED
from app.models.audit import AuditLog
from app.models.complaints import Complaint
from app.models.staff import Staff
from app.models.workflow import FINISHED, StepRecord
from app.timeutil import WIB
from tests.conftest import RECEIPT_CODE, csrf_token, expected, indonesian
from tests.steps import act
from tests.views.test_clients import PNG_1PX
from tests.workflow.test_outreach import ids, inboxes_showing

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
COMPLAINT = {
    "category": "PERILAKU",
    "sop": "SOP11",
    "title": "Petugas meminta imbalan",
    "description": "Saat mengurus izin ke luar kota, petugas meminta uang rokok.",
    "staff_named": "Pak Budi",
    "complainant_name": "",
    "complainant_contact": "",
}


def submit(client, **changes):
    """A citizen complains on the portal (no login); returns the response."""
    page = client.get("/layanan/pengaduan")
    data = {**COMPLAINT, **changes, "csrf_token": csrf_token(page.get_data(as_text=True))}
    return client.post("/layanan/pengaduan", data=data, content_type="multipart/form-data")


def code_of(response) -> str:
    assert response.status_code == 302, unescape(response.get_data(as_text=True))[-2000:]
    return re.search(r"/layanan/pengaduan/status/([^?]+)", response.headers["Location"]).group(1)


def complaint(db_session, code: str) -> Complaint:
    db_session.rollback()
    return db_session.scalar(select(Complaint).where(Complaint.receipt_code == code))


def waiting(db_session, item: Complaint) -> StepRecord:
    db_session.rollback()
    return db_session.scalar(
        select(StepRecord).where(StepRecord.instance_id == item.instance_id, StepRecord.finished_at.is_(None))
    )


def status_page(client, code: str) -> str:
    return unescape(client.get(f"/layanan/pengaduan/status/{code}").get_data(as_text=True))


def recommend(login_as, db_session, item: Complaint, about: str | None = None) -> None:
    """The complaint unit records it, naming the staff member complained about."""
    step = waiting(db_session, item)
    assert step.step == "record"
    subject = ids(db_session, about)[0] if about else 0
    data = {"category": item.category, "sop": item.sop, "subject_staff": subject,
            "recommendation": "Mohon Kepala memerintahkan pemeriksaan."}  # fmt: skip
    assert act(login_as("pengaduan"), step.id, data).status_code == 302


def test_a_complaint_from_the_portal_to_the_answer(client, login_as, db_session, clock):
    clock(MONDAY)
    code = code_of(submit(client))
    item = complaint(db_session, code)
    assert RECEIPT_CODE.match(code) and item.anonymous and item.channel == "PORTAL"
    assert "Petugas meminta imbalan" in status_page(client, code)
    assert inboxes_showing(login_as, "Petugas meminta imbalan") == {"pengaduan"}

    recommend(login_as, db_session, item, about="pk2")
    review = waiting(db_session, item)
    assert review.step == "review"
    assert inboxes_showing(login_as, "Petugas meminta imbalan") == {"kepala"}
    kepala = login_as("kepala")
    screen = unescape(kepala.get(f"/tasks/{review.id}").get_data(as_text=True))
    assert indonesian("Anonymous") in screen and "Budi Hartono" in screen
    pk2, kasubsi_bkd = ids(db_session, "pk2", "kasubsi.bkd")
    refused = act(kepala, review.id, {"direction": "Periksa.", "responsible": pk2})
    assert indonesian("The staff member complained about cannot handle the complaint.") in unescape(
        refused.get_data(as_text=True)
    )
    assert waiting(db_session, item).step == "review"
    direction = {
        "direction": "Kasubsi BKD memeriksa dan menjelaskan kepada pengadu.",
        "responsible": kasubsi_bkd,
    }
    assert act(kepala, review.id, direction).status_code == 302

    respond = waiting(db_session, item)
    assert respond.step == "respond" and respond.assignee_id == kasubsi_bkd
    assert inboxes_showing(login_as, "Petugas meminta imbalan") == {"kasubsi.bkd"}
    official = login_as("kasubsi.bkd")
    screen = unescape(official.get(f"/tasks/{respond.id}").get_data(as_text=True))
    assert "Kasubsi BKD memeriksa" in screen
    assert item.receipt_code not in screen  # the official answers, the complaint unit keeps the code
    assert login_as("kasubsi.bka").get(f"/tasks/{respond.id}").status_code == 404
    empty = act(official, respond.id, {"fix": "", "clarification": " "})
    assert indonesian("Write the fix made or the clarification, or both.") in unescape(
        empty.get_data(as_text=True)
    )
    answer = {"fix": "Petugas diperiksa dan diberi teguran tertulis.",
              "clarification": "Layanan izin tidak dipungut biaya. Petugas telah ditindak."}  # fmt: skip
    assert act(official, respond.id, answer).status_code == 302

    close = waiting(db_session, item)
    assert close.step == "close"
    assert indonesian("Answer of the Bapas") not in status_page(client, code)  # not before it is closed
    unit = login_as("pengaduan")
    back = act(unit, close.id, {"outcome": "return", "note": ""})
    assert indonesian("Say why the complaint goes back.") in unescape(back.get_data(as_text=True))
    assert act(unit, close.id, {"outcome": "done", "note": "Pengadu dihubungi."}).status_code == 302
    item = complaint(db_session, code)
    assert item.instance.status == FINISHED and item.instance.limit_met is True and item.closed_at
    status = status_page(client, code)
    assert "Layanan izin tidak dipungut biaya. Petugas telah ditindak." in status
    assert "teguran tertulis" not in status  # the fix stays internal


def test_a_return_sends_it_back_to_the_same_official(client, login_as, db_session, clock):
    clock(MONDAY)
    item = complaint(db_session, code_of(submit(client, title="Ruang tunggu panas", category="SARANA")))
    recommend(login_as, db_session, item)
    tu = ids(db_session, "tu")[0]
    act(login_as("kepala"), waiting(db_session, item).id, {"direction": "Perbaiki kipas.", "responsible": tu})
    act(login_as("tu"), waiting(db_session, item).id, {"fix": "Kipas angin dipasang.", "clarification": ""})
    act(
        login_as("pengaduan"),
        waiting(db_session, item).id,
        {"outcome": "return", "note": "Jelaskan ke pengadu."},
    )
    again = waiting(db_session, item)
    assert again.step == "respond" and again.assignee_id == tu
    assert inboxes_showing(login_as, "Ruang tunggu panas") == {"tu"}
    # Left unanswered, it is flagged to the Kepala and to the complaint unit as overdue.
    clock(MONDAY + timedelta(days=10))
    for who in ("kepala", "pengaduan"):
        home = unescape(login_as(who).get("/").get_data(as_text=True))
        overdue = home.split(indonesian("Overdue work of your team"))[-1]
        assert "Ruang tunggu panas" in overdue and indonesian("Named official") in overdue, who


def test_the_complaint_unit_records_a_walk_in_complaint(login_as, db_session, clock):
    clock(MONDAY)
    unit = login_as("pengaduan")
    data = {**COMPLAINT, "channel": "LANGSUNG", "received_at": "2026-11-23 08:15", "title": "Antrean lama",
            "category": "LAYANAN", "complainant_name": "Sutarman", "complainant_contact": "081200001111",
            "subject_staff": 0, "evidence": (io.BytesIO(PNG_1PX), "foto.png")}  # fmt: skip
    response = unit.post_form("/complaintview/intake", data, content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"].startswith("/tasks/")
    db_session.rollback()
    item = db_session.scalar(select(Complaint).where(Complaint.title == "Antrean lama"))
    assert item.channel == "LANGSUNG" and item.recorded_by.username == "pengaduan" and not item.anonymous
    assert item.instance.steps[0].ready_at.replace(tzinfo=None) == datetime(2026, 11, 23, 1, 15)
    receipt = unit.get(f"/complaintview/receipt/{item.id}")
    text = "".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(receipt.data)).pages).split())
    assert item.receipt_code in text and "Sutarman" in text
    assert unit.get(f"/complaintview/evidence/{item.id}").status_code == 200
    future = unit.post_form(
        "/complaintview/intake", {**data, "received_at": "2026-11-24 08:00", "evidence": ""}
    )
    assert expected(RECEIVED) in unescape(future.get_data(as_text=True))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"description": "  \n "}, "This field is required."),
        ({"description": "x" * 4001}, "At most %(max)d characters."),
        ({"title": "x" * 201}, "At most %(max)d characters."),
        ({"category": "RAHASIA"}, "Not a valid choice."),
        ({"evidence": (io.BytesIO(b"MZ\x90\x00"), "bukti.png")}, "Only PDF, JPG or PNG files are accepted."),
    ],
)
def test_bad_complaints_are_refused_and_nothing_stored(client, db_session, clock, changes, message):
    clock(MONDAY)
    before = db_session.scalar(select(func.count(Complaint.id)))
    response = submit(client, **changes)
    assert response.status_code == 200
    maximum = {"title": 200, "description": 4000}
    params = {"max": next(maximum[k] for k in changes if k in maximum)} if "%(max)d" in message else {}
    assert indonesian(message, **params) in unescape(response.get_data(as_text=True))
    db_session.rollback()
    assert db_session.scalar(select(func.count(Complaint.id))) == before


SCRIPT = "<script>alert('aduan')</script><img src=x onerror=alert(1)>"


def test_markup_in_a_complaint_stays_text_everywhere(client, login_as, db_session, clock):
    clock(MONDAY)
    code = code_of(submit(client, title=f"Judul {SCRIPT}", description=SCRIPT, complainant_name=SCRIPT))
    item = complaint(db_session, code)
    recommend(login_as, db_session, item)
    direction = {"direction": SCRIPT, "responsible": ids(db_session, "tu")[0]}
    act(login_as("kepala"), waiting(db_session, item).id, direction)
    act(login_as("tu"), waiting(db_session, item).id, {"fix": "", "clarification": SCRIPT})
    act(login_as("pengaduan"), waiting(db_session, item).id, {"outcome": "done", "note": ""})
    pages = {
        "list": login_as("pengaduan").get("/complaintview/list/"),
        "detail": login_as("kepala").get(f"/complaintview/show/{item.id}", follow_redirects=True),
        "status": client.get(f"/layanan/pengaduan/status/{code}"),
        "official": login_as("tu").get(f"/tasks/{item.instance.steps[2].id}"),
    }
    for name, response in pages.items():
        html = response.get_data(as_text=True)
        assert response.status_code == 200, name
        assert "<script>alert('aduan')" not in html and "<img src=x" not in html, name
        assert "&lt;script&gt;" in html, name
    receipt = login_as("pengawas").get(f"/complaintview/receipt/{item.id}")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(receipt.data)).pages).split())
    assert "<script>alert('aduan')</script>" in text


@pytest.fixture(scope="module")
def second_unit(app):
    """A second complaint officer, so a complaint about the first one can still be handled."""
    from app.extensions import appbuilder, db
    from tests.conftest import DEMO_PASSWORD

    with app.app_context():
        if db.session.scalar(select(Staff.id).where(Staff.username == "pengaduan2")) is None:
            sm = appbuilder.sm
            user = sm.add_user("pengaduan2", "Rina", "Kusuma", "pengaduan2@example.go.id",
                               sm.find_role("Pengaduan"), DEMO_PASSWORD)  # fmt: skip
            user.office_id = 1
            db.session.commit()
    return "pengaduan2"


def test_a_complaint_about_a_staff_member_stays_hidden_from_them(
    client, login_as, db_session, clock, second_unit
):
    clock(MONDAY)
    title = "Petugas pengaduan tidak ramah"
    unit = login_as(second_unit)
    data = {**COMPLAINT, "channel": "TELEPON", "received_at": "2026-11-23 08:00", "title": title,
            "subject_staff": ids(db_session, "pengaduan")[0],
            "evidence": (io.BytesIO(PNG_1PX), "bukti.png")}  # fmt: skip
    assert (
        unit.post_form("/complaintview/intake", data, content_type="multipart/form-data").status_code == 302
    )
    db_session.rollback()
    item = db_session.scalar(select(Complaint).where(Complaint.title == title))
    step = waiting(db_session, item)

    about = login_as("pengaduan")
    assert title not in unescape(about.get("/complaintview/list/").get_data(as_text=True))
    assert title not in unescape(about.get("/").get_data(as_text=True))  # not in the inbox either
    for url in (f"/complaintview/show/{item.id}", f"/tasks/{step.id}", f"/complaintview/receipt/{item.id}",
                f"/complaintview/evidence/{item.id}"):  # fmt: skip
        assert about.get(url).status_code == 404, url
    forged = about.client.post(f"/tasks/{step.id}/open", data={"csrf_token": about.token()})
    assert forged.status_code == 404
    # The colleague handles it; the Kepala and the Pengawas see it.
    assert title in unescape(unit.get("/").get_data(as_text=True))
    assert unit.get(f"/tasks/{step.id}").status_code == 200
    assert title in unescape(login_as("pengawas").get("/complaintview/list/").get_data(as_text=True))


def test_a_complaint_about_the_kepala_is_hidden_from_the_kepala_everywhere(
    client, login_as, db_session, clock
):
    clock(MONDAY)
    # Only this test's entries: SQLite reuses the ids of rows other tests deleted, whose trail stays.
    first = db_session.scalar(select(func.max(AuditLog.id))) or 0
    title = "Kepala tidak menanggapi surat"
    item = complaint(db_session, code_of(submit(client, title=title, category="LAYANAN")))
    recommend(login_as, db_session, item, about="kepala")
    review = waiting(db_session, item)
    kepala = login_as("kepala")
    pages = ["/", "/complaintview/list/", "/serviceinstanceview/list/"]
    for url in pages:
        assert title not in unescape(kepala.get(url).get_data(as_text=True)), url
    hidden = (
        f"/complaintview/show/{item.id}",
        f"/tasks/{review.id}",
        f"/serviceinstanceview/show/{item.instance_id}",
        f"/complaintview/receipt/{item.id}",
    )
    for url in hidden:
        assert kepala.get(url).status_code == 404, url
    # Nor in the audit trail: neither the complaint's rows nor those of its steps.
    trail = db_session.scalars(
        select(AuditLog.id).where(
            AuditLog.id > first,
            ((AuditLog.table_name == "complaint") & (AuditLog.record_id == str(item.id)))
            | ((AuditLog.table_name == "step_record") & (AuditLog.record_id == str(review.id))),
        )
    ).all()
    assert len(trail) >= 2
    for entry in trail:
        assert kepala.get(f"/auditlogview/show/{entry}").status_code == 404
        assert login_as("pengawas").get(f"/auditlogview/show/{entry}").status_code == 200
    pengawas = login_as("pengawas")
    assert title in unescape(pengawas.get("/complaintview/list/").get_data(as_text=True))
    assert pengawas.get(f"/tasks/{review.id}").status_code == 200


def test_unknown_complaint_codes_find_nothing(client):
    assert client.get("/layanan/pengaduan/status/AAAAAAAAAAAAAAAAAAAAAAAA").status_code == 404
    assert client.get("/layanan/pengaduan/status/..%2F..%2Fadmin").status_code == 404


def test_the_spam_trap_stores_nothing(client, db_session, clock):
    clock(MONDAY)
    before = db_session.scalar(select(func.count(Complaint.id)))
    assert submit(client, website="http://spam.example").status_code == 400
    assert db_session.scalar(select(func.count(Complaint.id))) == before
