"""Shared view machinery: the scoped data interface and the base model view."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from flask import abort, flash, request
from flask_appbuilder import ModelView, expose
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField

from app import masking
from app.extensions import db
from app.formatting import excerpt
from app.models.clients import Client
from app.models.staff import Staff
from app.models.workflow import ServiceInstance
from app.security import scope
from app.workflow import engine


class ScopedInterface(SQLAInterface):
    """SQLAInterface that applies row scope to every query FAB runs (list, show,
    edit, delete, actions) and eager-loads the relations a list shows."""

    def __init__(self, obj: type, eager: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(obj, **kwargs)
        self.eager = eager

    def _apply_inner_all(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        return super()._apply_inner_all(scope.restrict(query, self.obj), *args, **kwargs)

    def apply_all(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        for relation in self.eager:
            query = query.options(joinedload(getattr(self.obj, relation)))
        return super().apply_all(query, *args, **kwargs)

    def _get_attr_value(self, item: Any, col: str) -> Any:
        value = super()._get_attr_value(item, col)
        if isinstance(item, ServiceInstance) and col == "subject":
            return masking.subject(item)
        return masking.masked_value(item, col, value) if isinstance(item, Client) else value

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


class InScope(BaseFilter):
    """Filter of a related record's choices (search and form drop-downs): only those in the user's
    scope, so a drop-down never lists another office's staff or a client out of reach."""

    name = "in scope"
    arg_name = "scope"

    def apply(self, query: Any, value: Any) -> Any:
        user = scope.current_staff()
        if self.model is Staff:
            return query.filter(scope.staff_clause(user))
        return scope.restrict(query, self.model, user)


def scoped_relations(view: Any) -> None:
    """Give every relation a view's search and forms offer the in-scope filter."""
    datamodel = view.datamodel
    for columns, attribute in (
        (view.search_columns, "search_form_query_rel_fields"),
        (view.add_columns, "add_form_query_rel_fields"),
        (view.edit_columns, "edit_form_query_rel_fields"),
    ):
        rel_fields = dict(getattr(view, attribute, None) or {})
        for column in columns or ():
            if datamodel.is_relation(column):
                rel_fields.setdefault(column, [["id", InScope, None]])
        setattr(view, attribute, rel_fields)


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

    def _get_list_widget(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        # A list shows the first words of a long text; the detail page (same formatters) all of it.
        widgets = super()._get_list_widget(*args, **kwargs)
        args_of_list = widgets["list"].template_args
        formatters = args_of_list["formatters_columns"]
        args_of_list["formatters_columns"] = {
            column: _excerpted(formatters.get(column)) for column in self.list_columns
        }
        return widgets

    def _init_forms(self) -> None:
        scoped_relations(self)
        super()._init_forms()
        if hasattr(self.datamodel.obj, "version"):
            self.edit_form = type("EditForm", (self.edit_form,), {"version_seen": HiddenField()})

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
