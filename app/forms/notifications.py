"""The channels a staff member chooses for their notifications (the bell is always on)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField

from app.forms.clients import PHONE
from app.forms.fields import text


class ChannelsForm(FlaskForm):
    """E-mail to the account's address, WhatsApp to a number given here."""

    email = BooleanField(_l("By e-mail"))
    whatsapp = BooleanField(_l("By WhatsApp"))
    whatsapp_number = text(_l("WhatsApp number"), 20, False, PHONE)

    def validate(self, extra_validators: Any = None) -> bool:
        """Field rules; WhatsApp needs a number."""
        ok = super().validate(extra_validators)
        if self.whatsapp.data and not (self.whatsapp_number.data or "").strip():
            self.whatsapp_number.errors = [*self.whatsapp_number.errors, _l("Give the WhatsApp number.")]
            ok = False
        return ok
