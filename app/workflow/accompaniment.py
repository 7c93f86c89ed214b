"""SOP 12, step 4: the PK records the arrival at the police station (which ends the 1-hour limit from
the disposition), then the child and the case the accompaniment is about."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.forms.letters import as_wib
from app.models.cases import Case
from app.models.clients import ACCOMPANIED, ADULT, CHILD, Client
from app.models.staff import Staff
from app.models.workflow import StepRecord
from app.security import scope
from app.timeutil import as_utc, today_wib, utcnow
from app.workflow import correspondence, engine
from app.workflow.deadlines import mark_limit, moment_of
from app.workflow.definitions import ARRIVED

ARRIVED_KEY = "arrived_at"


def arrival_of(record: StepRecord) -> datetime | None:
    """When the PK arrived at the police station for this accompaniment, if recorded."""
    return moment_of(record.instance, ARRIVED_KEY)


def record_arrival(record: StepRecord, user: Staff, at: datetime | None = None) -> datetime:
    """The PK records the arrival (now, or a moment since the disposition): it stops the 1-hour clock."""
    if record.step != "accompany" or record.instance.service != "ABH":
        raise engine.MoveRefused(_l("Only the accompaniment step records an arrival."))
    if arrival_of(record) is not None:
        raise engine.MoveRefused(_l("The arrival has already been recorded."))
    now = utcnow()
    at = as_utc(at) if at is not None else now
    if at > now or at < as_utc(record.ready_at):
        raise engine.MoveRefused(_l("The arrival lies between the disposition and now."))
    engine.open_step(record, user)  # checks the user is its PK; takes the step up if it was not
    step = engine.step_of(record)
    instance = record.instance
    instance.data = {**instance.data, ARRIVED_KEY: at.isoformat()}
    mark_limit(instance, step, ARRIVED, at)
    return at


AUTHORITY_OF_SENDER = {"POLRI": "POLRI", "KEJAKSAAN": "KEJAKSAAN", "PENGADILAN": "PENGADILAN"}


def _child(record: StepRecord, user: Staff, form: Any) -> Client:
    register = (form.existing_client.data or "").strip()
    if register:
        stmt = scope.restrict(select(Client).where(Client.register_number == register), Client, user)
        client = db.session.scalar(stmt)
        if client is None:
            raise engine.MoveRefused(_l("No client of yours has this register number."))
        if client.category != CHILD:
            raise engine.MoveRefused(_l("This service is for children; the client is an adult."))
        return client
    client = Client(
        register_number=f"ABH-{record.instance_id:05d}/{today_wib().year}",
        name=form.name.data,
        birth_date=form.birth_date.data,
        sex=form.sex.data,
        address=form.address.data,
        guardian_name=form.guardian_name.data,
        guardian_relation=form.guardian_relation.data or None,
        category=CHILD,
        legal_basis="LAINNYA",
        status=ACCOMPANIED,
        officer_id=user.id,
    )
    client.derive_category()
    if client.category == ADULT:
        raise engine.MoveRefused(_l("A child in conflict with the law is under 18 years old."))
    db.session.add(client)
    return client


def record_child(record: StepRecord, user: Staff, form: Any) -> None:
    """Create or link the child and the case, then finish the social-inquiry step."""
    if arrival_of(record) is None:
        if not form.arrived_at.data:
            raise engine.MoveRefused(_l("Record the time of arrival at the police station."))
        record_arrival(record, user, as_wib(form.arrived_at.data))
    step = engine.claim(record, user, note=form.note.data)
    client = _child(record, user, form)
    case = db.session.scalar(select(Case).where(Case.number == form.case_number.data))
    if case is None:
        letter = correspondence.letter_of(record)
        authority = AUTHORITY_OF_SENDER.get(letter.sender_kind if letter else "", "LAINNYA")
        case = Case(
            number=form.case_number.data,
            offence=form.offence.data,
            authority=authority,
            section="BKA",
            legal_stage="PENYIDIKAN",
            clients=[],
        )
        db.session.add(case)
    elif case.section != "BKA":
        raise engine.MoveRefused(_l("This case number belongs to an adult case."))
    if client not in case.clients:
        case.clients.append(client)
    instance = record.instance
    instance.client, instance.case = client, case
    engine.advance(record, step)
