"""Shared view machinery: the base model view (its data interface: app.views.interface)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from flask import abort, flash, request
from flask_appbuilder import ModelView, expose
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField

from app.extensions import db
from app.formatting import excerpt
from app.security import scope
from app.views import paging
from app.views.interface import SaveConflictError as SaveConflictError
from app.views.interface import ScopedInterface as ScopedInterface
from app.views.search import (
    scoped_relations,
)
from app.workflow import engine


def conflict_message() -> Markup:
    """The record changed after the form was opened: say so, with a link to the fresh record."""
    return Markup('{} <a href="{}">{}</a>').format(
        _("Someone else changed this record after you opened it; reload and try again."),
        request.path,
        _("Reload this record"),
    )


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
