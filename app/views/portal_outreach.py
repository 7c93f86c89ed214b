"""SOP 14 on the public portal: a village or school asks for a Bambang Solah outreach and follows it."""

from __future__ import annotations

from flask import Response, redirect, render_template, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.forms.outreach import OUTREACH_FIELDS, OutreachRequestForm
from app.models.outreach import INSTITUTION_KINDS, Outreach
from app.notifications import public
from app.views.portal import find_by_code, portal, register_receipt
from app.views.portal_limits import submission, submitted
from app.workflow import outreach as sambang
from app.workflow.definitions import OUTREACH


@portal.route("/bambang-solah", methods=["GET", "POST"])
@submission(portal)
def outreach_request() -> Response | str:
    """SOP 14 step 1: the request with its signed letter."""
    form = OutreachRequestForm()
    if form.validate_on_submit():
        letter = (*form.checked_upload, form.request_letter.data.filename)
        outreach = sambang.submit({f: getattr(form, f).data for f in sambang.FIELDS}, letter)
        code = outreach.receipt_code
        link = url_for(".outreach_status", code=code)
        public.agreed(outreach.instance, outreach.contact_phone, form.notify_consent.data, code, link)
        db.session.commit()
        submitted()
        return redirect(url_for(".outreach_status", code=outreach.receipt_code, new=1))
    return render_template(
        "portal/permit_form.html",
        form=form,
        fields=OUTREACH_FIELDS,
        title=_("Bambang Solah: outreach to a village or school"),
    )


@portal.route("/bambang-solah/status/<code>")
def outreach_status(code: str) -> str:
    """Where the request stands, the team appointed and the day of the activity."""
    outreach = find_by_code(Outreach, code)
    instance = outreach.instance
    return render_template(
        "portal/outreach_status.html",
        outreach=outreach,
        kinds=INSTITUTION_KINDS,
        service=OUTREACH,
        steps={r.step: r for r in instance.steps},
        current=instance.current_step,
        instance=instance,
    )


register_receipt(Outreach, "portal.outreach_status")
