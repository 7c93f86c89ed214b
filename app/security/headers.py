"""Response headers: a Content-Security-Policy with a per-request script nonce, no stored copies of
pages that name people, and the browser's other protections."""

from __future__ import annotations

import secrets

from flask import Flask, Response, current_app, g, request

NONCE_BYTES = 16
# The BATAKO field app's service worker lives with the other scripts but controls the point pages.
SERVICE_WORKERS = {"/static/js/batako-sw.js": "/mobileserviceview/"}
# Scripts come only from this site's files and from inline blocks that carry this response's
# nonce (FAB's templates print it through `csp_nonce()`); no inline event handlers, no eval.
# Styles keep 'unsafe-inline': FAB's templates use style attributes, and a style cannot run code.
POLICY = (
    "default-src 'self'",
    "script-src 'self' 'nonce-{nonce}'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)


def csp_nonce() -> str:
    """This response's script nonce (the same for every call within one request)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(NONCE_BYTES)
    return g.csp_nonce


def content_security_policy() -> str:
    """The policy of this response, with its nonce."""
    return "; ".join(POLICY).format(nonce=csp_nonce())


def security_headers(response: Response) -> Response:
    """Add the security headers to a response (static assets are cached, all else is not)."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    # Staff pages, PDFs, downloads and the portal's status pages name people: no copy may be kept
    # by the browser or a proxy. Only static assets (fonts, scripts, styles) are cached.
    if not (request.endpoint or "").endswith("static"):
        response.headers["Cache-Control"] = "no-store"
    elif request.path in SERVICE_WORKERS:
        response.headers["Service-Worker-Allowed"] = SERVICE_WORKERS[request.path]
        response.headers["Cache-Control"] = "no-cache"  # a new version reaches the devices at once
    if current_app.config.get("HSTS_ENABLED"):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def install(app: Flask) -> None:
    """Give templates `csp_nonce()` (FAB's templates call it when defined) and set the headers."""
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(security_headers)
