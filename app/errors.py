"""Error pages in Indonesian, inside the office's layout; a page of its own when the database is down."""

from __future__ import annotations

from contextlib import suppress
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, g, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.wrappers import Response

from app.extensions import appbuilder, db

MB = 1024 * 1024

MESSAGES = {
    400: (_l("Request refused"), _l("The request could not be processed. Reload the page and try again.")),
    403: (_l("Access denied"), _l("Your role may not open this page.")),
    404: (_l("Not found"), _l("The page or record does not exist, or is outside your work area.")),
    405: (_l("Not allowed"), _l("This action cannot be done this way.")),
    413: (_l("File too large"), _l("The upload is larger than the office allows.")),
    429: (
        _l("Too many attempts"),
        _l("Too many attempts from your address. Wait a few minutes and try again."),
    ),
    500: (_l("Something went wrong"), _l("The error has been recorded. Please try again later.")),
}

# The public portal speaks to citizens, not staff.
PUBLIC_MESSAGES = {
    404: (_l("Not found"), _l("No request or page has this address. Check the receipt code and try again.")),
    429: (
        _l("Too many requests"),
        _l("Too many requests from your address. Please wait a while and try again, or contact the Bapas."),
    ),
}


# The database does not answer (down, unreachable, out of connections, the pool timed out).
UNREACHABLE = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)
UNAVAILABLE = (
    _l("Service disrupted"),
    _l("The service is disrupted at the moment. Please try again shortly."),
)
RETRY_SECONDS = 30


class Refused(BadRequest):
    """A 400 that says in our own words (Indonesian) what was wrong with the request."""

    def __init__(self, message: str) -> None:
        super().__init__(description=message)


def _forget_failed_work() -> None:
    # When the connection is gone the rollback fails too; the session is thrown away at teardown.
    with suppress(SQLAlchemyError):
        db.session.rollback()


def unavailable(_error: Exception | None = None) -> tuple[str, int, dict[str, str]]:
    """The database does not answer: a page that needs none of it (no menu, no user), status 503."""
    _forget_failed_work()
    title, message = UNAVAILABLE
    # Straight from the environment: render_template's context processors would load the user.
    page = current_app.jinja_env.get_template("unavailable.html").render(title=title, message=message)
    return page, 503, {"Retry-After": str(RETRY_SECONDS), "Cache-Control": "no-store"}


def _page(error: HTTPException) -> Any:
    from app.api import handle_error, is_api_request

    if is_api_request():
        return handle_error(error)
    code = error.code or 500
    if code >= 500:  # on PostgreSQL a failed statement blocks the session until it is rolled back
        _forget_failed_work()
    public = _public()
    title, message = (PUBLIC_MESSAGES if public else {}).get(code) or MESSAGES.get(code, MESSAGES[500])
    if isinstance(error, CSRFError):
        message = _l("The form expired or was sent twice. Reload the page and try again.")
    elif isinstance(error, Refused):
        message = error.description
    try:
        # CSRF is checked before FAB's own before_request has put the user on g.
        g.user = getattr(g, "user", None) or current_user
        template = "portal/error.html" if public else "error.html"
        page = render_template(template, title=title, message=message, appbuilder=appbuilder)
    except UNREACHABLE:  # the layout reads the user and the menu from the database
        return unavailable()
    return page, code


def _public() -> bool:
    """Whether the failed request was one of the public portal's (its pages have no staff menu)."""
    from app.views.portal import portal

    return request.blueprint == portal.name or request.path.startswith(f"{portal.url_prefix}/")


def _form_page() -> str | None:
    """The page a too-large POST came from, when it can be shown again: the same address if it
    answers GET (a form posts to its own page here), else the referring page of this site."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        adapter.match(request.path, method="GET")
        return request.full_path.rstrip("?")
    except HTTPException:
        pass
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path.startswith("/"):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return None


def _too_large(error: HTTPException) -> Response | tuple[str, int]:
    """Back to the form with the reason, rather than a separate page (the browser checks the size
    before sending, see app/static/js/upload-limit.js; this is for when it could not)."""
    target = _form_page() if request.method == "POST" else None
    if target is None:
        return _page(error)
    limits = {
        "total": current_app.config["MAX_CONTENT_LENGTH"] // MB,
        "file": current_app.config["MAX_UPLOAD_BYTES"] // MB,
    }
    message = _(
        "Nothing was saved: the files sent together were larger than %(total)d MB. Choose smaller files "
        "(at most %(file)d MB each; photos are reduced automatically) and send the form again.",
        **limits,
    )
    flash(message, "danger")
    return redirect(target, code=303)


def register(app: Flask) -> None:
    """Serve every HTTP error through the Indonesian error page."""
    for code in MESSAGES:
        app.register_error_handler(code, _page)
    app.register_error_handler(413, _too_large)
    for exception in UNREACHABLE:
        app.register_error_handler(exception, unavailable)
