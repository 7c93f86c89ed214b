"""`/healthz` for the load balancer: does the database answer? No sign-in, nothing else told."""

from __future__ import annotations

from contextlib import suppress

from flask import Flask, Response, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db


def healthz() -> tuple[Response, int]:
    """{"database": "ok"} with 200, or {"database": "unavailable"} with 503."""
    try:
        db.session.execute(text("SELECT 1"))
        state, status = "ok", 200
    except SQLAlchemyError:
        with suppress(SQLAlchemyError):
            db.session.rollback()
        state, status = "unavailable", 503
    response = jsonify(database=state)
    response.headers["Cache-Control"] = "no-store"
    return response, status


def register(app: Flask) -> None:
    """Serve /healthz."""
    app.add_url_rule("/healthz", "healthz", healthz)
