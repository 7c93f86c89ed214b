"""The monthly complaint report against complaints built by hand, months counted in WIB."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from html import unescape
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import event, select

from app.models.complaints import Complaint
from app.models.staff import Staff
from app.models.workflow import FINISHED
from app.timeutil import WIB, as_utc
from app.workflow import complaint_report, complaints
from tests.conftest import indonesian

# (title, received at WIB, category, days to close or None, answered within the limit)
HAND_BUILT = [
    ("R1", datetime(2031, 1, 10, 10, 0, tzinfo=WIB), "LAYANAN", 2, True),
    ("R2", datetime(2031, 1, 31, 20, 0, tzinfo=WIB), "LAYANAN", 4, True),
    ("R3", datetime(2031, 2, 1, 3, 0, tzinfo=WIB), "LAYANAN", None, None),  # still 31 January in UTC
    ("R4", datetime(2031, 1, 15, 9, 0, tzinfo=WIB), "PERILAKU", 20, False),
    ("R5", datetime(2030, 12, 31, 23, 30, tzinfo=WIB), "LAYANAN", 1, True),  # the year before
    ("R6", datetime(2032, 1, 1, 6, 0, tzinfo=WIB), "SARANA", None, None),  # 2031 in UTC, 2032 in WIB
]

CHANNEL_OF = {"R1": "TELEPON", "R4": "MEDSOS"}


@pytest.fixture(scope="module")
def report_data(app):
    """The hand-built complaints, closed where the table says so."""
    from app.extensions import db

    with app.app_context():
        if db.session.scalar(select(Complaint.id).where(Complaint.title == "R1")):
            return
        for title, received, category, days, within in HAND_BUILT:
            fields = {"category": category, "sop": "LAIN", "title": title, "description": "Uji laporan."}
            item = complaints.submit(fields, channel=CHANNEL_OF.get(title, "SURAT"), received_at=received)
            if days is not None:
                item.instance.status = FINISHED
                item.instance.finished_at = item.closed_at = as_utc(received + timedelta(days=days))
                item.instance.limit_met = within
                item.instance.current_step = None
        db.session.commit()


def test_counts_and_times_per_month_and_category(app, report_data):
    with app.app_context():
        pengawas = app.extensions["sqlalchemy"].session.scalar(
            select(Staff).where(Staff.username == "pengawas")
        )
        rows = complaint_report.monthly(2031, pengawas)
    got = [
        (r.month, r.group, r.received, r.closed, r.still_open, r.within_limit, r.average_to_close)
        for r in rows
    ]
    assert got == [
        (date(2031, 1, 1), "LAYANAN", 2, 2, 0, 2, timedelta(days=3)),
        (date(2031, 1, 1), "PERILAKU", 1, 1, 0, 0, timedelta(days=20)),
        (date(2031, 2, 1), "LAYANAN", 1, 0, 1, 0, None),
    ]
    total = complaint_report.total(rows)
    assert (total.received, total.closed, total.within_limit) == (4, 3, 2)
    assert total.average_to_close == timedelta(days=26 / 3)


def test_the_report_page_shows_the_figures(login_as, report_data):
    page = unescape(login_as("pengaduan").get("/complaintview/report?year=2031").get_data(as_text=True))
    table = re.search(r'<table[^>]*id="complaint-report".*?</table>', page, re.S).group(0)
    cells = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in re.findall(r"<tr.*?</tr>", table, re.S)
    ]
    assert cells[1] == "Januari 2031 Layanan 2 2 0 2 3 hari"
    assert cells[2] == f"Januari 2031 {indonesian('Staff conduct')} 1 1 0 0 20 hari"
    assert cells[3] == "Februari 2031 Layanan 1 0 1 0 —"
    assert cells[4] == f"{indonesian('Total')} 4 3 1 2 8 hari 16 jam"
    empty = unescape(login_as("kepala").get("/complaintview/report?year=2029").get_data(as_text=True))
    assert indonesian("No complaints were received in this year.") in empty


def test_counts_per_month_and_channel(app, report_data):
    with app.app_context():
        pengawas = app.extensions["sqlalchemy"].session.scalar(
            select(Staff).where(Staff.username == "pengawas")
        )
        rows = complaint_report.monthly(2031, pengawas, complaint_report.CHANNEL)
    got = [(r.month, r.group, r.received, r.closed, r.within_limit) for r in rows]
    assert got == [
        (date(2031, 1, 1), "MEDSOS", 1, 1, 0),
        (date(2031, 1, 1), "SURAT", 1, 1, 1),
        (date(2031, 1, 1), "TELEPON", 1, 1, 1),
        (date(2031, 2, 1), "SURAT", 1, 0, 0),
    ]


def test_the_report_counts_both_groupings_in_one_statement(app, report_data):
    """A year's complaints are read once (per month, category and channel) for the category and the
    channel tables, which equal the separate groupings."""
    from app.extensions import db

    with app.app_context():
        pengawas = db.session.scalar(select(Staff).where(Staff.username == "pengawas"))
        statements: list[str] = []

        def count(_conn, _cursor, statement, *_args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            content = complaint_report.report(2031, pengawas)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        counted = [s for s in statements if "FROM complaint" in s]  # not the user's roles, loaded once
        assert len(counted) == 1 and "GROUP BY" in counted[0]
        assert content["rows"] == complaint_report.monthly(2031, pengawas)
        assert content["channel_rows"] == complaint_report.monthly(2031, pengawas, complaint_report.CHANNEL)
        assert [r.group for r in content["channel_rows"]] == ["MEDSOS", "SURAT", "TELEPON", "SURAT"]


def test_the_report_downloads_as_pdf_and_xlsx_with_the_channels(login_as, report_data):
    session = login_as("pengaduan")
    page = unescape(session.get("/complaintview/report?year=2031").get_data(as_text=True))
    assert 'id="complaint-channels"' in page and indonesian("Social media") in page

    pdf = session.get("/complaintview/report/pdf?year=2031")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(pdf.data)).pages).split())
    for expected in (indonesian("Per channel"), indonesian("Telephone"), indonesian("Social media"),
                     indonesian("Staff conduct"), "Januari 2031", "20 hari"):  # fmt: skip
        assert expected in text, expected

    xlsx = session.get("/complaintview/report/xlsx?year=2031")
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(BytesIO(xlsx.data), read_only=True)
    assert book.sheetnames == [indonesian("Per category"), indonesian("Per channel")]
    channels = [list(row) for row in book[indonesian("Per channel")].iter_rows(values_only=True)]
    assert channels[0][:3] == [indonesian("Month"), indonesian("Received through"), indonesian("Received")]
    assert channels[1][:4] == ["Januari 2031", indonesian("Social media"), 1, 1]
    assert channels[-1][:3] == [indonesian("Total"), None, 4]


@pytest.mark.parametrize(
    ("role", "status"),
    [("Kepala", 200), ("Pengaduan", 200), ("Pengawas", 200), ("Kasubsi", 403), ("PK", 403), ("TU", 403),
     ("Admin", 403)],
)  # fmt: skip
def test_who_reads_the_report(login_as, role, status):
    session = login_as(role)
    for url in ("/complaintview/report", "/complaintview/report/pdf", "/complaintview/report/xlsx"):
        assert session.get(url).status_code == status, url
