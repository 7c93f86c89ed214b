"""Complaints for staff: the complaint unit's list and intake, the receipt, evidence, monthly report."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from flask import Response, abort, flash, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.exports import attachment, xlsx_book_response
from app.extensions import db
from app.formatting import choice_label, fmt_datetime
from app.forms.complaints import (
    INTAKE_FIELDS,
    NOBODY,
    CloseForm,
    DirectionForm,
    IntakeForm,
    RecordForm,
    ResponseForm,
)
from app.forms.letters import as_wib
from app.models.complaints import CATEGORIES, CHANNELS, SOPS, Complaint
from app.models.staff import Staff
from app.models.workflow import StepRecord
from app.notifications import public
from app.pdf import render_pdf
from app.security import scope
from app.security.roles import COMPLAINT, KEPALA, PENGADUAN, PENGAWAS
from app.timeutil import WIB, today_wib, utcnow
from app.uploads import send
from app.views import steps
from app.views.base import BapasModelView, ScopedInterface
from app.workflow import complaint_names, complaint_report, complaints
from app.workflow.definitions import COMPLAINT as SERVICE

# Who reads the complainant's identity; the official answering the complaint does not need it.
SEES_COMPLAINANT = {KEPALA, PENGADUAN, PENGAWAS}


def _latest_step(instance_id: int | None) -> int | None:
    return db.session.scalar(
        select(StepRecord.id).where(StepRecord.instance_id == instance_id).order_by(StepRecord.id.desc())
    )


def _staff_options(exclude: Collection[int] = (), officials_only: bool = False) -> list[tuple[int, str]]:
    return [
        (s.id, f"{s.full_name} — {s.position or '-'}")
        for s in complaints.staff_choices(exclude=exclude, officials_only=officials_only)
    ]


class ComplaintView(BapasModelView):
    """Complaints the user may see; never one about the user."""

    datamodel = ScopedInterface(Complaint, eager=("instance",))
    class_permission_name = COMPLAINT
    base_permissions = ["can_list", "can_show", "can_intake", "can_receipt", "can_evidence", "can_report"]
    list_title = show_title = _l("Complaints")
    label_columns = {
        "received_at": _l("Received at"),
        "channel": _l("Received through"),
        "category": _l("Category"),
        "sop": _l("Service concerned"),
        "title": _l("Subject of the complaint"),
        "instance": _l("Service"),
        "stage": _l("Status"),
    }
    formatters_columns = {
        "received_at": fmt_datetime,
        "channel": choice_label(CHANNELS),
        "category": choice_label(CATEGORIES),
        "sop": choice_label(SOPS),
    }
    list_columns = ["received_at", "channel", "category", "title", "stage"]
    search_columns = ["received_at", "channel", "category", "sop", "title"]
    order_columns = ["received_at"]
    base_order = ("received_at", "desc")

    @expose("/show/<pk>")
    @has_access
    def show(self, pk: str) -> Response:
        """A complaint opens on its latest step, where every detail of it is shown."""
        complaint = scope.get_or_404(Complaint, int(pk) if str(pk).isdigit() else 0)
        return redirect(url_for("TaskView.show", pk=_latest_step(complaint.instance_id)))

    @expose("/intake", methods=["GET", "POST"])
    @has_access
    def intake(self) -> Response | str:
        """The complaint unit records a complaint received in person, by phone, letter or social media."""
        form = IntakeForm()
        form.subject_staff.choices = [(NOBODY, "—"), *_staff_options()]
        form.office_id = g.user.office_id
        if not form.is_submitted():
            form.received_at.data = utcnow().astimezone(WIB).replace(tzinfo=None, second=0, microsecond=0)
        if form.validate_on_submit():
            evidence = (*form.checked_upload, form.evidence.data.filename) if form.checked_upload else None
            complaint = complaints.submit(
                {f: form[f].data for f in complaints.FIELDS},
                channel=form.channel.data,
                evidence=evidence,
                received_at=as_wib(form.received_at.data),
                recorded_by=g.user,
                subject_staff_id=form.subject_staff.data or None,
                no_staff_concerned=form.no_staff_concerned.data,
            )
            public.complainant_agreed(complaint, form.notify_consent.data)
            db.session.commit()
            flash(_("Complaint recorded with receipt code %(code)s.", code=complaint.receipt_code), "success")
            # The complaint about the recorder themself leaves their sight at once.
            if complaint.subject_staff_id == g.user.id:
                return redirect(url_for(".list"))
            return redirect(url_for("TaskView.show", pk=_latest_step(complaint.instance_id)))
        return self.render_template(
            "complaint_intake.html", form=form, fields=INTAKE_FIELDS, title=_("Record a complaint")
        )

    @expose("/receipt/<int:pk>")
    @has_access
    def receipt(self, pk: int) -> Response:
        """The receipt (tanda terima) handed to a complainant, with the code to follow the complaint."""
        complaint = scope.get_or_404(Complaint, pk)
        pdf = render_pdf(
            "pdf/complaint_receipt.html",
            complaint.office,
            complaint=complaint,
            channels=CHANNELS,
            categories=CATEGORIES,
            now=utcnow(),
        )
        return Response(
            pdf,
            mimetype="application/pdf",
            headers={"Content-Disposition": f"inline; filename=tanda-terima-pengaduan-{complaint.id}.pdf"},
        )

    @expose("/evidence/<int:pk>")
    @has_access
    def evidence(self, pk: int) -> Response:
        """The evidence the complainant attached."""
        complaint = scope.get_or_404(Complaint, pk)
        if complaint.evidence_file is None:
            abort(404)
        return send(complaint.evidence_file)

    method_permission_name = {"report_pdf": "report", "report_xlsx": "report"}

    @expose("/report")
    @has_access
    def report(self) -> str:
        """Counts and handling times per month and category, and per channel, of a year."""
        year = _report_year()
        return self.render_template(
            "complaint_report.html",
            **complaint_report.report(year),
            years=sorted({today_wib().year - back for back in range(6)} | {year}, reverse=True),
            title=_("Monthly complaint report"),
        )

    @expose("/report/pdf")
    @has_access
    def report_pdf(self) -> Response:
        """The year's report as PDF, on the office's letterhead."""
        year = _report_year()
        content = render_pdf("pdf/complaint_report.html", **complaint_report.report(year))
        return attachment(content, "application/pdf", f"laporan-pengaduan-{year}.pdf")

    @expose("/report/xlsx")
    @has_access
    def report_xlsx(self) -> Response:
        """The year's report as a spreadsheet: a sheet per category and per channel."""
        year = _report_year()
        return xlsx_book_response(
            f"laporan-pengaduan-{year}", complaint_report.sheets(complaint_report.report(year))
        )


