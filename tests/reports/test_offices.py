"""The dashboard's office and region dimension: the Kanwil compares the offices of its region, Ditjenpas
the regions and their offices (figures only); an office or region out of reach is refused."""

from __future__ import annotations

import json
import re
from html import unescape
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, select

from app.extensions import db
from app.models.offices import Office, Region
from app.models.staff import Staff
from app.reports import dashboard, kinerja, offices
from app.reports.performance import OFFICE, REGION
from tests.conftest import DEMO_PASSWORD, indonesian
from tests.reports.test_performance import PERIOD
from tests.reports.test_views import MAY_ARGS, _figures, _pdf_text

FIGURES = ("started", "finished", "open", "overdue", "limit_met", "limit_missed")


def _compared(html: str) -> dict[str, dict[str, str]]:
    """The comparison table: row label -> column key -> cell text."""
    table = re.search(r'data-table="(?:office|region)">.*?<tbody>(.*?)</tbody>', html, re.S)
    assert table, "no comparison table"
    rows = {}
    for row in re.findall(r"<tr[^>]*>\s*<th>(.*?)</th>(.*?)</tr>", table.group(1), re.S):
        label = re.sub(r"<[^>]+>", "", row[0]).strip()
        cells = dict(re.findall(r'data-column="(\w+)">(.*?)</td>', row[1], re.S))
        rows[label] = {k: re.sub(r"<[^>]+>", "", v).strip() for k, v in cells.items()}
    return rows


def _charts(html: str) -> dict[str, dict]:
    charts = json.loads(re.search(r'id="performance-charts">(.*?)</script>', html, re.S).group(1))
    return {c["id"]: c for c in charts}


def test_kanwil_sees_both_offices_side_by_side(login_as, may_2026, semarang_may):
    kanwil = login_as("kanwil.jateng")
    html = unescape(kanwil.get(f"/performance/list/?{MAY_ARGS}").get_data(as_text=True))
    rows = _compared(html)
    assert list(rows) == ["Bapas Kelas I Semarang", "Bapas Kelas II Magelang"]
    # Each office's row is what that office's own Kepala sees; the totals are the region's.
    magelang = _figures(login_as("kepala").get(f"/performance/list/?{MAY_ARGS}").get_data(as_text=True))
    semarang = _figures(login_as("kepala.smg").get(f"/performance/list/?{MAY_ARGS}").get_data(as_text=True))
    assert semarang["started"] == "2" and magelang["started"] == "6"
    for kind in FIGURES:
        assert rows["Bapas Kelas II Magelang"][kind] == magelang[kind], kind
        assert rows["Bapas Kelas I Semarang"][kind] == semarang[kind], kind
        assert int(_figures(html)[kind]) == int(magelang[kind]) + int(semarang[kind])
    assert set(rows["Bapas Kelas II Magelang"]) >= {"share", "limit_share", "overdue", "steps_overdue"}
    charts = _charts(html)
    shares = charts["chart-compare-shares"]
    assert shares["labels"] == list(rows)
    # Semarang's share within standard: S2's check took 20 minutes of 5, S1's 3.
    assert 0 < shares["datasets"][0]["data"][0] < 100
    assert rows["Bapas Kelas I Semarang"]["share"] == f"{shares['datasets'][0]['data'][0]:.1f}%".replace(
        ".", ","
    )
    assert "office=2" in shares["links"][0][0] and "kind=missed" in shares["links"][0][0]
    overdue = charts["chart-compare-overdue"]["datasets"][0]["data"]
    assert overdue == [int(semarang["overdue"]), int(magelang["overdue"])] and overdue[1] > 0
    # No officer table across offices; the office filter offers both offices.
    assert 'data-table="officer"' not in html
    choices = html.split('id="office"')[1].split("</select>")[0]
    assert re.findall(r'<option value="(\d+)"', choices) == ["2", "1"]


