"""The travel permit letter (PDF with a QR code) and its verification code, from transient objects."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from flask import Flask
from flask_babel import gettext
from itsdangerous import URLSafeSerializer
from pypdf import PdfReader

from app.models.clients import Client
from app.models.offices import Office
from app.models.staff import Staff
from app.models.travel_permits import TravelPermit
from app.models.workflow import ServiceInstance
from app.pdf import permit_letter
from app.verification import permit_token, permit_validity, qr_data_uri, read_permit_token

LETTER_NUMBER = "W13.PAS.PAS.49-PK.01.05-0012/2026"
VERIFY_URL = "https://bapas-magelang.example.go.id/verifikasi/eyJwIjo3fQ.c2lnbmF0dXJlLW9mLXRlc3Q"
DEFAULT_OBLIGATIONS = (
    "Report to the Bapas or to the local police on arrival, if asked to.",
    "Carry this letter and the guidance card throughout the trip.",
    "Return on the date stated and report to the PK within 2 working days of returning.",
    "Not commit any offence; a violation may lead to the revocation of this permit.",
)


def _signer() -> Staff:
    return Staff(
        first_name="Sri", last_name="Wahyuningsih", nip="197805122000032001", position="Kepala Bapas"
    )


MAGELANG = Office(
    code="MGL", name="Balai Pemasyarakatan Kelas II Magelang", short_name="Bapas Kelas II Magelang",
    office_class="II", city="Magelang", address="Jl. Pahlawan No. 2, Magelang",
    letter_prefix="W13.PAS.PAS.49",
)  # fmt: skip


def _permit(**changes: object) -> TravelPermit:
    """A signed permit of an adult client on parole, never added to a session."""
    client = Client(
        register_number="BKD-007/2026",
        name="Agus Santoso",
        nik="3308011203900001",
        birth_place="Magelang",
        birth_date=date(1990, 3, 12),
        sex="L",
        category="dewasa",
        address="Jl. Tidar No. 45, Magelang",
        legal_basis="PB",
    )
    permit = TravelPermit(
        id=7,
        letter_year=2026,
        letter_seq=12,
        signed_at=datetime(2026, 11, 22, 3, 0, tzinfo=UTC),
        depart_on=date(2026, 11, 25),
        return_on=date(2026, 11, 30),
        destination_city="Semarang",
        destination_address="Jl. Pandanaran No. 100, Semarang",
        purpose="Menghadiri pernikahan adik kandung",
        client=client,
        instance=ServiceInstance(service="IZIN", subject="Agus Santoso: Semarang", office=MAGELANG),
    )
    for name, value in changes.items():
        setattr(permit, name, value)
    return permit


def _read(pdf: bytes) -> tuple[PdfReader, str]:
    """The PDF and its text with all whitespace removed (lines wrap anywhere in a long URL)."""
    reader = PdfReader(BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    return reader, "".join(text.split())


def _squeeze(text: str) -> str:
    return "".join(text.split())


def test_permit_letter_is_one_page_with_the_permit_and_its_qr_code(app: Flask) -> None:
    permit = _permit()
    with app.test_request_context():
        started = time.perf_counter()
        pdf = permit_letter(permit, VERIFY_URL, signer=_signer())
        elapsed = time.perf_counter() - started
        defaults = [gettext(text) for text in DEFAULT_OBLIGATIONS]

    assert pdf.startswith(b"%PDF")
    assert elapsed < 1, f"rendering took {elapsed:.2f} s"
    reader, text = _read(pdf)
    assert len(reader.pages) == 1
    for expected in (
        LETTER_NUMBER,
        "Agus Santoso",
        "BKD-007/2026",
        "Magelang, 12 Maret 1990",
        "Semarang",
        "Jl. Pandanaran No. 100, Semarang",
        "Menghadiri pernikahan adik kandung",
        "25 November 2026",
        "30 November 2026",
        "Magelang, 22 November 2026",
        "Sri Wahyuningsih",
        "NIP. 197805122000032001",
        VERIFY_URL,
        *defaults,
    ):
        assert _squeeze(expected) in text, expected
    assert len(reader.pages[0].images) == 1


def test_the_permits_own_obligations_replace_the_standard_list(app: Flask) -> None:
    permit = _permit(obligations="1. Wajib lapor ke Polrestabes Semarang.\n\n- Tidak menginap di hotel.\n")
    with app.test_request_context():
        pdf = permit_letter(permit, VERIFY_URL, signer=_signer())
        defaults = [gettext(text) for text in DEFAULT_OBLIGATIONS]
    _reader, text = _read(pdf)
    assert "1.WajiblaporkePolrestabesSemarang." in text
    assert "2.Tidakmenginapdihotel." in text
    assert "1.1." not in text
    assert not [line for line in defaults if _squeeze(line) in text]


def test_user_text_is_printed_as_text_and_fetches_nothing(app: Flask) -> None:
    hostile = '<img src="http://169.254.169.254/x"><b>Besar</b> &amp;'
    permit = _permit(purpose=hostile)
    permit.client.name = "Agus <script>alert(1)</script>"
    with app.test_request_context():
        pdf = permit_letter(permit, VERIFY_URL, signer=_signer())
    reader, text = _read(pdf)
    assert _squeeze(hostile) in text
    assert "Agus<script>alert(1)</script>" in text
    assert len(reader.pages[0].images) == 1  # the QR code only


def test_a_long_permit_still_fits_on_one_page(app: Flask) -> None:
    permit = _permit(
        destination_address="Dusun Jauh Sekali RT 01 RW 02 " * 10,
        purpose="Keperluan keluarga yang sangat panjang " * 13,
        obligations="\n".join(
            f"Kewajiban tambahan nomor {n} selama berada di luar kota." for n in range(1, 9)
        ),
    )
    permit.client.address = "Jl. Sangat Panjang No. 1 " * 20
    with app.test_request_context():
        pdf = permit_letter(permit, VERIFY_URL, signer=_signer())
    reader, text = _read(pdf)
    assert len(reader.pages) == 1
    assert "8.Kewajibantambahannomor8" in text
    assert VERIFY_URL in text


def test_an_unsigned_preview_leaves_the_signature_blank(app: Flask) -> None:
    permit = _permit(letter_seq=None, signed_at=None)
    with app.test_request_context():
        pdf = permit_letter(permit, VERIFY_URL, signer=None)
    reader, text = _read(pdf)
    assert len(reader.pages) == 1
    assert "Sri Wahyuningsih" not in text
    assert "NIP.-" in text


def test_qr_data_uri_is_a_png() -> None:
    assert qr_data_uri(VERIFY_URL).startswith("data:image/png;base64,iVBORw0KGgo")


def test_token_round_trip(app: Flask) -> None:
    with app.test_request_context():
        token = permit_token(_permit())
        assert read_permit_token(token) == {"p": 7, "n": LETTER_NUMBER}
        assert permit_token(_permit(id=8)) != token


def test_altered_or_foreign_tokens_read_as_none(app: Flask) -> None:
    with app.test_request_context():
        token = permit_token(_permit())
        middle = len(token) // 2
        altered = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
        payload = {"p": 7, "n": LETTER_NUMBER}
        other_key = URLSafeSerializer("another-secret-key", salt="bapas-permit-letter").dumps(payload)
        other_salt = URLSafeSerializer(app.config["SECRET_KEY"], salt="another-use").dumps(payload)
        forged = URLSafeSerializer(app.config["SECRET_KEY"], salt="bapas-permit-letter").dumps([7])
        for bad in (
            altered,
            other_key,
            other_salt,
            forged,
            "",
            ".",
            "garbage",
            "%%%.!!!",
            token + "x",
            "é" * 40,
        ):
            assert read_permit_token(bad) is None, bad


@pytest.mark.parametrize(
    ("changes", "today", "expected"),
    [
        ({}, date(2026, 11, 22), "valid"),
        ({}, date(2026, 11, 30), "valid"),
        ({}, date(2026, 12, 1), "expired"),
        ({"revoked_at": datetime(2026, 11, 26, 2, 0, tzinfo=UTC)}, date(2026, 11, 27), "revoked"),
        ({"revoked_at": datetime(2026, 11, 26, 2, 0, tzinfo=UTC)}, date(2026, 12, 5), "revoked"),
        ({"letter_seq": None}, date(2026, 11, 22), "unsigned"),
        ({"signed_at": None}, date(2026, 11, 22), "unsigned"),
    ],
)
def test_permit_validity(changes: dict, today: date, expected: str) -> None:
    assert permit_validity(_permit(**changes), today) == expected
