"""Interface language: every page a role can reach speaks Indonesian; the catalogue is complete."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import ACCOUNT_OF_ROLE

CATALOGUE = Path(__file__).resolve().parent.parent / "translations" / "id" / "LC_MESSAGES" / "messages.po"
# Source strings that are also ordinary Indonesian ("Register klien", "Status", "Data").
SAME_IN_INDONESIAN = {"Register"}
VISIBLE_ATTRS = re.compile(r'(?:placeholder|title|alt|aria-label)="([^"]*)"')


def _catalogue():
    with CATALOGUE.open("rb") as f:
        return read_po(f, locale="id")


def _english_phrases() -> list[re.Pattern]:
    """Source strings whose Indonesian differs, as whole-word patterns."""
    patterns = []
    for message in _catalogue():
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if not msgid or msgid in strings or "%" in msgid or len(msgid) < 4 or msgid in SAME_IN_INDONESIAN:
                continue
            patterns.append(re.compile(r"(?<![\w-])" + re.escape(msgid) + r"(?![\w-])"))
    return patterns


def visible_text(html: str) -> str:
    """What a person reads on the page: text nodes and the attributes shown to them."""
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    attrs = " ".join(VISIBLE_ATTRS.findall(html))
    return unescape(re.sub(r"<[^>]+>", " ", html) + " " + attrs)


def test_catalogue_is_complete():
    untranslated = [
        m.id
        for m in _catalogue()
        if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    fuzzy = [m.id for m in _catalogue() if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []


def _pages(session) -> list[str]:
    """Every menu entry of the role, plus a show, add and edit page reached from each list."""
    home = session.get("/").get_data(as_text=True)
    lists = sorted(set(re.findall(r'href="(/[a-z]+/list/)"', home)))
    # The other menu pages (overviews, forms, reports) are read too.
    menu = sorted(set(re.findall(r'class="list-group-item" href="(/[^"]+)"', home)) - set(lists))
    urls = ["/", "/users/userinfo/", "/resetmypassword/form", "/mfa/", "/mfa/enrol/", *lists, *menu]
    for url in lists:
        page = session.get(url).get_data(as_text=True)
        base = url.removesuffix("list/")
        urls += [
            u
            for u in sorted(
                set(re.findall(r'href="(' + re.escape(base) + r'(?:show|edit)/\d+)[^"]*"', page))
            )[:2]
        ]
        if f'href="{base}add' in page:
            urls.append(base + "add")
    for url in menu:
        page = session.get(url).get_data(as_text=True)
        urls += sorted(set(re.findall(r'href="(/[a-z]+/[a-z]+/\d+)"', page)))[:2]
    return urls


@pytest.mark.parametrize("role", ACCOUNT_OF_ROLE)
def test_pages_of_every_role_have_no_english(role, login_as):
    session = login_as(role)
    phrases = _english_phrases()
    problems = {}
    for url in _pages(session):
        response = session.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        text = visible_text(response.get_data(as_text=True))
        found = sorted({p.pattern for p in phrases if p.search(text)})
        if found:
            problems[url] = found
    assert problems == {}


def test_dates_read_in_indonesian(login_as, db_session):
    from sqlalchemy import select

    from app.models.clients import Client

    client = db_session.scalar(select(Client).where(Client.register_number == "BKA-001/2026"))
    page = visible_text(login_as("pk1").get(f"/clientview/show/{client.id}").get_data(as_text=True))
    months = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
    months = months.split()
    expected = f"{client.birth_date.day} {months[client.birth_date.month - 1]} {client.birth_date.year}"
    assert expected in page


@pytest.mark.parametrize(("url", "code"), [("/clientview/show/999999", 404), ("/users/list/", 403)])
def test_error_pages_speak_indonesian(login_as, url, code):
    response = login_as("pk1").get(url)
    assert response.status_code == code
    text = visible_text(response.get_data(as_text=True))
    assert not [p.pattern for p in _english_phrases() if p.search(text)]
    assert "Kembali ke Tugas Saya" in text
