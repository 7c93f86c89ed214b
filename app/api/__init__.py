"""The REST API for partner systems (SDP, the Kanwil, dashboards), `/api/v1/`: a bearer token of a
service account is the only way in; a browser's session cookie is ignored, so no CSRF-exempt path
is open to a signed-in browser. Reads go through the screens' row scope and masking; every call is
in the audit trail."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, g, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import HTTPException, Unauthorized

from app import audit
from app.extensions import appbuilder, csrf, db
from app.models.api import ApiToken, hash_token
from app.timeutil import utcnow

PREFIX = "/api/v1"
bp = Blueprint("api_v1", __name__, url_prefix=PREFIX)


class ApiError(HTTPException):
    """An API error with its own Indonesian message."""

    def __init__(self, code: int, message: str, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(description=message)
        self.code = code
        self.fields = fields or {}


def json_error(code: int, message: str, fields: dict[str, list[str]] | None = None) -> tuple[Response, int]:
    """The API's error body: {"error": {"code": …, "message": …, "fields": {…}}} in Indonesian."""
    response = jsonify(error={"code": code, "message": message, "fields": fields or {}})
    if code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="bapas"'
    return response, code


def _token() -> ApiToken:
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthorized(_("Send the service account's token as 'Authorization: Bearer <token>'."))
    stmt = (
        select(ApiToken)
        .options(joinedload(ApiToken.account))
        .where(ApiToken.token_hash == hash_token(value.strip()))
    )
    token = db.session.scalars(stmt).first()
    if token is None or not token.is_valid(utcnow()):
        raise Unauthorized(_("The token is unknown, expired or revoked."))
    return token


@bp.before_request
def _authenticate() -> None:
    """The bearer token, and only it, says who calls (the session cookie is not looked at)."""
    g.user = None
    g.api_token = None
    if request.endpoint == "api_v1.openapi":
        return
    token = _token()
    token.last_used_at = utcnow()
    g.api_token, g.user = token, token.account


def require(permission: str, view: str) -> None:
    """Refuse (403) a caller whose roles lack the permission the same screen needs."""
    if not appbuilder.sm._has_view_access(g.user, permission, view):
        raise ApiError(403, _("The service account's role may not read or write this."))


@bp.after_request
def _record(response: Response) -> Response:
    """Every authenticated call in the audit trail (committed with the token's last use)."""
    token = getattr(g, "api_token", None)
    if token is not None:
        audit.record_event(
            "api",
            ApiToken.__tablename__,
            token.id,
            {"method": request.method, "path": request.path, "status": response.status_code},
        )
        db.session.commit()
    response.headers["Cache-Control"] = "no-store"
    return response


def handle_error(error: HTTPException) -> tuple[Response, int]:
    """Errors under /api/ answer in JSON, in Indonesian."""
    from app.errors import MESSAGES, _forget_failed_work

    code = error.code or 500
    if code >= 500:
        _forget_failed_work()
    if isinstance(error, (ApiError, Unauthorized)) or (code == 400 and error.description):
        message = str(error.description)
    else:
        message = str(MESSAGES.get(code, MESSAGES[500])[1])
    return json_error(code, message, getattr(error, "fields", None))


def register(app: Flask) -> None:
    """Mount the API; its routes are CSRF-exempt because a cookie never authenticates them."""
    from app.api import views  # noqa: F401  (routes on bp)

    csrf.exempt(bp)
    bp.register_error_handler(HTTPException, handle_error)
    app.register_blueprint(bp)


def is_api_request() -> bool:
    """Whether the current request is one for the API (its errors answer in JSON)."""
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")
