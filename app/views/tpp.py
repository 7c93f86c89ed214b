"""Sidang TPP: sessions, their agenda, decisions and minutes."""

from __future__ import annotations

from flask import Response, flash, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.formatting import choice_label, fmt_date
from app.forms.tpp import TppDecisionForm, TppSessionForm
from app.models.tpp import SESSION_CLOSED, SESSION_OPEN, SESSION_STATUSES, TppItem, TppSession
from app.models.workflow import ServiceInstance, StepRecord
from app.params import record_id
from app.pdf import render_pdf
from app.security import scope
from app.security.roles import TPP
from app.views import steps
from app.views.base import BapasModelView, ScopedInterface, run_move
from app.workflow import engine, tpp
from app.workflow.definitions import OUTCOME_LABELS


class TppSessionView(BapasModelView):
    """Sessions of the TPP; each opens on its agenda."""

    datamodel = ScopedInterface(TppSession, eager=("chair",))
    class_permission_name = TPP
    base_permissions = [
        "can_list",
        "can_show",
        "can_add",
        "can_edit",
        "can_agenda",
        "can_decide",
        "can_minutes",
    ]
    # Reading the agenda is reading the session; building and closing it is "agenda".
    method_permission_name = {"agenda": "show", "close": "agenda", "add_item": "agenda"}
    list_title = show_title = _l("TPP sessions")
    add_title = _l("New TPP session")
    edit_title = _l("Edit TPP session")
    label_columns = {
        "held_on": _l("Date"),
        "place": _l("Place"),
        "chair": _l("Chair"),
        "secretary": _l("Secretary"),
        "members": _l("Members present"),
        "status": _l("Status"),
    }
    formatters_columns = {"held_on": fmt_date, "status": choice_label(SESSION_STATUSES)}
    list_columns = ["held_on", "place", "chair", "status"]
    search_columns = ["held_on", "place", "status"]
    order_columns = ["held_on"]
    base_order = ("held_on", "desc")
    add_form = edit_form = TppSessionForm
    add_columns = edit_columns = ["held_on", "place", "chair", "secretary", "members"]

    def post_add_redirect(self) -> Response:
        return redirect(url_for(".list"))

    @expose("/show/<pk>")
    @has_access
    def show(self, pk: str) -> Response:
        """A session opens on its agenda."""
        return redirect(url_for(".agenda", pk=scope.get_or_404(TppSession, pk).id))

    @expose("/agenda/<int:pk>")
    @has_access
    def agenda(self, pk: int) -> str:
        """The agenda: matters on it with their decision, and matters waiting to be put on it."""
        session = scope.get_or_404(TppSession, pk)
        forms = {}
        for item in session.items:
            form = TppDecisionForm()
            outcomes = engine.step_of(item.step_record).outcomes
            form.decision.choices = [(o, OUTCOME_LABELS[o]) for o in outcomes]
            forms[item.id] = form
        return self.render_template(
            "tpp_agenda.html",
            tpp_session=session,
            forms=forms,
            seen=scope.reachable(TppItem, [item.id for item in session.items]),
            other_matter=OTHER_MATTER,
            candidates=_candidates() if session.status == SESSION_OPEN else [],
            can_decide=self.appbuilder.sm.has_access("can_decide", TPP),
        )

    @expose("/agenda/<int:pk>/add", methods=["POST"])
    @has_access
    def add_item(self, pk: int) -> Response:
        """Put a waiting matter on the agenda."""
        session = scope.get_or_404(TppSession, pk)
        found = record_id(request.form.get("record"))
        record = scope.get_or_404(StepRecord, found) if found else None
        try:
            if record is None:
                raise engine.MoveRefused(_("This matter is already on an agenda or decided."))
            tpp.put_on_agenda(session, record)
            db.session.commit()
        except engine.MoveRefused as refused:
            db.session.rollback()
            flash(str(refused), "danger")
        return redirect(url_for(".agenda", pk=pk))

    @expose("/decide/<int:item_id>", methods=["POST"])
    @has_access
    def decide(self, item_id: int) -> Response | str:
        """The chair records the TPP's decision on one matter."""
        item = scope.get_or_404(TppItem, item_id)
        session = scope.get_or_404(TppSession, item.session_id)
        form = TppDecisionForm()
        form.decision.choices = [(o, OUTCOME_LABELS[o]) for o in engine.step_of(item.step_record).outcomes]
        if not form.validate_on_submit():
            for errors in form.errors.values():
                for error in errors:
                    flash(str(error), "danger")
            return redirect(url_for(".agenda", pk=session.id))
        run_move(
            lambda: tpp.decide(item, g.user, form.decision.data, form.notes.data), _("Decision recorded.")
        )
        return redirect(url_for(".agenda", pk=session.id))

    @expose("/close/<int:pk>", methods=["POST"])
    @has_access
    def close(self, pk: int) -> Response:
        """Close the session once every matter is decided."""
        session = scope.get_or_404(TppSession, pk)
        if any(item.decision is None for item in session.items):
            flash(_("Decide every matter on the agenda before closing the session."), "danger")
        else:
            session.status = SESSION_CLOSED
            db.session.commit()
        return redirect(url_for(".agenda", pk=pk))

    @expose("/minutes/<int:pk>")
    @has_access
    def minutes(self, pk: int) -> Response:
        """The minutes (berita acara sidang TPP) as PDF."""
        session = scope.get_or_404(TppSession, pk, options=MINUTES_LOADS)
        pdf = render_pdf(
            "pdf/tpp_minutes.html",
            session.office,
            tpp_session=session,
            seen=scope.reachable(TppItem, [item.id for item in session.items]),
            other_matter=OTHER_MATTER,
            outcome_label=choice_label(OUTCOME_LABELS),
        )
        return Response(pdf, mimetype="application/pdf")


# What the minutes read, one statement per relation (not one per agenda item): the chair and the
# secretary with the session, the members, and the items with their step, instance and client (the
# client for masking a child's name in the subject).
MINUTES_LOADS = (
    joinedload(TppSession.chair),
    joinedload(TppSession.secretary),
    selectinload(TppSession.members),
    selectinload(TppSession.items)
    .joinedload(TppItem.step_record)
    .joinedload(StepRecord.instance)
    .joinedload(ServiceInstance.client),
)

# A matter on the agenda outside the reader's scope: numbered and decided, never named.
OTHER_MATTER = _l("A matter outside your scope")


def _candidates() -> list[StepRecord]:
    """The matters waiting for the TPP that the user may reach."""
    waiting = tpp.candidates()
    seen = scope.reachable(StepRecord, [r.id for r in waiting])
    return [r for r in waiting if r.id in seen]


steps.register(
    "tpp",
    steps.StepScreen(
        elsewhere=_l("This matter is decided in a Sidang TPP."), elsewhere_endpoint="TppSessionView.list"
    ),
)
