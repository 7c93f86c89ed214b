"""Incoming letters: TU's registration, the agenda book, the disposition sheet."""

from __future__ import annotations

from flask import Response, abort, flash, g, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.extensions import appbuilder, db
from app.formatting import choice_label, fmt_date, fmt_datetime
from app.forms.letters import AssignForm, DispositionForm, LetterForm, as_wib
from app.forms.tasks import AccompanyForm
from app.models.letters import INSTRUCTIONS, SENDER_KINDS, URGENCIES, IncomingLetter
from app.models.staff import Staff
from app.models.workflow import StepRecord
from app.pdf import disposition_sheet
from app.security import scope
from app.security.roles import LETTER
from app.uploads import send
from app.views import steps
from app.views.base import BapasModelView, ScopedInterface
from app.workflow import accompaniment, correspondence, inbox, outreach
from app.workflow.definitions import CHILD_ACCOMPANIMENT, INCOMING_LETTER, OUTREACH, SERVICES


class IncomingLetterView(BapasModelView):
    """The agenda book of incoming letters, in the user's scope."""

    datamodel = ScopedInterface(IncomingLetter, eager=("instance",))
    class_permission_name = LETTER
    base_permissions = ["can_list", "can_show", "can_register", "can_sheet", "can_attachment"]
    list_title = show_title = _l("Incoming letters")
    show_template = "letter_show.html"
    label_columns = {
        "agenda_number": _l("Agenda number"),
        "agenda_year": _l("Year"),
        "sender": _l("Sender"),
        "sender_kind": _l("Kind of sender"),
        "letter_number": _l("Letter number"),
        "letter_date": _l("Letter date"),
        "subject": _l("Subject"),
        "received_at": _l("Received at"),
        "registered_at": _l("Registered at"),
        "registered_by": _l("Registered by"),
        "instance": _l("Service"),
    }
    formatters_columns = {
        "sender_kind": choice_label(SENDER_KINDS),
        "letter_date": fmt_date,
        "received_at": fmt_datetime,
        "registered_at": fmt_datetime,
    }
    list_columns = ["agenda_number", "received_at", "sender", "letter_number", "subject"]
    show_columns = [
        "agenda_number", "sender", "sender_kind", "letter_number", "letter_date", "subject",
        "received_at", "registered_at", "registered_by", "instance",
    ]  # fmt: skip
    search_columns = ["agenda_year", "sender", "sender_kind", "letter_number", "subject", "received_at"]
    order_columns = ["received_at", "sender"]
    base_order = ("received_at", "desc")

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk: str) -> str:
        """The letter's details, with its disposition sheet and, for who may open it, its scan."""
        letter = scope.get_or_404(IncomingLetter, pk)
        return self.render_template(
            self.show_template,
            pk=letter.id,
            title=self.show_title,
            widgets=self._show(letter.id),
            related_views=self._related_views,
            letter=letter,
            scan=scan_url(letter),
        )

    @expose("/register", methods=["GET", "POST"])
    @has_access
    def register(self) -> Response | str:
        """TU registers a letter: agenda number, service started, registration step finished."""
        form = LetterForm()
        if form.validate_on_submit():
            upload = None
            if form.checked_upload:
                upload = (*form.checked_upload, form.attachment.data.filename)
            fields = {
                "sender": form.sender.data,
                "sender_kind": form.sender_kind.data,
                "letter_number": form.letter_number.data,
                "letter_date": form.letter_date.data,
                "subject": form.subject.data,
                "received_at": as_wib(form.received_at.data),
                "upload": upload,
            }
            asked = None  # an outreach request the letter carries
            if form.service.data == OUTREACH.code:
                asked = outreach.from_letter(
                    g.user, fields, {f: form[f].data for f in LetterForm.OUTREACH_FIELDS}
                )
                letter = asked.letter
            else:
                letter = correspondence.register_letter(g.user, service=form.service.data, **fields)
            db.session.commit()
            flash(
                _("Letter registered with agenda number %(number)s.", number=letter.agenda_number), "success"
            )
            if asked is not None:
                flash(
                    _(
                        "Receipt code for the requester to follow the request: %(code)s",
                        code=asked.receipt_code,
                    ),
                    "info",
                )
            return redirect(url_for(".show", pk=letter.id))
        return self.render_template(
            "form_page.html", form=form, title=_("Register incoming letter"), submit_label=_("Register")
        )

    @expose("/sheet/<int:pk>")
    @has_access
    def sheet(self, pk: int) -> Response:
        """The disposition sheet (lembar disposisi) as PDF."""
        letter = scope.get_or_404(IncomingLetter, pk)
        return Response(
            disposition_sheet(letter),
            mimetype="application/pdf",
            headers={
                "Content-Disposition": f"inline; filename=disposisi-{letter.agenda_number}.pdf".replace(
                    "/", "-"
                )
            },
        )

    @expose("/attachment/<int:pk>")
    @has_access
    def attachment(self, pk: int) -> Response:
        """The scanned letter, for those who may see the letter."""
        letter = scope.get_or_404(IncomingLetter, pk)
        if letter.attachment is None:
            abort(404)
        return send(letter.attachment)


def scan_url(letter: IncomingLetter | None) -> str | None:
    """The link to a letter's scan for a reader who may open it (permission and row scope), else None;
    the download route checks both again."""
    if letter is None or letter.attachment_id is None:
        return None
    if not appbuilder.sm.has_access("can_attachment", LETTER) or not scope.allows(letter):
        return None
    return url_for("IncomingLetterView.attachment", pk=letter.id)


def _disposition_form(record: StepRecord) -> DispositionForm:
    form = DispositionForm()
    form.to.choices = [
        (s.id, f"{s.full_name} — {s.position or ''} ({s.section or '-'})")
        for s in correspondence.disposition_targets(record)
    ]
    return form


def _dispose(record: StepRecord, user: Staff, form: DispositionForm) -> None:
    correspondence.dispose(
        record,
        user,
        to=db.session.get(Staff, form.to.data),
        instructions=form.instructions.data,
        note=form.note.data,
        urgency=form.urgency.data,
        deadline=as_wib(form.deadline.data),
    )


def _assign_form(record: StepRecord) -> AssignForm:
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


def _assign(record: StepRecord, user: Staff, form: AssignForm) -> None:
    chosen = {s.id: s for s, _c, _t in inbox.caseloads(record.section)}
    correspondence.assign(
        record, user, [chosen[i] for i in form.officers.data if i in chosen], form.note.data
    )


steps.register("dispose", steps.StepScreen(build=_disposition_form, apply=_dispose))
steps.register("appoint", steps.StepScreen(build=_assign_form, apply=_assign))
steps.register(
    "accompany", steps.StepScreen(build=lambda _record: AccompanyForm(), apply=accompaniment.record_child)
)
steps.register(
    "register", steps.StepScreen(elsewhere=_l("This step is completed when TU registers the letter."))
)
steps.register_panel(
    (INCOMING_LETTER.code, CHILD_ACCOMPANIMENT.code, OUTREACH.code),
    "tasks/letter.html",
    lambda record: (
        {"letter": letter, "letter_scan": scan_url(letter)}
        if (letter := correspondence.letter_of(record))
        else None
    ),
)
# Every step after a disposition shows what it hands on: instructions, urgency, deadline and notes.
steps.register_panel(
    tuple(code for code, s in SERVICES.items() if any(step.form == "dispose" for step in s.steps)),
    "tasks/disposition.html",
    lambda record: (
        {"disposition": d, "instructions": INSTRUCTIONS, "urgencies": URGENCIES}
        if (d := correspondence.disposition_of(record))
        else None
    ),
)
