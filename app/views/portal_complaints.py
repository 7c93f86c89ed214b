"""Complaints on the public portal: anyone may complain, anonymously if they wish, and read the answer."""

from __future__ import annotations

from flask import Response, redirect, render_template, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.forms.complaints import PUBLIC_FIELDS, PublicComplaintForm
from app.models.complaints import CATEGORIES, PORTAL, Complaint
from app.notifications import public
from app.views.portal import find_by_code, portal, register_receipt
from app.views.portal_limits import submission, submitted
from app.workflow import complaints
from app.workflow.definitions import COMPLAINT


@portal.route("/pengaduan", methods=["GET", "POST"])
@submission(portal)
def complaint_form() -> Response | str:
    """A complaint about a service, a staff member or the facilities."""
    form = PublicComplaintForm()
    if form.validate_on_submit():
        evidence = (*form.checked_upload, form.evidence.data.filename) if form.checked_upload else None
        complaint = complaints.submit(
            {f: form[f].data for f in complaints.FIELDS}, channel=PORTAL, evidence=evidence
        )
        public.complainant_agreed(complaint, form.notify_consent.data)
        db.session.commit()
        submitted()
        return redirect(url_for(".complaint_status", code=complaint.receipt_code, new=1))
    return render_template(
        "portal/permit_form.html", form=form, fields=PUBLIC_FIELDS, title=_("Submit a complaint")
    )


@portal.route("/pengaduan/status/<code>")
def complaint_status(code: str) -> str:
    """Where the complaint stands and, once it is closed, the answer of the Bapas."""
    complaint = find_by_code(Complaint, code)
    instance = complaint.instance
    return render_template(
        "portal/complaint_status.html",
        complaint=complaint,
        categories=CATEGORIES,
        service=COMPLAINT,
        steps={r.step: r for r in instance.steps},
        current=instance.current_step,
        instance=instance,
    )


register_receipt(Complaint, "portal.complaint_status")
