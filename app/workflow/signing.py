"""What a letter needs before someone signs it: the signer's NIP (and that of the officers it names).

A signed letter prints the signer's name and NIP; "NIP. -" is left for drafts, signed by hand. So the
form that signs refuses, with the names, while a NIP is missing (docs/decisions.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l

from app.models.staff import Staff
from app.workflow import engine


def require_nip(signer: Staff, named: Iterable[Staff] = ()) -> None:
    """Refuse to sign while the signer or an officer the letter names has no NIP on record."""
    if not (signer.nip or "").strip():
        raise engine.MoveRefused(
            _l("Your NIP is not recorded in your account; ask the Admin to add it before signing.")
        )
    missing = [s.full_name for s in named if not (s.nip or "").strip()]
    if missing:
        raise engine.MoveRefused(
            _l(
                "The NIP of %(names)s is not recorded; ask the Admin to add it before the letter is signed.",
                names=", ".join(missing),
            )
        )
