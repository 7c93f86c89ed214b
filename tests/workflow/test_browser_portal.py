"""Real browser on a phone-sized screen: a citizen asks for a travel permit and follows it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.timeutil import today_wib
from tests.conftest import RECEIPT_CODE
from tests.views.test_clients import PNG_1PX

pytestmark = pytest.mark.browser


def test_a_citizen_submits_on_a_phone_and_sees_the_status(browser, live_server, tmp_path):
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(f"{live_server}/layanan/")
    page.get_by_role("link", name="Izin pergi ke luar kota").click()
    start = today_wib() + timedelta(days=7)
    signature = tmp_path / "tanda-tangan.png"
    signature.write_bytes(PNG_1PX)
    page.fill("#register_number", "BKD-002/2026")
    # The date picker takes the date fields over when its script has run (their ids move to the
    # visible fields, the inputs become "<id>-iso"): type once it has, or the field may vanish mid-typing.
    page.wait_for_selector("#birth_date-iso", state="attached")
    page.fill("#birth_date", "1985-04-04")
    page.fill("#applicant_name", "Sumarni")
    page.select_option("#applicant_relation", "klien")
    page.fill("#applicant_phone", "081227000011")
    page.fill("#destination_city", "Kota Surakarta")
    page.fill("#destination_address", "Jl. Slamet Riyadi 100, Surakarta")
    page.fill("#purpose", "Menghadiri pernikahan adik kandung")
    page.fill("#depart_on", start.isoformat())
    page.fill("#return_on", (start + timedelta(days=2)).isoformat())
    page.set_input_files("#signature", str(signature))
    page.get_by_role("button", name="Kirim").click()
    expect(page.get_by_role("heading", name="Status permohonan Anda")).to_be_visible()
    code = page.locator(".bapas-code").inner_text()
    assert RECEIPT_CODE.match(code)
    expect(page.get_by_text("Kota Surakarta")).to_be_visible()
    expect(page.get_by_text("PK memeriksa permohonan")).to_be_visible()
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The code brings the page back from the lookup form.
    page.goto(f"{live_server}/layanan/")
    page.fill("input[name=code]", code)
    page.get_by_role("button", name="Cek").click()
    expect(page.get_by_text("Kota Surakarta")).to_be_visible()
    phone.close()