def _report_year() -> int:
    year = request.args.get("year", type=int) or today_wib().year
    return min(max(year, 2000), 2100)


def _record_form(record: StepRecord) -> RecordForm:
    complaint = complaints.complaint_of(record)
    form = RecordForm(data={"category": complaint.category, "sop": complaint.sop,
                            "subject_staff": complaint.subject_staff_id or NOBODY,
                            "no_staff_concerned": complaint.no_staff_concerned})  # fmt: skip
    form.subject_staff.choices = [(NOBODY, "—"), *_staff_options()]
    form.named = complaint_names.named_in(complaint)
    if form.named:
        # Shown before the unit submits: the text names staff, someone has to say whether they are concerned.
        form.subject_staff.description = _(
            "The complaint names %(names)s.", names=complaint_names.names(form.named)
        )
    return form


def _record(record: StepRecord, user: Staff, form: RecordForm) -> None:
    complaints.recommend(
        record,
        user,
        category=form.category.data,
        sop=form.sop.data,
        subject_staff_id=form.subject_staff.data or None,
        recommendation=form.recommendation.data,
        no_staff_concerned=form.no_staff_concerned.data,
    )


def _direction_form(record: StepRecord) -> DirectionForm:
    complaint = complaints.complaint_of(record)
    form = DirectionForm()
    form.subject_id = complaint.subject_staff_id
    form.barred = frozenset(complaint_names.barred(complaint))
    form.responsible.choices = _staff_options(exclude=form.barred, officials_only=True)
    return form


def _direct(record: StepRecord, user: Staff, form: DirectionForm) -> None:
    complaints.direct(
        record, user, direction=form.direction.data, responsible=db.session.get(Staff, form.responsible.data)
    )


def _respond(record: StepRecord, user: Staff, form: ResponseForm) -> None:
    complaints.respond(record, user, fix=form.fix.data, clarification=form.clarification.data)


def _close(record: StepRecord, user: Staff, form: CloseForm) -> None:
    complaints.close(record, user, outcome=form.outcome.data, note=form.note.data)


def _panel(record: StepRecord) -> dict[str, Any] | None:
    complaint = complaints.complaint_of(record)
    if complaint is None:
        return None
    roles = g.user.role_names if g.user else set()
    unit = bool(roles & SEES_COMPLAINANT)
    return {
        "complaint": complaint,
        "complaint_labels": {"channel": CHANNELS, "category": CATEGORIES, "sop": SOPS},
        "complaint_unit": unit,
        "named_staff": complaint_names.names(complaint_names.named_in(complaint)) if unit else "",
    }


steps.register("complaint_record", steps.StepScreen(build=_record_form, apply=_record))
steps.register("complaint_direct", steps.StepScreen(build=_direction_form, apply=_direct))
steps.register("complaint_respond", steps.StepScreen(build=lambda _record: ResponseForm(), apply=_respond))
steps.register(
    "complaint_close",
    steps.StepScreen(build=lambda _record: CloseForm(), apply=_close, submit_label=_l("Save")),
)
steps.register_panel((SERVICE.code,), "tasks/complaint.html", _panel)
