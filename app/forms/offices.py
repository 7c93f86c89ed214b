"""Forms of the office administration: an office's letterhead and contacts, and the national fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import Regexp

from app.forms.clients import PHONE
from app.forms.fields import choice, text
from app.models.offices import OFFICE_CLASSES

EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Not a valid e-mail address."))
CODE = Regexp(r"^[A-Z0-9]{2,10}$", message=_l("Codes use capital letters and digits only (2 to 10)."))
PREFIX = Regexp(r"^[A-Za-z0-9.]+$", message=_l("The letter prefix uses letters, digits and dots only."))

LABELS = {
    "code": _l("Code"),
    "name": _l("Name on the letterhead"),
    "short_name": _l("Short name"),
    "office_class": _l("Class"),
    "city": _l("City"),
    "address": _l("Address"),
    "phone": _l("Phone"),
    "email": _l("E-mail"),
    "letter_prefix": _l("Letter number prefix"),
    "region": _l("Regional office (Kanwil)"),
    "offices": _l("Offices"),
}
DESCRIPTIONS = {
    "name": _l("As printed on letters, e.g. Balai Pemasyarakatan Kelas II Magelang"),
    "letter_prefix": _l("The start of every letter number of the office, e.g. W13.PAS.PAS.49"),
}


class OwnOfficeForm(FlaskForm):
    """What an office's own Admin may change: letterhead name, contacts and the letter prefix."""

    name = text(LABELS["name"], 120, True)
    short_name = text(LABELS["short_name"], 80, True)
    address = text(LABELS["address"], 200, True)
    phone = text(LABELS["phone"], 40, False, PHONE)
    email = text(LABELS["email"], 120, False, EMAIL)
    letter_prefix = text(LABELS["letter_prefix"], 40, True, PREFIX)


CONTACT_COLUMNS = ["name", "short_name", "address", "phone", "email", "letter_prefix"]


def national_fields() -> dict[str, object]:
    """The office form of the national Admin: code, class and city too (the same contact fields)."""
    return {
        "code": text(LABELS["code"], 10, True, CODE),
        "office_class": choice(LABELS["office_class"], OFFICE_CLASSES),
        "city": text(LABELS["city"], 80, True),
        **{column: getattr(OwnOfficeForm, column) for column in CONTACT_COLUMNS},
    }


def region_fields() -> dict[str, object]:
    """A region's code and name."""
    return {"code": text(LABELS["code"], 10, True, CODE), "name": text(_l("Name"), 120, True)}
