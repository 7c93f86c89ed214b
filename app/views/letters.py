"""Incoming letters: TU's registration, the agenda book, the disposition sheet."""

from __future__ import annotations

from flask import Response, abort, flash, g, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.formatting import choice_label, fmt_date, fmt_datetime
from app.forms.letters import LetterForm, as_wib
from app.models.letters import SENDER_KINDS, IncomingLetter
from app.pdf import disposition_sheet
from app.security import scope
from app.security.roles import LETTER
from app.uploads import send
from app.views.base import BapasModelView, ScopedInterface
from app.workflow import correspondence


class IncomingLetterView(BapasModelView):
    """The agenda book of incoming letters, in the user's scope."""

    datamodel = ScopedInterface(IncomingLetter, eager=("instance",))
    class_permission_name = LETTER
    base_permissions = ["can_list", "can_show", "can_register", "can_sheet", "can_attachment"]
    list_title = show_title = _l("Incoming letters")
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

    @expose("/register", methods=["GET", "POST"])
    @has_access
    def register(self) -> Response | str:
        """TU registers a letter: agenda number, service started, registration step finished."""
        form = LetterForm()
        if form.validate_on_submit():
            upload = None
            if form.checked_upload:
                upload = (*form.checked_upload, form.attachment.data.filename)
            letter = correspondence.register_letter(
                g.user,
                service=form.service.data,
                sender=form.sender.data,
                sender_kind=form.sender_kind.data,
                letter_number=form.letter_number.data,
                letter_date=form.letter_date.data,
                subject=form.subject.data,
                received_at=as_wib(form.received_at.data),
                upload=upload,
            )
            db.session.commit()
            flash(
                _("Letter registered with agenda number %(number)s.", number=letter.agenda_number), "success"
            )
            return redirect(url_for(".show", pk=letter.id))
        return self.render_template("letter_register.html", form=form, title=_("Register incoming letter"))

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
