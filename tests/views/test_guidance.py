"""Guidance logs on screen and in exports: bad input, confidential notes, a child's identity masked,
the supervision overview."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from html import unescape

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.forms.ranges import HELD
from app.models.clients import Client
from app.models.guidance import GuidanceLog
from app.timeutil import WIB
from tests.conftest import expected, indonesian
from tests.factories import client_with_period

TODAY = datetime(2026, 11, 24, 10, 0, tzinfo=WIB)
SECRET = "Riwayat kesehatan jiwa keluarga."
GUIDANCE_COLUMNS = (
    "Register number", "Name", "NIK", "Date of birth", "Category", "PK", "NIP of the PK", "Stage", "Date",
    "Kind of guidance", "Place", "Summary of the notes", "Next appointment",
)  # fmt: skip


@pytest.fixture(scope="module")
def clients(app):
    """A child of pk1 and an adult of pk2, under supervision since June 2026."""
    child = client_with_period(app, "BKA-900/2026", "pk1", date(2026, 6, 1), date(2027, 5, 31),
                               born=date(2012, 3, 4), card="KB-9900")  # fmt: skip
    adult = client_with_period(
        app, "BKD-900/2026", "pk2", date(2026, 6, 1), date(2026, 12, 10), card="KB-9901"
    )
    return {"child": child, "adult": adult}


def _log(session, client_id: int, **changes):
    data = {"client": client_id, "held_on": "2026-11-20", "place": "kantor", "kind": "kemandirian",
            "notes": "Latihan menjahit.", "confidential_notes": "",
            "next_appointment": "2026-11-23"}  # fmt: skip
    data.update(changes)
    return session.post_form("/guidancelogview/add", data)


def _count(db_session, client_id: int) -> int:
    db_session.rollback()
    return db_session.scalar(select(func.count()).where(GuidanceLog.client_id == client_id))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"held_on": "2026-11-25"}, HELD),
        ({"held_on": "2026-05-31"}, HELD),  # the period check: tests/test_date_ranges.py
        ({"next_appointment": "2026-11-19"}, "The next appointment comes after the session."),
        ({"notes": ""}, "This field is required."),
        ({"kind": "sihir"}, "Not a valid choice."),
    ],
)
def test_bad_guidance_input_is_refused(clients, login_as, db_session, clock, changes, message):
    clock(TODAY)
    before = _count(db_session, clients["child"])
    response = _log(login_as("pk1"), clients["child"], **changes)
    assert response.status_code == 200
    assert expected(message) in unescape(response.get_data(as_text=True))
    assert _count(db_session, clients["child"]) == before


def test_confidential_notes_reach_only_the_pk_the_kasubsi_and_the_kepala(
    clients, login_as, db_session, clock
):
    clock(TODAY)
    assert _log(login_as("pk1"), clients["child"], confidential_notes=SECRET).status_code == 302
    db_session.rollback()
    log_id = db_session.scalar(select(GuidanceLog.id).where(GuidanceLog.client_id == clients["child"]))
    for who in ("pk1", "kasubsi.bka", "kepala"):
        assert SECRET in unescape(
            login_as(who).get(f"/guidancelogview/show/{log_id}").get_data(as_text=True)
        ), who
    watcher = login_as("pengawas")
    for url in (f"/guidancelogview/show/{log_id}", f"/supervision/client/{clients['child']}"):
        page = unescape(watcher.get(url).get_data(as_text=True))
        assert SECRET not in page and indonesian("[confidential]") in page
    for who in ("pk2", "kasubsi.bkd"):
        assert login_as(who).get(f"/guidancelogview/show/{log_id}").status_code == 404
    assert login_as("tu").get(f"/guidancelogview/show/{log_id}").status_code == 403


def _export(session, dataset: str, fmt: str = "csv"):
    return session.get(f"/ekspor/unduh?dataset={dataset}&start=2026-11-01&end=2026-11-30&fmt={fmt}")


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_exports_carry_the_sdp_columns_and_mask_a_child_for_the_pengawas(
    clients, login_as, db_session, clock
):
    clock(TODAY)
    _log(login_as("pk1"), clients["child"], notes='=HYPERLINK("http://x")')
    _log(login_as("pk2"), clients["adult"], notes="Mencari kerja.")
    header = [indonesian(c) for c in GUIDANCE_COLUMNS]

    rows = _csv(_export(login_as("kasubsi.bka"), "bimbingan"))
    assert rows[0] == header
    children = [r for r in rows if r[0] == "BKA-900/2026"]
    assert {(r[1], r[3]) for r in children} == {("Klien BKA-900/2026", "2012-03-04")}
    assert any(r[11].startswith("'=HYPERLINK") for r in children)  # a formula stays text
    assert not [r for r in rows if r[0].startswith("BKD-")]

    rows = _csv(_export(login_as("pengawas"), "bimbingan"))
    child = next(r for r in rows if r[0] == "BKA-900/2026")
    assert (child[1], child[2], child[3]) == ("K. B.", "", "2012")
    adult = next(r for r in rows if r[0] == "BKD-900/2026")
    assert adult[1] == "Klien BKD-900/2026" and adult[3] == "1980-01-01"

    book = load_workbook(io.BytesIO(_export(login_as("pk2"), "bimbingan", "xlsx").data))
    sheet = list(book.active.iter_rows(values_only=True))
    registers = {r[0] for r in sheet[1:]}
    assert list(sheet[0]) == header and "BKD-900/2026" in registers  # pk2's own clients only
    assert not [r for r in registers if r.startswith("BKA-")]

    register = _csv(_export(login_as("pengawas"), "register"))
    assert next(r for r in register if r[0] == "BKA-900/2026")[1] == "K. B."
    bad = login_as("pk1").get("/ekspor/unduh?dataset=bimbingan&start=2026-11-30&end=2026-11-01&fmt=csv")
    assert indonesian("The end of the period is before its start.") in unescape(bad.get_data(as_text=True))
    assert login_as("tu").get("/ekspor/").status_code == 403


def test_the_overview_lists_missed_reporting_and_ending_supervision(clients, login_as, clock):
    clock(TODAY)
    _log(login_as("pk2"), clients["adult"], next_appointment="2026-11-23")
    overview = unescape(login_as("kasubsi.bkd").get("/supervision/").get_data(as_text=True))
    ending, missed = overview.split(indonesian("Missed their reporting"), 1)
    assert "BKD-900/2026" in ending and "10 Desember 2026" in ending  # ends within 30 days
    assert "BKD-900/2026" in missed and "23 November 2026" in missed  # did not come on 23 November
    assert "BKD-900/2026" not in login_as("pk1").get("/supervision/").get_data(as_text=True)
    # Coming back clears the list.
    _log(login_as("pk2"), clients["adult"], held_on="2026-11-24", next_appointment="2026-12-01")
    overview = unescape(login_as("pk2").get("/supervision/").get_data(as_text=True))
    assert "BKD-900/2026" not in overview.split(indonesian("Missed their reporting"), 1)[1]


def test_only_the_author_corrects_a_session_and_the_reporting_date_follows(
    clients, login_as, db_session, clock
):
    clock(TODAY)
    _log(
        login_as("pk2"),
        clients["adult"],
        held_on="2026-11-24",
        next_appointment="2026-12-01",
        notes="Koreksi uji",
    )
    db_session.rollback()
    log = db_session.scalar(select(GuidanceLog).where(GuidanceLog.notes == "Koreksi uji"))
    edit = {"kind": "kemandirian", "notes": "Koreksi uji", "confidential_notes": "",
            "next_appointment": "2026-12-03", "version_seen": str(log.version)}  # fmt: skip
    url = f"/guidancelogview/edit/{log.id}"
    assert login_as("pk2").post_form(url, edit).status_code == 302
    db_session.rollback()
    assert db_session.get(Client, clients["adult"]).next_report_due == date(2026, 12, 3)
    seen = str(db_session.get(GuidanceLog, log.id).version)
    early = {**edit, "next_appointment": "2026-11-20", "version_seen": seen}
    refused = login_as("pk2").post_form(url, early, follow_redirects=True)
    assert indonesian("The next appointment comes after the session.") in unescape(
        refused.get_data(as_text=True)
    )
    db_session.rollback()
    assert db_session.get(GuidanceLog, log.id).next_appointment == date(2026, 12, 3)
