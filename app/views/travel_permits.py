"""Travel permits for staff: the requests in the user's scope, the signature scan, the letter."""

from __future__ import annotations

from flask import Response, abort, flash, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.errors import Refused
from app.extensions import db
from app.formatting import choice_label, fmt_date, fmt_datetime
from app.forms.tpp import PermitCheckForm, PermitDraftForm, PermitSignForm, RevokeForm, TripLimitForm
from app.models.staff import Staff
from app.models.travel_permits import RELATIONS, TravelPermit
from app.models.workflow import StepRecord
from app.offices import current_office
from app.pdf import permit_letter
from app.security import scope
from app.security.roles import PERMIT
from app.uploads import send
from app.views import steps
from app.views.base import BapasModelView, ScopedInterface, flash_errors, run_move
from app.views.portal_permits import letter_pdf
from app.views.visiting import arrival_summary
from app.workflow import engine, travel_permits
from app.workflow.definitions import TRAVEL_PERMIT


class TravelPermitView(BapasModelView):
    """Permit requests of the user's clients (PK), section (Kasubsi) or office (Kepala)."""

    # The status column reads each row's instance: loaded with the rows, not one query per row.
    datamodel = ScopedInterface(TravelPermit, eager=("client", "instance"))
    class_permission_name = PERMIT
    base_permissions = [
        "can_list", "can_show", "can_signature", "can_letter", "can_preview", "can_revoke", "can_limit",
    ]  # fmt: skip
    list_title = show_title = _l("Travel permits")
    show_template = "permit_show.html"
    label_columns = {
        "client": _l("Client"),
        "applicant_name": _l("Applicant"),
        "applicant_relation": _l("Relation to the client"),
        "applicant_phone": _l("Applicant's phone"),
        "destination_city": _l("Destination city / regency"),
        "destination_address": _l("Address at the destination"),
        "purpose": _l("Purpose of the trip"),
        "depart_on": _l("Departure date"),
        "return_on": _l("Return date"),
        "submitted_at": _l("Submitted at"),
        "letter_number": _l("Letter number"),
        "decision_reasons": _l("Reasons / recommendation"),
        "instance": _l("Service"),
        "revoked_at": _l("Revoked at"),
        "revoked_reason": _l("Reason for revocation"),
        "arrival": _l("Report on arrival"),
        "stage": _l("Status"),
    }
    formatters_columns = {
        "applicant_relation": choice_label(RELATIONS),
        "depart_on": fmt_date,
        "return_on": fmt_date,
        "submitted_at": fmt_datetime,
        "revoked_at": fmt_datetime,
        "arrival": lambda report: arrival_summary(report) if report else "",
    }
    list_columns = ["client", "destination_city", "depart_on", "return_on", "submitted_at", "stage"]
    show_columns = [
        "client", "applicant_name", "applicant_relation", "applicant_phone", "destination_city",
        "destination_address", "purpose", "depart_on", "return_on", "submitted_at", "stage", "letter_number",
        "decision_reasons", "revoked_at", "revoked_reason", "arrival", "instance",
    ]  # fmt: skip
    search_columns = ["destination_city", "depart_on", "submitted_at"]
    order_columns = ["submitted_at", "depart_on"]
    base_order = ("submitted_at", "desc")

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk: str) -> str:
        """The request's details, with the letter once signed, or the draft's preview while drafted."""
        permit = scope.get_or_404(TravelPermit, pk)
        return self.render_template(
            self.show_template,
            pk=permit.id,
            title=self.show_title,
            widgets=self._show(permit.id),
            related_views=self._related_views,
            permit=permit,
            drafting=travel_permits.in_drafting(permit),
        )

    @expose("/signature/<int:pk>")
    @has_access
    def signature(self, pk: int) -> Response:
        """The applicant's scanned signature."""
        permit = scope.get_or_404(TravelPermit, pk)
        if permit.signature_file is None:
            abort(404)
        return send(permit.signature_file)

    @expose("/letter/<int:pk>")
    @has_access
    def letter(self, pk: int) -> Response:
        """The signed permit letter, or the draft waiting for the Kepala's signature."""
        permit = scope.get_or_404(TravelPermit, pk)
        if travel_permits.letter_state(permit) is None:
            abort(404)
        return Response(letter_pdf(permit), mimetype="application/pdf")

    @expose("/preview/<int:pk>", methods=["GET", "POST"])
    @has_access
    def preview(self, pk: int) -> Response:
        """The draft as it would be signed, marked DRAF (no number, no QR code), while it is drafted or
        waits for the signature; posted from the PK's draft form, with the obligations typed so far."""
        permit = scope.get_or_404(TravelPermit, pk)
        if not travel_permits.in_drafting(permit):
            abort(404)
        obligations = None
        if request.method == "POST":
            form = PermitDraftForm()
            if not form.validate_on_submit():
                raise Refused("; ".join(str(e) for errors in form.errors.values() for e in errors))
            obligations = form.note.data or ""
        return Response(
            permit_letter(permit, None, obligations=obligations),
            mimetype="application/pdf",
            headers={"Content-Disposition": "inline; filename=draf-surat-izin.pdf"},
        )

    @expose("/revoke/<int:pk>", methods=["POST"])
    @has_access
    def revoke(self, pk: int) -> Response:
        """The Kepala revokes a signed permit, with the reason; its QR code then reads as revoked."""
        permit = scope.get_or_404(TravelPermit, pk)
        form = RevokeForm()
        if not form.validate_on_submit():
            flash_errors([str(e) for errors in form.errors.values() for e in errors])
        else:
            reason = form.reason.data
            run_move(lambda: travel_permits.revoke(permit, g.user, reason), _("The permit has been revoked."))
        return redirect(request.referrer or url_for(".show", pk=pk))

    @expose("/limit", methods=["GET", "POST"])
    @has_access
    def limit(self) -> Response | str:
        """The Kepala sets the longest trip the office permits; longer requests are refused on the portal."""
        office = current_office()
        if office is None:
            abort(404)
        form = TripLimitForm(obj=office)
        if form.validate_on_submit():
            office.max_trip_days = form.max_trip_days.data
            db.session.commit()
            flash(
                _("Trips of up to %(days)d days are accepted from now on.", days=office.max_trip_days),
                "success",
            )
            return redirect(url_for(".list"))
        return self.render_template(
            "form_page.html", form=form, title=_("Longest trip permitted"), submit_label=_("Save")
        )


