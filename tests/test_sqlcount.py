"""The benchmark's instruments in the app: the floor page and the SQL statement counter."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import text

from app import sqlcount
from app.extensions import db
from tests.conftest import indonesian


def test_the_counter_sends_each_requests_statements(tmp_path):
    app = Flask("counted")
    app.config.update(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'c.db'}", BAPAS_SQL_COUNT_HEADER=True)
    db.init_app(app)
    sqlcount.install(app)

    @app.route("/<int:n>")
    def run(n: int) -> str:
        for _ in range(n):
            db.session.execute(text("SELECT 1"))
        return "ok"

    client = app.test_client()
    assert client.get("/3").headers["X-SQL-Count"] == "3"
    assert client.get("/0").headers["X-SQL-Count"] == "0"  # per request, not accumulated


def test_the_counter_is_off_by_default(login_as):
    response = login_as("PK").get("/ping/")
    assert response.status_code == 200
    assert "X-SQL-Count" not in response.headers


def test_the_floor_page_renders_the_layout_for_every_staff_role(login_as):
    sentence = indonesian(
        "This page shows the layout only; the benchmark measures the other pages against it."
    )
    for role in ("Kepala", "Kasubsi", "PK", "TU", "Pengaduan", "Admin"):
        page = login_as(role).get("/ping/")
        assert page.status_code == 200, role
        assert sentence in page.get_data(as_text=True), role


def test_every_list_and_the_inbox_take_at_most_eight_statements(app, login_as):
    """Issue #13's ceiling: the sign-in check, its roles and office come in one statement, so a list
    spends at most 8 (account, permissions, count, estimate, rows and a few more); Kinerja 15."""
    import re

    from sqlalchemy import event

    from tests.conftest import ACCOUNT_OF_ROLE

    counted: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        counted.append(statement)

    over = {}
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        for role in ACCOUNT_OF_ROLE:
            session = login_as(role)
            home = session.get("/").get_data(as_text=True)
            for url in ["/", *sorted(set(re.findall(r'href="(/[a-z]+/list/)"', home)))]:
                counted.clear()
                assert session.get(url).status_code == 200, (role, url)
                if len(counted) > (15 if url == "/performance/list/" else 8):
                    over[(role, url)] = len(counted)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert over == {}, repr(sorted(over.items()))


def test_postgresql_runs_without_jit(app):
    """The app's PostgreSQL sessions have JIT off (it compiled for 330 ms what ran in 35 ms)."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL only")
        assert db.session.execute(text("SHOW jit")).scalar() == "off"
