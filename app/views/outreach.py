"""Bambang Solah for staff: the requests in the user's scope, their files, the team's assignment letter."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, g, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.formatting import choice_label, fmt_date, fmt_datetime
from app.forms.outreach import ReportForm, TeamForm
from app.models.outreach import INSTITUTION_KINDS, Outreach
from app.models.staff import Staff
from app.models.workflow import StepRecord
from app.pdf import render_pdf
from app.security import scope
from app.security.roles import KEPALA, OUTREACH
from app.uploads import send
from app.views import steps
from app.views.base import BapasModelView, ScopedInterface, run_move
from app.workflow import outreach as sambang
from app.workflow.definitions import OUTREACH as SOP14


class OutreachView(BapasModelView):
    """Outreach requests of the user's section (Kasubsi), team (PK) or office (Kepala, Pengawas)."""

    datamodel = ScopedInterface(Outreach, eager=("instance",))
    class_permission_name = OUTREACH
    base_permissions = ["can_list", "can_show", "can_request", "can_photo", "can_assignment", "can_sign"]
    method_permission_name = {"request_letter": "request"}
    list_title = show_title = _l("Outreach (Bambang Solah)")
    label_columns = {
        "requested_on": _l("Requested date"),
        "institution": _l("Village or school"),
        "institution_kind": _l("Kind"),
        "place": _l("Place"),
        "topic": _l("Topic"),
        "submitted_at": _l("Submitted at"),
        "instance": _l("Service"),
        "stage": _l("Status"),
        "assignment_number": _l("Assignment letter number"),
    }
    formatters_columns = {
        "requested_on": fmt_date,
        "institution_kind": choice_label(INSTITUTION_KINDS),
        "submitted_at": fmt_datetime,
    }
    list_columns = ["requested_on", "institution", "institution_kind", "topic", "stage", "assignment_number"]
    search_columns = ["requested_on", "institution", "institution_kind", "topic", "submitted_at"]
    order_columns = ["requested_on", "submitted_at"]
    base_order = ("requested_on", "desc")

    @expose("/show/<pk>")
    @has_access
    def show(self, pk: str) -> Response:
        """A request opens on its latest step, where every detail of it is shown."""
        outreach = scope.get_or_404(Outreach, int(pk) if str(pk).isdigit() else 0)
        latest = db.session.scalar(
            select(StepRecord.id)
            .where(StepRecord.instance_id == outreach.instance_id)
            .order_by(StepRecord.id.desc())
        )
        return redirect(url_for("TaskView.show", pk=latest))

    @expose("/request/<int:pk>")
    @has_access
    def request_letter(self, pk: int) -> Response:
        """The request letter: uploaded on the portal, or scanned by TU."""
        outreach = scope.get_or_404(Outreach, pk)
        stored = outreach.request_file or (outreach.letter.attachment if outreach.letter else None)
        if stored is None:
            abort(404)
        return send(stored)

    @expose("/photo/<int:pk>/<int:file_id>")
    @has_access
    def photo(self, pk: int, file_id: int) -> Response:
        """A photo of the activity report."""
        outreach = scope.get_or_404(Outreach, pk)
        stored = next((p for p in outreach.photos if p.id == file_id), None)
        if stored is None:
            abort(404)
        return send(stored)

    @expose("/assignment/<int:pk>")
    @has_access
    def assignment(self, pk: int) -> Response:
        """The team's assignment letter (surat tugas), once the Kasubsi has appointed it."""
        outreach = scope.get_or_404(Outreach, pk)
        if not outreach.team:
            abort(404)
        pdf = render_pdf(
            "pdf/outreach_assignment.html",
            outreach.office,
            outreach=outreach,
            team=outreach.team,
            signer=outreach.assignment_signed_by,
        )
        return Response(
            pdf,
            mimetype="application/pdf",
            headers={"Content-Disposition": f"inline; filename=surat-tugas-bambang-solah-{outreach.id}.pdf"},
        )

    @expose("/sign/<int:pk>", methods=["POST"])
    @has_access
    def sign(self, pk: int) -> Response:
        """The Kepala signs the team's assignment letter, which takes its number."""
        outreach = scope.get_or_404(Outreach, pk)
        if run_move(lambda: sambang.sign_assignment(outreach, g.user)):
            flash(_("The assignment letter is signed: number %(number)s.", number=outreach.assignment_number),
                  "success")  # fmt: skip
        return redirect(url_for(".show", pk=outreach.id))


def _team_form(record: StepRecord) -> TeamForm:
    form = TeamForm()
    outreach = sambang.outreach_of(record)
    day = fmt_date(outreach.requested_on)
    pks = sambang.commitments(record.section, outreach.requested_on, outreach.id)
    form.officers.label.text = _("PK of the team (at least two)")
    form.officers.choices = [
        (
            staff.id,
            _(
                "%(name)s — on %(day)s: %(outreach)d other outreach, %(tasks)d tasks due, "
                "%(sessions)d TPP sessions",
                name=staff.full_name,
                day=day,
                outreach=n_outreach,
                tasks=n_tasks,
                sessions=n_sessions,
            ),
        )
        for staff, n_outreach, n_tasks, n_sessions in pks
    ]
    # No leader preselected: the Kasubsi names one, never the first of the list by default.
    form.leader.choices = [(0, "—"), *((staff.id, staff.full_name) for staff, *_counts in pks)]
    return form


def _appoint(record: StepRecord, user: Staff, form: TeamForm) -> None:
    outreach = sambang.outreach_of(record)
    chosen = {
        s.id: s for s, *_counts in sambang.commitments(record.section, outreach.requested_on, outreach.id)
    }
    officers = [chosen[i] for i in dict.fromkeys(form.officers.data) if i in chosen]
    sambang.appoint(record, user, officers, form.note.data, leader=chosen.get(form.leader.data))


def _report_form(record: StepRecord) -> ReportForm:
    form = ReportForm()
    form.requested_on = sambang.outreach_of(record).requested_on
    return form


def _report(record: StepRecord, user: Staff, form: ReportForm) -> None:
    sambang.report(
        record,
        user,
        held_on=form.held_on.data,
        participants_count=form.participants_count.data,
        participants=form.participants.data,
        summary=form.summary.data,
        photos=form.checked_photos,
    )


def _panel(record: StepRecord) -> dict[str, Any] | None:
    outreach = sambang.outreach_of(record)
    if outreach is None:
        return None
    commitments, elsewhere = None, {}
    if record.step == "appoint" and record.finished_at is None:
        commitments = sambang.commitments(record.section, outreach.requested_on, outreach.id)
        elsewhere = sambang.other_outreach(
            outreach.requested_on, outreach.id, [staff.id for staff, *_counts in commitments]
        )
    roles = g.user.role_names if g.user else set()
    return {
        "outreach": outreach,
        "may_sign_assignment": KEPALA in roles and bool(outreach.team) and not outreach.assignment_number,
        "institution_kinds": INSTITUTION_KINDS,
        "commitments": commitments,
        "elsewhere": elsewhere,
    }


steps.register(
    "outreach_request",
    steps.StepScreen(
        elsewhere=_l(
            "This step is completed when the request arrives on the portal or TU registers its letter."
        )
    ),
)
steps.register("outreach_team", steps.StepScreen(build=_team_form, apply=_appoint))
steps.register(
    "outreach_report",
    steps.StepScreen(build=_report_form, apply=_report, submit_label=_l("Save the activity report")),
)
steps.register_panel((SOP14.code,), "tasks/outreach.html", _panel)
