"""SOP 11 "Pohon Ketan": the online travel permit, from the public form to the signed letter."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from app import offices, receipts
from app.extensions import db
from app.models.clients import ACTIVE, Client
from app.models.letters import next_agenda_seq
from app.models.reporting import TRIP
from app.models.staff import Staff
from app.models.travel_permits import ArrivalReport, TravelPermit
from app.models.workflow import StepRecord
from app.timeutil import WIB, as_utc, utcnow
from app.uploads import store
from app.workflow import engine
from app.workflow.definitions import APPROVE, DONE, REJECT, RETURN, TRAVEL_PERMIT

FIELDS = (
    "applicant_name", "applicant_relation", "applicant_phone", "destination_city",
    "destination_address", "purpose", "depart_on", "return_on",
)  # fmt: skip


class NoSuchClient(ValueError):
    """The identity given matches no client under supervision (said the same way for all cases)."""


def find_client(register_number: str | None, nik: str | None, birth_date: date) -> Client:
    """The active client with this register number or NIK and this date of birth."""
    keys = [Client.register_number == register_number.strip()] if register_number else []
    if nik:
        keys.append(Client.nik == nik.strip())
    if not keys:
        raise NoSuchClient()
    stmt = select(Client).where(or_(*keys), Client.birth_date == birth_date, Client.status == ACTIVE)
    # The client's office follows from the client; a register number two offices share (with the
    # same birth date) identifies no one: the applicant then gives the NIK, which is national.
    found = db.session.scalars(stmt.limit(2)).all()
    if len(found) != 1:
        raise NoSuchClient()
    return found[0]


def submit(client: Client, data: dict[str, Any], signature: tuple[str, bytes, str]) -> TravelPermit:
    """Store the request, start SOP 11 and hand it to the client's own PK."""
    fields = {f: data[f] for f in FIELDS}
    permit = TravelPermit(receipt_code=receipts.new_code(), client=client, **fields)
    permit.office_id = client.office_id
    mime, content, filename = signature
    permit.signature_file = store(mime, content, filename, None)
    permit.destination_office_id = visited_office(permit.destination_city, client.office_id)
    permit.instance = engine.start(
        TRAVEL_PERMIT.code,
        f"{client.name}: {data['destination_city']}"[:300],
        section=client.section,
        officer_id=client.officer_id,
        client_id=client.id,
        office_id=client.office_id,
    )
    db.session.add(permit)
    db.session.flush()
    engine.complete(permit.instance.steps[0], None)
    return permit


def trip_refusal(client: Client, depart: date, back: date) -> str | None:
    """Why the client's office does not accept this trip's dates, or None: it must end within the
    supervision period and last no longer than the Kepala's limit (both days counted)."""
    if client.supervision_end and back > client.supervision_end:
        return _("The trip must end within the supervision period.")
    limit = client.office.max_trip_days
    if (back - depart).days + 1 > limit:
        return _("A trip may last at most %(days)d days; for a longer stay ask the Bapas.", days=limit)
    return None


def visited_office(city: str, home_office_id: int) -> int | None:
    """Another office of the instance in the trip's destination city, which will see the permit."""
    office_id = offices.office_in_city(city)
    return office_id if office_id != home_office_id else None


def correct(permit: TravelPermit, data: dict[str, Any], signature: tuple[str, bytes, str] | None) -> None:
    """The applicant's corrected request goes back to the PK."""
    record = open_step(permit)
    if record is None or record.step != "submit":
        raise engine.MoveRefused(_l("This request is not waiting for a correction."))
    step = engine.claim(record, None)
    for field in FIELDS:
        setattr(permit, field, data[field])
    if signature:
        mime, content, filename = signature
        permit.signature_file = store(mime, content, filename, None)
    permit.destination_office_id = visited_office(permit.destination_city, permit.client.office_id)
    permit.correction_request = None
    engine.advance(record, step)


def revoke(permit: TravelPermit, user: Staff, reason: str) -> None:
    """The Kepala withdraws a signed permit (e.g. the client broke its conditions); the QR then says so."""
    if permit.signed_at is None:
        raise engine.MoveRefused(_l("Only a signed permit can be revoked."))
    if permit.revoked_at is not None:
        raise engine.MoveRefused(_l("This permit has already been revoked."))
    permit.revoked_at, permit.revoked_reason, permit.revoked_by_id = utcnow(), reason, user.id


