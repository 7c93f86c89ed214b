"""X-SQL-Count: the number of SQL statements a request ran, for the benchmark (off by default)."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, has_request_context
from sqlalchemy import event

from app.extensions import db


def _count(*_args: Any) -> None:
    if has_request_context():
        g._bapas_sql_count = g.get("_bapas_sql_count", 0) + 1


def _header(response: Any) -> Any:
    response.headers["X-SQL-Count"] = str(g.get("_bapas_sql_count", 0))
    return response


def install(app: Flask) -> None:
    """When BAPAS_SQL_COUNT_HEADER is set, count each request's statements and send the count.

    Call it before other after_request hooks are registered: Flask runs them in reverse order, so
    the header is set last, after any statement another hook runs.
    """
    if not app.config.get("BAPAS_SQL_COUNT_HEADER"):
        return
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", _count)
    app.after_request(_header)
