"""A row-scope test "own column, or a member of a set", written so PostgreSQL can plan it both ways.

`x IN (SELECT …)` inside an OR is a hashed filter: quick while a page is read in date order, but a
count must then walk the table. `x = ANY(ARRAY(SELECT …))` lets the planner OR two index ranges
(a bitmap), quick for a count, but is a linear search per row as a filter. Written as both, ANDed,
each query takes the plan it is fast with; the two conditions hold for the same rows. Membership
alone (no "own" column) is the `ANY` only: the set's index range serves a page and a count alike,
and a second `IN` of the same set only made the planner probe the set once more per row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ClauseElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import Boolean


class _AnyOfArray(ColumnElement[bool]):
    """`column = ANY(ARRAY(subquery))` on PostgreSQL, `column IN (subquery)` elsewhere."""

    inherit_cache = True
    type = Boolean()
    # What the statement cache keys on, and what annotation (a relationship's `.has()`) copies.
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("subquery", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column: ColumnElement[Any], subquery: Select[Any]) -> None:
        self.column = column
        self.subquery = subquery

    @property
    def _from_objects(self) -> list[ClauseElement]:
        return self.column._from_objects


@compiles(_AnyOfArray)
def _any_of_array_default(element: _AnyOfArray, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.column.in_(element.subquery), **kw)


@compiles(_AnyOfArray, "postgresql")
def _any_of_array_postgresql(element: _AnyOfArray, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    return f"{column} = ANY(ARRAY{compiler.process(element.subquery.scalar_subquery(), **kw)})"


def own_or_member(own: ColumnElement[bool], column: ColumnElement[Any], subquery: Select[Any]) -> Any:
    """`own OR column IN subquery`, quick both as a date-ordered page's filter and as a count."""
    if own is false():  # membership alone: the set's index range serves the page and the count
        return _AnyOfArray(column, subquery)
    return and_(or_(own, _AnyOfArray(column, subquery)), or_(own, column.in_(subquery)))
