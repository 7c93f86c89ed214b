"""Guidance logs, progress reports and stage plans: lists in the user's scope and the PK's screens."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from app.extensions import db
from app.formatting import choice_label, fmt_date, fmt_datetime, fmt_month
from app.forms.guidance import (
    LOG_FIELDS,
    GuidanceLogForm,
    ProgressReportForm,
    ReportFieldsForm,
    SessionNoteForm,
    StagePlanForm,
    refuse,
)
from app.models.guidance import FINAL, KINDS, PLACES, RISK_LEVELS, STAGES, GuidanceLog, ProgressReport
from app.models.staff import Staff
from app.models.workflow import StepRecord
from app.security.roles import GUIDANCE_LOG, PROGRESS_REPORT
from app.views import steps
from app.views.base import BapasModelView, ScopedInterface, confidential
from app.workflow import engine, guidance, supervision
from app.workflow.definitions import FINAL_STAGE, STAGE_PLAN
from app.workflow.definitions import PROGRESS_REPORT as REPORT_SERVICE

LOG_LABELS = {
    "client": _l("Client"),
    "officer": _l("PK"),
    "held_on": _l("Date"),
    "stage": _l("Stage"),
    "kind": _l("Kind of guidance"),
    "place": _l("Place"),
    "notes": _l("Guidance notes"),
    "confidential_notes": _l("Confidential notes"),
    "next_appointment": _l("Next appointment"),
    "created_at": _l("Recorded at"),
}


class GuidanceLogView(BapasModelView):
    """Guidance sessions (catatan bimbingan) of the clients in the user's scope, newest first."""

    datamodel = ScopedInterface(GuidanceLog, eager=("client", "officer"))
    class_permission_name = GUIDANCE_LOG
    list_title = show_title = _l("Guidance logs")
    add_title = _l("Record a guidance session")
    edit_title = _l("Edit guidance session")
    label_columns = LOG_LABELS
    formatters_columns = {
        "held_on": fmt_date,
        "next_appointment": fmt_date,
        "created_at": fmt_datetime,
        "stage": choice_label(STAGES),
        "kind": choice_label(KINDS),
        "place": choice_label(PLACES),
        "confidential_notes": confidential,
    }
    list_columns = ["held_on", "client", "officer", "stage", "kind", "place", "next_appointment"]
    show_columns = [*LOG_FIELDS[:2], "officer", "stage", *LOG_FIELDS[2:], "created_at"]
    search_columns = ["held_on", "client", "officer", "stage", "kind", "place"]
    order_columns = ["held_on", "next_appointment"]
    base_order = ("held_on", "desc")
    add_form = GuidanceLogForm
    add_columns = LOG_FIELDS
    edit_form = SessionNoteForm
    edit_columns = ["kind", "notes", "confidential_notes", "next_appointment"]

    def pre_update(self, item: GuidanceLog) -> None:
        """Only its author corrects a session; the next appointment still follows the session."""
        super().pre_update(item)
        if item.officer_id != g.user.id:
            self.datamodel.session.rollback()
            raise PermissionError(_l("Only the PK who recorded a session can correct it."))
        if item.next_appointment and item.next_appointment <= item.held_on:
            self.datamodel.session.rollback()
            raise ValueError(_l("The next appointment comes after the session."))

    def post_update(self, item: GuidanceLog) -> None:
        """A corrected next appointment moves the client's reporting date."""
        guidance.note_reporting(item.client_id, item.held_on, item.next_appointment)
        db.session.commit()

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self) -> Response | str:
        """Record a session through the guidance rules (period, reporting dates), not a bare insert."""
        form = GuidanceLogForm()
        if form.validate_on_submit():
            fields = {"held_on": form.held_on.data, "place": form.place.data, **form.fields_data()}
            guidance.record_log(g.user, form.client.data, fields)
            db.session.commit()
            flash(_("Guidance session recorded."), "success")
            return redirect(url_for(".list"))
        return self.render_template("form_page.html", form=form, title=self.add_title, submit_label=_("Save"))


class ProgressReportView(BapasModelView):
    """Monthly progress reports of the clients in the user's scope."""

    datamodel = ScopedInterface(ProgressReport, eager=("client", "officer"))
    class_permission_name = PROGRESS_REPORT
    base_permissions = ["can_list", "can_show", "can_add"]
    list_title = show_title = _l("Progress reports")
    add_title = _l("File a progress report")
    label_columns = {
        "client": _l("Client"),
        "month": _l("Month"),
        "stage": _l("Stage"),
        "officer": _l("PK"),
        "sessions": _l("Guidance sessions in the month"),
        "progress": _l("Progress of the client this month"),
        "problems": _l("Problems and risks"),
        "next_plan": _l("Plan for next month"),
        "filed_at": _l("Filed at"),
    }
    formatters_columns = {"month": fmt_month, "stage": choice_label(STAGES), "filed_at": fmt_datetime}
    list_columns = ["month", "client", "officer", "stage", "filed_at"]
    show_columns = [
        "client",
        "month",
        "stage",
        "officer",
        "sessions",
        "progress",
        "problems",
        "next_plan",
        "filed_at",
    ]
    search_columns = ["month", "client", "stage", "filed_at"]
    order_columns = ["month", "filed_at"]
    base_order = ("month", "desc")

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self) -> Response | str:
        """File a report for a client and month; a month already filed is refused."""
        form = ProgressReportForm()
        if form.validate_on_submit():
            try:
                guidance.file_report(g.user, form.client.data, form.month.data, form.fields_data())
                engine.commit()
            except guidance.Refused as refused:
                db.session.rollback()
                refuse(form, refused)
            except engine.MoveRefused as refused:
                db.session.rollback()
                flash(str(refused), "danger")
            else:
                flash(_("Progress report filed."), "success")
                return redirect(url_for(".list"))
        return self.render_template("form_page.html", form=form, title=self.add_title, submit_label=_("Save"))


def _plan_form(record: StepRecord) -> StagePlanForm:
    form = StagePlanForm()
    form.final = guidance.plan_of(record).stage == FINAL
    return form


def _submit_plan(record: StepRecord, user: Staff, form: StagePlanForm) -> None:
    if form.final and not form.classification.data:
        raise engine.MoveRefused(_l("The final stage needs the client's classification."))
    guidance.submit_plan(record, user, form.fields_data())


def _file_from_task(record: StepRecord, user: Staff, form: ReportFieldsForm) -> None:
    report = guidance.report_of(record)
    guidance.file_report(user, report.client, report.month, form.fields_data())


def _plan_panel(record: StepRecord) -> dict[str, Any]:
    plan = guidance.plan_of(record)
    return {
        "plan": plan,
        "risk_levels": RISK_LEVELS,
        "stages": STAGES,
        "windows": supervision.windows_of(plan.client),
    }


steps.register("stage_plan", steps.StepScreen(build=_plan_form, apply=_submit_plan))
steps.register(
    "progress_report", steps.StepScreen(build=lambda _r: ReportFieldsForm(), apply=_file_from_task)
)
steps.register_panel((STAGE_PLAN.code, FINAL_STAGE.code), "tasks/stage_plan.html", _plan_panel)
steps.register_panel(
    (REPORT_SERVICE.code,),
    "tasks/progress_report.html",
    lambda record: {"report": guidance.report_of(record)},
)
