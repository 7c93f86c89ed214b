"""One screen per waiting step: the instance, its history against the clock, and the step's form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.extensions import db
from app.forms.letters import AssignForm, DispositionForm, as_wib
from app.forms.tasks import AccompanyForm, DecideForm, NoteForm, RecordForm
from app.forms.tpp import PermitCheckForm, PermitDraftForm
from app.models.staff import Staff
from app.models.workflow import StepRecord
from app.security import scope
from app.security.roles import TASK
from app.uploads import store
from app.workflow import accompaniment, correspondence, engine, inbox, travel_permits
from app.workflow.definitions import CLOSE, DONE, OUTCOME_LABELS, RECORD, TRAVEL_PERMIT
from app.workflow.timing import measure


def _build_form(record: StepRecord, kind: str) -> Any:
    """The form of a step, with its choices filled in for this instance."""
    if kind == "dispose":
        form = DispositionForm()
        form.to.choices = [
            (s.id, f"{s.full_name} — {s.position or ''} ({s.section or '-'})")
            for s in correspondence.disposition_targets(record)
        ]
        return form
    if kind == "appoint":
        form = AssignForm()
        form.officers.choices = [
            (
                s.id,
                _(
                    "%(name)s — %(clients)d open clients, %(tasks)d open tasks",
                    name=s.full_name,
                    clients=c,
                    tasks=t,
                ),
            )
            for s, c, t in inbox.caseloads(record.section)
        ]
        return form
    if kind == "decide":
        form = DecideForm()
        form.outcome.choices = [(o, OUTCOME_LABELS[o]) for o in engine.step_of(record).outcomes]
        return form
    if kind in ("tpp", "public"):
        return None  # decided in a Sidang TPP / waiting for the applicant on the portal
    forms = {"accompany": AccompanyForm, "record": RecordForm, "permit_check": PermitCheckForm}
    return forms.get(kind, PermitDraftForm if kind == "permit_draft" else NoteForm)()


def _apply(record: StepRecord, kind: str, form: Any) -> None:
    """Carry out a validated step form through the engine (the caller commits)."""
    user = g.user
    if kind == "dispose":
        correspondence.dispose(
            record,
            user,
            to=db.session.get(Staff, form.to.data),
            instructions=form.instructions.data,
            note=form.note.data,
            urgency=form.urgency.data,
            deadline=as_wib(form.deadline.data),
        )
    elif kind == "appoint":
        chosen = {s.id: s for s, _c, _t in inbox.caseloads(record.section)}
        correspondence.assign(
            record, user, [chosen[i] for i in form.officers.data if i in chosen], form.note.data
        )
    elif kind == "accompany":
        accompaniment.record_child(record, user, form)
    elif kind in ("decide", "permit_check"):
        engine.complete(record, user, outcome=form.outcome.data, note=form.note.data)
    elif kind == "permit_draft":
        engine.complete(record, user, note=form.note.data or None)
    elif kind == "record":
        data = {"stage": form.stage.data, "held_on": form.held_on.data.isoformat(), "place": form.place.data}
        engine.complete(record, user, outcome=RECORD, note=form.note.data, data=data)
    else:
        data = {}
        if getattr(form, "checked_upload", None):
            mime, content = form.checked_upload
            data["file_id"] = store(mime, content, form.attachment.data.filename, user.id).id
            db.session.flush()
        engine.complete(record, user, outcome=DONE, note=form.note.data, data=data)


class TaskView(BaseView):
    """The task screen behind every inbox row."""

    route_base = "/tasks"
    class_permission_name = TASK
    base_permissions = ["can_show", "can_act"]
    method_permission_name = {"show": "show", "take_up": "act", "complete": "act", "close": "act"}
    default_view = "show"

    def _page(self, record: StepRecord, form: Any = None) -> str:
        step = engine.step_of(record)
        actor = engine.can_act(g.user, record)
        calendar = engine.calendar()
        history = [
            (r, engine.step_of(r), measure(r, engine.step_of(r), calendar)) for r in record.instance.steps
        ]
        if actor and record.opened_at is not None and form is None:
            form = _build_form(record, step.form)
        return self.render_template(
            "task.html",
            record=record,
            instance=record.instance,
            service=engine.service_of(record.instance),
            step=step,
            actor=actor,
            form=form if actor else None,
            history=history,
            letter=correspondence.letter_of(record),
            permit=travel_permits.permit_of(record)
            if record.instance.service == TRAVEL_PERMIT.code
            else None,
        )

    @expose("/<int:pk>")
    @has_access
    def show(self, pk: int) -> str:
        """The instance, its step history and, for the actor, the step's form."""
        return self._page(scope.get_or_404(StepRecord, pk))

    @expose("/<int:pk>/open", methods=["POST"])
    @has_access
    def take_up(self, pk: int) -> Response:
        """The actor takes the step up: its 'opened' moment."""
        record = scope.get_or_404(StepRecord, pk)
        try:
            engine.open_step(record, g.user)
            engine.commit()
        except engine.MoveRefused as refused:
            db.session.rollback()
            flash(str(refused), "danger")
        return redirect(url_for(".show", pk=pk))

    @expose("/<int:pk>", methods=["POST"])
    @has_access
    def complete(self, pk: int) -> Response | str:
        """Submit the step's form; the engine moves the instance on or refuses."""
        record = scope.get_or_404(StepRecord, pk)
        if not engine.can_act(g.user, record) or record.opened_at is None:
            flash(_("This step is not waiting for you."), "danger")
            return redirect(url_for(".show", pk=pk))
        kind = engine.step_of(record).form
        form = _build_form(record, kind)
        if form is None:
            flash(_("This step is not waiting for you."), "danger")
            return redirect(url_for(".show", pk=pk))
        if not form.validate():
            return self._page(record, form)
        return _move(record, lambda: _apply(record, kind, form))

    @expose("/<int:pk>/close", methods=["POST"])
    @has_access
    def close(self, pk: int) -> Response:
        """Close a repeated step (e.g. the accompaniment is over)."""
        record = scope.get_or_404(StepRecord, pk)
        note = request.form.get("note") or None
        return _move(record, lambda: engine.complete(record, g.user, outcome=CLOSE, note=note))


def _move(record: StepRecord, work: Callable[[], Any]) -> Response:
    """Run a move and commit it whole, or roll it back and say why."""
    try:
        work()
        engine.commit()
    except engine.MoveRefused as refused:
        db.session.rollback()
        flash(str(refused), "danger")
        return redirect(url_for("TaskView.show", pk=record.id))
    flash(_("Step completed."), "success")
    return redirect(url_for("HomeView.index"))
