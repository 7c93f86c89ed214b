"""Transfer of a client to another Bapas (pindah wilayah): the proposal, the decisions of both
Kepala, the move of the file at acceptance and the destination's PK."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from app import audit
from app.extensions import db
from app.models.cases import Case, case_client
from app.models.clients import ACCOMPANIED, ACTIVE, Client
from app.models.guidance import GuidanceLog, ProgressReport
from app.models.letters import IncomingLetter, next_agenda_seq
from app.models.offices import Office
from app.models.staff import Staff
from app.models.transfers import (
    ACCEPTED,
    AWAITING,
    COMPLETED,
    PROPOSED,
    REFUSED,
    REJECTED,
    RETURNED,
    WITHDRAWN,
    ClientTransfer,
)
from app.models.workflow import StepRecord
from app.security.roles import PK
from app.timeutil import WIB, utcnow
from app.workflow import engine, moves
from app.workflow.definitions import APPROVE, CLIENT_TRANSFER, DONE, REJECT, RETURN

LETTER_SERIES = "PK.01.06"  # surat pengantar pemindahan klien
PROPOSAL_FIELDS = ("destination_office_id", "reason", "new_address")
TRANSFERABLE = (ACTIVE, ACCOMPANIED)


def transfer_of(record: StepRecord) -> ClientTransfer:
    """The transfer behind a step of the service."""
    return db.session.scalar(select(ClientTransfer).where(ClientTransfer.instance_id == record.instance_id))


def destinations(client: Client) -> list[Office]:
    """The offices a client may be transferred to: every office of the instance but its own."""
    return list(db.session.scalars(select(Office).where(Office.id != client.office_id).order_by(Office.name)))


def _check_destination(client: Client, destination_id: int) -> None:
    if destination_id == client.office_id or db.session.get(Office, destination_id) is None:
        raise engine.MoveRefused(_l("Choose another Bapas as the destination."))


def propose(user: Staff, client: Client, fields: dict[str, Any]) -> ClientTransfer:
    """The client's PK proposes the transfer; the origin's Kepala decides next (the caller commits)."""
    if client.officer_id != user.id or PK not in user.role_names:
        raise engine.MoveRefused(_l("Only the client's own PK proposes a transfer."))
    if client.status not in TRANSFERABLE:
        raise engine.MoveRefused(_l("Only a client under supervision or accompaniment can be transferred."))
    _check_destination(client, fields["destination_office_id"])
    if db.session.scalar(select(ClientTransfer.id).where(ClientTransfer.pending_client_id == client.id)):
        raise engine.MoveRefused(_l("A transfer of this client is already under way."))
    instance = engine.start(
        CLIENT_TRANSFER.code,
        f"{client.register_number}: {CLIENT_TRANSFER.title}",
        section=client.section,
        officer_id=client.officer_id,
        client_id=client.id,
        office_id=client.office_id,
    )
    transfer = ClientTransfer(
        instance=instance, client=client, pending_client_id=client.id, section=client.section,
        origin_office_id=client.office_id, origin_register_number=client.register_number,
        proposed_by_id=user.id, proposed_at=utcnow(), status=PROPOSED, moved={},
        **{field: fields[field] for field in PROPOSAL_FIELDS},
    )  # fmt: skip
    db.session.add(transfer)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same proposal sent twice at once
        raise engine.MoveRefused(_l("A transfer of this client is already under way.")) from exc
    engine.complete(instance.steps[0], user, note=fields["reason"])
    return transfer


def propose_again(record: StepRecord, user: Staff, fields: dict[str, Any], withdraw: bool, note: str) -> None:
    """After a return or a refusal: the PK proposes again (perhaps elsewhere) or withdraws."""
    step = engine.claim(record, user, outcome=REJECT if withdraw else DONE, note=note)
    transfer = transfer_of(record)
    if not withdraw:
        _check_destination(transfer.client, fields["destination_office_id"])
        for field in PROPOSAL_FIELDS:
            setattr(transfer, field, fields[field])
    engine.advance(record, step)


@engine.on(CLIENT_TRANSFER.code, "propose", DONE)
def _proposed(record: StepRecord) -> None:
    transfer_of(record).status = PROPOSED


@engine.on(CLIENT_TRANSFER.code, "propose", REJECT)
def _withdrawn(record: StepRecord) -> None:
    _closed(transfer_of(record), WITHDRAWN, record)


@engine.on(CLIENT_TRANSFER.code, "approve", APPROVE)
def _approved(record: StepRecord) -> None:
    """The origin signs the transfer letter; the matter goes to the destination's Kepala, with no
    section of the destination yet (its Kasubsi and PK see nothing before acceptance)."""
    transfer = transfer_of(record)
    year = utcnow().astimezone(WIB).year
    origin = transfer.origin_office
    transfer.letter_number = origin.letter_number(
        LETTER_SERIES, next_agenda_seq(origin.id, year, kind="pindah"), year
    )
    transfer.approved_by_id, transfer.approved_at = record.finished_by_id, record.finished_at
    transfer.status = AWAITING
    instance = record.instance
    instance.office_id, instance.section = transfer.destination_office_id, None
    db.session.flush()
    moves.follow_office([instance.id])


@engine.on(CLIENT_TRANSFER.code, "approve", RETURN)
def _returned(record: StepRecord) -> None:
    transfer = transfer_of(record)
    transfer.status, transfer.decision_reasons = RETURNED, record.note


@engine.on(CLIENT_TRANSFER.code, "approve", REJECT)
def _rejected(record: StepRecord) -> None:
    _closed(transfer_of(record), REJECTED, record)


@engine.on(CLIENT_TRANSFER.code, "accept", RETURN)
def _refused(record: StepRecord) -> None:
    """The destination refuses: the matter returns to the origin's PK with the reasons."""
    transfer = transfer_of(record)
    transfer.status, transfer.decision_reasons = REFUSED, record.note
    transfer.decided_by_id, transfer.decided_at = record.finished_by_id, record.finished_at
    instance = record.instance
    instance.office_id, instance.section = transfer.origin_office_id, transfer.section
    db.session.flush()
    moves.follow_office([instance.id])


