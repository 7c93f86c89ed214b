"""Notices to the public: only with a contact and consent; the receipt, a correction, the decision
and the letter of a travel permit reach the applicant's WhatsApp."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models.notifications import CORRECTION, RECEIPT, WHATSAPP, Notification
from app.models.travel_permits import TravelPermit
from app.notifications import delivery
from tests.steps import act
from tests.workflow.test_travel_permits import MONDAY, REQUEST, _code, _open, _permit, submit


def _told(instance_id: int) -> list[tuple[str, str, str]]:
    rows = db.session.scalars(
        select(Notification).where(Notification.instance_id == instance_id, Notification.staff_id.is_(None))
    )
    return [(n.kind, n.channel, n.address) for n in rows]


def test_no_consent_no_notice(app, client, db_session, clock):
    clock(MONDAY)
    code = _code(submit(client, applicant_name="Tanpa Persetujuan"))
    permit = _permit(db_session, code)
    assert "notify" not in permit.instance.data
    assert _told(permit.instance_id) == []


def test_with_consent_the_applicant_gets_the_receipt_and_the_correction(
    app, client, login_as, db_session, clock, gateway
):
    clock(MONDAY)
    code = _code(submit(client, applicant_name="Setuju Dihubungi", notify_consent="y"))
    permit = _permit(db_session, code)
    phone = REQUEST["applicant_phone"]
    assert _told(permit.instance_id) == [(RECEIPT, WHATSAPP, phone)]
    ask = {"outcome": "return", "note": "Tanda tangan kurang jelas."}
    assert act(login_as("pk2"), _open(db_session, permit).id, ask).status_code == 302
    db_session.rollback()
    assert _told(permit.instance_id) == [(RECEIPT, WHATSAPP, phone), (CORRECTION, WHATSAPP, phone)]
    delivery.deliver_due()
    texts = [c["json"]["text"] for c in gateway if c["json"]["phone"] == phone and code in c["json"]["text"]]
    assert len(texts) == 2
    assert texts[0].startswith("Permohonan Anda telah diterima") and f"/layanan/status/{code}" in texts[0]
    assert texts[1].startswith("Permohonan Anda perlu diperbaiki")
    assert db_session.scalar(select(TravelPermit.id).where(TravelPermit.receipt_code == code))
