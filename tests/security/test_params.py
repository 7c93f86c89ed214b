"""Malformed list and report parameters: a 400 page in Indonesian or the default, never a 5xx."""

from __future__ import annotations

import pytest
from flask_appbuilder import ModelView

from app.extensions import appbuilder
from app.reports.performance import PERIOD_REFUSED
from tests.conftest import indonesian

REFUSED = indonesian("Request refused")
HUGE = "9" * 30


def _list_views(app) -> list[ModelView]:
    with app.app_context():
        return [view for view in appbuilder.baseviews if isinstance(view, ModelView)]


@pytest.fixture(scope="module")
def lists(app, tmp_path_factory):
    """Each list view with a signed-in session of a role that may open it."""
    from tests.conftest import Session, sign_in

    sessions = {}
    for who in ("kepala", "admin", "pk1", "tu", "pengaduan"):
        client = app.test_client()
        sign_in(client, who)
        sessions[who] = Session(client)
    found = []
    for view in _list_views(app):
        for session in sessions.values():
            if session.get(f"{view.route_base}/list/").status_code == 200:
                found.append((view, session))
                break
    unreachable = {v.route_base for v in _list_views(app)} - {v.route_base for v, _s in found}
    assert unreachable <= {"/usergroupmodelview"}, unreachable  # groups are not used: nobody may list them
    return found


def _bad_args(view: ModelView) -> list[dict[str, str]]:
    name = view.__class__.__name__
    filters = view._filters.get_search_filters()
    column = min(filters, key=lambda c: len(filters[c]), default=None)  # FAB's index is one digit
    unordered = next(c for c in view.datamodel.get_columns_list() if c not in view.order_columns)
    bad = [
        {f"psize_{name}": "abc"},
        {f"psize_{name}": HUGE},
        {f"psize_{name}": "-1"},
        {f"psize_{name}": "²"},
        {f"page_{name}": "abc"},
        {f"page_{name}": HUGE},
        {f"page_{name}": "-5"},
        {f"_oc_{name}": "nosuchcol", f"_od_{name}": "asc"},
        {f"_oc_{name}": unordered, f"_od_{name}": "desc"},
    ]
    if column and len(filters[column]) < 10:
        bad.append({f"_flt_{len(filters[column])}_{column}": "x"})
    return bad


def test_malformed_list_arguments_give_the_indonesian_400_page(lists):
    for view, session in lists:
        for args in _bad_args(view):
            response = session.get(f"{view.route_base}/list/", query_string=args)
            assert response.status_code == 400, (view.route_base, args, response.status_code)
            assert REFUSED in response.get_data(as_text=True)


def test_valid_list_arguments_still_work(lists):
    for view, session in lists:
        name = view.__class__.__name__
        args = {f"psize_{name}": "25", f"page_{name}": "0"}
        if view.order_columns:
            args |= {f"_oc_{name}": view.order_columns[0], f"_od_{name}": "desc"}
        response = session.get(f"{view.route_base}/list/", query_string=args)
        assert response.status_code == 200, (view.route_base, args)


@pytest.mark.parametrize("path", ["/performance/list/", "/performance/drill/?kind=started"])
def test_performance_officer_that_is_not_a_number_falls_back(login_as, path):
    response = login_as("kepala").get(path + ("&" if "?" in path else "?") + "officer=%C2%B2")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/performance/list/", "/performance/drill/?kind=started", "/performance/xlsx/", "/performance/report/"],
)
@pytest.mark.parametrize(
    "period",
    ["start=0001-01-01&end=9999-12-31", "start=2020-01-01&end=2026-01-01", "start=1999-12-01&end=2000-01-31"],
)
def test_performance_period_out_of_range_falls_back_to_this_month(login_as, path, period):
    response = login_as("kepala").get(path + ("&" if "?" in path else "?") + period)
    assert response.status_code == 200
    if path.startswith("/performance/list"):
        assert indonesian(str(PERIOD_REFUSED)) in response.get_data(as_text=True)


WINDOW = "a report covers the years 2000 to 2100"  # each date's own window (app.forms.ranges.PERIOD)
SPAN = "The period must lie between the years 2000 and 2100 and span at most 5 years."


@pytest.mark.parametrize(
    ("period", "reason"),
    [
        ("start=0001-01-01&end=9999-12-31", WINDOW),
        ("start=2020-01-01&end=2026-01-01", SPAN),
        ("start=2100-12-01&end=2101-01-31", WINDOW),
    ],
)  # fmt: skip
def test_export_period_out_of_range_is_refused_before_streaming(login_as, period, reason):
    response = login_as("kepala").get(f"/ekspor/unduh?dataset=bimbingan&fmt=csv&{period}")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert indonesian(reason) in response.get_data(as_text=True)


def test_export_of_a_sane_period_streams_the_csv(login_as):
    response = login_as("kepala").get(
        "/ekspor/unduh?dataset=bimbingan&fmt=csv&start=2022-01-01&end=2026-12-31"
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"


@pytest.mark.parametrize(
    ("who", "path", "value", "status"),
    [
        ("admin", "/extraholidayview/list/?_flt_0_is_holiday=", "abc", 400),
        ("admin", "/extraholidayview/list/?_flt_0_is_holiday=", "y", 200),
        ("admin", "/users/list/?_flt_0_active=", "", 400),
        ("kepala", "/incomingletterview/list/?_flt_0_agenda_year=", HUGE, 400),
        ("kepala", "/incomingletterview/list/?_flt_1_agenda_year=", "²", 400),
        ("kepala", "/incomingletterview/list/?_flt_0_agenda_year=", "2026", 200),
    ],
)
def test_filter_values_fab_cannot_type_are_refused(login_as, who, path, value, status):
    response = login_as(who).get(path + value)
    assert response.status_code == status
