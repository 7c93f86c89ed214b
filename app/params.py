"""Request arguments checked before any view reads them: the query string, and FAB's list actions.

No argument may hold a control character (PostgreSQL refuses a NUL byte: a 500 wherever an argument
reaches a query). FAB reads its list arguments (`page_<View>`, `psize_<View>`, `_oc_<View>`,
`_flt_<n>_<column>`) with bare `int()` and list indexing, and passes an unknown sort column to SQL: a
malformed address would be a 500. One hook checks them for every view FAB serves — ours and its
security views alike. Its action routes look an unknown action up as None and pass records that do
not exist to the action: both are refused here too.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, abort, current_app, request
from flask_appbuilder.baseviews import BaseCRUDView
from flask_babel import lazy_gettext as _l

from app.errors import Refused
from app.extensions import appbuilder
from app.forms.guard import has_control_characters

MAX_PAGE = 100_000
MAX_PAGE_SIZE = 100  # FAB's pager offers 25 to 100
# The patterns FAB itself matches with re.findall, i.e. anywhere in the argument's name.
PAGE = re.compile("page_(.*)")
PAGE_SIZE = re.compile("psize_(.*)")
ORDER = re.compile("_oc_(.*)")
FILTER = re.compile(r"_flt_(\d)_(.*)")
INTEGER = re.compile("-?[0-9]{1,9}")
MAX_ID = 2**31 - 1
ACTIONS = ("action", "action_post")
INVALID = _l("The address of this page holds an invalid value. Open the page again from the menu.")


def _number(value: str, low: int, high: int) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= 9 and low <= int(value) <= high


def record_id(value: str | None) -> int | None:
    """A database id typed as text (a form or address value), or None when it cannot be one."""
    return int(value) if value and _number(value, 1, MAX_ID) else None


def _views_by_name() -> dict[str, BaseCRUDView]:
    views: dict[str, BaseCRUDView] = {}
    for view in appbuilder.baseviews:
        for one in [view, *(getattr(view, "_related_views", None) or [])]:
            if isinstance(one, BaseCRUDView):
                views[one.__class__.__name__] = one
    return views


def _current_view() -> Any:
    function = current_app.view_functions.get(request.endpoint or "")
    return getattr(function, "__self__", None)


def _filter_value_ok(datamodel: Any, column: str, value: str) -> bool:
    # FAB passes these to SQL untyped: a boolean compared with text, or an integer beyond 32 bits,
    # is an error on PostgreSQL. Its own search form sends "y" for a ticked box.
    if datamodel.is_boolean(column):
        return value == "y"
    if datamodel.is_integer(column):
        return value == "" or INTEGER.fullmatch(value) is not None
    return True


def _filter_ok(view: Any, name: str, values: list[str]) -> bool:
    found = FILTER.search(name)
    if found is None or not isinstance(view, BaseCRUDView):
        return True
    index, column = int(found.group(1)), found.group(2)
    known = view._filters._all_filters.get(column)
    if known is None:  # FAB ignores a filter on a column it does not offer
        return True
    return index < len(known) and all(_filter_value_ok(view.datamodel, column, v) for v in values)


def _order_ok(name: str, values: list[str], views: dict[str, BaseCRUDView]) -> bool:
    found = ORDER.search(name)
    view = views.get(found.group(1)) if found else None
    return view is None or set(values) <= set(view.order_columns)


def _list_arguments_ok() -> bool:
    views = _views_by_name() if any(ORDER.search(name) for name in request.args) else {}
    current = _current_view()
    for name in request.args:
        values = request.args.getlist(name)
        if PAGE.search(name) and not all(_number(v, 0, MAX_PAGE) for v in values):
            return False
        if PAGE_SIZE.search(name) and not all(_number(v, 1, MAX_PAGE_SIZE) for v in values):
            return False
        if not (_order_ok(name, values, views) and _filter_ok(current, name, values)):
            return False
    return True


def _no_control_characters() -> bool:
    return not any(
        has_control_characters(name) or any(has_control_characters(v) for v in request.args.getlist(name))
        for name in request.args
    )


def check_arguments() -> None:
    """Refuse a request with control characters or list arguments FAB could not use (Indonesian 400)."""
    if not (_no_control_characters() and _list_arguments_ok()):
        raise Refused(str(INVALID))


def check_action() -> None:
    """Refuse a list action FAB would fail on: unknown (400) or on records that do not exist (404)."""
    view = _current_view()
    method = (request.endpoint or "").rsplit(".", 1)[-1]
    if method not in ACTIONS or not isinstance(view, BaseCRUDView):
        return
    args = request.view_args or {}
    name = args.get("name") if method == "action" else request.form.get("action")
    keys = [args.get("pk", "")] if method == "action" else request.form.getlist("rowid")
    if name not in view.actions:
        abort(400)
    if not appbuilder.sm.has_access(view.get_action_permission_name(name), view.class_permission_name):
        return  # FAB's own refusal, which says nothing about the records
    ids = [record_id(k) for k in keys]
    if None in ids:
        abort(400)
    if any(view.datamodel.get(i) is None for i in ids):
        abort(404)


def register(app: Flask) -> None:
    """Check the query string of every request before its view runs."""
    app.before_request(check_arguments)
    app.before_request(check_action)
