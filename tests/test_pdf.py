"""PDF documents: the lembar disposisi, rendered from transient objects (no database)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from io import BytesIO
from itertools import pairwise

from flask import Flask
from pypdf import PdfReader

from app.models.letters import INSTRUCTIONS, URGENCIES, Disposition, IncomingLetter
from app.models.staff import Staff
from app.pdf import disposition_sheet


def _letter(subject: str = "Permohonan pendampingan <script>alert(1)</script>") -> IncomingLetter:
    """A letter with one disposition from the Kepala to a Kasubsi, never added to a session."""
    kepala = Staff(
        first_name="Sri",
        last_name="Wahyuningsih",
        nip="197805122000032001",
        position="Kepala Bapas",
    )
    kasubsi = Staff(first_name="Bambang", last_name="Prasetyo", position="Kasubsi BKA")
    pk = Staff(first_name="Dewi", last_name="Lestari", position="Pembimbing Kemasyarakatan")
    letter = IncomingLetter(
        agenda_year=2026,
        agenda_seq=42,
        sender="Polres Magelang",
        sender_kind="POLRI",
        letter_number="B/123/XI/2026",
        letter_date=date(2026, 11, 20),
        subject=subject,
        received_at=datetime(2026, 11, 22, 7, 5, tzinfo=UTC),
    )
    disposition = Disposition(
        by=kepala,
        to=kasubsi,
        instructions=["tindak_lanjuti", "siapkan_laporan"],
        note="Segera tunjuk PK",
        urgency="segera",
        deadline=datetime(2026, 11, 23, 2, 0, tzinfo=UTC),
        created_at=datetime(2026, 11, 22, 8, 30, tzinfo=UTC),
    )
    disposition.assignees = [pk]
    letter.dispositions = [disposition]
    return letter


def _text(pdf: bytes) -> tuple[int, str]:
    """Number of pages and the text pypdf extracts from them."""
    reader = PdfReader(BytesIO(pdf))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def _ticked(text: str) -> set[str]:
    """Labels printed right after a ticked box ("X")."""
    lines = [line.strip() for line in text.splitlines()]
    return {following for line, following in pairwise(lines) if line == "X"}


def test_disposition_sheet_shows_the_letter_and_its_disposition(app: Flask) -> None:
    letter = _letter()
    with app.test_request_context():
        started = time.perf_counter()
        pdf = disposition_sheet(letter)
        elapsed = time.perf_counter() - started
        instructions = {code: str(label) for code, label in INSTRUCTIONS.items()}
        urgent = str(URGENCIES["segera"])

    assert pdf.startswith(b"%PDF")
    assert elapsed < 1, f"rendering took {elapsed:.2f} s"
    pages, text = _text(pdf)
    assert pages == 1
    for expected in (
        "0042/2026",
        "B/123/XI/2026",
        "Polres Magelang",
        "Segera tunjuk PK",
        "Bambang Prasetyo",
        "Kasubsi BKA",
        "Dewi Lestari",
        "Sri Wahyuningsih",
        "NIP. 197805122000032001",
        "20 November 2026",
        "22 November 2026 14.05 WIB",
        "23 November 2026 09.00 WIB",
    ):
        assert expected in text, expected
    # The whole checklist is printed; only the chosen instructions and the urgency are ticked.
    for label in instructions.values():
        assert label in text, label
    assert _ticked(text) == {instructions["tindak_lanjuti"], instructions["siapkan_laporan"], urgent}


def test_user_text_is_printed_as_text_not_markup(app: Flask) -> None:
    hostile = '<img src="http://169.254.169.254/x"><b>Besar</b> &amp;'
    with app.test_request_context():
        escaped = disposition_sheet(_letter())
        fetching = disposition_sheet(_letter(subject=hostile))
    assert "Permohonan pendampingan <script>alert(1)</script>" in _text(escaped)[1]
    assert "alert(1)" in _text(escaped)[1]
    assert hostile in _text(fetching)[1]
    assert b"/Subtype /Image" not in fetching


def test_a_letter_without_disposition_gives_a_blank_sheet(app: Flask) -> None:
    letter = _letter()
    letter.dispositions = []
    with app.test_request_context():
        pdf = disposition_sheet(letter)
    pages, text = _text(pdf)
    assert pages == 1
    assert "0042/2026" in text
    assert "Segera tunjuk PK" not in text
    assert "Sri Wahyuningsih" not in text
    assert _ticked(text) == set()


def test_every_disposition_is_printed(app: Flask) -> None:
    letter = _letter()
    first = letter.dispositions[0]
    second = Disposition(by=first.by, to=first.by, instructions=["arsipkan"], note="Arsipkan saja")
    letter.dispositions = [first, second]
    with app.test_request_context():
        pdf = disposition_sheet(letter)
    _pages, text = _text(pdf)
    assert "Segera tunjuk PK" in text
    assert "Arsipkan saja" in text


def test_names_outside_latin1_print_in_an_embedded_font(app: Flask) -> None:
    """A sender with "Ṡ" (U+1E60) and "Ğ" prints those letters, not black boxes: DejaVu is embedded."""
    letter = _letter("Permohonan atas nama Ṡiti Ğunawan — Ŝuryani")
    letter.sender = "Polsek Ṡalaman"
    with app.test_request_context():
        pdf = disposition_sheet(letter)
    _pages, text = _text(pdf)
    assert "Ṡiti Ğunawan" in text and "Ŝuryani" in text and "Polsek Ṡalaman" in text
    fonts = set()
    for page in PdfReader(BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            if font.get("/Subtype") != "/Type1":  # only the 14 standard fonts go unembedded
                descendant = font.get("/DescendantFonts")
                descriptor = (descendant[0].get_object() if descendant else font)["/FontDescriptor"]
                assert "/FontFile2" in descriptor.get_object()
    # Helvetica remains only as xhtml2pdf's name for empty fragments (no glyph is drawn with it).
    assert (
        {"/AAAAAA+DejaVuSansCondensed", "/AAAAAA+DejaVuSansCondensed-Bold"}
        <= fonts
        <= {"/AAAAAA+DejaVuSansCondensed", "/AAAAAA+DejaVuSansCondensed-Bold", "/Helvetica"}
    ), fonts


def test_the_kasubsis_note_to_the_pk_prints_under_the_assignees(app: Flask) -> None:
    letter = _letter()
    letter.dispositions[0].assignment_note = "Hubungi orang tua anak hari ini"
    with app.test_request_context():
        pdf = disposition_sheet(letter)
    pages, text = _text(pdf)
    assert pages == 1
    assert "Hubungi orang tua anak hari ini" in text and "Dewi Lestari" in text
