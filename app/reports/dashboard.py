"""The dashboard's tables and charts, assembled from the grouped figures: the same for the page,
the XLSX export and the monthly PDF report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask_babel import lazy_gettext as _l

from app.models.staff import Staff
from app.reports import kinerja
from app.reports.kinerja import Figures
from app.reports.offices import Reach
from app.reports.performance import (
    INSTANCE_KINDS,
    NONE,
    OFFICE,
    OFFICER,
    REGION,
    SECTION,
    SERVICE,
    STEP,
    STEP_KINDS,
    Filters,
    officer_names,
)
from app.workflow.definitions import SERVICES

COUNT, SHARE, DURATION, TEXT = "count", "share", "duration", "text"
PERCENTS = (50, 90)
METRIC_LABELS = {"waiting": _l("Waiting"), "handling": _l("Handling"), "lead": _l("Lead time")}
PERCENT_LABELS = {50: _l("median"), 90: _l("90th percentile")}


@dataclass(frozen=True)
class Column:
    """A column of a figures table: a count (drills down to `key`), a share, a duration or text."""

    key: str
    label: Any
    kind: str = COUNT
    sort: str | None = None  # for durations: the drill-down lists the longest first
    drill: str = "missed"  # for shares: the figure whose rows explain the share


@dataclass
class Row:
    """One group (a service, step, section or officer) and its figures."""

    label: str
    args: dict[str, Any]
    values: dict[str, Any] = field(default_factory=dict)
    focus: dict[str, Any] | None = None  # an office or region row: the dashboard narrowed to it


@dataclass
class Table:
    """A figures table of the dashboard."""

    key: str
    title: Any
    columns: list[Column]
    rows: list[Row]


def _counts(*kinds: str) -> list[Column]:
    return [Column(k, (INSTANCE_KINDS | STEP_KINDS)[k][0]) for k in kinds]


SHARE_COLUMN = Column("share", _l("Share within standard"), SHARE)
LIMIT_SHARE_COLUMN = Column("limit_share", _l("Share of overall limits met"), SHARE, drill="limit_missed")
INSTANCE_COLUMNS = _counts("started", "finished", "open", "overdue", "limit_met", "limit_missed")
STEP_COLUMNS = [*_counts("steps_finished"), SHARE_COLUMN, *_counts("steps_open", "steps_overdue")]
DURATION_COLUMNS = [
    Column(
        f"{metric}_{p}",
        _l("%(metric)s (%(percent)s)", metric=METRIC_LABELS[metric], percent=PERCENT_LABELS[p]),
        DURATION,
        metric,
    )
    for metric in ("waiting", "handling", "lead")
    for p in PERCENTS
]


def share(values: dict[str, Any]) -> float | None:
    """Steps within their standard among the steps judged (finished with a standard), or None."""
    judged = values.get("within", 0) + values.get("missed", 0)
    return values["within"] / judged if judged else None


def limit_share(values: dict[str, Any]) -> float | None:
    """Services within their overall limit among those judged (met or missed), or None."""
    judged = values.get("limit_met", 0) + values.get("limit_missed", 0)
    return values["limit_met"] / judged if judged else None


def _merge(*figures: dict[str, int] | None) -> dict[str, Any]:
    values: dict[str, Any] = dict.fromkeys(INSTANCE_KINDS | STEP_KINDS, 0)
    for part in figures:
        values |= part or {}
    values["share"] = share(values)
    values["limit_share"] = limit_share(values)
    return values


def _service_rows(f: Filters, figures: Figures) -> list[Row]:
    instances, steps = kinerja.by(figures, False, SERVICE), kinerja.by(figures, True, SERVICE)
    codes = [c for c in SERVICES if not f.service or c == f.service]
    codes += sorted((set(instances) | set(steps)) - set(codes))
    title = {c: str(s.title) for c, s in SERVICES.items()}
    return [Row(title.get(c, c), {"service": c}, _merge(instances.get(c), steps.get(c))) for c in codes]


def _step_rows(figures: Figures) -> list[Row]:
    steps, spreads = kinerja.by(figures, True, STEP), kinerja.spreads(figures, PERCENTS)
    order = {(s, st.code): (i, j) for i, s in enumerate(SERVICES) for j, st in enumerate(SERVICES[s].steps)}
    rows = []
    for service, code in sorted(steps, key=lambda k: order.get(k, (len(order), 0))):
        declared = SERVICES.get(service)
        step = declared.steps_by_code.get(code) if declared else None
        values = _merge(steps[(service, code)])
        for metric, by_percent in spreads.get((service, code), {}).items():
            for p in PERCENTS:
                seconds = by_percent.get(p)
                values[f"{metric}_{p}"] = timedelta(seconds=seconds) if seconds is not None else None
        values["standard"] = step.standard if step else None
        title = f"{declared.title if declared else service}: {step.title if step else code}"
        rows.append(Row(title, {"service": service, "step": code}, values))
    return rows


def _section_rows(figures: Figures) -> list[Row]:
    instances, steps = kinerja.by(figures, False, SECTION), kinerja.by(figures, True, SECTION)
    keys = sorted(set(instances) | set(steps), key=lambda k: (k is None, k or ""))
    no_section = str(_l("No section"))
    return [
        Row(k or no_section, {"section": k or NONE}, _merge(instances.get(k), steps.get(k))) for k in keys
    ]


def _officer_rows(figures: Figures) -> list[Row]:
    instances, steps = kinerja.by(figures, False, OFFICER), kinerja.by(figures, True, OFFICER)
    keys = set(instances) | set(steps)
    names = officer_names(keys)
    nobody = str(_l("No officer yet"))
    rows = []
    for k in keys:
        values = _merge(instances.get(k), steps.get(k))
        rows.append(Row(names.get(k, nobody) if k else nobody, {"officer": k or NONE}, values))
    return sorted(rows, key=lambda r: (r.args["officer"] == NONE, r.label))


def _office_rows(f: Filters, figures: Figures, reach: Reach) -> list[Row]:
    """Every office in view, side by side, also those with nothing in the period."""
    instances, steps = kinerja.by(figures, False, OFFICE), kinerja.by(figures, True, OFFICE)
    return [
        Row(o.short_name, {"office": o.id}, _merge(instances.get(o.id), steps.get(o.id)), {"office": o.id})
        for o in reach.in_view(f)
    ]


def _region_rows(figures: Figures, reach: Reach) -> list[Row]:
    region_of = {office.id: office.region_id for office in reach.offices}
    instances = kinerja.by(figures, False, REGION, region_of)
    steps = kinerja.by(figures, True, REGION, region_of)
    return [
        Row(r.name, {"region": r.id}, _merge(instances.get(r.id), steps.get(r.id)), {"region": r.id})
        for r in reach.regions
    ]


COMPARISON_COLUMNS = [*INSTANCE_COLUMNS, LIMIT_SHARE_COLUMN, *STEP_COLUMNS]


def comparison(f: Filters, figures: Figures, reach: Reach | None) -> Table | None:
    """Regions side by side (national reach, none chosen), else the offices in view side by side
    (more than one), else nothing: an office's own staff never see offices."""
    if reach is None or f.office is not None:
        return None
    if reach.national and f.region is None:
        return Table(REGION, _l("Regions compared"), COMPARISON_COLUMNS, _region_rows(figures, reach))
    if len(reach.in_view(f)) > 1:
        return Table(OFFICE, _l("Offices compared"), COMPARISON_COLUMNS, _office_rows(f, figures, reach))
    return None


