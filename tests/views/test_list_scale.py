"""Lists at national scale: keyset pages, capped counts, prefix search, lean statements (app.views.paging)."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from sqlalchemy import event, select

from app.models.clients import Client
from app.models.staff import Staff
from app.views import paging
from tests.conftest import indonesian

PREFIX = "KS-"
NAMES = ["Tie Sama", "Tie Sama", "Tie Sama", "Tie Beda", "Tie Beda", "Ujang", "Asep", "Tie Sama", "Zaenal"]
ENDS = [
    date(2027, 1, 1),
    None,
    date(2027, 1, 1),
    None,
    date(2026, 5, 1),
    date(2027, 1, 1),
    None,
    None,
    date(2026, 5, 1),
]
SHOW = re.compile(r'href="/clientview/show/(\d+)')


@pytest.fixture(scope="module")
def tied_clients(app) -> list[Client]:
    """Nine clients of one office with tied names and end dates, and NULL end dates."""
    from app.extensions import db

    with app.app_context():
        officer = db.session.scalar(select(Staff).where(Staff.username == "pk2"))
        for n, (name, end) in enumerate(zip(NAMES, ENDS, strict=True)):
            # Register numbers run against the ids, so no sort can pass by following the ids.
            number = f"{PREFIX}{9 - n:02d}/2026"
            if db.session.scalar(select(Client.id).where(Client.register_number == number)) is None:
                db.session.add(
                    Client(
                        register_number=number,
                        name=name,
                        sex="L",
                        address="Jl. Uji",
                        category="dewasa",
                        legal_basis="PB",
                        supervision_end=end,
                        officer=officer,
                        office_id=officer.office_id,
                    )
                )
        db.session.commit()
        rows = db.session.scalars(select(Client).where(Client.register_number.like(f"{PREFIX}%"))).all()
        db.session.expunge_all()
        return rows


def _expected(rows: list[Client], column: str, direction: str) -> list[int]:
    ordered = sorted(rows, key=lambda c: (getattr(c, column) is None, getattr(c, column) or "", c.id))
    ids = [c.id for c in ordered]
    return ids if direction == "asc" else ids[::-1]


def _link(html: str, kind: str) -> str | None:
    found = re.search(rf'href="([^"]*key_ClientView={kind}[^"]*)"', html)
    return unescape(found.group(1)) if found else None


@pytest.fixture()
def keyset_mode(monkeypatch):
    """Caps so small that the nine clients page by key, as a million would."""
    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    monkeypatch.setattr(paging, "OFFSET_CAP", 2)


@pytest.mark.parametrize("column", ["name", "register_number", "supervision_end"])
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_keyset_pages_return_every_row_once_in_order(login_as, tied_clients, keyset_mode, column, direction):
    session = login_as("kepala")
    expected = _expected(tied_clients, column, direction)
    base = f"/clientview/list/?_flt_0_register_number={PREFIX}&psize_ClientView=2"
    base += f"&_oc_ClientView={column}&_od_ClientView={direction}"

    forward, url = [], base
    while url:
        html = session.get(url).get_data(as_text=True)
        forward += [int(i) for i in SHOW.findall(html)]
        url = _link(html, "a")
    assert forward == expected

    backward: list[int] = []
    url = base + "&key_ClientView=last"
    while url:
        html = session.get(url).get_data(as_text=True)
        backward = [int(i) for i in SHOW.findall(html)] + backward
        url = _link(html, "b")
    # Walking back ends on a full first page, which may repeat rows of the page after it.
    assert [i for n, i in enumerate(backward) if i not in backward[:n]] == expected


def test_a_large_count_is_capped_and_said_so(login_as, tied_clients, keyset_mode):
    html = login_as("kepala").get(f"/clientview/list/?_flt_0_register_number={PREFIX}").get_data(as_text=True)
    assert indonesian("more than %(n)s", n="3") in unescape(html)


def test_a_page_too_deep_by_number_is_refused_in_indonesian(login_as, tied_clients, keyset_mode):
    response = login_as("kepala").get(f"/clientview/list/?_flt_0_register_number={PREFIX}&page_ClientView=3")
    assert response.status_code == 200
    assert "Pages this far down" not in response.get_data(as_text=True)
    assert indonesian(
        "Pages this far down are not opened by number. Use the next and last page buttons, "
        "or narrow the list with a search."
    ) in unescape(response.get_data(as_text=True))


def test_a_malformed_key_is_a_400(login_as, tied_clients):
    assert login_as("kepala").get("/clientview/list/?key_ClientView=a%21%21").status_code == 400


def test_register_numbers_are_searched_by_prefix_literally(login_as, tied_clients):
    session = login_as("kepala")
    found = SHOW.findall(session.get("/clientview/list/?_flt_0_register_number=ks-0").get_data(as_text=True))
    assert len(found) == len(NAMES)
    # A wildcard typed by the user is a character, not "anything".
    assert not SHOW.findall(
        session.get("/clientview/list/?_flt_0_register_number=K%25").get_data(as_text=True)
    )


@pytest.fixture()
def statements(app):
    """Every SQL statement the app sends while the test runs."""
    from app.extensions import db

    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, *args):
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


@pytest.mark.parametrize(
    "url",
    [
        "/clientview/list/",
        "/clientview/list/?key_ClientView=last",
        "/guidancelogview/list/",
        "/serviceinstanceview/list/",
        "/",  # Tugas Saya, with the responsible PK of each row
        "/caseload/list/",
    ],
)
def test_a_list_page_is_lean_and_never_reads_a_password_hash(login_as, tied_clients, statements, url):
    session = login_as("kepala")
    statements.clear()
    assert session.get(url).status_code == 200
    # The signed-in account itself is loaded by its id; no other statement reads a password hash.
    hashes = [s for s in statements if "password" in s and not re.search(r"WHERE ab_user\.id = \S+$", s)]
    assert not hashes, hashes
    assert len(statements) <= 8, statements
