"""Every list of an office's records opens on an index range: led by the office, in the list's default
order, with the id as tie-breaker (or unique without it). Without one, PostgreSQL walks the country's
rows in that order and filters the office's, which at national scale is the whole table when the
office's rows are the older ones (the audit trail took 117 ms for 26 rows, docs/performance.md)."""

from __future__ import annotations

from flask_appbuilder import ModelView
from sqlalchemy import inspect

from app.extensions import db


def _orders(app) -> list[tuple[str, str, str]]:
    """(view, table, default sort column) of every model list whose rows carry their office."""
    found = []
    for view in app.appbuilder.baseviews:
        if isinstance(view, ModelView) and getattr(view, "base_order", None):
            table = view.datamodel.obj.__table__
            if "office_id" in table.columns:
                found.append((type(view).__name__, table.name, view.base_order[0]))
    return found


def _serves(columns: list[str], unique: bool, column: str) -> bool:
    if columns[:2] != ["office_id", column]:
        return False
    return column == "id" or columns[2:3] == ["id"] or (unique and len(columns) == 2)


def test_each_office_list_has_an_index_in_its_default_order(app):
    with app.app_context():
        inspector = inspect(db.engine)
        orders = _orders(app)
        assert len(orders) >= 15, orders  # the lists are found at all
        missing = []
        for view, table, column in orders:
            keys = [(i["column_names"], bool(i["unique"])) for i in inspector.get_indexes(table)]
            keys += [(c["column_names"], True) for c in inspector.get_unique_constraints(table)]
            if not any(_serves(columns, unique, column) for columns, unique in keys):
                missing.append((view, table, column))
        assert missing == []