def test_kanwil_narrows_to_one_office_and_drills_into_it(login_as, may_2026, semarang_may):
    kanwil = login_as("kanwil.jateng")
    html = kanwil.get(f"/performance/list/?office=2&{MAY_ARGS}").get_data(as_text=True)
    assert _figures(html)["started"] == "2" and 'data-table="office"' not in html
    assert 'data-table="officer"' in html and "Lina Marlina" in html  # Semarang's PK
    drilled = unescape(
        kanwil.get(f"/performance/drill/?kind=started&office=2&{MAY_ARGS}").get_data(as_text=True)
    )
    # Semarang's child travels: the Kanwil reads the permit with the child's name as initials.
    assert "P. R.: Surakarta (uji kinerja) S1" in drilled and "Putra Ramadhan" not in drilled
    assert "Uji kinerja Mei 2026 A" not in drilled
    tasks = re.findall(r'href="(/tasks/\d+)"', drilled)
    assert len(tasks) == 2
    task = unescape(kanwil.get(tasks[0]).get_data(as_text=True))
    assert "P. R.: Surakarta" in task and "Putra Ramadhan" not in task and "3374011505110008" not in task
    assert f'action="{tasks[0]}' not in task  # read-only: no step form (only the layout's sign-out)
    assert "Putra Ramadhan" in unescape(login_as("kepala.smg").get(tasks[0]).get_data(as_text=True))
    magelang = unescape(
        kanwil.get(f"/performance/drill/?kind=started&office=1&{MAY_ARGS}").get_data(as_text=True)
    )
    assert re.search(r'id="drill-total">[^<]*\b6\b', magelang)
    assert "Bapas Kelas II Magelang" in magelang and "Surakarta" not in magelang


@pytest.mark.parametrize(
    ("who", "query"),
    [
        ("kanwil.jateng", "office=999"),
        ("kanwil.jateng", "office=abc"),
        ("kanwil.jateng", "region=2x"),
        ("kanwil.jateng", "office=99999999999999999999"),
        ("kepala", "office=2"),  # an office's own staff reach no other office
        ("kepala.smg", "office=1"),
        ("ditjenpas", "region=999"),
    ],
)
def test_an_office_or_region_out_of_reach_is_refused(login_as, who, query):
    session = login_as(who)
    for page in ("list", "xlsx", "report"):
        response = session.get(f"/performance/{page}/?{query}&{MAY_ARGS}")
        assert response.status_code == 400, (page, response.status_code)
        if page == "list":
            assert indonesian("Request refused") in response.get_data(as_text=True)


def test_the_kepala_sees_nothing_of_offices(login_as, may_2026, semarang_may):
    html = login_as("kepala").get(f"/performance/list/?office=1&{MAY_ARGS}").get_data(as_text=True)
    assert 'id="office"' not in html and 'data-table="office"' not in html
    assert _figures(html)["started"] == "6"


def _other_kanwil(db_session) -> Staff:
    """A Kanwil of East Java, with one office of its own and no record."""
    from app.extensions import appbuilder

    user = db_session.scalar(select(Staff).where(Staff.username == "kanwil.jatim"))
    if user is not None:
        return user
    region = Region(code="W15", name="Kantor Wilayah Jawa Timur")
    db_session.add(region)
    db_session.flush()
    db_session.add(
        Office(code="SBY", name="Balai Pemasyarakatan Kelas I Surabaya", short_name="Bapas Kelas I Surabaya",
               office_class="I", city="Surabaya", address="Jl. Ikan Dorang No. 2, Surabaya",
               letter_prefix="W15.PAS.PAS.10", region_id=region.id)
    )  # fmt: skip
    sm = appbuilder.sm
    user = sm.add_user(
        "kanwil.jatim", "Joko", "Pramono", "kanwil.jatim@example.go.id", sm.find_role("Kanwil"), DEMO_PASSWORD
    )
    user.region_id = region.id
    db_session.commit()
    return user


def test_a_kanwil_of_another_region_sees_nothing_of_central_java(
    login_as, db_session, may_2026, semarang_may
):
    _other_kanwil(db_session)
    jatim = login_as("kanwil.jatim")
    html = jatim.get(f"/performance/list/?{MAY_ARGS}").get_data(as_text=True)
    assert set(_figures(html).values()) == {"0"}
    # The page's own content and its charts (the footer names the office the test run works for).
    content = html.split('class="col-md-12 bapas-performance"')[1].split("</script>")[0]
    assert "Magelang" not in content and "Semarang" not in content
    for office in (1, 2):
        assert jatim.get(f"/performance/list/?office={office}&{MAY_ARGS}").status_code == 400
    assert jatim.get(f"/performance/list/?region=1&{MAY_ARGS}").status_code == 400
    drilled = jatim.get(f"/performance/drill/?kind=started&{MAY_ARGS}").get_data(as_text=True)
    assert "/tasks/" not in drilled
    listing = jatim.get("/clientview/list/?psize_ClientView=100").get_data(as_text=True)
    assert "BKA-001/2026" not in listing and "SMG-BKA-001/2026" not in listing
    for register in ("BKA-001/2026", "SMG-BKA-001/2026"):
        from app.models.clients import Client

        pk = db_session.scalar(select(Client.id).where(Client.register_number == register))
        assert jatim.get(f"/clientview/show/{pk}").status_code == 404
    may_instance = may_2026["A"]
    assert jatim.get(f"/serviceinstanceview/show/{may_instance}").status_code == 404