def _draft_form(record: StepRecord) -> PermitDraftForm:
    # A draft the Kepala returned comes back with the obligations the PK wrote the first time.
    permit = travel_permits.permit_of(record)
    return PermitDraftForm(note=permit.obligations if permit else None)


def _draft(record: StepRecord, user: Staff, form: PermitDraftForm) -> None:
    engine.complete(record, user, note=form.note.data or None)


def _sign(record: StepRecord, user: Staff, form: PermitSignForm) -> None:
    note = (form.note.data or "").strip() or None
    engine.complete(record, user, outcome=form.outcome.data, note=note)


steps.register(
    "permit_check", steps.StepScreen(build=lambda _record: PermitCheckForm(), apply=steps.decide_apply)
)
steps.register(
    "permit_draft",
    steps.StepScreen(
        build=_draft_form,
        apply=_draft,
        preview=lambda record: url_for("TravelPermitView.preview", pk=travel_permits.permit_of(record).id),
    ),
)
steps.register("permit_sign", steps.StepScreen(build=lambda _record: PermitSignForm(), apply=_sign))


def _panel(permit: TravelPermit | None) -> dict | None:
    if permit is None:  # an instance without its request (reports' test data): the task shows without it
        return None
    return {
        "permit": permit,
        "permit_letter": travel_permits.letter_state(permit),
        "permit_drafting": travel_permits.in_drafting(permit),
        "revoke_form": RevokeForm() if permit.signed_at and not permit.revoked_at else None,
    }


steps.register_panel(
    (TRAVEL_PERMIT.code,), "tasks/permit.html", lambda record: _panel(travel_permits.permit_of(record))
)
