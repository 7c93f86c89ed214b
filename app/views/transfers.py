"""Transfers of clients between offices: the proposal from the client's page, the step screens,
the summary both offices keep ("Klien pindah") and the transfer letter."""

from __future__ import annotations

from flask import Response, abort, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import masking
from app.formatting import choice_label, fmt_datetime
from app.forms.transfers import (
    TransferAssignForm,
    TransferDecisionForm,
    TransferProposalForm,
    TransferRenewalForm,
)
from app.models.clients import Client
from app.models.staff import Staff
from app.models.transfers import TRANSFER_STATUSES, ClientTransfer
from app.models.workflow import StepRecord
from app.pdf import transfer_letter
from app.security import scope
from app.security.roles import TRANSFER
from app.views import steps
from app.views.base import BapasModelView, ScopedInterface, run_move
from app.workflow import engine, inbox, transfers
from app.workflow.definitions import APPROVE, CLIENT_TRANSFER, REJECT


def _client_name(client: Client | None) -> str:
    return str(masking.masked_value(client, "name", client.name)) if client else ""


class ClientTransferView(BapasModelView):
    """Transfers in the user's scope: the origin's summary of clients who left, and the
    destination's of clients who came (from acceptance on)."""

    datamodel = ScopedInterface(ClientTransfer, eager=("client", "origin_office", "destination_office"))
    class_permission_name = TRANSFER
    base_permissions = ["can_list", "can_show", "can_letter", "can_propose"]
    list_title = show_title = _l("Client transfers")
    label_columns = {
        "origin_register_number": _l("Register number at the origin"),
        "client": _l("Client"),
        "origin_office": _l("Origin Bapas"),
        "destination_office": _l("Destination Bapas"),
        "proposed_at": _l("Proposed at"),
        "decided_at": _l("Decided at"),
        "status": _l("Status"),
    }
    formatters_columns = {
        "client": _client_name,
        "status": choice_label(TRANSFER_STATUSES),
        "proposed_at": fmt_datetime,
        "decided_at": fmt_datetime,
    }
    list_columns = [
        "origin_register_number", "client", "origin_office", "destination_office", "proposed_at",
        "decided_at", "status",
    ]  # fmt: skip
    search_columns = ["origin_register_number", "status", "proposed_at"]
    order_columns = ["proposed_at", "decided_at"]
    base_order = ("proposed_at", "desc")

    @expose("/show/<pk>")
    @has_access
    def show(self, pk: str) -> str:
        """The read-only summary of one transfer."""
        transfer = scope.get_or_404(ClientTransfer, int(pk) if str(pk).isdigit() else 0)
        return self.render_template(
            "transfer_show.html",
            transfer=transfer,
            statuses=TRANSFER_STATUSES,
            name=_client_name(transfer.client),
        )

    @expose("/letter/<int:pk>")
    @has_access
    def letter(self, pk: int) -> Response:
        """The transfer letter (PDF), once the origin's Kepala has approved the transfer."""
        transfer = scope.get_or_404(ClientTransfer, pk)
        if not transfer.letter_number:
            abort(404)
        name = "pindah-" + "".join(c if c.isalnum() else "-" for c in transfer.letter_number)
        return Response(
            transfer_letter(transfer),
            mimetype="application/pdf",
            headers={"Content-Disposition": f"inline; filename={name}.pdf"},
        )

    @expose("/propose/<int:client_id>", methods=["GET", "POST"])
    @has_access
    def propose(self, client_id: int) -> Response | str:
        """The client's PK proposes its transfer to another Bapas (from the client's page)."""
        client = scope.get_or_404(Client, client_id)
        form = TransferProposalForm()
        form.destination_office_id.choices = [(o.id, o.name) for o in transfers.destinations(client)]
        if request.method == "POST" and form.validate():
            fields = {name: form[name].data for name in transfers.PROPOSAL_FIELDS}
            made: list[ClientTransfer] = []
            if run_move(
                lambda: made.append(transfers.propose(g.user, client, fields)),
                _("The transfer has been proposed to the Kepala."),
            ):
                return redirect(url_for(".show", pk=made[0].id))
        return self.render_template(
            "form_page.html",
            form=form,
            title=_("Transfer %(client)s to another Bapas", client=masking.label(client)),
            submit_label=_("Propose the transfer"),
        )


def _renewal_form(record: StepRecord) -> TransferRenewalForm:
    transfer = transfers.transfer_of(record)
    form = TransferRenewalForm()
    # A screen built without its transfer (a step checked on its own) offers no destination.
    offices_ = transfers.destinations(transfer.client) if transfer is not None else []
    form.destination_office_id.choices = [(0, "—")] + [(o.id, o.name) for o in offices_]
    if request.method == "GET" and transfer is not None:
        form.destination_office_id.data = transfer.destination_office_id
        form.reason.data, form.new_address.data = transfer.reason, transfer.new_address
    return form


def _renew(record: StepRecord, user: Staff, form: TransferRenewalForm) -> None:
    fields = {name: form[name].data for name in transfers.PROPOSAL_FIELDS}
    withdraw = form.outcome.data == REJECT
    transfers.propose_again(record, user, fields, withdraw, form.note.data if withdraw else form.reason.data)


def _decision_form(record: StepRecord) -> TransferDecisionForm:
    transfer = transfers.transfer_of(record)
    form = TransferDecisionForm()
    if request.method == "GET" and transfer is not None:
        form.register_number.data = transfer.origin_register_number
    return form


def _decide(record: StepRecord, user: Staff, form: TransferDecisionForm) -> None:
    number = (form.register_number.data or "").strip()
    accepted = form.outcome.data == APPROVE
    if accepted and transfers.register_number_taken(record.instance.office_id, number):
        raise engine.MoveRefused(_l("The destination already has a client with this register number."))
    data = {"register_number": number} if accepted else {}
    engine.complete(record, user, outcome=form.outcome.data, note=form.note.data or None, data=data)


def _pk_choices(record: StepRecord) -> dict[int, tuple[Staff, str]]:
    return {
        staff.id: (staff, _("%(name)s — %(clients)d open clients", name=staff.full_name, clients=clients))
        for staff, clients, _tasks in inbox.caseloads(record.section)
    }


def _assign_form(record: StepRecord) -> TransferAssignForm:
    form = TransferAssignForm()
    form.officer.choices = [(pk, label) for pk, (_staff, label) in _pk_choices(record).items()]
    return form


def _assign(record: StepRecord, user: Staff, form: TransferAssignForm) -> None:
    chosen = _pk_choices(record).get(form.officer.data)
    if chosen is None:
        raise engine.MoveRefused(_l("Choose PK of this section."))
    transfers.assign(record, user, chosen[0], form.note.data or None)


steps.register("transfer_propose", steps.StepScreen(build=_renewal_form, apply=_renew))
steps.register(
    "transfer_accept",
    steps.StepScreen(build=_decision_form, apply=_decide, submit_label=_l("Save the decision")),
)
steps.register("transfer_assign", steps.StepScreen(build=_assign_form, apply=_assign))


def _panel(record: StepRecord) -> dict:
    transfer = transfers.transfer_of(record)
    return {"transfer": transfer, "statuses": TRANSFER_STATUSES, "name": _client_name(transfer.client)}


steps.register_panel((CLIENT_TRANSFER.code,), "tasks/transfer.html", _panel)
