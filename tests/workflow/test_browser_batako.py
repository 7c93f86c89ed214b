"""Real browser on a tablet: a PK opens a BATAKO point in the field, a client reports with the
guidance card and signs on the screen, the PK writes the guidance note."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.models.mobile import MobileAttendance
from app.timeutil import today_wib
from tests.factories import client_with_period
from tests.test_browser import sign_in

pytestmark = pytest.mark.browser


def test_a_pk_checks_a_client_in_on_a_tablet(app, browser, live_server, db_session):
    today = today_wib()
    client_with_period(app, "BKD-950/2026", "pk2", today - timedelta(days=100), today + timedelta(days=200),
                       card="KB-9950")  # fmt: skip
    tablet = browser.new_context(viewport={"width": 820, "height": 1180}, is_mobile=True, has_touch=True)
    page = tablet.new_page()
    sign_in(page, live_server, "pk2")
    page.goto(f"{live_server}/mobileserviceview/add")
    page.fill("#town", "Kecamatan Tegalrejo")
    page.fill("#place", "Balai Desa Tegalrejo")
    page.fill("#held_on", today.isoformat())
    page.get_by_role("button", name="Simpan").click()
    page.get_by_role("button", name="Mulai menyiapkan loket layanan").click()
    page.get_by_role("button", name="Loket sudah dibuka: terima klien").click()

    page.fill("#card", "KB-9950")
    pad = page.locator("canvas.bapas-signature").bounding_box()
    page.mouse.move(pad["x"] + 20, pad["y"] + 80)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(pad["x"] + 20 + step * 25, pad["y"] + 80 + (-1) ** step * 30)
    page.mouse.up()
    page.get_by_role("button", name="Catat kehadiran").click()
    expect(page.get_by_text("Klien BKD-950/2026 telah melapor.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 820

    card = page.locator(".bapas-card", has_text="Klien BKD-950/2026")
    card.locator("textarea[name$='-notes']").fill("Klien sudah bekerja di bengkel.")
    card.get_by_role("button", name="Simpan catatan bimbingan").click()
    expect(page.locator(".bapas-card", has_text="Klien BKD-950/2026")).to_contain_text("dibimbing dalam")
    db_session.rollback()
    visit = db_session.scalar(select(MobileAttendance).order_by(MobileAttendance.id.desc()))
    assert visit.guided_at is not None and visit.signature_file.mime_type == "image/png"
    tablet.close()
