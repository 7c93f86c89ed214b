"""Wajib lapor: the clients' reporting schedules, the counter where a report is recorded, the lists
of the PK and the Kasubsi, the warning letters, and the screens of the LAPOR steps."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, g, redirect, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.formatting import choice_label, fmt_date
from app.forms.guidance import refuse
from app.forms.reporting import (
    AttendanceForm,
    ContactForm,
    ScheduleAddForm,
    ScheduleEditForm,
    WarningDraftForm,
)
from app.models.clients import LEGAL_BASES
from app.models.reporting import (
    CHANNELS,
    FREQUENCIES,
    OCCURRENCE_STATUSES,
    ReportingOccurrence,
    ReportingSchedule,
    WarningLetter,
)
from app.models.workflow import StepRecord
from app.pdf import render_pdf
from app.security import scope
from app.security.roles import REPORTING, REPORTING_SCHEDULE
from app.timeutil import today_wib
from app.views import steps
from app.views.base import BapasModelView, ScopedInterface
from app.workflow import reporting, reporting_lists
from app.workflow.definitions import MISSED_REPORT, REVOCATION
from app.workflow.guidance import Refused

RECENT = 24  # occurrences shown on a schedule's page


class ReportingScheduleView(BapasModelView):
    """The reporting schedules of the clients in the user's scope; the PK sets its clients'."""

    datamodel = ScopedInterface(ReportingSchedule, eager=("client",))
    class_permission_name = REPORTING_SCHEDULE
    base_permissions = ["can_list", "can_show", "can_add", "can_edit"]
    list_title = show_title = _l("Reporting schedules")
    add_title = _l("Set a reporting schedule")
    edit_title = _l("Edit reporting schedule")
    label_columns = {
        "client": _l("Client"),
        "frequency": _l("Frequency"),
        "day": _l("Day"),
        "starts_on": _l("Reporting starts on"),
        "place": _l("Place of reporting"),
        "active": _l("Active"),
    }
    formatters_columns = {"frequency": choice_label(FREQUENCIES), "starts_on": fmt_date}
    list_columns = ["client", "frequency", "day", "starts_on", "active"]
    search_columns = ["client", "frequency", "active"]
    order_columns = ["starts_on"]
    base_order = ("starts_on", "desc")
    add_form = ScheduleAddForm
    add_columns = ["client", "frequency", "day", "starts_on", "place", "active"]
    edit_form = ScheduleEditForm
    edit_columns = ["frequency", "day", "starts_on", "place", "active"]

    def _check(self, item: ReportingSchedule) -> None:
        try:
            reporting.check_schedule(item, item.client)
        except Refused as refused:
            self.datamodel.session.rollback()
            raise ValueError(str(refused)) from refused

    def pre_add(self, item: ReportingSchedule) -> None:
        """A schedule of a PB/CB/CMB client in scope, on a day its frequency has, set by its PK."""
        self._check(item)
        item.set_by_id = g.user.id
        item.office_id = item.client.office_id
        super().pre_add(item)

    def pre_update(self, item: ReportingSchedule) -> None:
        """The same rules on every change."""
        self._check(item)
        super().pre_update(item)

    @expose("/show/<pk>")
    @has_access
    def show(self, pk: str) -> str:
        """The schedule, its next due date, its recent occurrences and the client's warning letters."""
        schedule = scope.get_or_404(ReportingSchedule, pk)
        occurrences = db.session.scalars(
            select(ReportingOccurrence)
            .options(
                joinedload(ReportingOccurrence.recorded_office), joinedload(ReportingOccurrence.recorded_by)
            )
            .where(ReportingOccurrence.schedule_id == schedule.id)
            .order_by(ReportingOccurrence.due_on.desc())
            .limit(RECENT)
        ).all()
        warnings = db.session.scalars(
            select(WarningLetter)
            .where(WarningLetter.client_id == schedule.client_id)
            .order_by(WarningLetter.id)
        ).all()
        return self.render_template(
            "reporting_schedule.html",
            schedule=schedule,
            next_due=reporting.next_due(schedule, today_wib()) if schedule.active else None,
            occurrences=occurrences,
            warnings=warnings,
            statuses=OCCURRENCE_STATUSES,
            channels=CHANNELS,
            frequencies=FREQUENCIES,
            legal_bases=LEGAL_BASES,
        )


