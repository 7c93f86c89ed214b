"""Notices to the public: only to a person who gave a contact and agreed to be contacted (the
consent box of the portal's forms and the complaint unit's intake). The contact, the receipt code
and the status page are kept on the service instance (`data["notify"]`) with that consent."""

from __future__ import annotations

import re
from typing import Any

from flask import url_for

from app.models.notifications import ANSWERED, CORRECTION, DECISION, EMAIL, LETTER, RECEIPT, WHATSAPP
from app.models.workflow import ServiceInstance, StepRecord
from app.notifications import messages, outbox
from app.workflow import engine
from app.workflow.definitions import (
    APPROVE,
    COMPLAINT,
    DONE,
    OUTREACH,
    REJECT,
    RETURN,
    TRAVEL_PERMIT,
)

KEY = "notify"
EMAIL_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def contact_of(value: str | None) -> tuple[str, str] | None:
    """(channel, address) of a phone number (WhatsApp) or an e-mail address, or None."""
    value = (value or "").strip()
    if EMAIL_ADDRESS.match(value):
        return EMAIL, value
    digits = re.sub(r"[\s().-]", "", value)
    if re.fullmatch(r"\+?\d{8,15}", digits):
        return WHATSAPP, digits
    return None


def agreed(instance: ServiceInstance, contact: str | None, consent: bool, code: str, link: str) -> bool:
    """Keep the contact a person agreed to be told at, and send the receipt; False when there is no
    consent or no usable contact (then nothing is kept and nothing is sent)."""
    found = contact_of(contact) if consent else None
    if found is None:
        return False
    channel, address = found
    instance.data = {**(instance.data or {}), KEY: {"channel": channel, "address": address, "code": code,
                                                    "link": link}}  # fmt: skip
    tell(instance, RECEIPT)
    return True


def complainant_agreed(complaint: Any, consent: bool) -> bool:
    """A complaint (portal or the complaint unit's intake): its receipt to the complainant's contact."""
    code = complaint.receipt_code
    link = url_for("portal.complaint_status", code=code)
    return agreed(complaint.instance, complaint.complainant_contact, consent, code, link)


def tell(instance: ServiceInstance, kind: str, approved: bool = True) -> None:
    """Write a notice to the person behind a request, if they agreed to be contacted."""
    contact = (instance.data or {}).get(KEY)
    if not contact:
        return
    text = messages.public_text(kind, contact["code"], approved)
    outbox.write_public(instance, kind, contact["channel"], contact["address"], text, contact["link"])


def _on(service: str, step: str, outcome: str, kind: str, approved: bool = True) -> None:
    def hook(record: StepRecord) -> None:
        tell(record.instance, kind, approved)

    engine.on(service, step, outcome)(hook)


_HOOKS = (
    (TRAVEL_PERMIT.code, "check", RETURN, CORRECTION, True),
    (TRAVEL_PERMIT.code, "tpp", APPROVE, DECISION, True),
    (TRAVEL_PERMIT.code, "tpp", REJECT, DECISION, False),
    (TRAVEL_PERMIT.code, "sign", APPROVE, LETTER, True),
    (OUTREACH.code, "appoint", DONE, DECISION, True),
    (COMPLAINT.code, "close", DONE, ANSWERED, True),
)
_installed: list[bool] = []


def install() -> None:
    """Hang the public notices on the engine's step outcomes (once)."""
    if _installed:
        return
    _installed.append(True)
    for service, step, outcome, kind, approved in _HOOKS:
        _on(service, step, outcome, kind, approved)
