"""List pages at national scale: counts that stay cheap and pages reached by key, never by a deep OFFSET.

Counting: `count(*)` over a scoped list of a million rows reads a million rows. A list counts at most
COUNT_CAP + 1 rows (`SELECT count(*) FROM (SELECT id … LIMIT 10001)`), which is exact when small and
bounded when large; only when the cap is reached does PostgreSQL's planner say how many there are
(EXPLAIN of the same scoped statement), shown as "about 1,000,000". The planner alone would be wrong
for small scoped lists (a PK's seven clients estimated as a few hundred), the capped count alone says
only "more than 10,000"; together they are exact where it matters and fast everywhere.

Paging: OFFSET walks every row it skips. Pages up to OFFSET_CAP rows deep keep FAB's numbered pager;
beyond that a page is reached by the key of a row (keyset, "seek"): the sort column and the primary
key as tie-breaker, `(col, id) > (:col, :id)` on an index that holds both. The last page is the first
page of the reversed order. A nullable sort column is two runs (values, then NULLs), each one
index range.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import abort, request, url_for
from flask_appbuilder.widgets import ListWidget
from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import asc, desc, func, inspect, tuple_

COUNT_CAP = 10_000
OFFSET_CAP = 10_000  # rows an OFFSET may skip
FIRST, AFTER, BEFORE, LAST = "first", "after", "before", "last"


class ApproxCount(int):
    """A row count above COUNT_CAP: the planner's estimate, shown as such ("sekitar 1.000.000")."""

    def __html__(self) -> str:
        if self <= COUNT_CAP:  # the planner guessed low: all we know is the cap was passed
            return str(Markup.escape(_("more than %(n)s", n=format_decimal(COUNT_CAP))))
        return str(Markup.escape(_("about %(n)s", n=format_decimal(_round(int(self))))))


def _round(n: int) -> int:
    """Two significant digits: 987,654 -> 990,000."""
    digits = len(str(n)) - 2
    return round(n, -digits) if digits > 0 else n


def count_rows(query: Any, key: Any) -> int:
    """Rows of a (scoped, filtered) ORM query: exact up to COUNT_CAP, else an ApproxCount."""
    session = query.session
    capped = query.order_by(None).with_entities(key).limit(COUNT_CAP + 1).subquery()
    count = session.query(func.count()).select_from(capped).scalar()
    if count <= COUNT_CAP:
        return count
    estimate = _estimate(query.order_by(None).with_entities(key))
    return ApproxCount(estimate if estimate and estimate > COUNT_CAP else COUNT_CAP)


def _estimate(query: Any) -> int | None:
    """The planner's row estimate of a query (PostgreSQL), None elsewhere."""
    connection = query.session.connection()
    if connection.dialect.name != "postgresql":
        return None
    compiled = query.statement.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    plan = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params).scalar()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


@dataclass
class Position:
    """Where a list page starts: the first or last page, a numbered page, or before/after a row."""

    kind: str = FIRST
    offset: int = 0
    key: tuple[Any, Any] | None = None


@dataclass
class Page:
    """One page of a list and how the pager links on from it."""

    count: int
    items: list[Any]
    numbered: bool
    kind: str = FIRST
    has_prev: bool = False
    has_next: bool = False
    first_key: str = ""
    last_key: str = ""
    note: str = field(default="")


def key_arg(view_name: str) -> str:
    """The address argument holding a page's key."""
    return f"key_{view_name}"