def record_arrival(
    permit: TravelPermit, user: Staff, reported_at: datetime, place: str, note: str | None
) -> ArrivalReport:
    """A PK of the destination's office records the client's report on arrival (lapor diri), once,
    within the dates of a valid permit; the caller commits."""
    if permit.signed_at is None or permit.revoked_at is not None:
        raise engine.MoveRefused(_l("A report on arrival is recorded only on a valid permit."))
    if permit.arrival is not None:
        raise engine.MoveRefused(_l("The client's report on arrival has already been recorded."))
    reported_at = as_utc(reported_at)
    if reported_at > utcnow():
        raise engine.MoveRefused(_l("The report on arrival cannot be in the future."))
    if not permit.depart_on <= reported_at.astimezone(WIB).date() <= permit.return_on:
        raise engine.MoveRefused(_l("The report on arrival falls within the dates of the trip."))
    report = ArrivalReport(
        permit=permit, office_id=user.office_id, reported_at=reported_at, place=place, note=note,
        recorded_by_id=user.id,
    )  # fmt: skip
    db.session.add(report)
    try:
        db.session.flush()
    except IntegrityError as exc:  # another PK recorded it at the same moment
        raise engine.MoveRefused(_l("The client's report on arrival has already been recorded.")) from exc
    # The report on arrival is also the client's wajib lapor during the trip: recorded against its own
    # office's schedule, which this office never reads (docs/decisions.md).
    from app.workflow import reporting

    reporting.record_attendance(permit.client, user, reported_at, TRIP, permit_id=permit.id, note=note)
    return report


def letter_state(permit: TravelPermit) -> str | None:
    """ "signed" once the Kepala signed, "draft" while the draft waits for the signature, else None."""
    if permit.signed_at is not None:
        return "signed"
    if permit.instance is not None and permit.instance.current_step == "sign":
        return "draft"
    return None


def handed_over(permit: TravelPermit) -> bool:
    """Whether the PK has handed the signed letter to the client: only then may it be downloaded on the
    portal (the PK explains its obligations when handing it over)."""
    if permit.signed_at is None or permit.instance is None:
        return False
    return any(r.step == "deliver" and r.finished_at is not None for r in permit.instance.steps)


def in_drafting(permit: TravelPermit) -> bool:
    """Whether the letter is being drafted or waits for the signature: a draft may be previewed."""
    return (
        permit.signed_at is None
        and permit.instance is not None
        and permit.instance.current_step in ("draft", "sign")
    )


def open_step(permit: TravelPermit) -> StepRecord | None:
    """The step the request is waiting at, if any."""
    return db.session.scalar(
        select(StepRecord).where(
            StepRecord.instance_id == permit.instance_id, StepRecord.finished_at.is_(None)
        )
    )


def permit_of(record: StepRecord) -> TravelPermit:
    """The permit behind a step of SOP 11."""
    return db.session.scalar(select(TravelPermit).where(TravelPermit.instance_id == record.instance_id))


@engine.on(TRAVEL_PERMIT.code, "check", RETURN)
def _ask_correction(record: StepRecord) -> None:
    permit_of(record).correction_request = record.note


@engine.on(TRAVEL_PERMIT.code, "tpp", APPROVE)
@engine.on(TRAVEL_PERMIT.code, "tpp", REJECT)
def _tpp_decided(record: StepRecord) -> None:
    permit_of(record).decision_reasons = record.note


@engine.on(TRAVEL_PERMIT.code, "draft", DONE)
def _drafted(record: StepRecord) -> None:
    permit_of(record).obligations = record.note


@engine.on(TRAVEL_PERMIT.code, "sign", APPROVE)
def _signed(record: StepRecord) -> None:
    permit = permit_of(record)
    year = utcnow().astimezone(WIB).year
    if permit.letter_seq is None:
        permit.letter_year, permit.letter_seq = (
            year,
            next_agenda_seq(record.instance.office_id, year, kind="izin"),
        )
    permit.letter_office_id = record.instance.office_id
    permit.signed_at = record.finished_at
    permit.signed_by_id = record.finished_by_id
