"""Forms of the public portal (no login)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import Regexp

from app.forms.clients import PHONE
from app.forms.fields import area, checked_upload, choice, consent, day, spam_trap, text, upload
from app.forms.ranges import BIRTH, PLANNED, TRIP_RETURN
from app.models.travel_permits import RELATIONS


class TripForm(FlaskForm):
    """The trip and the applicant, shared by the request and its correction."""

    applicant_name = text(_l("Your name"), 120, True)
    applicant_relation = choice(_l("You are"), RELATIONS)
    applicant_phone = text(_l("Your phone / WhatsApp number"), 20, True, PHONE)
    destination_city = text(_l("Destination city / regency"), 120, True)
    destination_address = area(_l("Address at the destination"), 300, True)
    purpose = area(_l("Purpose of the trip"), 500, True)
    depart_on = day(_l("Departure date"), True, window=PLANNED)
    return_on = day(_l("Return date"), True, window=TRIP_RETURN)
    signature = upload(_l("Scanned signature of the client"))
    website = spam_trap()

    signature_required = True

    def validate(self, extra_validators: Any = None) -> bool:
        """Field rules, then the dates and the signature file."""
        ok = super().validate(extra_validators)
        depart, back = self.depart_on.data, self.return_on.data
        if depart and back and back < depart:
            self.return_on.errors = [
                *self.return_on.errors,
                _l("The return date is before the departure date."),
            ]
            ok = False
        if self.signature_required and not (self.signature.data and self.signature.data.filename):
            self.signature.errors = [*self.signature.errors, _l("Please attach the scanned signature.")]
            return False
        return checked_upload(self, self.signature) and ok


class PermitRequestForm(TripForm):
    """The online request for a travel permit (replaces the bit.ly form)."""

    register_number = text(_l("Client register number"), 30)
    nik = text(_l("Client NIK"), 16, False, Regexp(r"^\d{16}$", message=_l("NIK must be exactly 16 digits.")))
    birth_date = day(_l("Client date of birth"), True, window=BIRTH)
    notify_consent = consent()

    def validate(self, extra_validators: Any = None) -> bool:
        """The trip rules, and a register number or NIK to find the client."""
        ok = super().validate(extra_validators)
        if not (self.register_number.data or "").strip() and not (self.nik.data or "").strip():
            self.register_number.errors = [
                *self.register_number.errors,
                _l("Fill in the register number or the NIK of the client."),
            ]
            ok = False
        return ok


class CorrectionForm(TripForm):
    """The applicant corrects a request the PK sent back; a new signature is optional."""

    signature_required = False


class LookupForm(FlaskForm):
    """Find a request by its receipt code."""

    code = text(_l("Receipt code"), 32, True)


PERMIT_FIELDS = [
    "register_number", "nik", "birth_date", "applicant_name", "applicant_relation", "applicant_phone",
    "destination_city", "destination_address", "purpose", "depart_on", "return_on", "signature",
    "notify_consent",
]  # fmt: skip
