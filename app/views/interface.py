"""The scoped data interface of every model view: row scope on every query, the columns a list
shows loaded with it, prefix search, counts by primary key and saves that fail in Indonesian."""

from __future__ import annotations

from typing import Any

from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _
from sqlalchemy import func, inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, load_only

from app import masking
from app.models.clients import Client
from app.models.workflow import ServiceInstance
from app.security import scope
from app.views.search import (
    NAMED_BY,
    PREFIX_COLUMNS,
    ChosenInAddress,
    IndexedFilterConverter,
)


class SaveConflictError(Exception):
    """A save refused by a unique constraint (a concurrent save of the same number)."""


class ScopedInterface(SQLAInterface):
    """SQLAInterface that applies row scope to every query FAB runs (list, show,
    edit, delete, actions) and eager-loads the relations a list shows."""

    filter_converter_class = IndexedFilterConverter

    def __init__(self, obj: type, eager: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(obj, **kwargs)
        self.eager = eager

    def is_prefix_searched(self, column: str) -> bool:
        """Whether a column is a number searched by its beginning (app.views.search)."""
        return column in PREFIX_COLUMNS and self.is_string(column)

    def _apply_inner_all(self, query: Any, filters: Any = None, *args: Any, **kwargs: Any) -> Any:
        searched = [f.column_name for f in getattr(filters, "filters", None) or ()]
        return super()._apply_inner_all(
            scope.restrict(query, self.obj, searched=searched), filters, *args, **kwargs
        )

    def apply_all(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        for relation in self.eager:
            query = query.options(joinedload(getattr(self.obj, relation)))
        return super().apply_all(query, *args, **kwargs)

    def list_options(self, columns: list[str]) -> list[Any]:
        """Loader options of a list: only the columns it shows, and of each related record only what
        names it (never a user's password hash); every row when a column is computed."""
        mapper = inspect(self.obj)
        options = []
        for name in self.eager:
            relation = getattr(self.obj, name)
            related = relation.property.mapper.class_
            options.append(
                joinedload(relation).load_only(*NAMED_BY.get(related, ()), raiseload=False)
                if related in NAMED_BY
                else joinedload(relation)
            )
        plain = [c for c in columns if c in mapper.columns]
        if all(c in plain or c in self.eager for c in columns):
            needed = {
                *plain,
                *(c.key for r in self.eager for c in getattr(self.obj, r).property.local_columns),
            }
            needed |= {c.key for c in mapper.primary_key} | ({"version"} & set(mapper.columns.keys()))
            options.append(load_only(*(getattr(self.obj, c) for c in sorted(needed))))
        return options

    def _get_attr_value(self, item: Any, col: str) -> Any:
        value = super()._get_attr_value(item, col)
        if isinstance(item, ServiceInstance) and col == "subject":
            return masking.subject(item)
        return masking.masked_value(item, col, value) if isinstance(item, Client) else value

    def query(
        self,
        filters: Any = None,
        order_column: str = "",
        order_direction: str = "",
        page: Any = None,
        page_size: Any = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, list[Any]]:
        """FAB's query; without a page (a form's drop-down) the rows are their own count."""
        if page_size:
            return super().query(filters, order_column, order_direction, page, page_size, *args, **kwargs)
        if filters is not None and any(
            isinstance(f, ChosenInAddress) and not f.chosen(v)
            for f, v in zip(filters.filters, filters.values, strict=True)
        ):
            return 0, []  # nothing chosen yet: no statement at all
        query = self.apply_all(self.session.query(self.obj), filters, order_column, order_direction)
        rows = query.all()
        return len(rows), rows

    def query_count(self, query: Any, filters: Any = None, select_columns: Any = None) -> int:
        # A plain count instead of FAB's count over a subquery of the whole select. It counts the
        # primary key, so the table stays in FROM even when the scope adds no condition (Kepala).
        counted = self._apply_inner_all(query, filters, aliases_mapping={})
        key = inspect(self.obj).primary_key[0]
        return counted.order_by(None).with_entities(func.count(key)).scalar()

    def add(self, item: Any, commit: bool = True) -> Any:
        try:
            return super().add(item, commit)
        except IntegrityError as exc:
            # FAB would flash the database's own English message, with the values in it (a name,
            # a NIK): say it in Indonesian and show none of them.
            raise SaveConflictError(
                _("A record with this number was saved meanwhile; nothing was saved.")
            ) from exc
