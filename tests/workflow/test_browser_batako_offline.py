"""Real browser on a phone with the network cut: a PK checks two clients in at a BATAKO point (signature
drawn on the screen) and writes their guidance, reloads the page without a connection (served by the
service worker), and when the connection returns each entry is recorded once; a conflict comes back
on its own entry and nothing else is lost; signing out clears the device."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select
from werkzeug.serving import make_server

from app.models.guidance import GuidanceLog
from app.models.mobile import MobileAttendance, MobileEntry
from app.timeutil import today_wib
from tests.conftest import indonesian
from tests.factories import client_with_period
from tests.test_browser import sign_in

pytestmark = pytest.mark.browser


class Gate:
    """The app behind a switch: when down, every connection is cut as a dead network would, also
    the service worker's (Playwright's offline mode does not reach service workers)."""

    def __init__(self, app) -> None:
        self.app, self.down = app, False

    def __call__(self, environ, start_response):
        if self.down:
            connection = environ.get("werkzeug.socket")
            if connection is not None:
                connection.shutdown(socket.SHUT_RDWR)
            start_response("503 Service Unavailable", [])
            return [b""]
        return self.app(environ, start_response)


@pytest.fixture(scope="module")
def field(app) -> Iterator[tuple[str, Gate]]:
    """Its own server (own origin, so its own service worker and IndexedDB) with the gate."""
    gate = Gate(app)
    server = make_server("127.0.0.1", 0, gate, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", gate
    server.shutdown()


def _open_point(app, username: str, town: str) -> int:
    from app.extensions import db
    from app.models.staff import Staff
    from app.workflow import engine, mobile_service

    with app.app_context():
        user = db.session.scalar(select(Staff).where(Staff.username == username))
        point = mobile_service.plan_point(user, town, f"Balai Desa {town}", today_wib())
        db.session.flush()
        mobile_service.start_setting_up(point, user)
        mobile_service.open_counter(point, user)
        engine.commit()
        return point.id


def _check_in_elsewhere(app, point_id: int, username: str, card: str) -> None:
    from app.extensions import db
    from app.models.mobile import MobileService
    from app.models.staff import Staff
    from app.workflow import engine, mobile_service
    from tests.factories import signature

    with app.app_context():
        user = db.session.scalar(select(Staff).where(Staff.username == username))
        mobile_service.check_in(db.session.get(MobileService, point_id), user, card, signature())
        engine.commit()


def _phone(browser):
    return browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, service_workers="allow"
    )


def _sign(page) -> None:
    pad = page.locator("canvas.bapas-signature").bounding_box()
    page.mouse.move(pad["x"] + 20, pad["y"] + 60)
    page.mouse.down()
    for step in range(1, 10):
        page.mouse.move(pad["x"] + 20 + step * 25, pad["y"] + 60 + (-1) ** step * 25)
    page.mouse.up()


def _check_in(page, card: str) -> None:
    page.fill("#card", card)
    _sign(page)
    page.get_by_role("button", name="Catat kehadiran").click()


def _go_offline(context, gate: Gate) -> None:
    gate.down = True
    context.set_offline(True)


def _go_online(context, gate: Gate) -> None:
    gate.down = False
    context.set_offline(False)


def _kept(page, point_id: int) -> None:
    """Wait until the service worker has kept the page and its files."""
    expect(page.locator("#batako-offline")).to_have_attribute(
        "data-kept", f"/mobileserviceview/point/{point_id}"
    )


def test_entries_made_offline_are_kept_and_recorded_once(app, browser, field, db_session):
    base, gate = field
    today = today_wib()
    for number in (960, 961):
        period = (today - timedelta(days=90), today + timedelta(days=300))
        client_with_period(app, f"BKD-{number}/2026", "pk2", *period, card=f"KB-{number}0")
    point_id = _open_point(app, "pk2", "Kecamatan Windusari")
    phone = _phone(browser)
    page = phone.new_page()
    sign_in(page, base, "pk2")
    page.goto(f"{base}/mobileserviceview/point/{point_id}")
    _kept(page, point_id)

    _go_offline(phone, gate)
    expect(page.locator("[data-offline-banner]")).to_be_visible()
    outbox = page.locator("#batako-outbox")
    for number in (960, 961):
        _check_in(page, f"KB-{number}0")
        entry = outbox.locator("li", has_text=f"Klien BKD-{number}/2026")
        expect(entry).to_contain_text("belum terkirim")
        entry.locator("textarea[name='offline-notes']").fill(f"Klien {number} bekerja di sawah.")
        entry.get_by_role("button", name="Simpan catatan bimbingan").click()
    expect(outbox.locator("li", has_text="belum terkirim")).to_have_count(4)

    # Reloaded without a connection: the service worker serves the page, the entries are still there.
    page.reload()
    expect(page.get_by_role("heading", name="BATAKO Kecamatan Windusari")).to_be_visible()
    expect(page.locator("#batako-outbox li", has_text="belum terkirim")).to_have_count(4)
    db_session.rollback()
    assert db_session.scalar(select(func.count()).where(MobileAttendance.service_id == point_id)) == 0

    _go_online(phone, gate)
    for number in (960, 961):
        visit = page.locator("[id^='visit-']", has_text=f"Klien BKD-{number}/2026")
        expect(visit).to_contain_text("dibimbing dalam")
    expect(page.locator("#batako-outbox li")).to_have_count(0)
    db_session.rollback()
    visits = db_session.scalars(select(MobileAttendance).where(MobileAttendance.service_id == point_id)).all()
    assert len(visits) == 2 and all(v.guided_at and v.signature_file_id for v in visits)
    clients = [v.client_id for v in visits]
    assert (
        db_session.scalar(select(func.count()).where(GuidanceLog.mobile_visit_id.in_([v.id for v in visits])))
        == 2
    )
    assert db_session.scalar(select(func.count()).where(MobileEntry.service_id == point_id)) == 4
    assert len(set(clients)) == 2

    # Signing out clears the device: no entries, no kept pages, no service worker.
    page.evaluate("document.querySelector('form.bapas-logout').requestSubmit()")
    page.wait_for_url(f"{base}/login/")
    assert page.evaluate("caches.keys()") == []
    assert "batako" not in [db["name"] for db in page.evaluate("indexedDB.databases()")]
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
    phone.close()


def test_a_conflict_stays_on_its_entry_and_the_rest_is_recorded(app, browser, field, db_session):
    base, gate = field
    today = today_wib()
    for number in (970, 971):
        period = (today - timedelta(days=90), today + timedelta(days=300))
        client_with_period(app, f"BKD-{number}/2026", "pk2", *period, card=f"KB-{number}0")
    point_id = _open_point(app, "pk2", "Kecamatan Pakis")
    elsewhere = _open_point(app, "pk4", "Kecamatan Sawangan")
    phone = _phone(browser)
    page = phone.new_page()
    sign_in(page, base, "pk2")
    page.goto(f"{base}/mobileserviceview/point/{point_id}")
    _kept(page, point_id)

    _go_offline(phone, gate)
    for number in (970, 971):
        _check_in(page, f"KB-{number}0")
    expect(page.locator("#batako-outbox li", has_text="belum terkirim")).to_have_count(2)
    # Meanwhile a colleague of the section checks the first client in at its own point.
    _check_in_elsewhere(app, elsewhere, "pk4", "KB-9700")

    _go_online(phone, gate)
    expect(page.locator("[id^='visit-']", has_text="Klien BKD-971/2026")).to_be_visible()
    conflict = page.locator("#batako-outbox li", has_text="Klien BKD-970/2026")
    message = indonesian(
        "This client has already reported today at another BATAKO point (%(place)s).",
        place="Balai Desa Kecamatan Sawangan",
    )
    expect(conflict).to_contain_text(message)
    expect(conflict.get_by_role("button", name="Hapus dari perangkat ini")).to_be_visible()
    db_session.rollback()
    visits = db_session.scalars(select(MobileAttendance).where(MobileAttendance.service_id == point_id)).all()
    assert [v.client.register_number for v in visits] == ["BKD-971/2026"]
    phone.close()
