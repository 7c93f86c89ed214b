"""SOP 14 "Bambang Solah" through HTTP: portal or TU's letter, Kepala, Kasubsi's team, the report."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from html import unescape

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.forms.ranges import HELD, PLANNED
from app.models.letters import IncomingLetter
from app.models.outreach import Outreach
from app.models.staff import Staff
from app.models.tpp import TppSession
from app.models.workflow import FINISHED, StepRecord
from app.timeutil import WIB, as_utc
from tests.conftest import RECEIPT_CODE, csrf_token, expected, indonesian
from tests.steps import act
from tests.views.test_clients import PNG_1PX

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
REQUEST = {
    "institution": "SMP Negeri 3 Mertoyudan",
    "institution_kind": "SEKOLAH",
    "contact_name": "Bu Endah (guru BK)",
    "contact_phone": "0293 326 100",
    "requested_on": "2026-12-03",
    "place": "Aula SMP Negeri 3 Mertoyudan, Jl. Mayor Kusen 5",
    "audience": "Siswa kelas IX, sekitar 120 orang",
    "topic": "Pencegahan kenakalan remaja dan perundungan",
}


def submit(client, **changes):
    """A school fills in the portal form (no login); returns the response."""
    page = client.get("/layanan/bambang-solah")
    data = {**REQUEST, **changes, "csrf_token": csrf_token(page.get_data(as_text=True))}
    data.setdefault("request_letter", (io.BytesIO(PNG_1PX), "surat-permohonan.png"))
    return client.post("/layanan/bambang-solah", data=data, content_type="multipart/form-data")


def code_of(response) -> str:
    assert response.status_code == 302, unescape(response.get_data(as_text=True))[-2000:]
    return re.search(r"/layanan/bambang-solah/status/([^?]+)", response.headers["Location"]).group(1)


def outreach(db_session, code: str) -> Outreach:
    db_session.rollback()
    return db_session.scalar(select(Outreach).where(Outreach.receipt_code == code))


def waiting(db_session, item: Outreach) -> StepRecord:
    db_session.rollback()
    return db_session.scalar(
        select(StepRecord).where(StepRecord.instance_id == item.instance_id, StepRecord.finished_at.is_(None))
    )


def ids(db_session, *usernames: str) -> list[int]:
    found = dict(db_session.execute(select(Staff.username, Staff.id)).all())
    return [found[u] for u in usernames]


def inboxes_showing(login_as, text: str) -> set[str]:
    who = ("kepala", "kasubsi.bka", "kasubsi.bkd", "pk1", "pk2", "pk3", "pk4", "tu", "pengaduan")
    return {u for u in who if text in unescape(login_as(u).get("/").get_data(as_text=True))}


def dispose_and_appoint(login_as, db_session, item: Outreach, team: tuple[str, ...] = ("pk1", "pk3")):
    """The Kepala disposes to Kasubsi BKA, who appoints the team; returns the team's waiting step."""
    dispose = waiting(db_session, item)
    assert dispose.step == "dispose"
    data = {"to": ids(db_session, "kasubsi.bka")[0], "instructions": ["tindak_lanjuti"], "urgency": "biasa"}
    assert act(login_as("kepala"), dispose.id, data).status_code == 302
    appoint = waiting(db_session, item)
    assert appoint.step == "appoint"
    chosen = ids(db_session, *team)
    response = act(login_as("kasubsi.bka"), appoint.id, {"officers": chosen, "leader": chosen[0]})
    assert response.status_code == 302
    return waiting(db_session, item)


def photos(n: int = 2) -> list:
    return [(io.BytesIO(PNG_1PX), f"foto-{i}.png") for i in range(n)]


REPORT = {
    "held_on": "2026-12-03",
    "participants_count": "118",
    "participants": "Siswa kelas IX A–IX D dan 4 guru BK",
    "summary": "Penyuluhan pencegahan kenakalan remaja, tanya jawab, dan pemutaran video.",
}


