"""Real browser: Playwright driving Debian's chromium signs in as each demo role."""

from __future__ import annotations

import pytest

from tests.conftest import ACCOUNT_OF_ROLE, DEMO_PASSWORD, indonesian

pytestmark = pytest.mark.browser

# Menu of each role: category -> entries, in source strings (shown through the catalogue).
SERVICES = ["Incoming letters", "All services", "Travel permits", "TPP sessions", "Outreach (Bambang Solah)"]
GUIDANCE = [
    "Supervision overview",
    "Guidance logs",
    "Progress reports",
    "BATAKO",
    "Group guidance",
    "Mandatory reporting",
    "Reporting schedules",
    "Exports",
]
# The PK and its Kasubsi record a client's report at the counter too, as TU does.
GUIDANCE_DESK = [*GUIDANCE[:-1], "Record a mandatory report", GUIDANCE[-1]]
PERFORMANCE = ["Performance dashboard", "PK caseload"]
COMPLAINTS = ["Complaint list", "Monthly complaint report"]
# The demo has two offices: transfers and visiting clients show (not in an instance of one office).
CLIENTS = ["Client list", "Cases", "Client transfers", "Clients of other offices"]
# The Kepala sets the longest trip permitted, under the travel permits.
KEPALA_SERVICES = [*SERVICES[:3], "Longest trip permitted", *SERVICES[3:]]
MENUS = {
    "Kepala": {"Clients": CLIENTS, "Services": KEPALA_SERVICES, "Guidance": GUIDANCE,
               "Complaints": COMPLAINTS, "Oversight": ["Audit trail"], "Performance": PERFORMANCE},
    "Kasubsi": {"Clients": CLIENTS, "Services": SERVICES, "Guidance": GUIDANCE_DESK,
                "Performance": PERFORMANCE},
    "PK": {"Clients": CLIENTS, "Services": SERVICES, "Guidance": GUIDANCE_DESK,
           "Performance": PERFORMANCE[:1]},
    "TU": {"Clients": ["Client register"], "Services": ["Incoming letters", "Register incoming letter"],
           "Guidance": ["Record a mandatory report"]},
    "Pengaduan": {"Complaints": ["Complaint list", "Record a complaint", "Monthly complaint report"]},
    "Pengawas": {"Clients": CLIENTS[:3], "Services": SERVICES, "Guidance": GUIDANCE,
                 "Complaints": COMPLAINTS, "Oversight": ["Audit trail"], "Performance": PERFORMANCE},
    "Admin": {
        "Reference data": ["Working-day calendar", "Offices", "Regions"],
        "Oversight": ["Audit trail", "Notification outbox"],
        "Security": ["List Users", "List Roles", "List Groups", "Base Permissions", "Views/Menus",
                     "Permission on Views/Menus", "API tokens"],
    },
    "Kanwil": {"Clients": CLIENTS[:3], "Services": SERVICES, "Guidance": GUIDANCE[:-1],
               "Complaints": COMPLAINTS, "Oversight": ["Audit trail"], "Performance": PERFORMANCE[:1]},
    "Ditjenpas": {"Performance": PERFORMANCE[:1]},
}  # fmt: skip


def sign_in(page, base_url: str, username: str) -> None:
    """Fill in and submit the login form."""
    page.goto(f"{base_url}/login/")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.locator("form [type=submit]").click()
    page.wait_for_url(f"{base_url}/")


@pytest.mark.parametrize("role", MENUS)
def test_each_role_sees_only_its_menu(role, page, live_server):
    sign_in(page, live_server, ACCOUNT_OF_ROLE[role])
    menu = {}
    for category in page.locator("ul.nav.navbar-nav:not(.navbar-right) > li.dropdown").all():
        title = category.locator("> a.dropdown-toggle").inner_text().strip()
        entries = [a.inner_text().strip() for a in category.locator("ul.dropdown-menu li a").all()]
        menu[title] = entries
    expected = {
        indonesian(category): [indonesian(entry) for entry in entries]
        for category, entries in MENUS[role].items()
    }
    assert menu == expected
    assert page.get_by_text(indonesian("My tasks")).first.is_visible()


def test_logout_from_the_menu_ends_the_session(page, live_server):
    sign_in(page, live_server, ACCOUNT_OF_ROLE["TU"])
    page.locator("ul.navbar-right a.dropdown-toggle").last.click()
    page.get_by_role("button", name=indonesian("Logout")).click()
    page.wait_for_url(f"{live_server}/login/")
    assert page.get_by_text(indonesian("You have signed out.")).is_visible()
    page.goto(f"{live_server}/clientview/list/")
    assert "/login/" in page.url
    page.goto(f"{live_server}/")  # signed out, the root is the public front door
    assert "/layanan/" in page.url
