"""One screen per waiting step: the instance, its history against the clock, and the step's form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, g, redirect, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.extensions import db
from app.models.files import StoredFile
from app.models.workflow import StepRecord
from app.security import scope
from app.security.roles import TASK
from app.timeutil import WIB
from app.uploads import send
from app.views import steps
from app.views.base import run_move
from app.workflow import accompaniment, deadlines, duty, engine
from app.workflow.definitions import CLOSE
from app.workflow.timing import measure


class TaskView(BaseView):
    """The task screen behind every inbox row."""

    route_base = "/tasks"
    class_permission_name = TASK
    base_permissions = ["can_show", "can_act"]
    method_permission_name = {
        "show": "show",
        "document": "show",
        "take_up": "act",
        "complete": "act",
        "close": "act",
        "acknowledge": "act",
        "arrival": "act",
    }
    default_view = "show"

    def _page(self, record: StepRecord, form: Any = None) -> str:
        step = engine.step_of(record)
        actor = engine.can_act(g.user, record)
        calendar = deadlines.calendar(record.instance.office_id)
        history = [
            (r, engine.step_of(r), measure(r, engine.step_of(r), calendar)) for r in record.instance.steps
        ]
        if actor and record.opened_at is not None and form is None:
            form = steps.build_form(record)
        panels, details = steps.panels_of(record)
        arrival = accompaniment.arrival_of(record) if record.step == "accompany" else None
        return self.render_template(
            "task.html",
            record=record,
            instance=record.instance,
            service=engine.service_of(record.instance),
            step=step,
            screen=steps.screen_of(record),
            actor=actor,
            form=form if actor else None,
            history=history,
            entry=steps.record_entry,
            waiting=next((r for r in record.instance.steps if r.finished_at is None), None),
            panels=panels,
            duty=duty.assignment_of(record),
            arrived=arrival.astimezone(WIB) if arrival else None,
            **details,
        )

    @expose("/<int:pk>")
    @has_access
    def show(self, pk: int) -> str:
        """The instance, its step history and, for the actor, the step's form."""
        return self._page(scope.get_or_404(StepRecord, pk))

    @expose("/<int:pk>/document")
    @has_access
    def document(self, pk: int) -> Response:
        """The document uploaded with a step, for whoever may see the step."""
        record = scope.get_or_404(StepRecord, pk)
        file_id = (record.data or {}).get("file_id")
        stored = db.session.get(StoredFile, file_id) if isinstance(file_id, int) else None
        if stored is None:
            abort(404)
        return send(stored)

    @expose("/<int:pk>/open", methods=["POST"])
    @has_access
    def take_up(self, pk: int) -> Response:
        """The actor takes the step up: its 'opened' moment."""
        record = scope.get_or_404(StepRecord, pk)
        run_move(lambda: engine.open_step(record, g.user))
        return redirect(url_for(".show", pk=pk))

    @expose("/<int:pk>", methods=["POST"])
    @has_access
    def complete(self, pk: int) -> Response | str:
        """Submit the step's form; the engine moves the instance on or refuses."""
        record = scope.get_or_404(StepRecord, pk)
        screen = steps.screen_of(record)
        if not engine.can_act(g.user, record) or record.opened_at is None or screen.apply is None:
            flash(_("This step is not waiting for you."), "danger")
            return redirect(url_for(".show", pk=pk))
        form = steps.build_form(record)
        if not form.validate():
            return self._page(record, form)
        return move(record, lambda: screen.apply(record, g.user, form))

    @expose("/<int:pk>/acknowledge", methods=["POST"])
    @has_access
    def acknowledge(self, pk: int) -> Response:
        """The one on duty acknowledges the task ("diterima"): its moment is recorded."""
        record = scope.get_or_404(StepRecord, pk)
        run_move(lambda: duty.acknowledge(record, g.user), _("Acknowledged."))
        return redirect(url_for(".show", pk=pk))

    @expose("/<int:pk>/arrival", methods=["POST"])
    @has_access
    def arrival(self, pk: int) -> Response:
        """The PK arrived at the police station now: the 1-hour limit stops."""
        record = scope.get_or_404(StepRecord, pk)
        run_move(lambda: accompaniment.record_arrival(record, g.user), _("Arrival recorded."))
        return redirect(url_for(".show", pk=pk))

    @expose("/<int:pk>/close", methods=["POST"])
    @has_access
    def close(self, pk: int) -> Response:
        """Close a repeated step (e.g. the accompaniment is over)."""
        record = scope.get_or_404(StepRecord, pk)
        return move(record, lambda: engine.complete(record, g.user, outcome=CLOSE))


def move(record: StepRecord, work: Callable[[], Any]) -> Response:
    """Run a move: back to the inbox when it is done, back to the step when it is refused."""
    if run_move(work, _("Step completed.")):
        return redirect(url_for("HomeView.index"))
    return redirect(url_for("TaskView.show", pk=record.id))
