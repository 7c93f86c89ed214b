"""Registering an incoming letter through the API: the same form, rules and engine as TU's screen."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.forms.letters import LetterForm, as_wib
from app.models.letters import IncomingLetter
from app.models.staff import Staff
from app.workflow import correspondence
from app.workflow.definitions import OUTREACH

# What a partner system sends; a Bambang Solah request comes through the portal, with its receipt code.
FIELDS = ("service", "sender", "sender_kind", "letter_number", "letter_date", "subject", "received_at")


def register_from_json(user: Staff, body: Any) -> IncomingLetter:
    """Validate the JSON body with TU's form and register the letter; 400 with the reasons otherwise."""
    from app.api import ApiError

    if not isinstance(body, dict):
        raise ApiError(400, _("Send the letter as a JSON object."))
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        raise ApiError(400, _("Unknown field: %(names)s.", names=", ".join(unknown)))
    if any(not isinstance(value, str) for value in body.values()):
        raise ApiError(400, _("Every field is sent as text."))
    form = LetterForm(formdata=MultiDict(body), meta={"csrf": False})
    errors: dict[str, list[str]] = {}
    if body.get("service") == OUTREACH.code:
        errors["service"] = [_("A Bambang Solah request is made on the public portal.")]
    if not form.validate() or errors:
        errors.update({name: [str(e) for e in form[name].errors] for name in FIELDS if form[name].errors})
        raise ApiError(400, _("The letter was not registered; nothing was saved."), errors)
    letter = correspondence.register_letter(
        user,
        service=form.service.data,
        sender=form.sender.data,
        sender_kind=form.sender_kind.data,
        letter_number=form.letter_number.data,
        letter_date=form.letter_date.data,
        subject=form.subject.data,
        received_at=as_wib(form.received_at.data),
    )
    db.session.commit()
    return letter
