"""Median and 90th percentile of waiting, handling and lead time per step, computed by the database.

Portable on SQLite and PostgreSQL: each duration is ranked within its step with ROW_NUMBER() and
counted with COUNT() OVER the same partition; the grouped query then picks the two ranks around
the percentile's position, and the value is interpolated between them as PostgreSQL's
percentile_cont does. Only two rows per step and percentile leave the database.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select

from app.extensions import db
from app.models.staff import Staff
from app.reports.performance import SI, SR, STEP_KINDS, Filters, step_filters

METRICS = {"waiting": SR.waiting_seconds, "handling": SR.handling_seconds, "lead": SR.lead_seconds}
PERCENTS = (50, 90)


def _interpolate(low: Any, high: Any, count: int, percent: int) -> float | None:
    if low is None:
        return None
    fraction = ((count - 1) * percent % 100) / 100
    return float(low) if high is None or not fraction else float(low) + (float(high) - float(low)) * fraction


def step_percentiles(f: Filters, user: Staff | None) -> dict[tuple[str, str], dict[str, dict[int, Any]]]:
    """{(service, step): {metric: {50: s, 90: s, "n": count}}} over the steps finished in the period."""
    part = (SI.service, SR.step)
    columns = []
    for name, column in METRICS.items():
        missing = case((column.is_(None), 1), else_=0)
        columns += [
            column.label(name),
            func.row_number().over(partition_by=(*part, missing), order_by=column).label(f"{name}_rank"),
            func.count(column).over(partition_by=part).label(f"{name}_n"),
        ]
    ranked = (
        select(SI.service.label("service"), SR.step.label("step"), *columns)
        .select_from(SR)
        .join(SR.instance)
        .where(STEP_KINDS["steps_finished"][1](f), *step_filters(f, user))
        .subquery()
    )
    picks = []
    for name in METRICS:
        value, rank, n = ranked.c[name], ranked.c[f"{name}_rank"], ranked.c[f"{name}_n"]
        picks.append(func.max(n).label(f"{name}_n"))
        for percent in PERCENTS:
            position = 1 + (n - 1) * percent // 100  # integer division on both databases
            for offset, edge in ((0, "low"), (1, "high")):
                chosen = case(((rank == position + offset) & value.is_not(None), value))
                picks.append(func.max(chosen).label(f"{name}_{percent}_{edge}"))
    stmt = select(ranked.c.service, ranked.c.step, *picks).group_by(ranked.c.service, ranked.c.step)
    result: dict[tuple[str, str], dict[str, dict[int, Any]]] = {}
    for row in db.session.execute(stmt).mappings():
        figures: dict[str, Any] = {}
        for name in METRICS:
            count = int(row[f"{name}_n"] or 0)
            figures[name] = {
                p: _interpolate(row[f"{name}_{p}_low"], row[f"{name}_{p}_high"], count, p) if count else None
                for p in PERCENTS
            }
            figures[name]["n"] = count
        result[(row["service"], row["step"])] = figures
    return result
