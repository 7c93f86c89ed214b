"""Wajib lapor: each client's reporting schedule, the attendance recorded against its due occurrence
(at the office, at a BATAKO point, at another Bapas during a permitted trip), and the follow-up of a
missed report: the PK's contact, warning letters I–III signed by the Kepala, and after the third a
proposal to revoke on the agenda of a Sidang TPP."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from app.extensions import db
from app.models.clients import ACTIVE, REVOKED, Client
from app.models.letters import next_agenda_seq
from app.models.reporting import (
    ATTENDED,
    EXCUSED,
    LATE,
    MAX_MONTH_DAY,
    MISSED,
    MONTHLY,
    OFFICE,
    REPORTING_BASES,
    WEEKLY,
    ReportingOccurrence,
    ReportingSchedule,
    WarningLetter,
)
from app.models.staff import Staff
from app.models.tpp import SESSION_OPEN, TppItem, TppSession
from app.models.workflow import StepRecord
from app.security import scope
from app.timeutil import WIB, as_utc, today_wib, utcnow, wib_midnight
from app.workflow import engine
from app.workflow.definitions import APPROVE, CLOSE, DONE, MISSED_REPORT, REVOCATION
from app.workflow.guidance import Refused

WARNING_SERIES = "PK.01.04"  # the office's series of warning letters
LAST_WARNING = 3


def due_in_period(frequency: str, day: int, on: date) -> date:
    """The due date of the period (calendar month, or ISO week) that holds `on`."""
    if frequency == WEEKLY:
        return on - timedelta(days=on.isoweekday() - 1) + timedelta(days=day - 1)
    return on.replace(day=day)


def last_due_before(frequency: str, day: int, today: date) -> date:
    """The latest due date strictly before `today`."""
    if frequency == WEEKLY:
        return today - timedelta(days=(today.isoweekday() - day - 1) % 7 + 1)
    if today.day > day:
        return today.replace(day=day)
    previous = today.replace(day=1) - timedelta(days=1)
    return previous.replace(day=day)


def next_due(schedule: ReportingSchedule, today: date) -> date:
    """The next due date on or after `today` (and the schedule's start)."""
    start = max(today, schedule.starts_on)
    due = due_in_period(schedule.frequency, schedule.day, start)
    if due >= start:
        return due
    if schedule.frequency == WEEKLY:
        return due + timedelta(days=7)
    following = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
    return following.replace(day=schedule.day)


def check_schedule(schedule: ReportingSchedule, client: Client | None) -> None:
    """A schedule of a client on PB, CB or CMB under supervision, on a day its frequency has."""
    if client is None or client.legal_basis not in REPORTING_BASES:
        raise Refused(
            "client",
            _l("Only a client on parole or conditional release (PB, CB, CMB) reports on a schedule."),
        )
    if client.status != ACTIVE:
        raise Refused("client", _l("The client is not under supervision."))
    highest = 7 if schedule.frequency == WEEKLY else MAX_MONTH_DAY
    if schedule.frequency not in (MONTHLY, WEEKLY) or not 1 <= (schedule.day or 0) <= highest:
        raise Refused(
            "day", _l("Choose a day of the month from 1 to 28, or a weekday from 1 (Monday) to 7 (Sunday).")
        )
    if schedule.starts_on is None:
        raise Refused("starts_on", _l("Give the date the schedule starts."))


def schedule_of(client_id: int) -> ReportingSchedule | None:
    """The client's active schedule, if any."""
    return db.session.scalar(
        select(ReportingSchedule).where(ReportingSchedule.client_id == client_id, ReportingSchedule.active)
    )


def record_attendance(
    client: Client,
    user: Staff,
    at: datetime,
    channel: str,
    *,
    note: str | None = None,
    **links: Any,
) -> ReportingOccurrence | None:
    """Record that the client reported at `at` against its schedule's occurrence of that period; None
    when the client has no active schedule then. A late report meets a missed occurrence (its
    follow-up goes on); a second report in the same period changes nothing. The caller commits."""
    schedule = schedule_of(client.id)
    at = as_utc(at)
    on = at.astimezone(WIB).date()
    if at > utcnow() + timedelta(minutes=1):
        raise Refused("attended_at", _l("The report cannot be in the future."))
    if schedule is None or on < schedule.starts_on:
        return None
    due = due_in_period(schedule.frequency, schedule.day, on)
    occurrence = db.session.scalar(
        select(ReportingOccurrence).where(
            ReportingOccurrence.schedule_id == schedule.id, ReportingOccurrence.due_on == due
        )
    )
    if occurrence is None:
        occurrence = ReportingOccurrence(
            schedule=schedule, client_id=client.id, office_id=schedule.office_id, due_on=due, status=MISSED
        )
        db.session.add(occurrence)
    elif occurrence.attended_at is not None:
        return occurrence
    occurrence.status = ATTENDED if on <= due else LATE
    occurrence.attended_at, occurrence.channel, occurrence.note = at, channel, note
    occurrence.recorded_by_id = user.id
    occurrence.recorded_office_id = user.office_id or schedule.office_id
    for key, value in links.items():
        setattr(occurrence, key, value)
    db.session.flush()
    return occurrence


def occurrence_of(record: StepRecord) -> ReportingOccurrence | None:
    """The missed occurrence a step of the LAPOR service follows up."""
    return db.session.scalar(
        select(ReportingOccurrence).where(ReportingOccurrence.instance_id == record.instance_id)
    )


def warning_of(record: StepRecord) -> WarningLetter | None:
    """The warning letter drafted in a LAPOR service."""
    return db.session.scalar(select(WarningLetter).where(WarningLetter.instance_id == record.instance_id))


def record_contact(record: StepRecord, user: Staff, reason: str, valid: bool) -> None:
    """The PK contacted the client: a valid reason closes the matter, otherwise a warning follows."""
    occurrence = occurrence_of(record)
    engine.complete(record, user, outcome=CLOSE if valid else DONE, note=reason, data={"valid": valid})
    occurrence.reason = reason
    if valid and occurrence.status == MISSED:
        occurrence.status = EXCUSED


def next_level(client_id: int, instance_id: int) -> int:
    """The level of the next warning of a client: one above its earlier ones, at most III."""
    earlier = db.session.scalar(
        select(func.count(WarningLetter.id)).where(
            WarningLetter.client_id == client_id, WarningLetter.instance_id != instance_id
        )
    )
    return min(earlier + 1, LAST_WARNING)


def draft_warning(record: StepRecord, user: Staff, facts: str) -> WarningLetter:
    """The PK drafts the warning letter (its level follows the client's earlier warnings)."""
    step = engine.claim(record, user, note=facts)
    occurrence = occurrence_of(record)
    letter = warning_of(record)
    if letter is None:
        letter = WarningLetter(
            client_id=occurrence.client_id, occurrence=occurrence, instance_id=record.instance_id,
            office_id=occurrence.office_id, level=next_level(occurrence.client_id, record.instance_id),
            facts=facts, drafted_by_id=user.id,
        )  # fmt: skip
        db.session.add(letter)
    else:  # returned by the Kepala: the same letter, redrafted
        letter.facts, letter.drafted_by_id, letter.drafted_at = facts, user.id, utcnow()
    engine.advance(record, step)
    return letter


@engine.on(MISSED_REPORT.code, "sign", APPROVE)
def _signed(record: StepRecord) -> None:
    letter = warning_of(record)
    office = letter.client.office
    year = utcnow().astimezone(WIB).year
    letter.number = office.letter_number(WARNING_SERIES, next_agenda_seq(office.id, year, "peringatan"), year)
    letter.signed_at, letter.signed_by_id = record.finished_at, record.finished_by_id
    if letter.level >= LAST_WARNING:
        propose_revocation(letter.client)


def propose_revocation(client: Client) -> StepRecord:
    """Start the proposal to revoke and place it on the office's next open Sidang TPP, if one is
    planned (else the Kasubsi finds it among the matters waiting for an agenda)."""
    instance = engine.start(
        REVOCATION.code, f"{client.name}: usulan pencabutan {client.legal_basis}", section=client.section,
        officer_id=client.officer_id, client_id=client.id, office_id=client.office_id,
    )  # fmt: skip
    db.session.flush()
    record = instance.steps[-1]
    session = db.session.scalar(
        select(TppSession)
        .where(
            TppSession.office_id == client.office_id,
            TppSession.status == SESSION_OPEN,
            TppSession.held_on >= today_wib(),
        )
        .order_by(TppSession.held_on, TppSession.id)
        .limit(1)
    )
    if session is not None:
        db.session.add(TppItem(session=session, step_record=record))
    return record


@engine.on(REVOCATION.code, "tpp", APPROVE)
def _revoked(record: StepRecord) -> None:
    client = record.instance.client
    client.status = REVOKED
    schedule = schedule_of(client.id)
    if schedule is not None:
        schedule.active = False


def find_reporting_client(card: str, user: Staff) -> Client:
    """The client with a schedule whose guidance card or register number this is, among those `user`
    may record at the office (`scope.attends_clause`); any other is refused with the same words."""
    card = card.strip()
    client = db.session.scalar(
        select(Client)
        .join(ReportingSchedule, ReportingSchedule.client_id == Client.id)
        .where(
            Client.status == ACTIVE,
            ReportingSchedule.active,
            or_(Client.guidance_card_number == card, Client.register_number == card),
            scope.attends_clause(user),
        )
    )
    if client is None:
        raise Refused("card", _l("No client with a reporting schedule that you may record has this number."))
    return client


def attend_at_office(user: Staff, card: str, on: date, note: str | None) -> ReportingOccurrence:
    """TU or the PK records a client reporting at the office's counter on a day (today: now)."""
    client = find_reporting_client(card, user)
    if on > today_wib():
        raise Refused("attended_on", _l("The report cannot be in the future."))
    at = utcnow() if on == today_wib() else wib_midnight(on) + timedelta(hours=12)
    occurrence = record_attendance(client, user, at, OFFICE, note=note)
    if occurrence is None:
        raise Refused("attended_on", _l("The client's reporting schedule starts after that date."))
    return occurrence
