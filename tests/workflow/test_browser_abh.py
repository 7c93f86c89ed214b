"""Real browser: a police letter goes from TU to Kepala to Kasubsi BKA to the PK's inbox."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.models.staff import Staff
from app.timeutil import WIB, utcnow
from tests.test_browser import sign_in

pytestmark = pytest.mark.browser


def _as(browser, live_server: str, username: str):
    page = browser.new_context().new_page()
    sign_in(page, live_server, username)
    return page


def _take_up_task(page, live_server: str, subject: str) -> None:
    page.goto(f"{live_server}/")
    page.locator("tr", has_text=subject).get_by_role("link", name="Buka").click()
    page.get_by_role("button", name="Mulai kerjakan langkah ini").click()


def test_police_letter_reaches_the_pk_inbox(browser, live_server, db_session):
    subject = "Permohonan pendampingan anak (uji peramban)"
    now = utcnow().astimezone(WIB)
    tu = _as(browser, live_server, "tu")
    tu.goto(f"{live_server}/incomingletterview/register")
    tu.select_option("#service", "ABH", force=True)
    tu.fill("#sender", "Polres Magelang Kota")
    tu.select_option("#sender_kind", "POLRI", force=True)
    tu.fill("#letter_number", "B/555/XI/2026/Reskrim")
    tu.fill("#letter_date", now.strftime("%Y-%m-%d"))
    tu.fill("#subject", subject)
    tu.fill("#received_at", now.strftime("%Y-%m-%dT%H:%M"))
    tu.get_by_role("button", name="Daftar").click()
    expect(tu.get_by_text("Surat dicatat dengan nomor agenda")).to_be_visible()

    kepala = _as(browser, live_server, "kepala")
    _take_up_task(kepala, live_server, subject)
    kasubsi_id = db_session.scalar(select(Staff.id).where(Staff.username == "kasubsi.bka"))
    kepala.select_option("#to", str(kasubsi_id), force=True)
    kepala.check("input[value=tindak_lanjuti]")
    kepala.select_option("#urgency", "sangat_segera", force=True)
    kepala.get_by_role("button", name="Simpan dan selesaikan langkah").click()
    expect(kepala.get_by_text("Langkah selesai.")).to_be_visible()

    kasubsi = _as(browser, live_server, "kasubsi.bka")
    _take_up_task(kasubsi, live_server, subject)
    pk1_id = db_session.scalar(select(Staff.id).where(Staff.username == "pk1"))
    assert "Siti Rahmawati" in kasubsi.locator("#officers").inner_html()  # with the caseload beside the name
    kasubsi.select_option("#officers", [str(pk1_id)], force=True)
    kasubsi.get_by_role("button", name="Simpan dan selesaikan langkah").click()
    expect(kasubsi.get_by_text("Langkah selesai.")).to_be_visible()

    pk1 = _as(browser, live_server, "pk1")
    row = pk1.locator("tr", has_text=subject)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Melakukan pendampingan anak")
    pk2 = _as(browser, live_server, "pk2")
    assert pk2.locator("tr", has_text=subject).count() == 0