def test_ditjenpas_sees_regions_then_offices_and_no_row(login_as, db_session, may_2026, semarang_may):
    _other_kanwil(db_session)  # a second region, with nothing in May
    ditjenpas = login_as("ditjenpas")
    html = unescape(ditjenpas.get(f"/performance/list/?{MAY_ARGS}").get_data(as_text=True))
    rows = _compared(html)
    assert {"Kantor Wilayah Jawa Tengah", "Kantor Wilayah Jawa Timur"} <= set(rows)
    assert (
        rows["Kantor Wilayah Jawa Tengah"]["started"] == "8"
        and rows["Kantor Wilayah Jawa Timur"]["started"] == "0"
    )
    assert _figures(html)["started"] == "8"
    # Figures only: no link to any row, no officer, no subject; a region opens its offices.
    assert "/performance/drill/" not in html and "/tasks/" not in html and 'data-table="officer"' not in html
    assert "Uji kinerja" not in html
    charts = _charts(html)
    assert all("/drill/" not in link for c in charts.values() for links in c["links"] for link in links)
    region = ditjenpas.get(f"/performance/list/?region=1&{MAY_ARGS}").get_data(as_text=True)
    assert list(_compared(unescape(region))) == ["Bapas Kelas I Semarang", "Bapas Kelas II Magelang"]
    assert "/performance/drill/" not in region
    office = ditjenpas.get(f"/performance/list/?region=1&office=2&{MAY_ARGS}").get_data(as_text=True)
    assert _figures(office)["started"] == "2"
    assert ditjenpas.get(f"/performance/drill/?kind=started&{MAY_ARGS}").status_code == 403


def test_kanwil_monthly_pdf_per_office_and_for_the_region(login_as, may_2026, semarang_may):
    kanwil = login_as("kanwil.jateng")
    one = _pdf_text(kanwil.get(f"/performance/report/?office=2&{MAY_ARGS}").data)
    assert "BALAI PEMASYARAKATAN KELAS I SEMARANG" in one and "MAGELANG" not in one
    assert indonesian("Office: %(office)s.", office="Bapas Kelas I Semarang") in one
    region = _pdf_text(kanwil.get(f"/performance/report/?{MAY_ARGS}").data)
    assert "KANTOR WILAYAH JAWA TENGAH" in region and "BALAI PEMASYARAKATAN" not in region
    assert indonesian("Offices compared") in region
    assert "Bapas Kelas I Semarang" in region and "Bapas Kelas II Magelang" in region
    national = _pdf_text(login_as("ditjenpas").get(f"/performance/report/?{MAY_ARGS}").data)
    assert indonesian("Regions compared") in national and "Kantor Wilayah Jawa Tengah" in national


def test_kanwil_xlsx_has_the_offices_sheet(login_as, may_2026, semarang_may):
    book = load_workbook(BytesIO(login_as("kanwil.jateng").get(f"/performance/xlsx/?{MAY_ARGS}").data))
    assert book.sheetnames[0] == indonesian("Offices compared")
    names = [row[0] for row in book.active.iter_rows(min_row=4, values_only=True)]
    assert names == ["Bapas Kelas I Semarang", "Bapas Kelas II Magelang"]


def test_offices_compared_in_two_grouped_queries(app, may_2026, semarang_may):
    """A fixed set of grouped queries (roll-ups and the direct count), whatever the number of offices."""
    with app.app_context():
        kanwil = db.session.scalar(select(Staff).where(Staff.username == "kanwil.jateng"))
        reach = offices.reach(kanwil)
        assert kanwil.role_names == {"Kanwil"}  # roles loaded before counting
        statements: list[str] = []

        def count(_conn, _cursor, statement, *_args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            table = dashboard.comparison(PERIOD, kinerja.compute(PERIOD, kanwil), reach)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert table is not None and table.key == OFFICE and len(table.rows) == 2
        assert len(statements) == 9 and all("GROUP BY" in s for s in statements)
        national = offices.reach(db.session.scalar(select(Staff).where(Staff.username == "ditjenpas")))
        ditjen = db.session.scalar(select(Staff).where(Staff.username == "ditjenpas"))
        assert dashboard.comparison(PERIOD, kinerja.compute(PERIOD, ditjen), national).key == REGION