def tables(f: Filters, user: Staff | None, reach: Reach | None = None) -> list[Table]:
    """The figures tables: regions or offices compared (for whom oversees several), per service, per
    step, per section and per officer (the officers of one office only)."""
    figures = kinerja.compute(f, user)
    compared = comparison(f, figures, reach)
    result = [compared] if compared is not None else []
    result += [
        Table(SERVICE, _l("Per service"), [*INSTANCE_COLUMNS, *STEP_COLUMNS], _service_rows(f, figures)),
        Table(
            STEP,
            _l("Per step"),
            [Column("standard", _l("Standard"), TEXT), *STEP_COLUMNS, *DURATION_COLUMNS],
            _step_rows(figures),
        ),
        Table(SECTION, _l("Per section"), [*INSTANCE_COLUMNS, *STEP_COLUMNS], _section_rows(figures)),
    ]
    if reach is None or len(reach.in_view(f)) <= 1:
        result.append(
            Table(OFFICER, _l("Per officer"), [*INSTANCE_COLUMNS, *STEP_COLUMNS], _officer_rows(figures))
        )
    return result


def table(tables: list[Table], key: str) -> Table:
    """The table of one dimension (per service and per step are always there)."""
    return next(t for t in tables if t.key == key)


def comparison_of(tables: list[Table]) -> Table | None:
    """The regions or offices compared, if shown."""
    return next((t for t in tables if t.key in (OFFICE, REGION)), None)


def totals(service_table: Table) -> dict[str, Any]:
    """The whole period's figures: every instance and step belongs to exactly one service."""
    summed: dict[str, Any] = {}
    for row in service_table.rows:
        for key, value in row.values.items():
            if isinstance(value, int):
                summed[key] = summed.get(key, 0) + value
    summed["share"] = share(summed) if summed else None
    summed["limit_share"] = limit_share(summed) if summed else None
    return summed
