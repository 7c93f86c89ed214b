"""Real browser: under the Content-Security-Policy (no inline script but the nonce's) the staff pages
and the portal raise no violation and their scripts still work."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import ACCOUNT_OF_ROLE, indonesian
from tests.test_browser import sign_in

pytestmark = pytest.mark.browser

# Every CSP violation of the page, reported by the browser as it happens.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  var where = e.sourceFile + ":" + e.lineNumber;
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + where);
});
"""

STAFF_PAGES = {
    "PK": [
        "/",
        "/clientview/list/",
        "/guidancelogview/list/",
        "/guidancelogview/add",
        "/progressreportview/list/",
        "/performance/list/",
        "/supervision/",
        "/mobileserviceview/add",
        "/resetmypassword/form",
    ],
    "TU": ["/incomingletterview/register", "/clientregisterview/list/"],
    "Kepala": ["/tppsessionview/list/", "/auditlogview/list/", "/serviceinstanceview/list/"],
    "Pengaduan": ["/complaintview/intake", "/complaintview/report"],
    "Admin": ["/users/list/", "/users/add", "/roles/list/"],
}
PORTAL_PAGES = [
    "/layanan/",
    "/layanan/izin-luar-kota",
    "/layanan/pengaduan?kantor=MGL",
    "/layanan/bambang-solah?kantor=MGL",
    "/login/",
]


@pytest.fixture()
def watched(browser):
    """A page whose CSP violations, console complaints about the policy and script errors are kept."""
    context = browser.new_context()
    context.add_init_script(WATCH)
    page = context.new_page()
    complaints: list[str] = []
    page.on(
        "console",
        lambda message: (
            complaints.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: complaints.append(f"script error: {error}"))
    yield page, complaints
    context.close()


def _visit(page, url: str, complaints: list[str]) -> None:
    response = page.goto(url)
    assert response.ok, url
    assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    violations = page.evaluate("window.__csp")
    assert violations == [] and complaints == [], (url, violations, complaints)


@pytest.mark.parametrize("role", STAFF_PAGES)
def test_staff_pages_run_their_scripts_within_the_policy(role, watched, live_server):
    page, complaints = watched
    sign_in(page, live_server, ACCOUNT_OF_ROLE[role])
    for path in STAFF_PAGES[role]:
        _visit(page, f"{live_server}{path}", complaints)
    # The inline script of FAB's list (run only with its nonce) and the jQuery it needs.
    page.goto(f"{live_server}{STAFF_PAGES[role][-1] if role == 'Admin' else '/'}")
    assert page.evaluate("typeof window.jQuery") == "function"
    # Bootstrap's dropdown (a script file) opens the user menu and its logout form signs out.
    page.locator("ul.navbar-right a.dropdown-toggle").last.click()
    page.get_by_role("button", name=indonesian("Logout")).click()
    page.wait_for_url(f"{live_server}/login/")
    assert complaints == [] and page.evaluate("window.__csp") == []


def test_fab_widgets_are_initialised_under_the_policy(watched, live_server):
    page, complaints = watched
    sign_in(page, live_server, ACCOUNT_OF_ROLE["PK"])
    _visit(page, f"{live_server}/guidancelogview/add", complaints)
    # Select2 (set up by ab.js) replaced the client choice, and it opens its list of options.
    expect(page.locator(".select2-container").first).to_be_visible()
    page.locator(".select2-container").first.click()
    expect(page.locator(".select2-drop-active, .select2-dropdown").first).to_be_visible()
    # The list's inline script (nonce) made FAB's action helper.
    _visit(page, f"{live_server}/guidancelogview/list/", complaints)
    assert page.evaluate("typeof window.modelActions") == "object"
    # The search widget's inline script (nonce) set up FAB's filters (in the folded
    # search panel): choosing one adds its row.
    page.evaluate("document.querySelector('#filter_form a.filter[name=place]').click()")
    expect(page.locator("#filter_form table.filters td.filter").first).to_be_attached()
    assert complaints == [] and page.evaluate("window.__csp") == []


def test_portal_pages_run_their_scripts_within_the_policy(watched, live_server, tmp_path):
    page, complaints = watched
    for path in PORTAL_PAGES:
        _visit(page, f"{live_server}{path}", complaints)
    # The portal's upload check (a script file) catches an oversized file before sending.
    page.goto(f"{live_server}/layanan/pengaduan?kantor=MGL")
    scan = tmp_path / "terlalu-besar.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024))
    page.set_input_files("#evidence", str(scan))
    expect(page.get_by_role("alert")).to_be_visible()
    assert complaints == [] and page.evaluate("window.__csp") == []
