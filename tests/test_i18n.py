"""Interface language: every page a role can reach speaks Indonesian; the catalogue is complete."""

from __future__ import annotations

import re
from datetime import UTC
from html import unescape
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import ACCOUNT_OF_ROLE, indonesian

CATALOGUE = Path(__file__).resolve().parent.parent / "translations" / "id" / "LC_MESSAGES" / "messages.po"
# Source strings that are also ordinary Indonesian ("Register klien", "Status", "Data").
SAME_IN_INDONESIAN = {"Register"}
VISIBLE_ATTRS = re.compile(r'(?:placeholder|title|alt|aria-label)="([^"]*)"')
# What code leaks on screen: Python's None/True/False, permission names, table or column names
# (snake_case), ISO timestamps (UTC) and dd-mm-yyyy dates instead of "28 November 2026 14.05 WIB".
CODE_ON_SCREEN = {
    "Python value": re.compile(r"(?<![\w-])(?:None|True|False)(?![\w-])"),
    "permission name": re.compile(r"(?<![\w-])(?:can_|menu_access)\w*"),
    "class name": re.compile(r"(?<![\w.-])(?!WhatsApp\b)[A-Z][a-z]+(?:[A-Z][a-z]+)+(?![\w-])"),
    # (concurrency_test: an event only tests/test_audit_chain.py records)
    "identifier": re.compile(r"(?<![\w.@/-])(?!concurrency_test\b)[a-z]+_[a-z_]+(?![\w.@/-])"),
    "ISO time": re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}"),
    "numeric date": re.compile(r"(?<![\w/-])\d{1,2}-\d{1,2}-\d{4}(?![\w/-])"),
    "numeric month": re.compile(r"(?<![\w/.-])\d{1,2}/\d{4}(?![\w/])"),
    "sign-in this office does not use": re.compile(r"\b(?:LDAP|OpenID|OID)\b"),
}


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
    # <code> holds what a person copies (a token's first characters), not words to translate.
    html = re.sub(r"(?is)<(script|style|code)\b.*?</\1>", " ", html)
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
        found += [f"{kind}: {m}" for kind, p in CODE_ON_SCREEN.items() for m in sorted(set(p.findall(text)))]
        if found:
            problems[url] = found
    assert not problems, "\n".join(f"{url}: {found}" for url, found in problems.items())


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


def test_one_word_for_online():
    """Service names and texts say "daring", never "online" next to it elsewhere."""
    mixed = [m.id for m in _catalogue() if m.id and re.search(r"(?i)\bonline\b", str(m.string))]
    assert mixed == []
    assert "daring" in indonesian("Online permit to travel out of town")


def test_the_user_form_offers_no_portal_role(login_as):
    """The portal's role signs no one in: the Admin is not offered it."""
    page = login_as("Admin").get("/users/add").get_data(as_text=True)
    options = re.findall(r"<option[^>]*>([^<]*)</option>", page)
    assert "Kepala" in options and "Pengawas" in options
    assert "Public" not in options


def test_every_audited_table_and_field_has_an_indonesian_name(app):
    """The audit trail names what changed in Indonesian: every audited table and each of its fields."""
    from flask_appbuilder import Model

    from app.audit_labels import field_label, table_label

    missing = []
    audited = [m for m in Model.registry.mappers if getattr(m.class_, "__audited__", False)]
    assert len(audited) > 20  # the app's models, not another registry's
    with app.test_request_context():
        for mapper in audited:
            model = mapper.class_
            if not getattr(model, "__audited__", False):
                continue
            table = model.__tablename__
            if table_label(table) == table:
                missing.append(table)
            for attr in mapper.column_attrs:
                if attr.key != "id" and field_label(table, attr.key) == attr.key:
                    missing.append(f"{table}.{attr.key}")
    assert missing == []


def test_every_date_a_service_keeps_and_every_step_reads_in_indonesian(app):
    """An instance's data (deadline_from keys) and a step's code reach the audit trail in words."""
    from app.audit_labels import field_label, show_value
    from app.workflow.definitions import SERVICES

    with app.test_request_context():
        keys = {s.limit.deadline_from for s in SERVICES.values() if s.limit and s.limit.deadline_from}
        keys |= {step.deadline_from for s in SERVICES.values() for step in s.steps if step.deadline_from}
        assert keys and [key for key in sorted(keys) if field_label("", key) == key] == []
        codes = {step.code for s in SERVICES.values() for step in s.steps}
        for field in ("step", "current_step"):  # a step record's step, an instance's current step
            assert [code for code in sorted(codes) if show_value(code, field) == code] == []


def test_a_refused_choice_is_not_repeated_into_the_message(app):
    """FAB's form template passes an error through gettext again: a "%" typed into a choice field
    must not reach that second formatting (it was a 500)."""
    from flask_babel import ngettext

    with app.test_request_context():
        message = ngettext(
            "'%(value)s' is not a valid choice for this field.",
            "'%(value)s' are not valid choices for this field.",
            1,
            value="%Â",
        )
        assert "%" not in message and message.strip()


def test_dates_read_as_babel_writes_them_in_indonesian(app):
    """fmt_date, fmt_month and fmt_datetime keep the month names (cached) and Babel's patterns."""
    from datetime import date, datetime

    from flask_babel import format_date, format_datetime

    from app.formatting import fmt_date, fmt_datetime, fmt_month

    with app.test_request_context("/"):
        for month in range(1, 13):
            day = date(2026, month, 7)
            assert fmt_date(day) == format_date(day, "d MMMM y")
            assert fmt_month(day) == format_date(day, "MMMM y")
        assert fmt_date(date(2026, 12, 3)) == "3 Desember 2026"
        late = datetime(2026, 8, 16, 17, 30, tzinfo=UTC)  # 00.30 WIB the next day
        assert (
            fmt_datetime(late)
            == format_datetime(late, "d MMMM y HH.mm") + " WIB"
            == "17 Agustus 2026 00.30 WIB"
        )
