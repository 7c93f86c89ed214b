"""Shared view machinery: the scoped data interface and the base model view."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from flask import flash, request
from flask_appbuilder import ModelView
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, inspect
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField

from app.extensions import db
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

    def query_count(self, query: Any, filters: Any = None, select_columns: Any = None) -> int:
        # A plain count instead of FAB's count over a subquery of the whole select. It counts the
        # primary key, so the table stays in FROM even when the scope adds no condition (Kepala).
        counted = self._apply_inner_all(query, filters, aliases_mapping={})
        key = inspect(self.obj).primary_key[0]
        return counted.order_by(None).with_entities(func.count(key)).scalar()


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


class BapasModelView(ModelView):
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

    def _init_forms(self) -> None:
        super()._init_forms()
        if hasattr(self.datamodel.obj, "version"):
            self.edit_form = type("EditForm", (self.edit_form,), {"version_seen": HiddenField()})

    def prefill_form(self, form: Any, pk: Any) -> None:
        item = self.datamodel.get(pk)
        if item is not None and "version_seen" in form:
            form.version_seen.data = item.version

    def pre_update(self, item: Any) -> None:
        if not hasattr(item, "version"):
            return
        seen = request.form.get("version_seen", "")
        if seen != str(item.version):
            self.datamodel.session.rollback()
            raise ConcurrentEditError


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
