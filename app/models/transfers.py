"""Transfers of a client to another Bapas (pindah wilayah): what both offices keep of one."""

from __future__ import annotations

from datetime import datetime

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.clients import Client
from app.models.offices import Office
from app.models.staff import Staff
from app.models.workflow import ServiceInstance

PROPOSED, RETURNED, AWAITING, REFUSED = "diusulkan", "dikembalikan", "menunggu", "ditolak_tujuan"
ACCEPTED, COMPLETED, REJECTED, WITHDRAWN = "diterima", "selesai", "ditolak", "dibatalkan"
TRANSFER_STATUSES = {
    PROPOSED: _l("Waiting for the Kepala's approval"),
    RETURNED: _l("Returned to the PK"),
    AWAITING: _l("Waiting for the destination's decision"),
    REFUSED: _l("Refused by the destination"),
    ACCEPTED: _l("Accepted; waiting for a PK"),
    COMPLETED: _l("Transferred"),
    REJECTED: _l("Not approved by the Kepala"),
    WITHDRAWN: _l("Withdrawn"),
}
# The destination office reaches a transfer from its acceptance on; before that only its Kepala,
# and only while the decision is the destination's (app.security.scope).
ACCEPTED_STATES = (ACCEPTED, COMPLETED)
# A transfer still under way: the client can have only one at a time.
UNDER_WAY = (PROPOSED, RETURNED, AWAITING, REFUSED, ACCEPTED)


class ClientTransfer(Model):
    """One transfer of a client to another Bapas: the request, the decisions and what moved.

    The origin keeps it as the read-only summary of a client that left (the file itself is the
    destination's from acceptance); the service instance of SOP "PINDAH" holds the steps.
    """

    __tablename__ = "client_transfer"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("service_instance.id"), unique=True)
    instance: Mapped[ServiceInstance] = relationship(ServiceInstance)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    client: Mapped[Client] = relationship(Client)
    # The client's id while the transfer is under way, else NULL: one transfer at a time (unique).
    pending_client_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    section: Mapped[str] = mapped_column(String(3))
    origin_office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    origin_office: Mapped[Office] = relationship(Office, foreign_keys=[origin_office_id])
    destination_office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    destination_office: Mapped[Office] = relationship(Office, foreign_keys=[destination_office_id])
    reason: Mapped[str] = mapped_column(Text)
    new_address: Mapped[str] = mapped_column(String(500))
    origin_register_number: Mapped[str] = mapped_column(String(30))
    destination_register_number: Mapped[str | None] = mapped_column(String(30))
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"))
    proposed_by: Mapped[Staff] = relationship(Staff, foreign_keys=[proposed_by_id])
    proposed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    approved_by: Mapped[Staff | None] = relationship(Staff, foreign_keys=[approved_by_id])
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    letter_number: Mapped[str | None] = mapped_column(String(80))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    decided_by: Mapped[Staff | None] = relationship(Staff, foreign_keys=[decided_by_id])
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The reasons of the latest decision against the transfer (return, refusal, rejection, withdrawal).
    decision_reasons: Mapped[str | None] = mapped_column(Text)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    officer: Mapped[Staff | None] = relationship(Staff, foreign_keys=[officer_id])
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # What moved at acceptance: counts, the agenda numbers of letters and the cases that stayed.
    moved: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default=PROPOSED, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"{self.origin_register_number}: {self.origin_office} → {self.destination_office}"
