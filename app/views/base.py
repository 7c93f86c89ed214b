"""Shared view machinery: the scoped data interface and the base model view."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from flask import abort, flash, request
from flask_appbuilder import ModelView, expose
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, load_only
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField

from app import masking
from app.extensions import db
from app.formatting import excerpt
from app.models.clients import Client
from app.models.workflow import ServiceInstance
from app.security import scope
from app.views import paging
from app.views.search import (
    NAMED_BY,
    PREFIX_COLUMNS,
    ChosenInAddress,
    IndexedFilterConverter,
    scoped_relations,
)
from app.workflow import engine


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


def conflict_message() -> Markup:
    """The record changed after the form was opened: say so, with a link to the fresh record."""
    return Markup('{} <a href="{}">{}</a>').format(
        _("Someone else changed this record after you opened it; reload and try again."),
        request.path,
        _("Reload this record"),
    )


class SaveConflictError(Exception):
    """A save refused by a unique constraint (a concurrent save of the same number)."""


class ConcurrentEditError(Exception):
    """The record changed after the form was opened."""

    def __str__(self) -> str:
        return conflict_message()  # FAB flashes str(error): the Markup keeps its link


class OutOfScopeError(Exception):
    """A write that would put a record outside the user's scope."""


class KnownActionsOnly:
    """FAB's action routes, refusing (400) an action the view does not have instead of failing."""

    @expose("/action/<string:name>/<pk>", methods=["GET", "POST"])
    def action(self, name: str, pk: Any) -> Any:
        """FAB's single-record action, refusing an action this view does not have."""
        if name not in self.actions:
            abort(400)
        return super().action(name, pk)

    @expose("/action_post", methods=["POST"])
    def action_post(self) -> Any:
        """FAB's list action, refusing an action this view does not have."""
        if request.form.get("action") not in self.actions:
            abort(400)
        return super().action_post()


class BapasModelView(KnownActionsOnly, ModelView):
    """Model view with optimistic locking on edit: a stale form never overwrites, and the save that
    loses a race (both forms were fresh, the other reached the database first) is told so."""

    @property
    def database_error_message(self) -> str:  # type: ignore[override]
        """What FAB flashes when a save fails, read inside its `except Exception` around the save:
        a version conflict (StaleDataError, wrapped by FAB in a DatabaseException) says so."""
        failed = sys.exc_info()[1]
        if isinstance(getattr(failed, "__cause__", None), StaleDataError):
            return conflict_message()
        return _("Database Error")

    list_widget = paging.PagedListWidget

    def _get_list_widget(  # type: ignore[override]
        self,
        filters: Any,
        actions: Any = None,
        order_column: str = "",
        order_direction: str = "",
        page: int | None = None,
        page_size: int | None = None,
        widgets: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """FAB's list widget, its page read by key or a shallow offset (app.views.paging)."""
        widgets = widgets or {}
        page_size = page_size or self.page_size
        if order_column not in self.order_columns:
            order_column, order_direction = self.base_order or ("", "")
        name = self.__class__.__name__
        result = paging.list_page(
            self.datamodel,
            filters.get_joined_filters(self._base_filters),
            (order_column, "desc" if order_direction == "desc" else "asc"),
            page,
            page_size,
            name,
            self.datamodel.list_options(self.list_columns),
        )
        if result.note:
            flash(result.note, "warning")
        widgets["list"] = self.list_widget(
            label_columns=self.label_columns,
            include_columns=self.list_columns,
            value_columns=self.datamodel.get_values(result.items, self.list_columns),
            order_columns=self.order_columns,
            # A list shows the first words of a long text; the detail page all of it.
            formatters_columns={
                column: _excerpted(self.formatters_columns.get(column)) for column in self.list_columns
            },
            page=page if result.numbered else None,
            page_size=page_size,
            count=result.count,
            pks=self.datamodel.get_keys(result.items),
            actions=actions or self.actions,
            filters=filters,
            modelview_name=name,
            pager=result,
            pager_link=lambda token: paging.link(name, token),
            **kwargs,
        )
        return widgets

    def _init_forms(self) -> None:
        scoped_relations(self)
        super()._init_forms()
        # The edited model lets a date window accept a date the record already holds (app.forms.ranges).
        extra: dict[str, Any] = {"edited_model": self.datamodel.obj}
        if hasattr(self.datamodel.obj, "version"):
            extra["version_seen"] = HiddenField()
        self.edit_form = type("EditForm", (self.edit_form,), extra)

    def prefill_form(self, form: Any, pk: Any) -> None:
        item = self.datamodel.get(pk)
        if item is not None and "version_seen" in form:
            form.version_seen.data = item.version

    def pre_add(self, item: Any) -> None:
        self.check_scope(item)

    def pre_update(self, item: Any) -> None:
        self.check_version(item)
        self.check_scope(item)

    def check_version(self, item: Any) -> None:
        """Refuse a form opened before someone else saved the record."""
        if not hasattr(item, "version"):
            return
        seen = request.form.get("version_seen", "")
        if seen != str(item.version):
            self.datamodel.session.rollback()
            raise ConcurrentEditError

    def check_scope(self, item: Any) -> None:
        """Row scope holds on writes too: the record as saved must lie within the user's scope
        (a Kasubsi cannot create or move a record into another section)."""
        session = self.datamodel.session
        session.add(item)
        try:
            session.flush()
        except StaleDataError as exc:  # someone else saved the record since this form's check
            session.rollback()
            raise ConcurrentEditError from exc
        except IntegrityError as exc:
            session.rollback()
            raise OutOfScopeError(
                _("This record conflicts with one already saved; nothing was saved.")
            ) from exc
        if not scope.allows(item):
            session.rollback()
            raise OutOfScopeError(_("This record would fall outside your work area; nothing was saved."))


def _excerpted(formatter: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    return lambda value: excerpt(formatter(value) if formatter else value)


def confidential(value: str | None) -> str:
    """A confidential note for those who may read it; a mark for everyone else."""
    if not value:
        return ""
    return value if scope.sees_confidential(scope.current_staff()) else _("[confidential]")


def run_move(work: Callable[[], Any], done: str | None = None) -> bool:
    """Run a move and commit it whole, or roll it back and say why; True when it moved."""
    try:
        work()
        engine.commit()
    except engine.MoveRefused as refused:
        db.session.rollback()
        flash(str(refused), "danger")
        return False
    if done:
        flash(done, "success")
    return True


def flash_errors(messages: list[str]) -> None:
    """Show a list of validation messages."""
    for message in messages:
        flash(message, "danger")