def encode(column: str, direction: str, value: Any, pk: Any) -> str:
    """A row's key as an address token, bound to the sort it belongs to."""
    if isinstance(value, date | datetime):
        value = value.isoformat()
    raw = json.dumps([column, direction, value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(token: str, column: Any, name: str, direction: str) -> tuple[Any, Any] | None:
    """The key a token holds, or None when it belongs to another sort; 400 when malformed."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        got_name, got_direction, value, pk = json.loads(raw)
        if (got_name, got_direction) != (name, direction):
            return None
        if not isinstance(pk, int) or isinstance(pk, bool):
            raise ValueError(pk)
        return _typed(column, value), pk
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        abort(400)


def _typed(column: Any, value: Any) -> Any:
    if value is None:
        return None
    kind = column.type.python_type
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    if kind is int and (not isinstance(value, int) or isinstance(value, bool)):
        raise ValueError(value)
    if kind is str and not isinstance(value, str):
        raise ValueError(value)
    return value


def position(
    view_name: str, page: int | None, page_size: int, column: Any, name: str, direction: str
) -> Position:
    """The position the address asks for: a key (after/before/last) or a numbered page."""
    token = request.args.get(key_arg(view_name), "")
    if token == LAST:
        return Position(LAST)
    if token[:1] in ("a", "b"):
        key = decode(token[1:], column, name, direction)
        if key is not None:
            return Position(AFTER if token[0] == "a" else BEFORE, key=key)
    return Position(FIRST, offset=(page or 0) * page_size)


class Seek:
    """Keyset reads of one scoped query in one sort: `(col, pk)` ascending is the canonical order,
    NULLs last; a descending sort is its exact reverse."""

    def __init__(self, query: Any, column: Any, pk: Any, direction: str) -> None:
        self.query, self.column, self.pk = query, column, pk
        self.forward = direction != "desc"
        self.nullable = bool(column.property.columns[0].nullable)

    def _runs(self, ascending: bool) -> list[tuple[bool, Any]]:
        """The runs of the canonical order read in one direction: (null run?, ordering)."""
        col, pk = self.column, self.pk
        values = (False, (asc(col), asc(pk)) if ascending else (desc(col), desc(pk)))
        nulls = (True, (asc(pk),) if ascending else (desc(pk),))
        if not self.nullable:
            return [values]
        return [values, nulls] if ascending else [nulls, values]

    def read(
        self, ascending: bool, limit: int, key: tuple[Any, Any] | None = None, offset: int = 0
    ) -> list[Any]:
        """Up to `limit` + 1 rows strictly past `key`, or from the start skipping `offset` rows."""
        if key is None and offset:
            return self.query.order_by(*self._ordering(ascending)).offset(offset).limit(limit + 1).all()
        rows: list[Any] = []
        started = key is None
        for is_null_run, ordering in self._runs(ascending):
            query = self.query
            if self.nullable:
                query = query.filter(self.column.is_(None) if is_null_run else self.column.is_not(None))
            if not started:
                if (key[0] is None) != is_null_run:
                    continue  # the key lies in the other run
                started = True
                query = query.filter(self._past(key, ascending, is_null_run))
            rows.extend(query.order_by(*ordering).limit(limit - len(rows) + 1).all())
            if len(rows) > limit:
                break
        return rows

    def _ordering(self, ascending: bool) -> tuple[Any, ...]:
        """The canonical order (NULLs last) or its reverse, as one ORDER BY."""
        if ascending:
            return asc(self.column).nulls_last(), asc(self.pk)
        return desc(self.column).nulls_first(), desc(self.pk)

    def _past(self, key: tuple[Any, Any], ascending: bool, is_null_run: bool) -> Any:
        value, pk = key
        if is_null_run:
            return self.pk > pk if ascending else self.pk < pk
        pair = tuple_(self.column, self.pk)
        return pair > tuple_(value, pk) if ascending else pair < tuple_(value, pk)


def read_page(seek: Seek, where: Position, page_size: int, count: int) -> tuple[list[Any], bool, bool]:
    """The rows of a page in display order, and whether a previous and a next page exist."""
    forward = seek.forward
    if where.kind == FIRST:
        rows = seek.read(forward, page_size, offset=where.offset)
        return rows[:page_size], where.offset > 0, len(rows) > page_size
    if where.kind == AFTER:
        rows = seek.read(forward, page_size, key=where.key)
        return rows[:page_size], True, len(rows) > page_size
    if where.kind == BEFORE:
        rows = seek.read(not forward, page_size, key=where.key)
        if len(rows) <= page_size:  # the start is reached: a full first page instead
            rows = seek.read(forward, page_size)
            return rows[:page_size], False, len(rows) > page_size
        return list(reversed(rows[:page_size])), True, True
    rows = seek.read(not forward, page_size)
    return list(reversed(rows[:page_size])), len(rows) > page_size, False


def row_key(item: Any, name: str, direction: str) -> str:
    """The address token of a row in the current sort."""
    pk = inspect(item).identity[0]
    return encode(name, direction, getattr(item, name), pk)


def list_page(
    datamodel: Any,
    filters: Any,
    order: tuple[str, str],
    page: int | None,
    page_size: int,
    view_name: str,
    options: list[Any],
) -> Page:
    """One page of a scoped list: its count, rows and pager, reading no more rows than it shows."""
    query = datamodel._apply_inner_all(datamodel.session.query(datamodel.obj), filters, aliases_mapping={})
    pk = getattr(datamodel.obj, datamodel.get_pk_name())
    name, direction = order
    column = getattr(datamodel.obj, name, None) if name else None
    if column is None or not hasattr(column, "property") or not hasattr(column.property, "columns"):
        name, direction, column = datamodel.get_pk_name(), direction or "asc", pk
    count = count_rows(query, pk)
    where = position(view_name, page, page_size, column, name, direction)
    note = ""
    if where.offset > OFFSET_CAP:
        where, note = (
            Position(FIRST),
            _(
                "Pages this far down are not opened by number. Use the next and last page buttons, "
                "or narrow the list with a search."
            ),
        )
    seek = Seek(query.options(*options), column, pk, direction)
    items, has_prev, has_next = read_page(seek, where, page_size, count)
    numbered = not isinstance(count, ApproxCount) and count <= OFFSET_CAP + page_size
    return Page(
        count=count,
        items=items,
        numbered=numbered and where.kind == FIRST,
        kind=where.kind,
        has_prev=has_prev,
        has_next=has_next,
        first_key=row_key(items[0], name, direction) if items else "",
        last_key=row_key(items[-1], name, direction) if items else "",
        note=note,
    )


def link(view_name: str, token: str | None) -> str:
    """The address of this list at another position (None: the first page), other arguments kept."""
    args = request.args.copy()
    args.pop(f"page_{view_name}", None)
    args.pop(key_arg(view_name), None)
    if token:
        args[key_arg(view_name)] = token
    return url_for(request.endpoint, **(request.view_args or {}), **args.to_dict())


class PagedListWidget(ListWidget):
    """FAB's list table with a pager that reaches any page by key (app/templates/paged_list.html)."""

    template = "paged_list.html"