@engine.on(CLIENT_TRANSFER.code, "accept", APPROVE)
def _accepted(record: StepRecord) -> None:
    """The destination accepts: from this moment the client and its file are the destination's."""
    transfer = transfer_of(record)
    transfer.decided_by_id, transfer.decided_at = record.finished_by_id, record.finished_at
    transfer.decision_reasons = record.note
    transfer.destination_register_number = record.data["register_number"]
    transfer.status = ACCEPTED
    transfer.moved = move_file(transfer)
    instance = record.instance
    instance.section, instance.officer_id = transfer.section, None


def _closed(transfer: ClientTransfer, status: str, record: StepRecord) -> None:
    transfer.status, transfer.decision_reasons, transfer.pending_client_id = status, record.note, None


def register_number_taken(office_id: int, register_number: str) -> bool:
    """Whether an office already has a client with this register number."""
    return bool(
        db.session.scalar(
            select(exists().where(Client.office_id == office_id, Client.register_number == register_number))
        )
    )


def move_file(transfer: ClientTransfer) -> dict[str, Any]:
    """Give the client and its file to the destination, one set-based UPDATE per table: the client
    (new register number and address, no PK until the Kasubsi assigns one), its open services, the
    cases that are its alone and the letters of those services (renumbered in the destination's
    agenda book). Records reached through the client or a service follow by themselves. The origin's
    audit trail records what left."""
    origin, destination, client_id = (
        transfer.origin_office_id,
        transfer.destination_office_id,
        transfer.client_id,
    )
    db.session.flush()
    card = db.session.scalar(select(Client.guidance_card_number).where(Client.id == client_id))
    card_taken = card is not None and db.session.scalar(
        select(exists().where(Client.office_id == destination, Client.guidance_card_number == card))
    )
    client_values = {
        "office_id": destination,
        "officer_id": None,
        "register_number": transfer.destination_register_number,
        "address": transfer.new_address,
        **({"guidance_card_number": None} if card_taken else {}),
    }
    try:
        moved_client = db.session.execute(
            update(Client)
            .where(Client.id == client_id, Client.office_id == origin)
            .values(**client_values, version=Client.version + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
    except IntegrityError as exc:
        raise engine.MoveRefused(
            _l("The destination already has a client with this register number.")
        ) from exc
    if moved_client != 1:
        raise engine.MoveRefused(_l("The client is no longer at the origin office."))
    audit.log_updates(Client, [client_id], client_values, office_id=origin)
    # The logs' and reports' office is a copy of their client's, kept for indexing: no audit row.
    for model in (GuidanceLog, ProgressReport):
        db.session.execute(
            update(model)
            .where(model.client_id == client_id)
            .values(office_id=destination)
            .execution_options(synchronize_session=False)
        )

    services = moves.to_office(client_id, origin, destination)

    cases, kept = _move_cases(client_id, origin, destination)
    letters = _move_letters(services, origin, destination)
    db.session.expire_all()
    return {"services": len(services), "cases": cases, "cases_kept": kept, "letters": letters}


def _move_cases(client_id: int, origin: int, destination: int) -> tuple[list[str], list[str]]:
    """Move the client's cases that concern no other client and whose number the destination does not
    have yet; a case shared with other clients stays with the origin (its other clients stay there)."""
    others = aliased(Case)
    mine = select(case_client.c.case_id).where(case_client.c.client_id == client_id)
    shared = exists().where(case_client.c.case_id == Case.id, case_client.c.client_id != client_id)
    taken = select(others.number).where(others.office_id == destination)
    moved = db.session.execute(
        update(Case)
        .where(Case.office_id == origin, Case.id.in_(mine), ~shared, Case.number.not_in(taken))
        .values(office_id=destination, version=Case.version + 1)
        .returning(Case.id, Case.number)
        .execution_options(synchronize_session=False)
    ).all()
    audit.log_updates(Case, [case_id for case_id, _number in moved], {"office_id": destination}, origin)
    kept = db.session.scalars(
        select(Case.number).where(Case.office_id == origin, Case.id.in_(mine)).order_by(Case.number)
    ).all()
    return sorted(number for _id, number in moved), list(kept)


def _move_letters(services: list[int], origin: int, destination: int) -> list[list[str]]:
    """The incoming letters of the moved services join the destination's agenda book with its next
    numbers (the two books number independently); returns [origin number, destination number]."""
    letters = db.session.scalars(
        select(IncomingLetter).where(IncomingLetter.instance_id.in_(services)).order_by(IncomingLetter.id)
    ).all()
    year = utcnow().astimezone(WIB).year
    renumbered = []
    for letter in letters:
        before = letter.agenda_number
        letter.office_id, letter.agenda_year = destination, year
        letter.agenda_seq = next_agenda_seq(destination, year)
        renumbered.append([before, letter.agenda_number])
    db.session.flush()
    return renumbered


def assign(record: StepRecord, user: Staff, officer: Staff, note: str | None) -> None:
    """The destination's Kasubsi gives the client a PK of its section: the transfer is complete."""
    if (
        PK not in officer.role_names
        or officer.section != record.section
        or officer.office_id != user.office_id
    ):
        raise engine.MoveRefused(_l("Choose PK of this section."))
    step = engine.claim(record, user, note=note or officer.full_name)
    transfer = transfer_of(record)
    db.session.execute(
        update(Client)
        .where(Client.id == transfer.client_id, Client.office_id == user.office_id)
        .values(officer_id=officer.id, version=Client.version + 1)
        .execution_options(synchronize_session=False)
    )
    audit.log_updates(Client, [transfer.client_id], {"officer_id": officer.id}, user.office_id)
    moves.hand_over([transfer.client_id], officer.id)
    transfer.officer_id, transfer.completed_at = officer.id, record.finished_at
    transfer.status, transfer.pending_client_id = COMPLETED, None
    engine.advance(record, step)
