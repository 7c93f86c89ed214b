"""Client screens: adding, bad input, uploads, the PK-move rule and concurrent edits."""

from __future__ import annotations

import io
from html import unescape

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.forms.ranges import BIRTH
from app.models.clients import Client
from app.models.files import StoredFile
from app.models.staff import Staff
from tests.conftest import expected, indonesian


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, format="PNG")
    return out.getvalue()


PNG_1PX = _png()


def _officer_id(db_session, username: str) -> int:
    return db_session.scalar(select(Staff.id).where(Staff.username == username))


def _form(db_session, **overrides) -> dict:
    data = {
        "register_number": "BKA-900/2026",
        "name": "Dimas Saputra",
        "nik": "3308010101110009",
        "birth_place": "Magelang",
        "birth_date": "2011-01-01",
        "sex": "L",
        "address": "Jl. Tidar No. 5, Magelang",
        "phone": "081227001234",
        "category": "anak",
        "guardian_name": "Parman",
        "guardian_relation": "ayah",
        "guardian_phone": "081227009999",
        "legal_basis": "DIVERSI",
        "supervision_start": "2026-10-01",
        "supervision_end": "2027-04-01",
        "officer": str(_officer_id(db_session, "pk1")),
        "status": "aktif",
        "handover_number": "BAST-900/2026",
        "handover_date": "2026-10-01",
        "guidance_card_number": "",
        "confidential_notes": "",
    }
    data.update(overrides)
    return data


def _count(db_session, register_number: str) -> int:
    db_session.rollback()
    return db_session.scalar(select(func.count()).where(Client.register_number == register_number))


def test_kasubsi_registers_a_child_with_a_handover_scan(login_as, db_session):
    session = login_as("Kasubsi")
    data = _form(db_session, register_number="BKA-901/2026", birth_date="2010-06-01", category="anak")
    data["handover_upload"] = (io.BytesIO(PNG_1PX), "bast.png")
    response = session.post_form("/clientview/add", data, content_type="multipart/form-data")
    assert response.status_code == 302, unescape(response.get_data(as_text=True))[-2000:]
    db_session.rollback()
    client = db_session.scalar(select(Client).where(Client.register_number == "BKA-901/2026"))
    assert client.category == "anak"
    assert client.handover_file.mime_type == "image/png"
    download = session.get(f"/clientview/handover/{client.id}")
    assert download.status_code == 200
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.data.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nik": "12345"}, "NIK must be exactly 16 digits."),
        ({"supervision_end": "2026-09-01"}, "Supervision must end after it starts."),
        ({"guardian_name": ""}, "A child client needs a guardian."),
        ({"officer": "999999"}, "Not a valid choice"),
        ({"name": "A" * 121}, "At most %(max)d characters."),
        ({"birth_date": "2030-01-01"}, BIRTH),
        # The Kasubsi BKA is offered only its section's PKs: pk2 (BKD) is not a choice.
        ({"officer": "PK2"}, "Not a valid choice"),
        ({"register_number": "BKA-001/2026"}, "This register number is already used."),
        ({"supervision_start": "bukan tanggal"}, "Not a valid date value."),
    ],
)
def test_bad_input_is_refused_in_indonesian(login_as, db_session, overrides, message):
    if overrides.get("officer") == "PK2":
        overrides["officer"] = str(_officer_id(db_session, "pk2"))
    session = login_as("Kasubsi")
    data = _form(db_session, register_number=overrides.pop("register_number", "BKA-950/2026"), **overrides)
    before = _count(db_session, data["register_number"])
    response = session.post_form("/clientview/add", data)
    assert response.status_code == 200
    page = unescape(response.get_data(as_text=True))
    params = {"max": 120} if "%(max)d" in str(message) else {}
    assert expected(message, **params) in page
    assert _count(db_session, data["register_number"]) == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bast.pdf", PNG_1PX, "The file's content does not match its name (%(name)s)."),
        ("bast.pdf", b"%PDF-1.4\n1 0 obj << /OpenAction << /JS (app.alert(1)) >> >>\n%%EOF", None),
        ("bast.png", PNG_1PX + b"%PDF-1.4 <script>alert(1)</script>", None),
        ("bast.pdf", b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024), "The file is larger than %(mb)d MB."),
        ("bast.exe", b"MZ\x90\x00", "Only PDF, JPG or PNG files are accepted."),
    ],
)
def test_bad_uploads_store_nothing(login_as, db_session, name, content, message):
    session = login_as("Kasubsi")
    files_before = db_session.scalar(select(func.count(StoredFile.id)))
    register = f"BKA-96{len(content) % 10}/{len(name)}"
    data = _form(db_session, register_number=register)
    data["handover_upload"] = (io.BytesIO(content), name)
    response = session.post_form("/clientview/add", data, content_type="multipart/form-data")
    page = unescape(response.get_data(as_text=True))
    if name == "bast.png":
        # A picture with a payload appended is accepted only as its clean re-encoding.
        db_session.rollback()
        client = db_session.scalar(select(Client).where(Client.register_number == register))
        stored = session.get(f"/clientview/handover/{client.id}").data
        assert b"<script>" not in stored and b"%PDF" not in stored
        return
    assert response.status_code == 200
    if message:
        params = {"name": ".pdf"} if "%(name)s" in message else {"mb": 5} if "%(mb)d" in message else {}
        assert indonesian(message, **params) in page
    assert _count(db_session, register) == 0
    assert db_session.scalar(select(func.count(StoredFile.id))) == files_before


def test_pk_cannot_move_a_client_to_another_pk(login_as, db_session):
    session = login_as("PK")
    client = db_session.scalar(select(Client).where(Client.register_number == "BKA-002/2026"))
    data = _form(
        db_session,
        register_number=client.register_number,
        name=client.name,
        nik=client.nik,
        birth_date=client.birth_date.isoformat(),
        guardian_name=client.guardian_name,
        officer=str(_officer_id(db_session, "kasubsi.bka")),
        guidance_card_number=client.guidance_card_number,
        supervision_start=client.supervision_start.isoformat(),
        supervision_end=client.supervision_end.isoformat(),
        version_seen=str(client.version),
    )
    session.post_form(f"/clientview/edit/{client.id}", data)
    db_session.rollback()
    assert db_session.get(Client, client.id).officer.username == "pk1"
