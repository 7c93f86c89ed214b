"""Guidance of clients: the guidance log, the monthly progress report and the stage plans."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update

from app.extensions import db
from app.formatting import fmt_date, fmt_month
from app.models.clients import FINISHED, Client
from app.models.guidance import GuidanceLog, ProgressReport, StagePlan
from app.models.letters import next_agenda_seq
from app.models.staff import Staff
from app.models.workflow import StepRecord
from app.timeutil import WIB, today_wib, utcnow
from app.workflow import engine
from app.workflow.definitions import APPROVE, FINAL_STAGE, STAGE_PLAN
from app.workflow.supervision import first_of_month, next_month, stage_on


class Refused(engine.MoveRefused):
    """Input the office's rules refuse; `field` names the form field the message belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_guidance_day(client: Client, day: date) -> None:
    """A guidance session happens within the client's supervision period and not in the future."""
    if day > today_wib():
        raise Refused("held_on", _l("The date cannot be in the future."))
    start, end = client.supervision_start, client.supervision_end
    if start is None or end is None or not start <= day <= end:
        raise Refused("held_on", _l("The date is outside the client's supervision period."))


def record_log(user: Staff, client: Client, fields: dict[str, Any], **links: Any) -> GuidanceLog:
    """Store a guidance session and move the client's reporting dates on (the caller commits)."""
    check_guidance_day(client, fields["held_on"])
    stage = stage_on(client, fields["held_on"])
    log = GuidanceLog(client=client, officer_id=user.id, stage=stage, **fields, **links)
    db.session.add(log)
    note_reporting(client.id, fields["held_on"], fields.get("next_appointment"))
    return log


def note_reporting(client_id: int, held_on: date, next_appointment: date | None) -> None:
    """Move the client's last guidance and next reporting dates on after a session."""
    # One conditional UPDATE: an older session recorded late never moves the dates back.
    db.session.execute(
        update(Client)
        .where(
            Client.id == client_id,
            or_(Client.last_guidance_on.is_(None), Client.last_guidance_on <= held_on),
        )
        .values(last_guidance_on=held_on, next_report_due=next_appointment)
        .execution_options(synchronize_session=False)
    )


def report_months(client: Client, today: date) -> list[date]:
    """The months of the client's supervision up to the current one, newest first."""
    if client.supervision_start is None or client.supervision_end is None:
        return []
    month, last = first_of_month(client.supervision_start), first_of_month(min(today, client.supervision_end))
    months = []
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months[::-1]


def file_report(user: Staff, client: Client, month: date, fields: dict[str, Any]) -> ProgressReport:
    """File a client's progress report for a month; it finishes the month's step if one is open."""
    if month not in report_months(client, today_wib()):
        raise Refused("month", _l("Choose a month of the supervision period up to this month."))
    report = db.session.scalar(
        select(ProgressReport).where(ProgressReport.client_id == client.id, ProgressReport.month == month)
    )
    if report is not None and report.filed_at is not None:
        raise Refused(
            "month", _l("The progress report for %(month)s has already been filed.", month=fmt_month(month))
        )
    if report is None:
        report = ProgressReport(client_id=client.id, month=month, stage=stage_on(client, month))
        db.session.add(report)
    sessions = db.session.scalar(
        select(func.count(GuidanceLog.id)).where(
            GuidanceLog.client_id == client.id,
            GuidanceLog.held_on >= month,
            GuidanceLog.held_on < next_month(month),
        )
    )
    for key, value in fields.items():
        setattr(report, key, value)
    report.officer_id, report.sessions, report.filed_at = user.id, sessions, utcnow()
    record = _open_report_step(report)
    if record is not None:
        engine.complete(record, user, note=_l("Report filed"))
    return report


def _open_report_step(report: ProgressReport) -> StepRecord | None:
    if report.instance_id is None:
        return None
    stmt = select(StepRecord).where(
        StepRecord.instance_id == report.instance_id, StepRecord.finished_at.is_(None)
    )
    return db.session.scalar(stmt)


def report_of(record: StepRecord) -> ProgressReport | None:
    """The progress report behind a step of the monthly report service."""
    return db.session.scalar(select(ProgressReport).where(ProgressReport.instance_id == record.instance_id))


def plan_of(record: StepRecord) -> StagePlan | None:
    """The stage plan behind a step of a stage-plan service."""
    return db.session.scalar(select(StagePlan).where(StagePlan.instance_id == record.instance_id))


def submit_plan(record: StepRecord, user: Staff, fields: dict[str, Any]) -> None:
    """The PK's assessment and program for the stage, sent on to the Sidang TPP."""
    step = engine.claim(record, user, note=fields.get("needs"))
    plan = plan_of(record)
    for key, value in fields.items():
        setattr(plan, key, value)
    engine.advance(record, step)


def _approved(record: StepRecord) -> None:
    plan_of(record).approved_at = record.finished_at


def _terminated(record: StepRecord) -> None:
    plan = plan_of(record)
    ends = plan.client.supervision_end
    if ends is not None and today_wib() < ends:
        raise engine.MoveRefused(
            _l(
                "The termination letter can be signed from the last day of the supervision period, %(day)s.",
                day=fmt_date(ends),
            )
        )
    year = utcnow().astimezone(WIB).year
    if plan.termination_number is None:
        office = plan.client.office
        plan.termination_number = office.letter_number(
            "PK.05.03", next_agenda_seq(office.id, year, "akhir"), year
        )
    plan.client.status = FINISHED


engine.on(STAGE_PLAN.code, "tpp", APPROVE)(_approved)
engine.on(FINAL_STAGE.code, "tpp", APPROVE)(_approved)
engine.on(FINAL_STAGE.code, "sign", APPROVE)(_terminated)
