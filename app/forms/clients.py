"""The client form: field rules and the rules that tie fields together."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import request
from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.forms import DynamicForm
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms.validators import Optional, Regexp

from app import offices
from app.extensions import db
from app.forms.fields import area, checked_upload, choice, day, text, upload
from app.forms.ranges import BIRTH, HANDOVER, SUPERVISION_END, SUPERVISION_START, category_refusal
from app.models.clients import (
    ACCOMPANIED,
    CATEGORIES,
    CHILD,
    LEGAL_BASES,
    SECTION_OF_CATEGORY,
    SEXES,
    STATUSES,
    Client,
)
from app.models.staff import Staff
from app.security import scope
from app.security.roles import PK
from app.timeutil import WIB, as_utc, today_wib

PHONE = Regexp(r"^[0-9+() -]{6,20}$", message=_l("Phone numbers use digits, +, spaces or dashes."))


def pk_officers() -> list[Staff]:
    """Active PK accounts, by name."""
    from flask_appbuilder.security.sqla.models import Role

    stmt = (
        select(Staff)
        .join(Staff.roles)
        .where(Role.name == PK, Staff.active.is_(True), scope.staff_clause(scope.current_staff()))
        .order_by(Staff.first_name, Staff.last_name)
    )
    section = scope.writable_section(scope.current_staff())
    if section is not None:
        stmt = stmt.where(Staff.section == section)
    return list(db.session.scalars(stmt).unique())


def limit_to_section(field: Any, section_of_choice: dict[str, str]) -> None:
    """Offer only the choices of the user's own section (a Kasubsi or PK writes for its section)."""
    section = scope.writable_section(scope.current_staff())
    if section is not None:
        field.choices = [
            (key, label) for key, label in field.choices if section_of_choice.get(key) == section
        ]


class ClientForm(DynamicForm):
    """Everything a Kasubsi or PK records about a client."""

    register_number = text(_l("Register number"), 30, True)
    name = text(_l("Name"), 120, True)
    nik = text(_l("NIK"), 16, False, Regexp(r"^\d{16}$", message=_l("NIK must be exactly 16 digits.")))
    birth_place = text(_l("Place of birth"), 80)
    birth_date = day(_l("Date of birth"), window=BIRTH)
    sex = choice(_l("Sex"), SEXES)
    address = area(_l("Address"), 500, True)
    phone = text(_l("Phone"), 20, False, PHONE)
    category = choice(_l("Category"), CATEGORIES)
    guardian_name = text(_l("Guardian's name"), 120)
    guardian_relation = text(_l("Guardian's relation"), 40)
    guardian_phone = text(_l("Guardian's phone"), 20, False, PHONE)
    legal_basis = choice(_l("Legal basis of supervision"), LEGAL_BASES)
    supervision_start = day(_l("Supervision starts"), window=SUPERVISION_START)
    supervision_end = day(_l("Supervision ends"), window=SUPERVISION_END)
    officer = QuerySelectField(
        _l("Probation officer (PK)"),
        query_func=pk_officers,
        get_pk_func=lambda staff: staff.id,
        allow_blank=True,
        blank_text="—",
        widget=Select2Widget(),
        validators=[Optional()],
    )
    status = choice(_l("Status"), STATUSES)
    handover_number = text(_l("Handover record number"), 60)
    handover_date = day(_l("Handover record date"), window=HANDOVER)
    handover_upload = upload(_l("Handover record scan"))
    guidance_card_number = text(_l("Guidance card number"), 30)
    confidential_notes = area(_l("Confidential notes"), 5000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_to_section(self.category, SECTION_OF_CATEGORY)

    def validate(self, extra_validators: Any = None) -> bool:
        """Field rules first, then the rules between fields."""
        ok = super().validate(extra_validators)
        return self._validate_together() and ok

    def _fail(self, field: Any, message: str) -> bool:
        field.errors = [*field.errors, message]
        return False

    def _validate_together(self) -> bool:
        ok = True
        start, end, born = self.supervision_start.data, self.supervision_end.data, self.birth_date.data
        if start and end and end <= start:
            ok = self._fail(self.supervision_end, _l("Supervision must end after it starts."))
        if self.status.data != ACCOMPANIED:
            for field in (self.supervision_start, self.supervision_end):
                if field.data is None and not field.errors:
                    ok = self._fail(field, _l("Required for a client under supervision."))
        category = self.category.data
        if not self.birth_date.errors and not self.supervision_start.errors:
            # The offence's date is not recorded: the age at the start of supervision, else at registration.
            on = start or self._registered_on()
            refusal = category_refusal(category, born, on, self.category.label.text)
            if refusal:
                ok = self._fail(self.category, refusal)
        section = scope.writable_section(scope.current_staff())
        if section is not None and SECTION_OF_CATEGORY.get(category) != section:
            ok = self._fail(self.category, _l("This client belongs to another section: register it there."))
        if category == CHILD and not (self.guardian_name.data or "").strip():
            ok = self._fail(self.guardian_name, _l("A child client needs a guardian."))
        officer = self.officer.data if "officer" in self else None
        if officer is not None and officer.section and officer.section != SECTION_OF_CATEGORY.get(category):
            ok = self._fail(self.officer, _l("This PK works in another section."))
        ok = self._validate_unique("register_number", _l("This register number is already used.")) and ok
        ok = (
            self._validate_unique("guidance_card_number", _l("This guidance card number is already used."))
            and ok
        )
        return checked_upload(self, self.handover_upload) and ok

    def populate_obj(self, obj: Any) -> None:
        """Copy the fields; hand a checked upload over as `pending_upload`."""
        upload = self._fields.pop("handover_upload")
        try:
            super().populate_obj(obj)
        finally:
            self._fields["handover_upload"] = upload
        checked = getattr(self, "checked_upload", None)
        obj.pending_upload = (*checked, upload.data.filename) if checked else None

    def _registered_on(self) -> date:
        """The day the edited client was registered, or today for a new one."""
        pk = (request.view_args or {}).get("pk")
        created = db.session.scalar(select(Client.created_at).where(Client.id == int(pk))) if pk else None
        return as_utc(created).astimezone(WIB).date() if created else today_wib()

    def _validate_unique(self, column: str, message: str) -> bool:
        field = getattr(self, column)
        if not field.data:
            field.data = None
            return True
        # Numbers are unique within an office.
        stmt = select(Client.id).where(
            getattr(Client, column) == field.data, Client.office_id == offices.current_office_id()
        )
        pk = (request.view_args or {}).get("pk")
        if pk is not None:
            stmt = stmt.where(Client.id != int(pk))
        if db.session.execute(stmt.limit(1)).first():
            return self._fail(field, message)
        return True


class ClientRegisterForm(ClientForm):
    """TU's registration: no PK assignment, no confidential notes."""

    officer = None
    confidential_notes = None


CLIENT_FIELDS = [
    "register_number", "name", "nik", "birth_place", "birth_date", "sex", "address", "phone",
    "category", "guardian_name", "guardian_relation", "guardian_phone", "legal_basis",
    "supervision_start", "supervision_end", "officer", "status", "handover_number",
    "handover_date", "handover_upload", "guidance_card_number", "confidential_notes",
]  # fmt: skip
REGISTER_FIELDS = [f for f in CLIENT_FIELDS if f not in ("officer", "confidential_notes")]
