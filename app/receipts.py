"""Receipt codes the public keeps to follow a request: read out over the phone at the complaint
desk, so Crockford's base32 (no I, L, O or U), grouped XXXX-XXXX-XXXX-XXXX, 80 random bits.

Codes handed out before (24 characters of `secrets.token_urlsafe`) stay valid as they were typed:
people hold them on paper receipts and in links, so they are looked up, never rewritten.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS, GROUP_LENGTH = 4, 4
LENGTH = GROUPS * GROUP_LENGTH  # 16 characters of 5 bits: 80 bits
# What people type for a character of the code: small letters, and the look-alikes Crockford names.
READ_AS = str.maketrans("OIL", "011")
SEPARATORS = str.maketrans("", "", "- \t")


def _grouped(characters: str) -> str:
    return "-".join(characters[i : i + GROUP_LENGTH] for i in range(0, LENGTH, GROUP_LENGTH))


def new_code() -> str:
    """A fresh receipt code, e.g. 7KQ2-M9XD-3FHT-0WZB."""
    return _grouped("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def canonical(typed: str) -> str | None:
    """The receipt code typed in any case, with or without dashes or spaces, O for 0 and I or L for
    1, in its printed form; None if it is not one."""
    characters = typed.upper().translate(SEPARATORS).translate(READ_AS)
    if len(characters) != LENGTH or any(c not in ALPHABET for c in characters):
        return None
    return _grouped(characters)


def candidates(typed: str) -> list[str]:
    """The stored codes a typed code may designate: the new form, and an older code as typed."""
    typed = typed.strip()
    found = [code for code in (canonical(typed), typed) if code]
    return list(dict.fromkeys(found))
