"""Bapas back office: the application factory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import flask_wtf.i18n
from flask import Flask, has_request_context
from flask_babel import get_translations
from werkzeug.middleware.proxy_fix import ProxyFix

from config import CONFIGS, INSTANCE_DIR

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def _load_config(app: Flask, config: str | type | dict[str, Any] | None) -> None:
    if isinstance(config, str) or config is None:
        app.config.from_object(CONFIGS[config or os.environ.get("BAPAS_ENV", "local")])
    elif isinstance(config, dict):
        app.config.from_object(CONFIGS[config.pop("ENV", "test")])
        app.config.update(config)
    else:
        app.config.from_object(config)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set: refusing to start without one.")
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # PostgreSQL's JIT compiles a query the planner overestimates (a PK's Kinerja: 330 ms of
        # compiling for 35 ms of work); the back office's queries are short, so it only costs.
        options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
        options.setdefault("connect_args", {}).setdefault("options", "-c jit=off")


def _wtforms_speaks_our_catalogue() -> None:
    # WTForms ships no Indonesian; its built-in messages are in our catalogue instead.
    flask_wtf.i18n._get_translations = lambda: get_translations() if has_request_context() else None


def create_app(config: str | type | dict[str, Any] | None = None) -> Flask:
    """Build the app: `config` is a name from config.CONFIGS, a class or a dict of overrides."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    _load_config(app, config)
    if app.config["PROXY_COUNT"]:
        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    from app import (
        api,
        audit,
        cli,
        errors,
        formatting,
        health,
        notifications,
        offices,
        params,
        pdf,
        sqlcount,
        uploads,
    )
    from app.extensions import appbuilder, csrf, db, migrate
    from app.forms import guard
    from app.security import grants, headers, labels
    from app.views import portal, register_views
    from app.workflow import rollups, supervision

    db.init_app(app)
    sqlcount.install(app)
    csrf.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    audit.install()
    offices.install()
    grants.install()
    supervision.install()
    rollups.install()
    labels.install()
    _wtforms_speaks_our_catalogue()
    uploads.init_app(app)
    guard.install()
    notifications.install(app)
    with app.app_context():
        appbuilder.init_app(app, db.session)
        register_views(appbuilder)
        portal.register(app)
        api.register(app)
    formatting.register(app)
    errors.register(app)
    params.register(app)
    health.register(app)
    pdf.register_fonts()  # parsing the fonts takes a moment: not in the first PDF's request
    headers.install(app)
    cli.register(app)
    return app
