"""Group guidance (SOP 14) screens: the sessions, their list, invitations and attendance."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, abort, flash, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.formatting import choice_label, fmt_date, fmt_time
from app.forms.group_guidance import CompileForm, GroupSessionEditForm, GroupSessionForm, ProposalForm
from app.forms.guidance import SessionNoteForm, refuse
from app.models.group_guidance import INVITED, PROPOSING, SESSION_STATUSES, GroupMember, GroupSession
from app.models.staff import SECTIONS, Staff
from app.models.workflow import StepRecord
from app.pdf import render_pdf
from app.security import scope
from app.security.roles import GROUP, KASUBSI, PK
from app.views import steps
from app.views.base import BapasModelView, ScopedInterface, run_move
from app.workflow import engine, group_guidance
from app.workflow.definitions import GROUP_GUIDANCE
from app.workflow.guidance import Refused


class GroupSessionView(BapasModelView):
    """Group guidance sessions; each opens on its page."""

    datamodel = ScopedInterface(GroupSession, eager=("created_by",))
    class_permission_name = GROUP
    base_permissions = ["can_list", "can_show", "can_add", "can_edit", "can_propose", "can_compile",
                        "can_invitations", "can_attend"]  # fmt: skip
    method_permission_name = {
        "session": "show",
        "propose": "propose",
        "compile_list": "compile",
        "invite": "compile",
        "invitations": "invitations",
        "attend": "attend",
    }
    list_title = show_title = _l("Group guidance")
    add_title = _l("New group guidance session")
    edit_title = _l("Edit group guidance session")
    label_columns = {
        "topic": _l("Topic"),
        "held_on": _l("Date"),
        "starts_at": _l("Start time (WIB)"),
        "place": _l("Place"),
        "section": _l("Section"),
        "status": _l("Status"),
        "created_by": _l("Prepared by"),
    }
    formatters_columns = {
        "held_on": fmt_date,
        "starts_at": fmt_time,
        "status": choice_label(SESSION_STATUSES),
        "section": choice_label(SECTIONS),
    }
    list_columns = ["held_on", "starts_at", "topic", "section", "place", "status", "created_by"]
    search_columns = ["held_on", "topic", "status"]
    order_columns = ["held_on"]
    base_order = ("held_on", "desc")
    add_form = GroupSessionForm
    edit_form = GroupSessionEditForm
    edit_columns = ["topic", "held_on", "starts_at", "place"]

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self) -> Response | str:
        """The Kasubsi announces a session."""
        form = GroupSessionForm()
        if form.validate_on_submit():
            try:
                session = group_guidance.plan_session(
                    g.user,
                    form.topic.data,
                    form.held_on.data,
                    form.place.data,
                    starts_at=form.starts_at.data,
                    proposals_due=form.proposals_due.data,
                )
                db.session.commit()
                return redirect(url_for(".session", pk=session.id))
            except Refused as refused:
                db.session.rollback()
                refuse(form, refused)
        return self.render_template("form_page.html", form=form, title=self.add_title, submit_label=_("Save"))

    @expose("/show/<pk>")
    @has_access
    def show(self, pk: str) -> Response:
        """A session opens on its page."""
        return redirect(url_for(".session", pk=scope.get_or_404(GroupSession, pk).id))

    def _page(
        self, session: GroupSession, proposal: ProposalForm | None = None, notes: dict | None = None
    ) -> str:
        user = g.user
        members = group_guidance.members_of(session)
        seen = scope.reachable(GroupMember, [m.id for m in members], user)
        listed = {m.client_id for m in members}
        proposal = proposal or ProposalForm()
        proposing = group_guidance.can_propose(session, user)
        if proposing:
            proposal.clients.choices = [
                (c.id, str(c)) for c in group_guidance.proposable(session) if c.id not in listed
            ]
        compile_form = CompileForm()
        compile_form.members.choices = [
            (m.id, f"{m.client if m.id in seen else OTHER_SECTION} — {m.proposed_by.full_name}")
            for m in members
        ]
        compile_form.members.data = [m.id for m in members]
        notes = notes or {}
        mine = [m for m in members if m.proposed_by_id == user.id and m.included and m.attended is None]
        return self.render_template(
            "group_session.html",
            group=session,
            members=members,
            seen=seen,
            other_section=OTHER_SECTION,
            proposal=proposal if proposing else None,
            other_section_pk=session.status == PROPOSING and PK in user.role_names and not proposing,
            sections=SECTIONS,
            compile_form=compile_form,
            organiser=KASUBSI in user.role_names and user.section == session.section,
            attendance={m.id: notes.get(m.id) or SessionNoteForm(prefix=f"m{m.id}") for m in mine}
            if session.status == INVITED
            else {},
            statuses=SESSION_STATUSES,
        )

    @expose("/session/<int:pk>")
    @has_access
    def session(self, pk: int) -> str:
        """The session: its list, the forms of whoever has something to do."""
        return self._page(scope.get_or_404(GroupSession, pk))

    def _act(self, session: GroupSession, work: Callable[[], Any], done: str) -> Response:
        run_move(work, done)
        return redirect(url_for(".session", pk=session.id))

    @expose("/session/<int:pk>/propose", methods=["POST"])
    @has_access
    def propose(self, pk: int) -> Response | str:
        """A PK proposes clients."""
        session = scope.get_or_404(GroupSession, pk)
        form = ProposalForm()
        if form.validate_on_submit():
            nobody = request.form.get("none") == "1"
            try:
                if nobody:
                    group_guidance.propose_none(session, g.user)
                else:
                    group_guidance.propose(session, g.user, form.clients.data or [])
                engine.commit()
                flash(
                    _("Noted: you have no client to propose.")
                    if nobody
                    else _("Your list has been submitted."),
                    "success",
                )
                return redirect(url_for(".session", pk=pk))
            except Refused as refused:
                db.session.rollback()
                refuse(form, refused)
        return self._page(session, proposal=form)

    @expose("/session/<int:pk>/compile", methods=["POST"])
    @has_access
    def compile_list(self, pk: int) -> Response:
        """The Kasubsi BKD compiles the session list."""
        session = scope.get_or_404(GroupSession, pk)
        form = CompileForm()
        if not form.validate_on_submit():
            abort(400)
        chosen = form.members.data or []
        return self._act(
            session, lambda: group_guidance.compile_list(session, g.user, chosen), _("List compiled.")
        )

    @expose("/session/<int:pk>/invite", methods=["POST"])
    @has_access
    def invite(self, pk: int) -> Response:
        """The listed clients are invited."""
        session = scope.get_or_404(GroupSession, pk)
        return self._act(session, lambda: group_guidance.invite(session, g.user), _("Invitations issued."))

    @expose("/session/<int:pk>/invitations")
    @has_access
    def invitations(self, pk: int) -> Response:
        """The invitation letters, one page per listed client."""
        session = scope.get_or_404(GroupSession, pk)
        if session.invitation_number is None:
            abort(404)
        members = [m for m in group_guidance.members_of(session) if m.included]
        seen = scope.reachable(GroupMember, [m.id for m in members])
        members = [m for m in members if m.id in seen]
        signer = db.session.get(Staff, session.created_by_id) if session.created_by_id else None
        pdf = render_pdf(
            "pdf/group_invitation.html", session.office, session=session, members=members, signer=signer
        )
        return Response(pdf, mimetype="application/pdf")

    @expose("/member/<int:member_id>/attend", methods=["POST"])
    @has_access
    def attend(self, member_id: int) -> Response | str:
        """The PK records a listed client's attendance and guidance."""
        member = db.session.get(GroupMember, member_id)
        if member is None:
            abort(404)
        session = scope.get_or_404(GroupSession, member.session_id)
        came = request.form.get("attended") == "1"
        form = SessionNoteForm(prefix=f"m{member.id}")
        if came and not form.validate_on_submit():
            return self._page(session, notes={member.id: form})
        note = form.fields_data() if came else None
        run_move(lambda: group_guidance.record_attendance(member, g.user, came, note))
        return redirect(url_for(".session", pk=session.id))


# A member whose client lies outside the reader's scope: counted and compiled, never named.
OTHER_SECTION = _l("Client outside your scope")


def _session_link(record: StepRecord) -> str:
    return url_for("GroupSessionView.session", pk=record.instance.data["session"])


ON_THE_SESSION = steps.StepScreen(
    elsewhere=_l("This step is done on the page of the group guidance session."), elsewhere_link=_session_link
)
for _form in ("group_propose", "group_compile", "group_invite", "group_attend"):
    steps.register(_form, ON_THE_SESSION)
steps.register_panel(
    (GROUP_GUIDANCE.code,),
    "tasks/group.html",
    lambda record: {"group": db.session.get(GroupSession, record.instance.data["session"])},
)
