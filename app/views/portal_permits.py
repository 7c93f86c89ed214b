"""SOP 11 on the public portal: the travel permit request, its status, correction, letter and check."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.forms.portal import PERMIT_FIELDS, CorrectionForm, PermitRequestForm
from app.masking import initials
from app.models.clients import CHILD
from app.models.staff import Staff
from app.models.travel_permits import TravelPermit
from app.notifications import public
from app.pdf import permit_letter
from app.timeutil import today_wib
from app.verification import REVOKED, UNSIGNED, permit_token, permit_validity, read_permit_token
from app.views.portal import find_by_code, portal, register_receipt
from app.views.portal_limits import client_may_submit, submission, submitted
from app.workflow import engine, travel_permits
from app.workflow.definitions import TRAVEL_PERMIT

TRIP = travel_permits.FIELDS
HAND_OVER_FIRST = _l(
    "The permit letter has been signed. Your PK will hand it over to you and explain its obligations; "
    "it can be downloaded here after the hand-over."
)


def _permit(code: str) -> TravelPermit:
    return find_by_code(TravelPermit, code)


def _signature(form: PermitRequestForm | CorrectionForm) -> tuple[str, bytes, str] | None:
    if not form.checked_upload:
        return None
    return (*form.checked_upload, form.signature.data.filename)


@portal.route("/izin-luar-kota", methods=["GET", "POST"])
@submission(portal)
def permit_request() -> Response | str:
    """SOP 11 step 1: the online request with a scanned signature."""
    form = PermitRequestForm()
    if form.validate_on_submit():
        try:
            client = travel_permits.find_client(
                form.register_number.data, form.nik.data, form.birth_date.data
            )
        except travel_permits.NoSuchClient:
            form.birth_date.errors = [
                _("These details do not match a client under supervision at this Bapas.")
            ]
        else:
            refusal = travel_permits.trip_refusal(client, form.depart_on.data, form.return_on.data)
            if refusal:
                form.return_on.errors = [refusal]
            elif not client_may_submit(client.id):
                form.register_number.errors = [
                    _("Too many requests for this client today. Please contact the Bapas.")
                ]
            else:
                permit = travel_permits.submit(
                    client, {f: getattr(form, f).data for f in TRIP}, _signature(form)
                )
                code = permit.receipt_code
                link = url_for(".status", code=code)
                public.agreed(permit.instance, permit.applicant_phone, form.notify_consent.data, code, link)
                db.session.commit()
                submitted(client.id)
                return redirect(url_for(".status", code=permit.receipt_code, new=1))
    return render_template(
        "portal/permit_form.html", form=form, fields=PERMIT_FIELDS, title=_("Permit to travel out of town")
    )


@portal.route("/status/<code>")
def status(code: str) -> str:
    """Where the request stands, the PK's correction request, the decision and the letter."""
    permit = _permit(code)
    steps = {r.step: r for r in permit.instance.steps}
    current = travel_permits.open_step(permit)
    return render_template(
        "portal/status.html",
        permit=permit,
        handed_over=travel_permits.handed_over(permit),
        hand_over_first=HAND_OVER_FIRST,
        service=TRAVEL_PERMIT,
        steps=steps,
        current=current,
        instance=permit.instance,
    )


@portal.route("/status/<code>/perbaikan", methods=["GET", "POST"])
@submission(portal)
def correction(code: str) -> Response | str:
    """The applicant corrects the request the PK sent back."""
    permit = _permit(code)
    current = travel_permits.open_step(permit)
    if current is None or current.step != "submit":
        return redirect(url_for(".status", code=code))
    form = CorrectionForm(obj=permit)
    if form.validate_on_submit():
        refusal = travel_permits.trip_refusal(permit.client, form.depart_on.data, form.return_on.data)
        if refusal:
            form.return_on.errors = [refusal]
        else:
            try:
                travel_permits.correct(permit, {f: getattr(form, f).data for f in TRIP}, _signature(form))
                engine.commit()
                submitted(permit.client_id)
            except engine.MoveRefused as refused:
                db.session.rollback()
                flash(str(refused), "danger")
            return redirect(url_for(".status", code=code))
    fields = [f for f in PERMIT_FIELDS if f in form]
    return render_template(
        "portal/permit_form.html", form=form, fields=fields, title=_("Correct the request")
    )


@portal.route("/status/<code>/surat.pdf")
def letter(code: str) -> Response:
    """The signed permit letter, once the PK has handed it over to the client."""
    permit = _permit(code)
    if permit_validity(permit, today_wib()) in (UNSIGNED, REVOKED):
        abort(404)
    if not travel_permits.handed_over(permit):  # the status page says why, and when it can be downloaded
        return redirect(url_for(".status", code=code), code=303)
    return Response(letter_pdf(permit), mimetype="application/pdf")


@portal.route("/verifikasi")
def verify_pasted() -> Response:
    """The check page of a letter from the link its QR code holds, pasted or typed on the front page."""
    pasted = request.args.get("tautan", "").strip().rstrip("/")
    token = pasted.rsplit("/", 1)[-1][:500]
    if not token:
        flash(_("Paste the link the QR code on the letter opens."), "warning")
        return redirect(url_for("portal.index"))
    return redirect(url_for("portal.verify", token=token))


@portal.route("/verifikasi/<token>")
def verify(token: str) -> str:
    """Public check of a permit letter's QR code: its essential data and whether it is valid."""
    data = read_permit_token(token)
    permit = db.session.get(TravelPermit, data["p"]) if data else None
    if permit is None or permit.letter_number != data["n"]:
        return render_template("portal/verify.html", permit=None, validity="invalid")
    validity = permit_validity(permit, today_wib())
    # Anyone with the letter in hand can open this page: a child is named by initials only (UU 11/2012).
    client = permit.client
    holder = initials(client.name) if client.category == CHILD else client.name
    return render_template(
        "portal/verify.html", permit=permit, holder=holder, validity=validity, office=permit.issuing_office
    )


def letter_pdf(permit: TravelPermit) -> bytes:
    """The signed permit letter with its QR code and the Kepala who signed it; unsigned, the draft."""
    if permit.signed_at is None:
        return permit_letter(permit, None)
    url = url_for("portal.verify", token=permit_token(permit), _external=True)
    signer = db.session.get(Staff, permit.signed_by_id) if permit.signed_by_id else None
    return permit_letter(permit, url, signer=signer)


register_receipt(TravelPermit, "portal.status")
