"""Fixtures: one app and database per test run (SQLite, or PostgreSQL via TEST_DATABASE_URL)."""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text
from werkzeug.serving import make_server

DEMO_PASSWORD = "Demo-Rahasia-2026"
ACCOUNT_OF_ROLE = {
    "Kepala": "kepala",
    "Kasubsi": "kasubsi.bka",
    "PK": "pk1",
    "TU": "tu",
    "Pengaduan": "pengaduan",
    "Pengawas": "pengawas",
    "Admin": "admin",
    "Kanwil": "kanwil.jateng",
    "Ditjenpas": "ditjenpas",
}
# A receipt code as printed: four groups of four characters of Crockford's base32.
RECEIPT_CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"|name="csrf_token" type="hidden" value="([^"]+)"')


class IsolatedClient(FlaskClient):
    """Each request in its own app context, as in production: `g` and the DB session are
    never shared with the test's own context or with the previous request."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def _reset_postgres(app: Flask) -> None:
    from app.extensions import db

    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The application on a freshly migrated database with roles and demo data."""
    os.environ["DEMO_PASSWORD"] = DEMO_PASSWORD
    folder: Path = tmp_path_factory.mktemp("instance")
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{folder / 'test.db'}"
    from app import create_app

    application = create_app(
        {
            "ENV": "test",
            "SQLALCHEMY_DATABASE_URI": url,
            "UPLOAD_DIR": str(folder / "uploads"),
            # Tests look for their rows in Tugas Saya, among every other test's; the cap has its own test.
            "BAPAS_INBOX_SHOWN": 1000,
        }
    )
    application.test_client_class = IsolatedClient
    with application.app_context():
        if url.startswith("postgresql"):
            _reset_postgres(application)
        upgrade()
        from app import demo
        from app.cli import sync_roles

        sync_roles()
        demo.load()
    # Records a test makes outside a request (as a command would) belong to the first office,
    # Magelang, where the demo accounts the tests sign in as work.
    from app import offices

    token = offices._working_for.set(1)
    yield application
    offices._working_for.reset(token)


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    """A fresh browser-like client (own cookie jar)."""
    return app.test_client()


def csrf_token(html: str) -> str:
    """The CSRF token in a rendered form."""
    match = CSRF.search(html)
    assert match, "no CSRF token in page"
    return match.group(1) or match.group(2)


class Session:
    """A signed-in test client that fetches CSRF tokens like a browser would."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)

    def post_form(self, url: str, data: dict, form_url: str | None = None, **kwargs):
        """GET the form page for its token, then POST the data with it."""
        page = self.client.get(form_url or url)
        token = csrf_token(page.get_data(as_text=True))
        return self.client.post(url, data={**data, "csrf_token": token}, **kwargs)

    def token(self, url: str = "/") -> str:
        """A CSRF token from any page with a form, for posts without a form page."""
        return csrf_token(self.client.get(url).get_data(as_text=True))


def sign_in(client: FlaskClient, username: str, password: str = DEMO_PASSWORD):
    """Sign in through the login form; returns the final response."""
    page = client.get("/login/")
    token = csrf_token(page.get_data(as_text=True))
    return client.post(
        "/login/",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=True,
    )


@pytest.fixture()
def login_as(app: Flask):
    """login_as("PK") or login_as("pk2"): a new signed-in Session."""

    def _login(who: str) -> Session:
        client = app.test_client()
        username = ACCOUNT_OF_ROLE.get(who, who)
        response = sign_in(client, username)
        assert response.request.path == "/", f"login of {username} failed"
        return Session(client)

    return _login


@pytest.fixture()
def db_session(app: Flask):
    """The SQLAlchemy session inside an app context."""
    from app.extensions import db

    with app.app_context():
        yield db.session
        db.session.rollback()


def indonesian(msgid: str, **params: object) -> str:
    """The catalogue's Indonesian for a source string; fails if it is untranslated."""
    from babel.support import Translations

    catalogue = Translations.load(str(Path(__file__).resolve().parent.parent / "translations"), ["id"])
    assert msgid in catalogue._catalog, f"untranslated: {msgid}"  # (a few words are the same, e.g. BATAKO)
    text_id = catalogue.gettext(msgid)
    return text_id % params if params else text_id


def expected(message: Any, **params: object) -> str:
    """The Indonesian a refusal shows: of a source string, or of a date window's rule
    (app.forms.ranges.Window, whose refusal quotes its rule)."""
    rule = getattr(message, "rule", None)
    if rule is not None:
        return indonesian(rule._args[0], **rule._kwargs)
    return indonesian(message, **params)


@pytest.fixture()
def clock():
    """Freeze the app's clock: clock(datetime) sets it; it runs again after the test."""
    from app import timeutil

    yield timeutil.freeze
    timeutil.freeze(None)


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# CI sets this (.ci/run): there a browser test that does not run is a failure, not a skip.
REQUIRE_BROWSER = "BAPAS_REQUIRE_BROWSER"
NO_BROWSER = (
    "no chromium found (BAPAS_CHROMIUM, /usr/bin/chromium or chromium on PATH): the browser tests "
    "are skipped. To run them, install Debian's chromium (sudo apt-get install chromium) or point "
    "BAPAS_CHROMIUM at a Chromium binary, then run make test again."
)


_SKIPPED_BROWSER_TESTS = pytest.StashKey[int]()


def chromium() -> str | None:
    """The Chromium the browser tests drive: $BAPAS_CHROMIUM, Debian's, or one on PATH."""
    for candidate in (
        os.environ.get("BAPAS_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without a browser, skip the browser tests with the reason (and fail where CI requires them)."""
    browser_tests = [item for item in items if "browser" in item.keywords]
    if not browser_tests or chromium():
        return
    if os.environ.get(REQUIRE_BROWSER) == "1":
        raise pytest.UsageError(f"{REQUIRE_BROWSER}=1 and {NO_BROWSER}")
    for item in browser_tests:
        item.add_marker(pytest.mark.skip(reason=NO_BROWSER))
    config.stash[_SKIPPED_BROWSER_TESTS] = len(browser_tests)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """Say once, at the end, why the browser tests did not run and how to run them."""
    skipped = config.stash.get(_SKIPPED_BROWSER_TESTS, 0)
    if skipped:
        terminalreporter.write_line(f"{skipped} browser tests skipped: {NO_BROWSER}", yellow=True, bold=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Where browser tests are required, a skipped one (e.g. by a fixture) is a failure."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get(REQUIRE_BROWSER) == "1" and report.skipped and "browser" in item.keywords:
        report.outcome = "failed"
        report.longrepr = f"{REQUIRE_BROWSER}=1: a browser test must run, not be skipped ({report.longrepr})"


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict:
    """The local Chromium (Debian's); Playwright never downloads a browser here."""
    return {"executable_path": chromium(), "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    """The app served on a free localhost port for the duration of the run."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
