"""Two-step verification: a TOTP authenticator app (RFC 6238) and ten single-use recovery codes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Mapping
from typing import Any

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import delete, select

from app.extensions import db
from app.models.staff import RecoveryCode, Staff

RECOVERY_CODES = 10
# No 0/O or 1/I/L: codes are read off paper and typed by hand.
RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECOVERY_LENGTH = 12  # 59 bits each: a fast hash of them is as safe as a slow hash of a password
WINDOW = 1  # one 30-second step either side, for a phone clock a little off
# Wall-clock seconds (the authenticator's clock), not app.timeutil's business clock.
clock: Callable[[], float] = time.time


def required_for(user: Staff) -> bool:
    """Whether the account's roles require two-step verification (config MFA_REQUIRED_ROLES)."""
    return bool(user.role_names & set(current_app.config["MFA_REQUIRED_ROLES"]))


def sealer(config: Mapping[str, Any] | None = None) -> Fernet:
    """The key that seals TOTP keys at rest: HKDF-SHA256 of TOTP_ENCRYPTION_KEY, or of SECRET_KEY
    when none is set (a database backup alone then gives no one the second factor)."""
    config = config if config is not None else current_app.config
    material = str(config.get("TOTP_ENCRYPTION_KEY") or config["SECRET_KEY"]).encode()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"bapas totp key").derive(material)
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str, config: Mapping[str, Any] | None = None) -> str:
    """A TOTP key encrypted (and authenticated) for the database."""
    return sealer(config).encrypt(secret.encode()).decode()


def unseal(token: str, config: Mapping[str, Any] | None = None) -> str | None:
    """The TOTP key in a sealed value, or None when it was not sealed with this key."""
    try:
        return sealer(config).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None


def secret_of(user: Staff) -> str | None:
    """The account's TOTP key in clear, or None (not enrolled, or sealed with another key: the
    account then signs in with a recovery code, or `flask bapas mfa-reset`)."""
    return unseal(user.totp_secret) if user.totp_secret else None


def enrolled(user: Staff) -> bool:
    """Whether the account has confirmed an authenticator app."""
    return user.totp_secret is not None


def new_secret() -> str:
    """A fresh TOTP key (base32, 160 bits)."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, user: Staff) -> str:
    """The otpauth:// URI that authenticator apps read from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=current_app.config["APP_NAME"])


def qr_data_uri(secret: str, user: Staff) -> str:
    """The provisioning URI as a PNG QR code (data: URI, drawn here: nothing leaves the server)."""
    return segno.make_qr(provisioning_uri(secret, user), error="m").png_data_uri(scale=5, border=2)


def grouped(secret: str) -> str:
    """The key in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def matching_step(secret: str, code: str, after: int | None = None) -> int | None:
    """The time step whose code this is (within WINDOW, later than `after`), or None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = int(clock() // totp.interval)
    for step in range(now - WINDOW, now + WINDOW + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _digest(code: str) -> str:
    return hashlib.sha256("".join(code.upper().split()).replace("-", "").encode()).hexdigest()


def new_recovery_codes(user: Staff) -> list[str]:
    """Replace the account's recovery codes with ten new ones; return them (shown once)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH)) for _ in range(10)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(code)) for code in codes)
    return [f"{code[:4]}-{code[4:8]}-{code[8:]}" for code in codes]


def recovery_codes_left(user: Staff) -> int:
    """How many unused recovery codes the account has."""
    return len(db.session.scalars(select(RecoveryCode.id).where(RecoveryCode.user_id == user.id)).all())


def verify(user: Staff, code: str) -> str | None:
    """Check a code from the app or a recovery code; a good one is spent. Returns "totp",
    "recovery" or None. The caller commits."""
    secret = secret_of(user)
    step = matching_step(secret, code, after=user.totp_last_step) if secret else None
    if step is not None:
        user.totp_last_step = step
        return "totp"
    spent = db.session.execute(
        delete(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _digest(code or ""))
        .returning(RecoveryCode.id)
    ).first()
    return "recovery" if spent is not None else None


def enrol(user: Staff, secret: str, step: int) -> list[str]:
    """Confirm the authenticator app (its first code was for `step`); return new recovery codes."""
    user.totp_secret = seal(secret)
    user.totp_last_step = step
    return new_recovery_codes(user)


def remove(user: Staff) -> None:
    """Turn two-step verification off for the account."""
    user.totp_secret = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
