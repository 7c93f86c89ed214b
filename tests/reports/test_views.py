"""The dashboard, drill-down, exports and caseload over HTTP, per role."""

from __future__ import annotations

import json
import re
from io import BytesIO
from urllib.parse import parse_qs, urlparse

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import event

from app.extensions import db
from app.reports.dashboard import Column, Row, Table
from app.reports.exports import workbook
from app.reports.performance import Filters
from tests.conftest import indonesian
from tests.reports.test_performance import PERIOD
from tests.test_i18n import _english_phrases, visible_text

MAY_ARGS = "start=2026-05-01&end=2026-05-31"


def _figures(html: str) -> dict[str, str]:
    """The summary cards: kind -> number."""
    return dict(re.findall(r'data-kind="(\w+)"><span class="bapas-number">(\d+)</span>', html))


def test_kepala_dashboard_shows_the_month_and_links_every_figure(login_as, may_2026):
    page = login_as("kepala").get(f"/performance/list/?{MAY_ARGS}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert _figures(html) == {
        "started": "6", "finished": "2", "open": "5", "overdue": "4", "limit_met": "1", "limit_missed": "1",
    }  # fmt: skip
    charts = json.loads(re.search(r'id="performance-charts">(.*?)</script>', html, re.S).group(1))
    assert [c["id"] for c in charts] == ["chart-services", "chart-compliance", "chart-steps"]
    services = charts[0]
    assert services["labels"][1] == indonesian("Incoming letter")
    # started: ABH, SURAT, IZIN; the services declared after them had nothing in May
    assert services["datasets"][0]["data"] == [2, 3, 1] + [0] * (len(services["labels"]) - 3)
    link = urlparse(services["links"][0][1])
    assert link.path == "/performance/drill/"
    assert parse_qs(link.query) == {
        "kind": ["started"], "service": ["SURAT"], "start": ["2026-05-01"], "end": ["2026-05-31"],
    }  # fmt: skip
    assert 'src="/static/vendor/chartjs/chart.umd.min.js"' in html
    assert not re.search(r"<script(?![^>]*(?:src=|application/json))", html)
    assert not re.search(r"\son(click|load|change)=", html)


def test_dashboard_pages_speak_indonesian(login_as, may_2026):
    session = login_as("kepala")
    phrases = _english_phrases()
    for url in (
        f"/performance/list/?{MAY_ARGS}",
        f"/performance/drill/?kind=overdue&{MAY_ARGS}",
        f"/performance/drill/?kind=missed&{MAY_ARGS}",
        "/caseload/list/",
    ):
        text = visible_text(session.get(url).get_data(as_text=True))
        assert not [p.pattern for p in phrases if p.search(text)], url


def test_kasubsi_dashboard_counts_only_its_section(login_as, may_2026):
    html = login_as("kasubsi.bkd").get(f"/performance/list/?{MAY_ARGS}").get_data(as_text=True)
    assert _figures(html)["started"] == "2" and _figures(html)["overdue"] == "0"
    html = login_as("pk1").get(f"/performance/list/?{MAY_ARGS}").get_data(as_text=True)
    assert _figures(html)["started"] == "3" and _figures(html)["overdue"] == "3"


def test_drill_down_page_links_rows_to_their_task_screen(login_as, may_2026):
    session = login_as("kepala")
    html = session.get(f"/performance/drill/?kind=overdue&{MAY_ARGS}").get_data(as_text=True)
    tasks = re.findall(r'href="(/tasks/\d+)"', html)
    assert len(tasks) == 4
    assert session.get(tasks[0]).status_code == 200
    # Another section's Kasubsi reaches none of them, in the list or by its link.
    bkd = login_as("kasubsi.bkd")
    assert "/tasks/" not in bkd.get(f"/performance/drill/?kind=overdue&{MAY_ARGS}").get_data(as_text=True)
    assert bkd.get(tasks[0]).status_code == 404
    assert session.get("/performance/drill/?kind=nonsense").status_code == 404


def test_bad_period_falls_back_with_a_message(login_as, may_2026):
    html = login_as("kepala").get("/performance/list/?start=kemarin&end=2026-05-31").get_data(as_text=True)
    assert indonesian("Not a valid date: %(value)s", value="kemarin") in html


def test_xlsx_holds_the_tables(login_as, may_2026):
    response = login_as("kepala").get(f"/performance/xlsx/?{MAY_ARGS}")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(BytesIO(response.data))
    assert book.sheetnames == [
        indonesian(t) for t in ("Per service", "Per step", "Per section", "Per officer")
    ]
    sheet = book[indonesian("Per service")]
    header = [c.value for c in sheet[3]]
    rows = {
        r[0].value: dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=4)
    }
    letters = rows[indonesian("Incoming letter")]
    assert letters[indonesian("Started")] == 3 and letters[indonesian("Finished")] == 2
    assert letters[indonesian("Share within standard")] == pytest.approx(10 / 11, abs=1e-4)
    steps = book[indonesian("Per step")]
    header = [c.value for c in steps[3]]
    dispose = next(
        r for r in steps.iter_rows(min_row=4, values_only=True) if r[0].endswith("Mendisposisikan surat")
    )
    median = header.index(indonesian("%(column)s (hours)", column=f"{indonesian('Lead time')} (median)"))
    assert dispose[median] == 16.5


def test_xlsx_never_holds_a_formula(app):
    column = Column("started", "Dimulai")
    table = Table("service", "Per layanan", [column], [Row('=HYPERLINK("http://x")', {}, {"started": 1})])
    with app.test_request_context():
        sheet = load_workbook(BytesIO(workbook([table], PERIOD))).active
    cell = sheet["A4"]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s" and cell.quotePrefix


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(BytesIO(data)).pages)


def test_monthly_report_pdf(login_as, may_2026):
    response = login_as("kepala").get(f"/performance/report/?{MAY_ARGS}")
    assert response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    assert indonesian("PERFORMANCE EVALUATION REPORT") in text
    assert "1 Mei 2026" in text and "31 Mei 2026" in text
    assert indonesian("Incoming letter") in text and "Mendisposisikan surat" in text
    assert "16 jam 30 menit" in text  # the median lead time of the SURAT dispositions
    section = login_as("kasubsi.bka").get(f"/performance/report/?{MAY_ARGS}")
    text = _pdf_text(section.data)
    assert indonesian("Scope: section %(section)s.", section="BKA") in text


def test_caseload_of_the_section(login_as, may_2026):
    bka = login_as("kasubsi.bka").get("/caseload/list/").get_data(as_text=True)
    assert "Siti Rahmawati" in bka and "Budi Hartono" not in bka
    everyone = login_as("kepala").get("/caseload/list/").get_data(as_text=True)
    assert "Siti Rahmawati" in everyone and "Budi Hartono" in everyone
    assert login_as("pk1").get("/caseload/list/").status_code == 403


def test_dashboard_runs_a_fixed_number_of_grouped_queries(app, login_as, may_2026):
    session = login_as("kepala")
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert session.get(f"/performance/list/?{MAY_ARGS}").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    figures = [s for s in statements if "step_record" in s or "service_instance" in s or "kinerja_" in s]
    # The roll-ups (3) and the direct count: what closed at the edges, the running instances' state and
    # events, the open steps, the other steps and their durations (6).
    assert len(figures) == 9
    assert all("GROUP BY" in s for s in figures)
    assert Filters  # the same filters drive the page and the queries
