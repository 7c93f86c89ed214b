"""Real browser: forms speak Indonesian whatever the browser's language (date picker, validity
messages, Select2), and a very long note does not widen a table beyond the page."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.models.clients import Client
from app.models.guidance import GuidanceLog
from app.models.staff import Staff
from tests.conftest import indonesian
from tests.test_browser import sign_in

pytestmark = pytest.mark.browser

WORDS = "Klien datang tepat waktu dan menceritakan perkembangan usahanya dengan rinci. "
UNBROKEN = "x" * 600  # a pasted link or a held-down key: no place to wrap


@pytest.fixture()
def english_browser(browser):
    """A desktop browser set to American English, where chromium would say "Please fill out this
    field." and show dates as mm/dd/yyyy."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_date_fields_pick_and_show_indonesian_dates_and_send_iso(english_browser, live_server):
    page = english_browser
    page.goto(f"{live_server}/layanan/izin-luar-kota?kantor=MGL")
    field = page.locator("#birth_date")
    expect(field).to_be_visible()
    assert page.locator("#birth_date-iso").get_attribute("type") == "hidden"
    field.fill("28/11/2026")
    page.locator("#applicant_name").click()  # leaving the field reads what was typed
    expect(field).to_have_value("28 November 2026")
    assert page.input_value("#birth_date-iso") == "2026-11-28"
    assert page.locator("#birth_date-iso").get_attribute("name") == "birth_date"

    field.click()
    calendar = page.locator(".flatpickr-calendar.open")
    expect(calendar).to_be_visible()
    assert "Sen" in calendar.inner_text() and "Mon" not in calendar.inner_text()
    assert calendar.locator(".flatpickr-monthDropdown-month").nth(10).inner_text() == "November"
    calendar.locator(".flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)", has_text="3").first.click()
    expect(field).to_have_value("3 November 2026")
    assert page.input_value("#birth_date-iso") == "2026-11-03"


def test_empty_required_fields_are_named_in_indonesian(english_browser, live_server):
    page = english_browser
    required = indonesian("This field is required.")
    # The portal leaves checking to the server, which answers in Indonesian next to each field.
    page.goto(f"{live_server}/layanan/pengaduan?kantor=MGL")
    page.get_by_role("button", name="Kirim").click()
    expect(page.locator(".has-error").first).to_contain_text(required)
    # A staff form is checked by the browser first: in Indonesian too, not "Please fill out this field."
    sign_in(page, live_server, "kasubsi.bka")
    page.goto(f"{live_server}/clientview/add")
    page.locator("#model_form [type=submit]").first.click()
    invalid = page.locator("#model_form :invalid:not(fieldset)").first.element_handle()
    assert invalid.evaluate("el => el.validationMessage") == required
    # Typing clears the message.
    invalid.fill("Sesuatu")
    assert invalid.evaluate("el => el.validationMessage") == ""


def test_select2_speaks_indonesian(page, live_server):
    sign_in(page, live_server, "kasubsi.bka")
    page.goto(f"{live_server}/clientview/add")
    clear = page.locator(".select2-selection__clear").first
    expect(clear).to_be_attached()
    assert clear.get_attribute("title") == "Hapus semua item"
    assert "Remove all items" not in page.content() and "Select a State" not in page.content()


@pytest.fixture()
def long_note(app, db_session):
    """A guidance log of pk1's child client with a 5,000-character note."""
    client = db_session.scalar(select(Client).where(Client.register_number == "BKA-001/2026"))
    pk1 = db_session.scalar(select(Staff).where(Staff.username == "pk1"))
    notes = (WORDS * 80)[:4400] + UNBROKEN
    log = GuidanceLog(client_id=client.id, officer_id=pk1.id, held_on=date(2026, 1, 5), kind="kemandirian",
                      place="kantor", notes=notes, confidential_notes=UNBROKEN * 2)  # fmt: skip
    db_session.add(log)
    db_session.commit()
    yield client.id, log.id, notes
    db_session.delete(log)
    db_session.commit()


def _overflow(page) -> list[int]:
    """How far each table reaches past its container (0 when it fits)."""
    return page.eval_on_selector_all(
        "table", "tables => tables.map(t => Math.max(0, t.scrollWidth - t.parentElement.clientWidth))"
    )


def test_a_5000_character_note_keeps_the_expiry_book_within_the_page(page, live_server, long_note):
    client_id, log_id, notes = long_note
    assert len(notes) == 5000
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "pk1")
    page.goto(f"{live_server}/supervision/client/{client_id}")
    assert set(_overflow(page)) == {0}
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert notes not in page.inner_text("body")  # cut in the table …
    assert notes[:60] in page.inner_text("body")
    page.goto(f"{live_server}/guidancelogview/show/{log_id}")
    assert notes in page.inner_text("body")  # … whole on the detail page, still within the page
    assert set(_overflow(page)) == {0}
