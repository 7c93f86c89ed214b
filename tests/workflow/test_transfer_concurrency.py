"""A transfer under concurrency (PostgreSQL): one proposal per client, one acceptance per step."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.models.clients import Client
from app.models.transfers import ClientTransfer
from app.models.workflow import StepRecord
from app.workflow import engine, transfers
from app.workflow.definitions import APPROVE
from tests.factories import client_with_period
from tests.workflow.test_concurrency import _run_together, _user, on_postgres

PROPOSAL = {"destination_office_id": 2, "reason": "Pindah domisili.", "new_address": "Semarang"}


def _propose(client_id: int) -> ClientTransfer:
    return transfers.propose(_user("pk2"), db.session.get(Client, client_id), PROPOSAL)


def _waiting(transfer_id: int) -> StepRecord:
    instance_id = db.session.get(ClientTransfer, transfer_id).instance_id
    return db.session.scalar(
        select(StepRecord).where(StepRecord.instance_id == instance_id, StepRecord.finished_at.is_(None))
    )


@on_postgres
def test_two_proposals_of_one_client_at_once(app):
    client_id = client_with_period(app, "BKD-990/2026", "pk2", date(2026, 6, 1), date(2027, 5, 31))
    results = _run_together(app, 2, lambda _i: _propose(client_id).id)
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], engine.MoveRefused), results
    with app.app_context():
        count = select(func.count(ClientTransfer.id)).where(ClientTransfer.client_id == client_id)
        assert db.session.scalar(count) == 1


@on_postgres
def test_two_acceptances_at_once_move_the_client_once(app):
    client_id = client_with_period(app, "BKD-991/2026", "pk2", date(2026, 6, 1), date(2027, 5, 31))
    with app.app_context():
        transfer = _propose(client_id)
        engine.complete(_waiting(transfer.id), _user("kepala"), outcome=APPROVE, note="Setuju.")
        db.session.commit()
        transfer_id = transfer.id

    def accept(i: int) -> int:
        record = _waiting(transfer_id)
        data = {"register_number": f"SMG-BKD-99{i}/2026"}
        engine.complete(record, _user("kepala.smg"), outcome=APPROVE, note="Diterima.", data=data)
        return i

    results = _run_together(app, 2, accept)
    winners = [r for r in results if isinstance(r, int)]
    assert len(winners) == 1 and isinstance(next(r for r in results if r not in winners), engine.MoveRefused)
    with app.app_context():
        client = db.session.get(Client, client_id)
        assert (client.office_id, client.register_number) == (2, f"SMG-BKD-99{winners[0]}/2026")
        steps = db.session.scalars(
            select(StepRecord.step)
            .where(StepRecord.instance_id == db.session.get(ClientTransfer, transfer_id).instance_id)
            .order_by(StepRecord.id)
        ).all()
        assert steps == ["propose", "approve", "accept", "assign"]
