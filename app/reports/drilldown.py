"""The rows behind a figure: the same condition and filters as the count, scoped, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload

from app.extensions import db
from app.models.staff import Staff
from app.reports.performance import (
    INSTANCE_KINDS,
    SI,
    SR,
    Filters,
    condition,
    instance_filters,
    step_filters,
)

PER_PAGE = 50
SORTS = {"waiting": SR.waiting_seconds, "handling": SR.handling_seconds, "lead": SR.lead_seconds}


@dataclass(frozen=True)
class Page:
    """One page of a drill-down: instances (with their latest step) or step records."""

    kind: str
    rows: list[Any]
    total: int
    page: int
    pages: int
    of_steps: bool


def drill(f: Filters, user: Staff | None, kind: str, page: int = 1, sort: str | None = None) -> Page:
    """The instances or steps counted by one figure, newest first (or longest first with `sort`)."""
    of_steps = kind not in INSTANCE_KINDS
    if of_steps:
        where = [condition(kind, f), *step_filters(f, user)]
        count_stmt = select(func.count()).select_from(SR).join(SR.instance).where(*where)
        order = (SORTS[sort].desc(), SR.id) if sort in SORTS else (SR.ready_at.desc(), SR.id.desc())
        stmt = (
            select(SR)
            .join(SR.instance)
            .options(
                contains_eager(SR.instance).options(
                    joinedload(SI.officer), joinedload(SI.office), joinedload(SI.client)
                ),
                joinedload(SR.finished_by),
            )
            .where(*where)
            .order_by(*order)
        )
    else:
        where = [condition(kind, f), *instance_filters(f, user)]
        count_stmt = select(func.count()).select_from(SI).where(*where)
        latest = select(func.max(SR.id)).where(SR.instance_id == SI.id).scalar_subquery()
        stmt = (
            select(SI, latest.label("latest_step"))
            .options(joinedload(SI.officer), joinedload(SI.office), joinedload(SI.client))
            .where(*where)
            .order_by(SI.started_at.desc(), SI.id.desc())
        )
    total = db.session.scalar(count_stmt) or 0
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    stmt = stmt.limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    rows = list(db.session.scalars(stmt)) if of_steps else list(db.session.execute(stmt).all())
    return Page(kind, rows, total, page, pages, of_steps)