def test_sop14_from_the_portal_to_the_activity_report(app, client, login_as, db_session, clock):
    clock(MONDAY)
    code = code_of(submit(client))
    assert RECEIPT_CODE.match(code)
    item = outreach(db_session, code)
    # The overall limit is the requested date itself: by its end (WIB) the team must have started.
    assert as_utc(item.instance.limit_due_at).astimezone(WIB) == datetime(2026, 12, 4, 0, 0, tzinfo=WIB)
    status = unescape(client.get(f"/layanan/bambang-solah/status/{code}").get_data(as_text=True))
    assert "SMP Negeri 3 Mertoyudan" in status and code in status
    assert inboxes_showing(login_as, "SMP Negeri 3 Mertoyudan") == {"kepala"}

    dispose = waiting(db_session, item)
    data = {"to": ids(db_session, "kasubsi.bka")[0], "instructions": ["tindak_lanjuti"], "urgency": "biasa"}
    assert act(login_as("kepala"), dispose.id, data).status_code == 302
    appoint = waiting(db_session, item)
    assert appoint.step == "appoint" and appoint.section == "BKA"
    assert inboxes_showing(login_as, "SMP Negeri 3 Mertoyudan") == {"kasubsi.bka"}

    # pk1 already sits on a TPP session that day: the Kasubsi sees it beside the name (with any other
    # test's session that day: tests/scope_records.py sets one three days from the real date).
    pk1, pk3 = ids(db_session, "pk1", "pk3")
    chair, secretary = ids(db_session, "kepala", "kasubsi.bka")
    sitting = select(func.count(TppSession.id)).where(
        TppSession.held_on == date(2026, 12, 3), TppSession.members.any(Staff.id == pk1)
    )
    sessions = db_session.scalar(sitting) + 1
    tpp = TppSession(held_on=date(2026, 12, 3), place="Ruang TPP", chair_id=chair, secretary_id=secretary,
                     members=[db_session.get(Staff, pk1)])  # fmt: skip
    db_session.add(tpp)
    db_session.commit()
    kasubsi = login_as("kasubsi.bka")
    kasubsi.client.post(f"/tasks/{appoint.id}/open", data={"csrf_token": kasubsi.token()})
    screen = unescape(kasubsi.get(f"/tasks/{appoint.id}").get_data(as_text=True))
    assert indonesian("Commitments of the PK on %(day)s", day="3 Desember 2026") in screen
    pk1_line = r"Siti Rahmawati — pada 3 Desember 2026: 0 Bambang Solah lain, \d+ tugas jatuh tempo, "
    assert re.search(pk1_line + f"{sessions} sidang TPP", screen)
    assert "Budi Hartono" not in screen  # BKD's PK is not offered to Kasubsi BKA
    one = kasubsi.post_form(f"/tasks/{appoint.id}", {"officers": [pk1]})
    assert indonesian("A Bambang Solah team has at least two PK.") in unescape(one.get_data(as_text=True))
    team = {"officers": [pk1, pk3], "leader": pk1}
    assert kasubsi.post_form(f"/tasks/{appoint.id}", team).status_code == 302

    carry_out = waiting(db_session, item)
    assert carry_out.step == "carry_out" and carry_out.assignee_id == pk1
    # The report is due by the end of the working day after the activity (Friday 4 December).
    assert as_utc(carry_out.due_at).astimezone(WIB) == datetime(2026, 12, 5, 0, 0, tzinfo=WIB)
    assert inboxes_showing(login_as, "SMP Negeri 3 Mertoyudan") == {"pk1", "pk3"}
    assert "Dewi Anggraini" in unescape(
        client.get(f"/layanan/bambang-solah/status/{code}").get_data(as_text=True)
    )
    assert "SMP Negeri 3" in unescape(login_as("pk3").get("/outreachview/list/").get_data(as_text=True))
    assert "SMP Negeri 3" not in unescape(login_as("pk2").get("/outreachview/list/").get_data(as_text=True))
    assert "SMP Negeri 3" not in unescape(
        login_as("kasubsi.bkd").get("/outreachview/list/").get_data(as_text=True)
    )
    assert login_as("pk2").get(f"/tasks/{carry_out.id}").status_code == 404
    letter = login_as("pk3").get(f"/outreachview/assignment/{item.id}")
    assert letter.mimetype == "application/pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.data)).pages).split())
    assert "Siti Rahmawati" in text and "Dewi Anggraini" in text and "SMP Negeri 3 Mertoyudan" in text

    # Not before the day itself; a team member other than the leader may take it up then.
    pk3_session = login_as("pk3")
    pk3_session.client.post(f"/tasks/{carry_out.id}/open", data={"csrf_token": pk3_session.token()})
    assert waiting(db_session, item).opened_at is None
    clock(datetime(2026, 12, 3, 8, 30, tzinfo=WIB))
    form = {**REPORT, "photos": photos()}
    assert act(pk3_session, carry_out.id, form, content_type="multipart/form-data").status_code == 302
    item = outreach(db_session, code)
    assert item.instance.status == FINISHED and item.instance.limit_met is True
    assert item.participants_count == 118 and len(item.photos) == 2
    status = unescape(client.get(f"/layanan/bambang-solah/status/{code}").get_data(as_text=True))
    assert indonesian("The outreach was held on %(day)s. Thank you.", day="3 Desember 2026") in status
    photo = item.photos[0].id
    assert login_as("pk1").get(f"/outreachview/photo/{item.id}/{photo}").status_code == 200
    assert login_as("pk2").get(f"/outreachview/photo/{item.id}/{photo}").status_code == 404
    assert login_as("kepala").get(f"/outreachview/request/{item.id}").status_code == 200


