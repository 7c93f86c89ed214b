"""Records the tests need with fixed dates, independent of the demo data's dates."""

from __future__ import annotations

import base64
import io
from datetime import date

from flask import Flask
from PIL import Image, ImageDraw
from sqlalchemy import select

from app.models.clients import ACTIVE, Client
from app.models.staff import Staff


def client_with_period(
    app: Flask,
    register_number: str,
    officer: str,
    start: date,
    end: date,
    *,
    born: date = date(1980, 1, 1),
    card: str | None = None,
) -> int:
    """Create (once) a client under supervision of `officer` (a username) and return its id."""
    from app.extensions import db

    with app.app_context():
        existing = db.session.scalar(select(Client.id).where(Client.register_number == register_number))
        if existing is not None:  # made by an earlier test of the same module
            return existing
        staff = db.session.scalar(select(Staff).where(Staff.username == officer))
        client = Client(
            register_number=register_number, name=f"Klien {register_number}", birth_date=born, sex="L",
            address="Jl. Ujian 1, Magelang", category="dewasa", legal_basis="PB", status=ACTIVE,
            supervision_start=start, supervision_end=end, officer=staff, guidance_card_number=card,
            guardian_name="Wali Uji" if born.year > 2008 else None, office_id=staff.office_id,
        )  # fmt: skip
        client.derive_category()
        db.session.add(client)
        db.session.commit()
        return client.id


def client_form(db_session, register_number: str, **changes: object) -> tuple[int, dict]:
    """The id of a client and its edit form's data as the screen would post it, with changes."""
    db_session.rollback()
    c = db_session.scalar(select(Client).where(Client.register_number == register_number))
    form = {
        "register_number": c.register_number, "name": c.name, "birth_date": c.birth_date.isoformat(),
        "sex": c.sex, "address": c.address, "category": c.category, "legal_basis": c.legal_basis,
        "supervision_start": c.supervision_start.isoformat(),
        "supervision_end": c.supervision_end.isoformat(),
        "officer": str(c.officer_id or ""), "status": c.status, "version_seen": str(c.version),
        "guardian_name": c.guardian_name or "", "guidance_card_number": c.guidance_card_number or "",
    }  # fmt: skip
    form.update({k: str(v) for k, v in changes.items()})
    return c.id, form


def signature(blank: bool = False, stroke: int = 0) -> str:
    """A signature as the BATAKO pad sends it: a stroke on white (`stroke` moves it, so two clients'
    signatures differ), or the white pad alone, as PNG."""
    image = Image.new("RGB", (40, 20), "white")
    if not blank:
        ImageDraw.Draw(image).line((2, 15, 38, 4 + stroke), fill="black", width=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
