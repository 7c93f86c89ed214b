"""Real browser, no internet: the Kepala's dashboard draws its charts from the app's own files and
every figure, bar or number, opens the services behind it."""

from __future__ import annotations

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
    page.wait_for_function("window.Chart && Object.keys(Chart.instances).length === 3")
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
