"""The case form."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_appbuilder.fields import QuerySelectMultipleField
from flask_appbuilder.fieldwidgets import Select2ManyWidget
from flask_appbuilder.forms import DynamicForm
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import offices
from app.extensions import db
from app.forms.clients import limit_to_section
from app.forms.fields import choice, text
from app.models.cases import AUTHORITIES, LEGAL_STAGES, Case
from app.models.clients import SECTION_OF_CATEGORY, Client
from app.models.staff import SECTIONS
from app.security import scope
from app.security.roles import PK


def clients_in_scope() -> list[Client]:
    """Clients the current user may link to a case."""
    stmt = scope.restrict(select(Client), Client).order_by(Client.name).limit(500)
    return list(db.session.scalars(stmt))


class CaseForm(DynamicForm):
    """A case and the clients it concerns."""

    number = text(_l("Case number"), 60, True)
    offence = text(_l("Offence"), 200, True)
    article = text(_l("Article"), 120)
    authority = choice(_l("Referring authority"), AUTHORITIES)
    section = choice(_l("Section"), SECTIONS)
    legal_stage = choice(_l("Legal stage"), LEGAL_STAGES)
    clients = QuerySelectMultipleField(
        _l("Clients"),
        query_func=clients_in_scope,
        get_pk_func=lambda client: client.id,
        widget=Select2ManyWidget(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_to_section(self.section, {section: section for section in SECTIONS})

    def validate(self, extra_validators: Any = None) -> bool:
        """Field rules, then: unique number, clients of the case's section, PK links own."""
        ok = super().validate(extra_validators)
        stmt = select(Case.id).where(
            Case.number == self.number.data, Case.office_id == offices.current_office_id()
        )
        pk = (request.view_args or {}).get("pk")
        if pk is not None:
            stmt = stmt.where(Case.id != int(pk))
        if self.number.data and db.session.execute(stmt.limit(1)).first():
            self.number.errors = [*self.number.errors, _l("This case number is already used.")]
            ok = False
        clients = self.clients.data or []
        if any(SECTION_OF_CATEGORY[c.category] != self.section.data for c in clients):
            self.clients.errors = [
                *self.clients.errors,
                _l("Every client must belong to the case's section."),
            ]
            ok = False
        user = scope.current_staff()
        if user is not None and user.role_names == {PK} and not any(c.officer_id == user.id for c in clients):
            self.clients.errors = [*self.clients.errors, _l("Link at least one of your own clients.")]
            ok = False
        return ok


CASE_FIELDS = ["number", "offence", "article", "authority", "section", "legal_stage", "clients"]