class ReportingView(BaseView):
    """The lists of wajib lapor, the counter where TU or the PK records a report, the warning letters."""

    route_base = "/wajib-lapor"
    class_permission_name = REPORTING
    base_permissions = ["can_list", "can_attend", "can_letter"]
    method_permission_name = {"overview": "list", "attend": "attend", "warning": "letter"}
    default_view = "overview"

    @expose("/")
    @has_access
    def overview(self) -> str:
        """Clients due to report this week, who missed, and under warning, in the user's scope."""
        today = today_wib()
        monday, sunday = reporting_lists.week_of(today)
        return self.render_template(
            "reporting_overview.html",
            title=_l("Mandatory reporting"),
            due=reporting_lists.due_this_week(today),
            missed=reporting_lists.missed(),
            warned=reporting_lists.under_warning(),
            monday=monday,
            sunday=sunday,
        )

    @expose("/lapor", methods=["GET", "POST"])
    @has_access
    def attend(self) -> Response | str:
        """Record a client reporting at the office's counter."""
        form = AttendanceForm()
        if form.validate_on_submit():
            try:
                occurrence = reporting.attend_at_office(
                    g.user, form.card.data, form.attended_on.data, form.note.data or None
                )
            except Refused as refused:
                db.session.rollback()
                refuse(form, refused)
            else:
                db.session.commit()
                flash(
                    _("Report recorded for the due date %(due)s.", due=fmt_date(occurrence.due_on)), "success"
                )
                return redirect(url_for(".attend"))
        elif not form.is_submitted():
            form.attended_on.data = today_wib()
        return self.render_template(
            "form_page.html", form=form, title=_("Record a mandatory report"), submit_label=_("Save")
        )

    @expose("/peringatan/<int:warning_id>")
    @has_access
    def warning(self, warning_id: int) -> Response:
        """A warning letter as PDF: the draft while the Kepala has not signed, then the signed letter."""
        letter = scope.get_or_404(WarningLetter, warning_id)
        if letter.level not in (1, 2, 3):
            abort(404)
        pdf = render_pdf(
            "pdf/warning_letter.html",
            letter.office,
            letter=letter,
            client=letter.client,
            signer=letter.signed_by,
            legal_bases=LEGAL_BASES,
        )
        return Response(pdf, mimetype="application/pdf")


def _contact(record: StepRecord, user: Any, form: ContactForm) -> None:
    reporting.record_contact(record, user, form.reason.data, form.is_valid_reason())


def _draft(record: StepRecord, user: Any, form: WarningDraftForm) -> None:
    reporting.draft_warning(record, user, form.facts.data)


def _draft_form(record: StepRecord) -> WarningDraftForm:
    form = WarningDraftForm()
    letter = reporting.warning_of(record)
    if letter is not None and not form.is_submitted():
        form.facts.data = letter.facts
    return form


def _panel(record: StepRecord) -> dict[str, Any] | None:
    occurrence = reporting.occurrence_of(record)
    client = record.instance.client
    if client is None:
        return None
    warnings = db.session.scalars(
        select(WarningLetter).where(WarningLetter.client_id == client.id).order_by(WarningLetter.id)
    ).all()
    return {
        "occurrence": occurrence,
        "warning": reporting.warning_of(record),
        "warnings": warnings,
        "schedule": reporting.schedule_of(client.id),
        "statuses": OCCURRENCE_STATUSES,
    }


steps.register("lapor_contact", steps.StepScreen(build=lambda _record: ContactForm(), apply=_contact))
steps.register("lapor_draft", steps.StepScreen(build=_draft_form, apply=_draft))
steps.register_panel((MISSED_REPORT.code, REVOCATION.code), "tasks/reporting.html", _panel)
