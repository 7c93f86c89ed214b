"""Real browser: file fields state their limits, oversized files are caught before sending (the
form stays filled in), and a large phone photo is sent and reduced by the server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.models.complaints import Complaint
from tests.conftest import indonesian
from tests.test_browser import sign_in
from tests.test_uploads import noisy_photo

pytestmark = pytest.mark.browser

FILE_TOO_LARGE = (
    "%(name)s is larger than %(mb)d MB and is not a photo that can be reduced: choose a smaller file."
)
REQUEST_TOO_LARGE = "The chosen files are larger than %(mb)d MB together: choose fewer or smaller files."
NOTE = (
    "PDF, JPG or PNG; at most %(file)d MB per file and %(total)d MB per submission. "
    "Larger photos are reduced automatically."
)


def _fill_complaint(page, title: str) -> None:
    page.select_option("#category", "LAYANAN")
    page.select_option("#sop", "SOP11")
    page.fill("#title", title)
    page.fill("#description", "Petugas loket tidak ada di tempat pada jam layanan.")


def test_an_oversized_file_is_caught_before_sending_and_the_form_is_kept(browser, live_server, tmp_path):
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    sent = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
    page.goto(f"{live_server}/layanan/pengaduan?kantor=MGL")
    expect(page.get_by_text(indonesian(NOTE, file=5, total=12))).to_be_visible()
    _fill_complaint(page, "Loket tutup (berkas besar)")

    scan = tmp_path / "bukti-pindaian.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024))
    page.set_input_files("#evidence", str(scan))
    message = indonesian(FILE_TOO_LARGE, name="bukti-pindaian.pdf", mb=5)
    expect(page.get_by_role("alert")).to_have_text(message)
    page.get_by_role("button", name="Kirim").click()
    expect(page.get_by_role("alert")).to_have_text(message)
    assert sent == [] and page.url.endswith("/layanan/pengaduan?kantor=MGL")
    assert page.input_value("#title") == "Loket tutup (berkas besar)"

    # A photo bigger than the whole request cannot be reduced by the server either: caught too.
    photo = tmp_path / "foto-besar.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"0" * (13 * 1024 * 1024))
    page.set_input_files("#evidence", str(photo))
    expect(page.get_by_role("alert")).to_have_text(indonesian(REQUEST_TOO_LARGE, mb=12))
    page.get_by_role("button", name="Kirim").click()
    assert sent == []
    phone.close()


def test_a_large_phone_photo_is_sent_and_reduced(browser, live_server, tmp_path, db_session):
    page = browser.new_page()
    page.goto(f"{live_server}/layanan/pengaduan?kantor=MGL")
    _fill_complaint(page, "Loket tutup (foto dari ponsel)")
    photo = tmp_path / "IMG_20261123_0815.jpg"
    photo.write_bytes(noisy_photo(3000, 2200, "JPEG"))
    assert photo.stat().st_size > 5 * 1024 * 1024
    page.set_input_files("#evidence", str(photo))
    expect(page.get_by_role("alert")).to_have_count(0)
    page.get_by_role("button", name="Kirim").click()
    page.wait_for_url(re.compile(r"/layanan/pengaduan/status/"))
    db_session.rollback()
    complaint = db_session.scalar(
        select(Complaint).where(Complaint.title == "Loket tutup (foto dari ponsel)")
    )
    assert complaint.evidence_file.mime_type == "image/jpeg"
    assert complaint.evidence_file.size <= 5 * 1024 * 1024
    page.close()


def test_staff_forms_check_files_too(page, live_server, tmp_path):
    sign_in(page, live_server, "kasubsi.bka")
    page.goto(f"{live_server}/clientview/add")
    expect(page.get_by_text(indonesian(NOTE, file=5, total=12))).to_be_visible()
    scan = tmp_path / "bast.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024))
    page.set_input_files("#handover_upload", str(scan))
    expect(page.locator(".bapas-upload-error")).to_have_text(
        indonesian(FILE_TOO_LARGE, name="bast.pdf", mb=5)
    )
