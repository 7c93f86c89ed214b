"""Staff members a complaint names in its text, and who therefore may never handle it.

A complaint taken by phone often names the officer in its text and leaves "staff member complained
about" empty; the complaint would then reach that officer. The text is searched for the full names
of the office's active staff (case and accents ignored, whole words only), the complaint unit must
say who is complained about or confirm that no one is, and nobody named is ever made the official
who answers (docs/decisions.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models.complaints import Complaint
from app.models.staff import Staff
from app.workflow import engine

BOTH_GIVEN = _l(
    'Choose the staff member complained about or tick "No staff member is complained about", not both.'
)


def fold(text: str) -> str:
    """Text for matching names: accents dropped, case folded, every run of non-letters one space."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"\w+", plain))


def text_of(title: str | None, description: str | None, staff_named: str | None) -> str:
    """The parts of a complaint that may name someone."""
    return "\n".join(part for part in (title, description, staff_named) if part)


def named_staff(text: str, office_id: int | None) -> list[Staff]:
    """Active staff of the office whose full name appears in the text as whole words."""
    haystack = f" {fold(text)} "
    if not haystack.strip() or office_id is None:
        return []
    staff = db.session.scalars(
        select(Staff)
        .where(Staff.active.is_(True), Staff.office_id == office_id)
        .order_by(Staff.first_name, Staff.last_name)
    )
    # `fold` leaves single spaces between words, so a padded substring is a whole-word match.
    return [s for s in staff if (name := fold(s.full_name)) and f" {name} " in haystack]


def named_in(complaint: Complaint) -> list[Staff]:
    """The staff members a stored complaint names in its text."""
    return named_staff(
        text_of(complaint.title, complaint.description, complaint.staff_named), complaint.office_id
    )


def barred(complaint: Complaint) -> set[int]:
    """Who may never be given the complaint: the person complained about and everyone it names."""
    ids = {s.id for s in named_in(complaint)}
    if complaint.subject_staff_id:
        ids.add(complaint.subject_staff_id)
    return ids


def barred_message(staff: Staff) -> str:
    """Why this staff member cannot be given the complaint."""
    return str(_l("%(name)s is named in the complaint and cannot handle it.", name=staff.full_name))


def names(staff: Iterable[Staff]) -> str:
    """Names for a message: "Siti Rahmawati, Budi Hartono"."""
    return ", ".join(s.full_name for s in staff)


def require_answer(named: list[Staff], subject_staff_id: int | None, confirmed: bool) -> None:
    """Refuse a complaint that names staff until the unit chooses who is complained about or
    confirms that no staff member is."""
    if named and not subject_staff_id and not confirmed:
        raise engine.MoveRefused(unanswered(named))
    if subject_staff_id and confirmed:
        raise engine.MoveRefused(BOTH_GIVEN)


def unanswered(named: list[Staff]) -> str:
    """The warning shown when the text names staff and nobody is chosen."""
    return str(
        _l(
            "The complaint names %(names)s. Choose the staff member complained about, or tick "
            '"No staff member is complained about".',
            names=names(named),
        )
    )
