"""Search filters and choices that use the indexes of a list at national scale (migration l_lists): numbers by
prefix (a btree on upper(column) text_pattern_ops), names by FAB's ILIKE filters (trigram index)."""

from __future__ import annotations

import re
from typing import Any

from flask import request
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.filters import FilterEqual, SQLAFilterConverter, get_field_setup_query
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlalchemy.orm import load_only

from app.models.clients import Client
from app.models.staff import Staff
from app.params import record_id
from app.security import scope

# Number columns searched by their beginning: a register number, a NIK.
PREFIX_COLUMNS = frozenset({"register_number", "nik"})


def prefix_pattern(value: str) -> str:
    """A LIKE pattern matching values that begin with `value` (its own % and _ taken literally)."""
    escaped = value.strip().upper().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


class FilterPrefix(FilterEqual):
    """'Starts with' on a number: `upper(column) LIKE 'VALUE%'`, which the prefix index serves."""

    name = _l("Starts with")
    arg_name = "pre"

    def apply(self, query: Any, value: Any) -> Any:
        query, field = get_field_setup_query(query, self.model, self.column_name)
        return query.filter(func.upper(field).like(prefix_pattern(str(value or "")), escape="\\"))


class IndexedFilterConverter(SQLAFilterConverter):
    """FAB's filters, numbers searched only by prefix or whole."""

    conversion_table = (
        ("is_prefix_searched", [FilterPrefix, FilterEqual]),
        *SQLAFilterConverter.conversion_table,
    )


# What names a related record in a list (its __repr__, and the masking of a child's name).
NAMED_BY: dict[type, tuple[Any, ...]] = {
    Staff: (Staff.first_name, Staff.last_name),
    Client: (Client.register_number, Client.name, Client.category),
}


class InScope(BaseFilter):
    """Filter of a related record's choices (search and form drop-downs): only those in the user's
    scope, so a drop-down never lists another office's staff or a client out of reach."""

    name = "in scope"
    arg_name = "scope"

    def apply(self, query: Any, value: Any) -> Any:
        user = scope.current_staff()
        if self.model is Staff:  # a colleague is named by name: never load the password hash
            return query.filter(scope.staff_clause(user)).options(load_only(*NAMED_BY[Staff]))
        return scope.restrict(query, self.model, user)


class ChosenInAddress(InScope):
    """Search choices of a relation too large for a drop-down (a million clients): only the records
    the address already filters on (e.g. from a client's page), within scope."""

    name = "chosen in address"
    arg_name = "chosen"

    @staticmethod
    def chosen(column: str) -> set[int]:
        """The ids the address filters this relation on."""
        pattern = re.compile(rf"_flt_\d+_{re.escape(column)}")
        ids = {record_id(v) for k in request.args if pattern.fullmatch(k) for v in request.args.getlist(k)}
        return {i for i in ids if i is not None}

    def apply(self, query: Any, value: Any) -> Any:
        return super().apply(query.filter(self.model.id.in_(self.chosen(value))), value)


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
                chosen = attribute.startswith("search") and datamodel.get_related_model(column) is Client
                rel_fields.setdefault(
                    column, [["id", ChosenInAddress, column] if chosen else ["id", InScope, None]]
                )
        setattr(view, attribute, rel_fields)
