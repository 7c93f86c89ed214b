"""Evaluasi Kinerja: the dashboard of figures per service, step, section and officer, the rows behind
each figure, its XLSX export and the monthly PDF report; and the PKs' caseload."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from flask import Response, abort, flash, g, request, url_for
from flask_appbuilder import BaseView, expose, has_access

from app.exports import attachment
from app.formatting import fmt_duration
from app.models.clients import SECTION_OF_CATEGORY
from app.reports import caseload, dashboard, exports, offices, performance
from app.reports.drilldown import SORTS, drill
from app.security.roles import CASELOAD, PERFORMANCE
from app.workflow.definitions import SERVICES

CHART_TOP_STEPS = 10


def _hours(value: Any) -> float | None:
    return round(value.total_seconds() / 3600, 2) if value is not None else None


def drill_url(f: performance.Filters, kind: str, row_args: dict | None = None, **extra: Any) -> str:
    """Link from a figure to the rows behind it."""
    # A year's dashboard links a thousand figures: the route is built once per request, not each time.
    if "_drill_base" not in g:
        g._drill_base = url_for("PerformanceView.drill")
    shown = {k: str(v) for k, v in extra.items() if v is not None}
    args = {"kind": kind, **f.args(**(row_args or {})), **shown}
    return f"{g._drill_base}?{urlencode(args)}"


def focus_url(f: performance.Filters, focus: dict[str, Any]) -> str:
    """Link from an office or region to the dashboard narrowed to it."""
    return url_for("PerformanceView.list", **f.args(**({"office": None, "region": None} | focus)))


def _percent(value: float | None) -> float | None:
    return round(100 * value, 1) if value is not None else None


def comparison_charts(
    compared: dashboard.Table, f: performance.Filters, can_drill: bool
) -> list[dict[str, Any]]:
    """The offices (or regions) side by side: shares within standard and limits met, and overdue work.
    A bar opens the rows behind it, or, for whom may not see rows, the dashboard of that office."""

    def links(kind: str) -> list[str]:
        if can_drill:
            return [drill_url(f, kind, r.args) for r in compared.rows]
        return [focus_url(f, r.focus or {}) for r in compared.rows]

    labels = [r.label for r in compared.rows]
    shares = (dashboard.SHARE_COLUMN, dashboard.LIMIT_SHARE_COLUMN)
    overdue = ("overdue", "steps_overdue")
    return [
        {
            "id": "chart-compare-shares",
            "type": "bar",
            "percent": True,
            "labels": labels,
            "datasets": [
                {"label": str(c.label), "data": [_percent(r.values.get(c.key)) for r in compared.rows]}
                for c in shares
            ],
            "links": [links(c.drill) for c in shares],
        },
        {
            "id": "chart-compare-overdue",
            "type": "bar",
            "labels": labels,
            "datasets": [
                {"label": str(performance.KINDS[k][0]), "data": [r.values.get(k, 0) for r in compared.rows]}
                for k in overdue
            ],
            "links": [links(k) for k in overdue],
        },
    ]


def charts(
    tables: list[dashboard.Table], f: performance.Filters, can_drill: bool = True
) -> list[dict[str, Any]]:
    """The charts' data, embedded as JSON in the page: labels, datasets and each bar's drill-down link
    (none for whom may not see the rows)."""
    per_service = dashboard.table(tables, performance.SERVICE)
    per_step = dashboard.table(tables, performance.STEP)
    kinds = ("started", "finished", "open", "overdue")
    labels = dict(performance.KINDS)
    instances = {
        "id": "chart-services",
        "type": "bar",
        "labels": [r.label for r in per_service.rows],
        "datasets": [
            {"label": str(labels[k][0]), "data": [r.values.get(k, 0) for r in per_service.rows]}
            for k in kinds
        ],
        "links": [[drill_url(f, k, r.args) for r in per_service.rows] for k in kinds],
    }
    compliance = {
        "id": "chart-compliance",
        "type": "bar",
        "percent": True,
        "labels": [r.label for r in per_service.rows],
        "datasets": [
            {
                "label": str(dashboard.SHARE_COLUMN.label),
                "data": [round(100 * r.values["share"], 1) if r.values.get("share") is not None else None
                         for r in per_service.rows],
            }
        ],
        "links": [[drill_url(f, "missed", r.args) for r in per_service.rows]],
    }  # fmt: skip
    slowest = sorted(
        (r for r in per_step.rows if r.values.get("lead_90") is not None),
        key=lambda r: r.values["lead_90"],
        reverse=True,
    )[:CHART_TOP_STEPS]
    piles = {
        "id": "chart-steps",
        "type": "bar",
        "horizontal": True,
        "labels": [r.label for r in slowest],
        "datasets": [
            {"label": str(column.label), "data": [_hours(r.values.get(column.key)) for r in slowest]}
            for column in dashboard.DURATION_COLUMNS
            if column.sort == "lead"
        ],
        "links": [[drill_url(f, "steps_finished", r.args, sort="lead") for r in slowest]] * 2,
    }
    if not can_drill:
        for spec in (instances, compliance, piles):
            spec["links"] = []
    return [instances, compliance, piles]


class PerformanceView(BaseView):
    """The performance dashboard, in the user's scope (Kasubsi: own section; PK: own work)."""

    route_base = "/performance"
    class_permission_name = PERFORMANCE
    base_permissions = ["can_list", "can_drill", "can_export"]
    method_permission_name = {"list": "list", "drill": "drill", "xlsx": "export", "report": "export"}
    default_view = "list"

    def _filters(self) -> tuple[performance.Filters, offices.Reach]:
        """The filters of the request, and the user's reach; an office or region out of reach is 400."""
        try:
            filters, errors = performance.parse(request.args)
        except performance.BadPlace:
            abort(400)
        reach = offices.reach(g.user)
        settled = reach.settle(filters)
        if settled is None:
            abort(400)
        for error in errors:
            flash(error, "warning")
        return settled, reach

    @expose("/list/")
    @has_access
    def list(self) -> str:
        """The figures of a period (default: the current month) with their charts."""
        f, reach = self._filters()
        tables = dashboard.tables(f, g.user, reach)
        compared = dashboard.comparison_of(tables)
        can_drill = self.appbuilder.sm.has_access("can_drill", PERFORMANCE)
        return self.render_template(
            "performance.html",
            f=f,
            reach=reach,
            tables=tables,
            compared=compared,
            totals=dashboard.totals(dashboard.table(tables, performance.SERVICE)),
            charts=charts(tables, f, can_drill)
            + (comparison_charts(compared, f, can_drill) if compared else []),
            drill_url=drill_url if can_drill else None,
            focus_url=focus_url,
            display=exports.display,
            share_column=dashboard.SHARE_COLUMN,
            services=SERVICES,
            sections=sorted(SECTION_OF_CATEGORY.values()),
            can_export=self.appbuilder.sm.has_access("can_export", PERFORMANCE),
        )

    @expose("/drill/")
    @has_access
    def drill(self) -> str:
        """The instances or steps behind one figure, with the same filters, a page at a time."""
        f, reach = self._filters()
        kind = request.args.get("kind", "")
        if kind not in performance.KINDS:
            abort(404)
        sort = request.args.get("sort")
        page = drill(f, g.user, kind, request.args.get("page", 1, type=int), sort if sort in SORTS else None)
        return self.render_template(
            "performance_drill.html",
            f=f,
            result=page,
            title=performance.KINDS[kind][0],
            officer_name=performance.officer_names({f.officer}).get(f.officer) if f.officer else None,
            seconds=lambda n: fmt_duration(timedelta(seconds=n)) if n is not None else "",
            step_name=_step_name,
            page_url=lambda n: url_for(".drill", kind=kind, page=n, sort=sort, **f.args()),
            reach=reach,
        )

    @expose("/xlsx/")
    @has_access
    def xlsx(self) -> Response:
        """The dashboard's tables as a spreadsheet."""
        f, reach = self._filters()
        content = exports.workbook(dashboard.tables(f, g.user, reach), f)
        return attachment(content, exports.XLSX, f"kinerja-{f.start}-{f.end}.xlsx")

    @expose("/report/")
    @has_access
    def report(self) -> Response:
        """The monthly performance report for the Kanwil, as PDF: of one office on its letterhead, or
        of the offices compared on the Kanwil's (Ditjenpas') letterhead."""
        f, reach = self._filters()
        tables = dashboard.tables(f, g.user, reach)
        totals = dashboard.totals(dashboard.table(tables, performance.SERVICE))
        content = exports.report_pdf(tables, totals, f, g.user, reach)
        return attachment(content, "application/pdf", f"laporan-kinerja-{f.start}-{f.end}.pdf")


def _step_name(service: str, code: str) -> str:
    declared = SERVICES.get(service)
    step = declared.steps_by_code.get(code) if declared else None
    return str(step.title) if step else code


class CaseloadView(BaseView):
    """Open clients and tasks of each PK: the Kasubsi's own section when assigning work, the Kepala all."""

    route_base = "/caseload"
    class_permission_name = CASELOAD
    base_permissions = ["can_list"]
    default_view = "list"

    @expose("/list/")
    @has_access
    def list(self) -> str:
        """Each PK with open clients, open tasks, overdue tasks and instances in progress."""
        return self.render_template("caseloads.html", rows=caseload.rows(g.user))
