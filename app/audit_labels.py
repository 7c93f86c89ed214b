"""The audit trail in words: Indonesian names of tables and fields, values as a reader writes them."""

from __future__ import annotations

import ast
import json
import re
from datetime import date, datetime
from functools import cache

from flask_babel import gettext as _
from flask_babel.speaklater import LazyString

from app.audit_names import FIELD_LABELS, TABLE_LABELS
from app.formatting import fmt_date, fmt_datetime
from app.workflow.sop import DECISION_LABELS

_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def table_label(table: str) -> str:
    """The Indonesian name of an audited table (its code name if none is known)."""
    return str(TABLE_LABELS.get(table, table))


@cache
def _view_labels() -> tuple[dict[str, dict[str, LazyString]], dict[str, LazyString]]:
    """Labels the views give their columns: per table, and the first one seen of each name."""
    from app.extensions import appbuilder

    per_table: dict[str, dict[str, LazyString]] = {}
    anywhere: dict[str, LazyString] = {}
    for view in appbuilder.baseviews:
        table = getattr(getattr(getattr(view, "datamodel", None), "obj", None), "__tablename__", None)
        # Only the labels a view declares (lazy strings): FAB fills the others with English.
        labels = {
            k: v for k, v in (getattr(view, "label_columns", None) or {}).items() if isinstance(v, LazyString)
        }
        if table:
            per_table.setdefault(table, {}).update(labels)
        for key, label in labels.items():
            anywhere.setdefault(key, label)
    return per_table, anywhere


def field_label(table: str, field: str) -> str:
    """The Indonesian name of a field of an audited table."""
    per_table, anywhere = _view_labels()
    own = per_table.get(table, {})
    for labels in (own, FIELD_LABELS, anywhere):
        for key in (field, field.removesuffix("_id")):
            if key in labels:
                return str(labels[key])
    return field


@cache
def _step_titles() -> dict[str, LazyString]:
    """Each step's code with its title (the first service's, where two services share a code); the
    titles stay lazy, translated where they are shown."""
    from app.workflow.definitions import SERVICES

    titles: dict[str, LazyString] = {}
    for service in SERVICES.values():
        for step in service.steps:
            titles.setdefault(step.code, step.title)
    return titles


def show_value(value: object, field: str = "") -> str:
    """A stored value as a reader writes it: dates in words and WIB, yes/no, lists with commas."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, str):
        if field in ("outcome", "decision") and value in DECISION_LABELS:
            return str(DECISION_LABELS[value])  # a step's outcome is a code: say it in words
        if field in ("step", "current_step") and value in _step_titles():
            return str(_step_titles()[value])
        if _ISO_DATETIME.match(value):
            return fmt_datetime(datetime.fromisoformat(value.replace("Z", "+00:00")))
        if _ISO_DATE.match(value):
            return fmt_date(date.fromisoformat(value))
        if value.startswith("{") and value.endswith("}"):
            # A JSON column's value was stored as its Python text ("{'stage_ends': '2026-…'}").
            try:
                return show_value(ast.literal_eval(value), field)
            except (ValueError, SyntaxError):
                return value
        return value
    if isinstance(value, list):
        return ", ".join(show_value(item, field) for item in value) or "—"
    if isinstance(value, dict):
        return "; ".join(
            f"{field_label('', str(key))}: {show_value(item, str(key))}" for key, item in value.items()
        )
    return json.dumps(value, ensure_ascii=False)


def _old_new(value: object) -> tuple[object, object]:
    # Row changes are [old, new]; an event (a password reset, a check) holds plain values.
    return (value[0], value[1]) if isinstance(value, list) and len(value) == 2 else (None, value)


def changed_fields(table: str, changes: dict) -> list[tuple[str, str, str]]:
    """(field, old, new) in words for each change of an audit row, in the order of the labels."""
    rows = []
    for field, value in changes.items():
        old, new = _old_new(value)
        rows.append((field_label(table, field), show_value(old, field), show_value(new, field)))
    return sorted(rows)
