"""Client screens: the full record for PK/Kasubsi/Kepala, the register for TU."""

from __future__ import annotations

from flask import Response, abort, g
from flask_appbuilder import expose, has_access
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect

from app.extensions import db
from app.formatting import choice_label, fmt_date
from app.forms.clients import CLIENT_FIELDS, REGISTER_FIELDS, ClientForm, ClientRegisterForm
from app.models.clients import CATEGORIES, LEGAL_BASES, SEXES, STATUSES, Client
from app.security import scope
from app.security.roles import CLIENT, CLIENT_REGISTER, KASUBSI
from app.timeutil import today_wib
from app.uploads import send, store
from app.views.base import BapasModelView, ScopedInterface, confidential
from app.workflow import due_work, moves

LABELS = {
    "register_number": _l("Register number"),
    "name": _l("Name"),
    "nik": _l("NIK"),
    "birth_place": _l("Place of birth"),
    "birth_date": _l("Date of birth"),
    "sex": _l("Sex"),
    "address": _l("Address"),
    "phone": _l("Phone"),
    "category": _l("Category"),
    "guardian_name": _l("Guardian's name"),
    "guardian_relation": _l("Guardian's relation"),
    "guardian_phone": _l("Guardian's phone"),
    "legal_basis": _l("Legal basis of supervision"),
    "supervision_start": _l("Supervision starts"),
    "supervision_end": _l("Supervision ends"),
    "officer": _l("Probation officer (PK)"),
    "status": _l("Status"),
    "handover_number": _l("Handover record number"),
    "handover_date": _l("Handover record date"),
    "handover_file": _l("Handover record scan"),
    "guidance_card_number": _l("Guidance card number"),
    "confidential_notes": _l("Confidential notes"),
}
FORMATTERS = {
    "sex": choice_label(SEXES),
    "category": choice_label(CATEGORIES),
    "legal_basis": choice_label(LEGAL_BASES),
    "status": choice_label(STATUSES),
    "birth_date": fmt_date,
    "supervision_start": fmt_date,
    "supervision_end": fmt_date,
    "handover_date": fmt_date,
    "confidential_notes": confidential,
}
IDENTITY = ["register_number", "name", "category", "officer", "status"]


class ClientView(BapasModelView):
    """Clients in the user's scope: a PK its own, a Kasubsi its section, the head all."""

    datamodel = ScopedInterface(Client, eager=("officer", "handover_file"))
    class_permission_name = CLIENT
    method_permission_name = {"handover": "handover"}
    list_title = show_title = _l("Clients")
    show_template = "client_show.html"
    add_title = _l("Register client")
    edit_title = _l("Edit client")
    label_columns = LABELS
    formatters_columns = FORMATTERS
    list_columns = [*IDENTITY[:4], "supervision_end", "status"]
    search_columns = ["register_number", "name", "nik", "category", "status", "officer", "supervision_end"]
    order_columns = ["register_number", "name", "supervision_end"]
    base_order = ("name", "asc")
    show_fieldsets = [
        (
            _l("Identity"),
            {
                "fields": [
                    "register_number",
                    "name",
                    "nik",
                    "birth_place",
                    "birth_date",
                    "sex",
                    "address",
                    "phone",
                ]
            },
        ),
        (_l("Guardian"), {"fields": ["guardian_name", "guardian_relation", "guardian_phone"]}),
        (
            _l("Supervision"),
            {
                "fields": [
                    "category",
                    "legal_basis",
                    "supervision_start",
                    "supervision_end",
                    "officer",
                    "status",
                    "handover_number",
                    "handover_date",
                    "handover_file",
                    "guidance_card_number",
                ]
            },
        ),
        (_l("Confidential"), {"fields": ["confidential_notes"], "expanded": False}),
    ]
    add_form = edit_form = ClientForm
    add_columns = edit_columns = CLIENT_FIELDS

    def pre_add(self, item: Client) -> None:
        _finish_client(item)
        super().pre_add(item)

    def post_add(self, item: Client) -> None:
        _open_due_work(item)

    def post_update(self, item: Client) -> None:
        _open_due_work(item)

    def pre_update(self, item: Client) -> None:
        self.check_version(item)
        if inspect(item).attrs.officer.history.has_changes():
            if KASUBSI not in g.user.role_names:
                self.datamodel.session.rollback()
                raise PermissionError(_l("Only a Kasubsi can move a client to another PK."))
            moves.hand_over([item.id], item.officer.id if item.officer else None)
        _finish_client(item)
        self.check_scope(item)

    @expose("/handover/<int:pk>")
    @has_access
    def handover(self, pk: int) -> Response:
        """Download the scanned handover record of a client in scope."""
        client = scope.get_or_404(Client, pk)
        if client.handover_file is None:
            abort(404)
        return send(client.handover_file)


def _open_due_work(item: Client) -> None:
    """A client under supervision gets this month's report and its stage's plan at once, not at night."""
    due_work.open_for_client(item.id, today_wib())
    db.session.commit()


def _finish_client(item: Client) -> None:
    """Keep a checked handover scan (the form has checked the category against the age)."""
    pending = getattr(item, "pending_upload", None)
    if pending:
        mime, data, filename = pending
        item.handover_file = store(mime, data, filename, g.user.id)


class ClientRegisterView(BapasModelView):
    """TU's register of clients: identity and assignment only, no confidential data."""

    datamodel = ScopedInterface(Client, eager=("officer",))
    class_permission_name = CLIENT_REGISTER
    list_title = show_title = _l("Client register")
    add_title = _l("Register client")
    label_columns = LABELS
    formatters_columns = FORMATTERS
    list_columns = IDENTITY
    show_columns = [
        *IDENTITY,
        "legal_basis",
        "supervision_start",
        "supervision_end",
        "handover_number",
        "handover_date",
    ]
    search_columns = ["register_number", "name", "category", "status"]
    order_columns = ["register_number", "name"]
    base_order = ("name", "asc")
    add_form = ClientRegisterForm
    add_columns = REGISTER_FIELDS

    def pre_add(self, item: Client) -> None:
        _finish_client(item)
        super().pre_add(item)

    def post_add(self, item: Client) -> None:
        _open_due_work(item)
