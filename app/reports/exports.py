"""The dashboard's tables as an XLSX workbook and as the monthly PDF report for the Kanwil."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from typing import Any

from flask_babel import format_percent
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from app.formatting import fmt_date, fmt_datetime, fmt_duration, fmt_standard
from app.models.staff import Staff
from app.pdf import render_pdf
from app.reports.dashboard import DURATION, SHARE, SHARE_COLUMN, TEXT, Column, Table
from app.reports.offices import Reach
from app.reports.performance import INSTANCE_KINDS, STEP_KINDS, Filters
from app.security.roles import KASUBSI, KEPALA, PK, SECTIONED_ROLES, SEES_EVERYTHING
from app.timeutil import today_wib, utcnow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SUMMARY = (
    "started", "finished", "open", "overdue", "limit_met", "limit_missed", "steps_finished", "steps_overdue",
)  # fmt: skip


def _text_cell(cell: Any, value: str) -> None:
    """Write text that a spreadsheet must never read as a formula."""
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def cell_value(column: Column, value: Any) -> Any:
    """A figure as the spreadsheet holds it: counts as numbers, shares as fractions, durations in hours."""
    if value is None:
        return None
    if column.kind == SHARE:
        return round(value, 4)
    if column.kind == DURATION:
        return round(value / timedelta(hours=1), 2)
    if column.kind == TEXT:
        return fmt_standard(value)
    return value


def column_title(column: Column) -> str:
    """A column header; durations say their unit."""
    if column.kind != DURATION:
        return str(column.label)
    return _("%(column)s (hours)", column=column.label)


def workbook(tables: list[Table], f: Filters) -> bytes:
    """One sheet per table, with the period on top."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(str(table.title)[:31])
        _text_cell(sheet.cell(row=1, column=1), _("Period: %(start)s to %(end)s", start=fmt_date(f.start),
                                                   end=fmt_date(f.end)))  # fmt: skip
        headers = ["", *(column_title(c) for c in table.columns)]
        for index, header in enumerate(headers, start=1):
            _text_cell(sheet.cell(row=3, column=index), header)
            sheet.cell(row=3, column=index).font = Font(bold=True)
        for number, row in enumerate(table.rows, start=4):
            _text_cell(sheet.cell(row=number, column=1), row.label)
            for index, column in enumerate(table.columns, start=2):
                value = cell_value(column, row.values.get(column.key))
                target = sheet.cell(row=number, column=index)
                if isinstance(value, str):
                    _text_cell(target, value)
                else:
                    target.value = value
                    if column.kind == SHARE and value is not None:
                        target.number_format = "0.0%"
        sheet.column_dimensions["A"].width = 48
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def display(column: Column, value: Any) -> str:
    """A figure as a person reads it (page and PDF)."""
    if value is None:
        return "—"
    if column.kind == SHARE:
        return format_percent(value, "#,##0.0%")
    if column.kind == DURATION:
        return fmt_duration(value)
    if column.kind == TEXT:
        return fmt_standard(value)
    return str(value)


def _letterhead(f: Filters, reach: Reach | None) -> tuple[dict[str, Any], str | None]:
    """Whose letterhead the report of one who oversees several offices prints, and what it covers:
    one office's own, its Kanwil's for the offices of a region, the Directorate General's for all."""
    if reach is None or not reach.offices:
        return {}, None
    in_view = reach.in_view(f)
    if len(in_view) == 1:
        note = _("Office: %(office)s.", office=in_view[0].short_name) if reach.several else None
        return {"office": in_view[0]}, note
    regions = reach.regions
    region = reach.region(f.region) or (regions[0] if len(regions) == 1 and not reach.national else None)
    if region is not None:
        return {"region": region}, _("The offices of %(region)s, side by side.", region=region.name)
    return {"national": True}, _("Every office, by region.")


def report_pdf(
    tables: list[Table], totals: dict[str, Any], f: Filters, user: Staff, reach: Reach | None = None
) -> bytes:
    """The monthly performance report (laporan evaluasi kinerja) on the letterhead."""
    summary = [(key, (INSTANCE_KINDS | STEP_KINDS)[key][0]) for key in SUMMARY]
    letterhead, scope_note = _letterhead(f, reach)
    if user.role_names & set(SECTIONED_ROLES) and not user.role_names & set(SEES_EVERYTHING):
        scope_note = _("Scope: section %(section)s.", section=user.section or "—")
        if PK in user.role_names and KASUBSI not in user.role_names:
            scope_note = _("Scope: the services of %(name)s.", name=user.full_name)
    return render_pdf(
        "pdf/performance_report.html",
        letterhead.get("office"),
        region=letterhead.get("region"),
        national=letterhead.get("national", False),
        f=f,
        tables=tables,
        totals=totals,
        summary=summary,
        scope_note=scope_note,
        display=display,
        share_column=SHARE_COLUMN,
        user=user,
        signer=user if KEPALA in user.role_names else None,
        today=today_wib(),
        printed=fmt_datetime(utcnow()),
    )
