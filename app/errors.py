"""Error pages in Indonesian, inside the office's layout."""

from __future__ import annotations

from flask import Flask, g, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, HTTPException

from app.extensions import appbuilder

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


class Refused(BadRequest):
    """A 400 that says in our own words (Indonesian) what was wrong with the request."""

    def __init__(self, message: str) -> None:
        super().__init__(description=message)


def _page(error: HTTPException) -> tuple[str, int]:
    # CSRF is checked before FAB's own before_request has put the user on g.
    g.user = getattr(g, "user", None) or current_user
    code = error.code or 500
    title, message = MESSAGES.get(code, MESSAGES[500])
    if isinstance(error, CSRFError):
        message = _l("The form expired or was sent twice. Reload the page and try again.")
    elif isinstance(error, Refused):
        message = error.description
    page = render_template("error.html", title=title, message=message, appbuilder=appbuilder)
    return page, code


def register(app: Flask) -> None:
    """Serve every HTTP error through the Indonesian error page."""
    for code in MESSAGES:
        app.register_error_handler(code, _page)
