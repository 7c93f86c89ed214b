"""Checking a printed permit letter: a signed code for its verification URL, its QR code, its state.

The code carries the permit's id and letter number, signed with the app's SECRET_KEY: it cannot be
guessed from another letter's, and a code altered by hand or signed with another key reads as None.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import segno
from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

if TYPE_CHECKING:
    from app.models.travel_permits import TravelPermit

PERMIT_SALT = "bapas-permit-letter"
VALID, REVOKED, EXPIRED, UNSIGNED = "valid", "revoked", "expired", "unsigned"


def _serializer() -> URLSafeSerializer:
    """The signer of permit codes, keyed with the app's SECRET_KEY."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=PERMIT_SALT)


def permit_token(permit: TravelPermit) -> str:
    """The signed, URL-safe code printed on a signed permit letter."""
    return str(_serializer().dumps({"p": permit.id, "n": permit.letter_number}))


def read_permit_token(token: str) -> dict[str, Any] | None:
    """The {"p": id, "n": letter number} of a genuine code; None for any altered or garbled one."""
    try:
        data = _serializer().loads(token)
    except (BadData, TypeError, ValueError, UnicodeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int) or not isinstance(data.get("n"), str):
        return None
    return data


def permit_validity(permit: TravelPermit, today: date) -> str:
    """The permit's state on a day: "unsigned", "revoked", "expired" or "valid"."""
    if permit.letter_seq is None or permit.signed_at is None:
        return UNSIGNED
    if permit.revoked_at is not None:
        return REVOKED
    if today > permit.return_on:
        return EXPIRED
    return VALID


def qr_data_uri(url: str) -> str:
    """A PNG QR code of the URL as a data: URI, for an <img> in a PDF or a page."""
    return segno.make_qr(url, error="m").png_data_uri(scale=4, border=2)
