"""Real browser, no internet: the Kepala's dashboard draws its charts from the app's own files and
every figure, bar or number, opens the services behind it."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.conftest import indonesian
from tests.reports.test_views import MAY_ARGS
from tests.test_browser import sign_in

pytestmark = pytest.mark.browser

CANVAS_DRAWN = """id => {
  const canvas = document.getElementById(id);
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) return true; }
  return false;
}"""
BAR_CENTRE = """([id, dataset, index]) => {
  const bar = Chart.getChart(id).getDatasetMeta(dataset).data[index];
  return {x: bar.x, y: (bar.y + bar.base) / 2};
}"""


def _wait_for_charts(page, count: int, timeout: float = 10.0) -> None:
    """Wait until Chart.js has drawn `count` charts.

    Polled from here, not with `page.wait_for_function`: that evaluates its string with `eval` in the
    page, which the app's Content Security Policy refuses once the first check has failed.
    """
    deadline = time.monotonic() + timeout
    check = "n => !!window.Chart && Object.keys(Chart.instances).length === n"
    while not page.evaluate(check, count):
        assert time.monotonic() < deadline, f"{count} charts not drawn in {timeout} s"
        page.wait_for_timeout(50)


def _offline(page, live_server: str) -> list[str]:
    """Abort every request to another host than the app; returns the list of those attempted."""
    outside: list[str] = []

    def route(request_route):
        if request_route.request.url.startswith(live_server):
            request_route.continue_()
        else:
            outside.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    return outside


def test_kepala_dashboard_offline_charts_and_drill_down(page, live_server, may_2026):
    outside = _offline(page, live_server)
    sign_in(page, live_server, "kepala")
    page.get_by_role("link", name=indonesian("Performance")).first.click()
    page.locator("ul.dropdown-menu").get_by_role("link", name=indonesian("Performance dashboard")).click()
    expect(page.get_by_role("heading", name=indonesian("Performance evaluation"))).to_be_visible()
    page.goto(f"{live_server}/performance/list/?{MAY_ARGS}")
    _wait_for_charts(page, 3)
    for canvas in ("chart-services", "chart-compliance", "chart-steps"):
        assert page.evaluate(CANVAS_DRAWN, canvas), canvas

    # A bar: incoming letters started in May (the second service, first dataset).
    box = page.locator("#chart-services").bounding_box()
    centre = page.evaluate(BAR_CENTRE, ["chart-services", 0, 1])
    page.mouse.click(box["x"] + centre["x"], box["y"] + centre["y"])
    page.wait_for_url("**/performance/drill/**")
    query = parse_qs(urlparse(page.url).query)
    assert query["kind"] == ["started"] and query["service"] == ["SURAT"]
    expect(page.locator("#drill-rows a.btn")).to_have_count(3)

    # A number: the instances overdue at the end of May, each opening its task screen.
    page.goto(f"{live_server}/performance/list/?{MAY_ARGS}")
    page.locator('#performance-totals a[data-kind="overdue"]').click()
    expect(page.locator("#drill-rows a.btn")).to_have_count(4)
    page.locator("#drill-rows a.btn").first.click()
    page.wait_for_url("**/tasks/**")
    assert outside == []


def test_kanwil_compares_two_offices_on_the_dashboard(page, live_server, may_2026, semarang_may):
    outside = _offline(page, live_server)
    sign_in(page, live_server, "kanwil.jateng")
    page.get_by_role("link", name=indonesian("Performance")).first.click()
    page.locator("ul.dropdown-menu").get_by_role("link", name=indonesian("Performance dashboard")).click()
    page.fill("#start", "2026-05-01")
    page.fill("#end", "2026-05-31")
    page.locator("#performance-filters button[type=submit]").click()
    expect(page.get_by_role("heading", name=indonesian("Offices compared"))).to_be_visible()
    _wait_for_charts(page, 5)
    for canvas in ("chart-compare-shares", "chart-compare-overdue"):
        assert page.evaluate(CANVAS_DRAWN, canvas), canvas
    rows = page.locator('table[data-table="office"] tbody tr')
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("th")).to_have_text("Bapas Kelas I Semarang")
    expect(rows.nth(1).locator("th")).to_have_text("Bapas Kelas II Magelang")
    expect(rows.nth(0).locator('td[data-column="started"]')).to_have_text("2")
    expect(rows.nth(1).locator('td[data-column="started"]')).to_have_text("6")

    # A bar of overdue services opens Magelang's overdue services, with its office named on each row.
    box = page.locator("#chart-compare-overdue").bounding_box()
    centre = page.evaluate(BAR_CENTRE, ["chart-compare-overdue", 0, 1])
    page.mouse.click(box["x"] + centre["x"], box["y"] + centre["y"])
    page.wait_for_url("**/performance/drill/**")
    query = parse_qs(urlparse(page.url).query)
    assert query["kind"] == ["overdue"] and query["office"] == ["1"]
    expect(page.locator("#drill-rows a.btn")).to_have_count(4)
    expect(page.locator("#drill-rows")).to_contain_text("Bapas Kelas II Magelang")

    # Picking Semarang in the filter narrows the dashboard to it; the way back compares again.
    page.go_back()
    page.select_option("#office", label="Bapas Kelas I Semarang")
    page.locator("#performance-filters button[type=submit]").click()
    expect(page.locator('#performance-totals [data-kind="started"] .bapas-number')).to_have_text("2")
    expect(page.locator('table[data-table="office"]')).to_have_count(0)
    page.locator("#compare-offices").click()
    expect(page.locator('table[data-table="office"] tbody tr')).to_have_count(2)
    assert outside == []
