"""The public portal: services for clients, families, lawyers and citizens, without an account.

Each service adds its routes to the `portal` blueprint in a module of its own (imported by
`register`) and declares its receipt codes with `register_receipt`, so one lookup form finds
any request by its code.
"""

from __future__ import annotations

from typing import TypeVar

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import offices, receipts
from app.extensions import db
from app.forms.fields import TRAP
from app.forms.portal import LookupForm
from app.models.offices import Office, Region
from app.views import portal_limits

M = TypeVar("M")

portal = Blueprint("portal", __name__, url_prefix="/layanan")

# (model with a `receipt_code` column, endpoint of its status page taking `code`)
RECEIPTS: list[tuple[type, str]] = []


def register_receipt(model: type, endpoint: str) -> None:
    """Let the lookup form find requests of `model` by receipt code, on the page `endpoint`."""
    RECEIPTS.append((model, endpoint))


def find_by_code(model: type[M], code: str) -> M:
    """The request of `model` with this receipt code, or 404 (a guessed code learns nothing); its
    page shows the office that handles it."""
    found = db.session.scalar(select(model).where(model.receipt_code.in_(receipts.candidates(code))))  # type: ignore[attr-defined]
    if found is None:
        portal_limits.code_missed()
        abort(404)
    g.portal_office_id = getattr(found, "office_id", None) or found.instance.office_id  # type: ignore[attr-defined]
    return found


# Pages whose request goes to the office the visitor chose (a travel permit goes to the client's).
NEEDS_OFFICE = ("portal.complaint_form", "portal.outreach_request")


@portal.before_request
def _office() -> Response | None:
    """The office the visitor deals with: chosen on the front page (`?kantor=CODE`), kept in the
    session; in a single-office instance, that office without asking."""
    code = request.args.get("kantor")
    if code is not None:
        office = db.session.scalar(select(Office).where(Office.code == code[:10]))
        if office is None:
            abort(400)
        session["portal_office"] = office.id
    chosen = session.get("portal_office")
    if chosen and db.session.get(Office, chosen) is not None:
        g.portal_office_id = chosen
    if request.endpoint in NEEDS_OFFICE and offices.current_office_id() is None:
        flash(_("Choose the Bapas your request is for."), "info")
        return redirect(url_for("portal.index"))
    return None


@portal.before_request
def _no_robots() -> None:
    """Only robots fill the hidden spam trap: their submission is refused before any form reads it."""
    if request.method == "POST" and request.form.get(TRAP):
        abort(400)


@portal.route("/")
def index() -> str:
    """The services offered online."""
    return render_template("portal/index.html", lookup=LookupForm(), regions=_regions())


@portal.route("/status", methods=["POST"])
def lookup() -> Response | str:
    """Go to a request's status page by its receipt code."""
    form = LookupForm()
    if form.validate_on_submit():
        typed = receipts.candidates(form.code.data)
        for model, endpoint in RECEIPTS:
            code = db.session.scalar(select(model.receipt_code).where(model.receipt_code.in_(typed)))
            if code:
                return redirect(url_for(endpoint, code=code))
        portal_limits.code_missed()
        form.code.errors = [_("No request has this receipt code.")]
    return render_template("portal/index.html", lookup=form, regions=_regions())


def _regions() -> list[Region]:
    """The regions with their offices, for the office chooser (shown only with several offices)."""
    if not offices.several_offices():
        return []
    return list(
        db.session.scalars(select(Region).options(selectinload(Region.offices)).order_by(Region.name))
    )


def register(app: Flask) -> None:
    """Mount the portal with every service's routes and its rate limits (app.views.portal_limits)."""
    from app.views import portal_complaints, portal_outreach, portal_permits  # noqa: F401 (add routes)

    portal_limits.install(portal)
    app.register_blueprint(portal)
