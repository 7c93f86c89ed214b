"""BATAKO in the field with a poor connection: the entries a PK makes on the device (maybe offline)
are sent later, each under a device-made key, and recorded once however often they are sent."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.forms.guidance import SessionNoteForm
from app.models.clients import ACTIVE, Client
from app.models.mobile import ENTRY_CHECK_IN, ENTRY_GUIDE, MobileAttendance, MobileEntry, MobileService
from app.models.staff import Staff
from app.security import scope
from app.timeutil import as_utc, utcnow
from app.workflow import engine, mobile_service
from app.workflow.guidance import Refused

NOTE_FIELDS = ("kind", "notes", "confidential_notes", "next_appointment")
NOT_RECORDED = _l("The check-in of this client was not recorded, so its guidance note was not sent.")


@dataclass
class Answer:
    """What the device is told about one entry: ok, conflict (kept on the device) or invalid."""

    status: str
    message: str
    code: int = 200
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The JSON body of the answer."""
        return {"status": self.status, "message": self.message, **self.extra}


def offline_ready(point: MobileService, user: Staff) -> bool:
    """Whether the device may keep this point's page: its own PK, while it is opened or served."""
    step = mobile_service.current_step(point)
    return point.officer_id == user.id and step is not None and step.step in ("open", "serve")


def expected_clients(point: MobileService, user: Staff) -> list[Client]:
    """The clients expected at the point: its PK's own clients under supervision, by name."""
    stmt = (
        select(Client)
        .where(Client.status == ACTIVE, Client.officer_id == point.officer_id, scope.serves_clause(user))
        .order_by(Client.name)
    )
    return list(db.session.scalars(stmt))


def _moment(value: Any, earliest: datetime | None) -> datetime:
    """When the entry was made on the device, kept between `earliest` and now (a wrong clock on the
    phone cannot put a visit before the counter opened or in the future)."""
    now = utcnow()
    try:
        moment = as_utc(datetime.fromisoformat(str(value).replace("Z", "+00:00")))
    except (TypeError, ValueError):
        return now
    if moment.tzinfo is None:
        return now
    if earliest is not None:
        moment = max(moment, as_utc(earliest))
    return min(moment, now)


def _key(payload: dict[str, Any], name: str = "key") -> str | None:
    value = payload.get(name)
    if not isinstance(value, str) or len(value) != 36:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def _first(key: str, point: MobileService, user: Staff) -> Answer | None:
    """The first answer to this key, when it was already recorded."""
    entry = db.session.scalar(select(MobileEntry).where(MobileEntry.key == key))
    if entry is None:
        return None
    if entry.service_id != point.id or entry.officer_id != user.id:
        return Answer("invalid", _("This entry's key belongs to another entry."), 409)
    return _done(entry.kind, entry.attendance, repeated=True)


def _done(kind: str, visit: MobileAttendance, repeated: bool = False) -> Answer:
    if kind == ENTRY_CHECK_IN:
        message = _("%(name)s has reported.", name=visit.client.name)
    else:
        message = _("The guidance note of %(name)s is recorded.", name=visit.client.name)
    return Answer("ok", message, extra={"visit_id": visit.id, "repeated": repeated})


def _visit_of(point: MobileService, payload: dict[str, Any]) -> MobileAttendance | None:
    checkin_key = _key(payload, "checkin_key")
    if checkin_key:
        entry = db.session.scalar(
            select(MobileEntry).where(
                MobileEntry.key == checkin_key,
                MobileEntry.service_id == point.id,
                MobileEntry.kind == ENTRY_CHECK_IN,
            )
        )
        return entry.attendance if entry else None
    visit_id = payload.get("visit_id")
    if not isinstance(visit_id, int):
        return None
    visit = db.session.get(MobileAttendance, visit_id)
    return visit if visit is not None and visit.service_id == point.id else None


def _check_in(point: MobileService, user: Staff, payload: dict[str, Any]) -> MobileAttendance | Answer:
    card, signature = payload.get("card"), payload.get("signature")
    if not isinstance(card, str) or not card.strip() or len(card) > 30:
        return Answer("invalid", _("Enter the guidance card or register number."), 400)
    if not isinstance(signature, str):
        signature = None
    return mobile_service.check_in(
        point, user, card, signature, at=_moment(payload.get("at"), point.opened_at)
    )


def _guide(point: MobileService, user: Staff, payload: dict[str, Any]) -> MobileAttendance | Answer:
    visit = _visit_of(point, payload)
    if visit is None:
        return Answer("conflict", str(NOT_RECORDED), 409)
    # Scope is asked again now: the client may have moved to another PK since the device was offline.
    if not db.session.scalar(
        select(Client.id).where(Client.id == visit.client_id, scope.serves_clause(user))
    ):
        return Answer(
            "conflict", _("This client is no longer yours to serve; the note was not recorded."), 409
        )
    note = payload.get("note")
    note = note if isinstance(note, dict) else {}
    form = SessionNoteForm(
        formdata=MultiDict({name: str(note.get(name) or "") for name in NOTE_FIELDS}), meta={"csrf": False}
    )
    if not form.validate():
        errors = [f"{form[name].label.text}: {error}" for name in NOTE_FIELDS for error in form[name].errors]
        return Answer("invalid", " ".join(errors), 400)
    mobile_service.guide(visit, user, form.fields_data(), at=_moment(payload.get("at"), visit.checked_in_at))
    return visit


def record(point: MobileService, user: Staff, payload: Any) -> Answer:
    """Record one entry from the device once: the same key again answers with the first result."""
    if not isinstance(payload, dict) or payload.get("kind") not in (ENTRY_CHECK_IN, ENTRY_GUIDE):
        return Answer("invalid", _("This entry cannot be read."), 400)
    key = _key(payload)
    if key is None:
        return Answer("invalid", _("This entry has no valid key."), 400)
    first = _first(key, point, user)
    if first is not None:
        return first
    if point.officer_id != user.id:
        return Answer("conflict", _("Only the PK of this service point records its entries."), 403)
    kind = payload["kind"]
    try:
        visit = _check_in(point, user, payload) if kind == ENTRY_CHECK_IN else _guide(point, user, payload)
        if isinstance(visit, Answer):
            db.session.rollback()
            return visit
        db.session.add(
            MobileEntry(key=key, service_id=point.id, officer_id=user.id, kind=kind, attendance=visit)
        )
        engine.commit()
    except (Refused, engine.MoveRefused) as refused:
        db.session.rollback()
        return Answer("conflict", str(refused), 409)
    except IntegrityError:
        # The same entry sent twice at once: the other request recorded it first.
        db.session.rollback()
        return _first(key, point, user) or Answer(
            "conflict", _("This client has already reported at this service point."), 409
        )
    return _done(kind, visit)
