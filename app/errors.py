"""Error pages in Indonesian, inside the office's layout."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, flash, g, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from app.extensions import appbuilder

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


def _page(error: HTTPException) -> tuple[str, int]:
    # CSRF is checked before FAB's own before_request has put the user on g.
    g.user = getattr(g, "user", None) or current_user
    code = error.code or 500
    title, message = MESSAGES.get(code, MESSAGES[500])
    if isinstance(error, CSRFError):
        message = _l("The form expired or was sent twice. Reload the page and try again.")
    page = render_template("error.html", title=title, message=message, appbuilder=appbuilder)
    return page, code


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