def test_sop14_from_a_letter_registered_by_tu(client, login_as, db_session, clock):
    clock(MONDAY)
    tu = login_as("tu")
    letter = {
        "service": "SAMBANG", "sender": "Pemerintah Desa Banyurojo", "sender_kind": "DESA",
        "letter_number": "140/27/XI/2026", "letter_date": "2026-11-20",
        "subject": "Sosialisasi bagi kader desa",
        "received_at": "2026-11-23 08:30", "requested_on": "2026-12-10", "place": "Balai Desa Banyurojo",
        "audience": "Kader PKK dan karang taruna, 40 orang", "contact_name": "Pak Sekdes",
        "contact_phone": "081327001122",
    }  # fmt: skip
    response = tu.post_form("/incomingletterview/register", letter, follow_redirects=True)
    page = unescape(response.get_data(as_text=True))
    db_session.rollback()
    item = db_session.scalar(select(Outreach).where(Outreach.institution == "Pemerintah Desa Banyurojo"))
    assert item is not None and item.letter is not None and item.requested_on == date(2026, 12, 10)
    assert item.receipt_code in page  # TU tells the village its code
    assert item.topic == "Sosialisasi bagi kader desa" and item.institution_kind == "DESA"
    first = item.instance.steps[0]
    assert first.finished_by.username == "tu" and first.ready_at < first.finished_at

    carry_out = dispose_and_appoint(login_as, db_session, item)
    db_session.rollback()
    registered = db_session.get(IncomingLetter, item.letter_id)
    assert sorted(s.username for s in registered.dispositions[-1].assignees) == ["pk1", "pk3"]
    screen = unescape(login_as("pk1").get(f"/tasks/{carry_out.id}").get_data(as_text=True))
    assert registered.agenda_number in screen and "Balai Desa Banyurojo" in screen
    assert login_as("pk3").get(f"/incomingletterview/sheet/{registered.id}").status_code == 200
    status = client.get(f"/layanan/bambang-solah/status/{item.receipt_code}").get_data(as_text=True)
    assert "Banyurojo" in unescape(status)


def test_a_letter_for_outreach_needs_its_details(login_as, db_session, clock):
    clock(MONDAY)
    before = db_session.scalar(select(func.count(Outreach.id)))
    base = {
        "service": "SAMBANG", "sender": "Polsek Mungkid", "sender_kind": "POLRI", "letter_number": "X/1",
        "letter_date": "2026-11-20", "subject": "Penyuluhan", "received_at": "2026-11-23 08:30",
        "requested_on": "2026-11-20", "place": "", "audience": "Warga", "contact_name": "Pak Kapolsek",
        "contact_phone": "081",
    }  # fmt: skip
    page = unescape(login_as("tu").post_form("/incomingletterview/register", base).get_data(as_text=True))
    assert indonesian("A Bambang Solah request comes from a village or a school.") in page
    assert expected(PLANNED) in page
    assert indonesian("This field is required.") in page
    assert indonesian("Phone numbers use digits, +, spaces or dashes.") in page
    db_session.rollback()
    assert db_session.scalar(select(func.count(Outreach.id))) == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"institution": ""}, "This field is required."),
        ({"topic": "   "}, "This field is required."),
        ({"topic": "x" * 301}, "At most %(max)d characters."),
        ({"requested_on": "2026-11-22"}, PLANNED),
        ({"requested_on": "besok"}, "Not a valid date value."),
        ({"contact_phone": "<script>"}, "Phone numbers use digits, +, spaces or dashes."),
        ({"request_letter": (io.BytesIO(b""), "")}, "Please attach the request letter."),
        ({"request_letter": (io.BytesIO(b"<html><script>x</script>"), "surat.pdf")},
         "Only PDF, JPG or PNG files are accepted."),
    ],
)  # fmt: skip
def test_bad_requests_are_refused_and_nothing_stored(client, db_session, clock, changes, message):
    clock(MONDAY)
    before = db_session.scalar(select(func.count(Outreach.id)))
    response = submit(client, **changes)
    assert response.status_code == 200
    params = {"max": 300} if "%(max)d" in str(message) else {}
    assert expected(message, **params) in unescape(response.get_data(as_text=True))
    db_session.rollback()
    assert db_session.scalar(select(func.count(Outreach.id))) == before


