"""Issue 17 item 2: Tugas Saya on a 390×844 phone, each task a card with its deadline and button in view."""

from __future__ import annotations

import pytest

from tests.test_browser import sign_in

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 390, 844


def test_tugas_saya_on_a_phone_shows_the_deadline_and_the_open_button(browser, live_server):
    phone = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    sign_in(page, live_server, "pk1")
    first = page.locator("tr.bapas-task").first
    for part in (first.locator("td.bapas-deadline"), first.locator("td.bapas-open a.btn")):
        box = part.bounding_box()
        assert box is not None and box["width"] > 0
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH  # not cut off to the right
        assert box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT  # seen without scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    phone.close()
