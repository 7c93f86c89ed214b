"""Real browser on a phone-sized screen: a school asks for an outreach, a citizen complains anonymously."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.timeutil import today_wib
from tests.conftest import RECEIPT_CODE
from tests.views.test_clients import PNG_1PX

pytestmark = pytest.mark.browser


@pytest.fixture()
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_school_asks_for_an_outreach_on_a_phone(phone, live_server, tmp_path):
    page = phone
    page.goto(f"{live_server}/layanan/")
    # Several offices serve the portal: the visitor first picks the Bapas.
    page.get_by_role("link", name="Bapas Kelas II Magelang").click()
    page.get_by_role("link", name="Bambang Solah: pendampingan ke desa atau sekolah").click()
    assert fits_the_screen(page)
    letter = tmp_path / "surat-permohonan.png"
    letter.write_bytes(PNG_1PX)
    page.fill("#institution", "MTs Negeri 1 Magelang")
    page.select_option("#institution_kind", "SEKOLAH")
    page.fill("#contact_name", "Pak Hadi")
    page.fill("#contact_phone", "081327009988")
    page.fill("#requested_on", (today_wib() + timedelta(days=21)).isoformat())
    page.fill("#place", "Aula MTs Negeri 1 Magelang")
    page.fill("#audience", "Siswa kelas VIII, 90 orang")
    page.fill("#topic", "Bahaya narkoba bagi remaja")
    page.set_input_files("#request_letter", str(letter))
    page.get_by_role("button", name="Kirim").click()
    expect(page.get_by_role("heading", name="Status permohonan Anda")).to_be_visible()
    expect(page.get_by_text("MTs Negeri 1 Magelang (Sekolah)")).to_be_visible()
    expect(page.get_by_text("Disposisi permohonan kepada Kasubsi")).to_be_visible()
    assert RECEIPT_CODE.match(page.locator(".bapas-code").inner_text())
    assert fits_the_screen(page)


def test_a_citizen_complains_anonymously_on_a_phone(phone, live_server):
    page = phone
    page.goto(f"{live_server}/layanan/")
    # Several offices serve the portal: the visitor first picks the Bapas.
    page.get_by_role("link", name="Bapas Kelas II Magelang").click()
    page.get_by_role("link", name="Sampaikan pengaduan").click()
    assert fits_the_screen(page)
    page.select_option("#category", "SARANA")
    page.fill("#title", "Toilet ruang tunggu rusak")
    page.fill("#description", "Sejak minggu lalu toilet di ruang tunggu klien tidak bisa dipakai.")
    page.get_by_role("button", name="Kirim").click()
    expect(page.get_by_role("heading", name="Status pengaduan Anda")).to_be_visible()
    expect(page.get_by_text("Toilet ruang tunggu rusak")).to_be_visible()
    code = page.locator(".bapas-code").inner_text()
    assert fits_the_screen(page)
    page.goto(f"{live_server}/layanan/")
    # Several offices serve the portal: the visitor first picks the Bapas.
    page.get_by_role("link", name="Bapas Kelas II Magelang").click()
    page.fill("input[name=code]", code)
    page.get_by_role("button", name="Cek").click()
    expect(page.get_by_role("heading", name="Status pengaduan Anda")).to_be_visible()