def test_the_report_needs_photos_and_a_real_date(login_as, client, db_session, clock):
    clock(MONDAY)
    code = code_of(submit(client, institution="SD Negeri Sawitan 1", requested_on="2026-11-25"))
    carry_out = dispose_and_appoint(login_as, db_session, outreach(db_session, code))
    clock(datetime(2026, 11, 25, 13, 0, tzinfo=WIB))
    pk1 = login_as("pk1")
    cases = [
        ({"photos": []}, "Attach at least one photo of the activity."),
        ({"photos": photos(6)}, "At most five photos."),
        (
            {"photos": [(io.BytesIO(b"%PDF-1.4\n%%EOF"), "foto.pdf")]},
            "The PDF is damaged, empty or cannot be read; scan or save it again.",
        ),
        (
            {"photos": [(io.BytesIO(PNG_1PX), "foto.jpg")]},
            "The file's content does not match its name (%(name)s).",
        ),
        ({"held_on": "2026-11-24", "photos": photos(1)}, "The activity cannot precede the requested date."),
        ({"held_on": "2026-11-26", "photos": photos(1)}, HELD),
        ({"summary": "", "photos": photos(1)}, "This field is required."),
        ({"participants_count": "0", "photos": photos(1)}, "Between 1 and 100000."),
    ]
    for change, message in cases:
        response = act(pk1, carry_out.id, {**REPORT, "held_on": "2026-11-25", **change},
                       content_type="multipart/form-data")  # fmt: skip
        params = {"name": ".jpg"} if "%(name)s" in str(message) else {}
        assert expected(message, **params) in unescape(response.get_data(as_text=True)), message
    item = outreach(db_session, code)
    assert item.reported_at is None and item.photos == [] and waiting(db_session, item).step == "carry_out"


SCRIPT = "<script>alert('sambang')</script><b>tebal</b>"


def test_markup_in_a_request_stays_text_everywhere(login_as, client, db_session, clock):
    clock(MONDAY)
    code = code_of(submit(client, institution=f"Desa {SCRIPT}", topic=SCRIPT, requested_on="2026-12-14"))
    item = outreach(db_session, code)
    carry_out = dispose_and_appoint(login_as, db_session, item)
    pages = {
        "status": client.get(f"/layanan/bambang-solah/status/{code}"),
        "list": login_as("kepala").get("/outreachview/list/"),
        "task": login_as("pk1").get(f"/tasks/{carry_out.id}"),
        "inbox": login_as("pk3").get("/"),
    }
    for name, response in pages.items():
        html = response.get_data(as_text=True)
        assert "<script>alert('sambang')" not in html and "<b>tebal</b>" not in html, name
        assert "&lt;script&gt;" in html, name
    letter = login_as("pk1").get(f"/outreachview/assignment/{item.id}")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.data)).pages).split())
    assert "<script>alert('sambang')</script>" in text  # printed as the text it is


def test_unknown_codes_find_nothing(client):
    assert client.get("/layanan/bambang-solah/status/AAAAAAAAAAAAAAAAAAAAAAAA").status_code == 404
    token = csrf_token(client.get("/layanan/").get_data(as_text=True))
    page = client.post("/layanan/status", data={"code": "bukan-kode", "csrf_token": token})
    assert indonesian("No request has this receipt code.") in unescape(page.get_data(as_text=True))


def test_the_lookup_form_finds_an_outreach_request(client, db_session, clock):
    clock(MONDAY)
    code = code_of(submit(client, institution="SMK Muhammadiyah Salaman", requested_on="2026-12-15"))
    token = csrf_token(client.get("/layanan/").get_data(as_text=True))
    response = client.post("/layanan/status", data={"code": code, "csrf_token": token})
    assert response.headers["Location"].endswith(f"/layanan/bambang-solah/status/{code}")


def test_the_spam_trap_stores_nothing(client, db_session, clock):
    clock(MONDAY)
    before = db_session.scalar(select(func.count(Outreach.id)))
    assert submit(client, website="http://spam.example").status_code == 400
    assert db_session.scalar(select(func.count(Outreach.id))) == before
