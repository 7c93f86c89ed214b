"""The one engine that moves every service of `definitions` through its steps."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.orm.exc import StaleDataError

from app import audit, notifications
from app.extensions import db
from app.formatting import fmt_datetime
from app.models.staff import Staff
from app.models.workflow import FINISHED, OPEN, REJECTED, ServiceInstance, StepRecord
from app.security.roles import ASSIGNEE, KASUBSI, PK, PUBLIC
from app.timeutil import as_utc, utcnow
from app.workflow import duty, rollups
from app.workflow.deadlines import binding, calendar, mark_limit, moment_of, step_due
from app.workflow.definitions import (
    APPROVE,
    CLOSE,
    DONE,
    OPENED,
    READY,
    RECORD,
    REJECT,
    RETURN,
    SERVICES,
    Service,
    Step,
)
from app.workflow.definitions import FINISHED as FINISHED_AT
from app.workflow.timing import stored_measures


class MoveRefused(Exception):
    """A move the engine will not make; the message is for the user."""


Hook = Callable[[StepRecord], None]
_HOOKS: dict[tuple[str, str, str], list[Hook]] = {}


def on(service: str, step: str, outcome: str) -> Callable[[Hook], Hook]:
    """Register what a service does when one of its steps ends with an outcome (its domain effect)."""

    def register(hook: Hook) -> Hook:
        _HOOKS.setdefault((service, step, outcome), []).append(hook)
        return hook

    return register


@contextmanager
def _conflicts_refused() -> Iterator[None]:
    # A concurrent move of the same instance surfaces as a stale version on flush.
    try:
        yield
    except StaleDataError as exc:
        raise MoveRefused(_l("This step has just been completed by someone else.")) from exc


def commit() -> None:
    """Commit a move; a concurrent move of the same instance makes it refused, not half-done."""
    with _conflicts_refused():
        db.session.commit()


def service_of(instance: ServiceInstance) -> Service:
    """The declared service an instance follows."""
    return SERVICES[instance.service]


def step_of(record: StepRecord) -> Step:
    """The declared step a record stands for."""
    return service_of(record.instance).step(record.step)


def _make_ready(instance: ServiceInstance, step: Step, at: datetime) -> StepRecord:
    record = StepRecord(
        instance=instance,
        step=step.code,
        service=instance.service,
        office_id=instance.office_id,
        actor_role=step.actor,
        section=step.section or instance.section,
        assignee_id=instance.officer_id if step.assigned else None,
        ready_at=at,
        due_at=step_due(step, instance, at),
        data={},
    )
    db.session.add(record)
    instance.current_step = step.code
    mark_limit(instance, step, READY, at)
    record.deadline_at = binding(record.due_at, instance)
    duty.route(record, at)
    notifications.step_ready(record)
    return record


def start(
    service_code: str,
    subject: str,
    *,
    ready_at: datetime | None = None,
    data: dict | None = None,
    **fields: Any,
) -> ServiceInstance:
    """Begin an instance of a service; its first step is ready at `ready_at` (default now).

    `data` holds what the request itself fixes, e.g. the deadlines its steps or limit read.
    """
    service = SERVICES[service_code]
    at = as_utc(ready_at) if ready_at else utcnow()
    instance = ServiceInstance(
        service=service.code, subject=subject, started_at=at, status=OPEN, data=dict(data or {}), **fields
    )
    db.session.add(instance)
    _make_ready(instance, service.steps[0], at)
    return instance


def assign_team(instance: ServiceInstance, officers: list[Staff], leader: Staff) -> None:
    """Make `officers` the instance's team; `leader`, one of them, is its responsible officer."""
    instance.officer_id = leader.id
    instance.members = list(officers)


def can_act(user: Staff | None, record: StepRecord) -> bool:
    """Whether this user is the step's actor: its role, its section, and for PK steps its PK.

    Public steps belong to the anonymous applicant (user None), who proves it with the receipt code,
    or to the step's proxy role recording it for them; an assigned step also to the instance's team;
    an ASSIGNEE step to the staff member named on the instance alone, and a step routed to the one on
    duty out of office hours to them alone.
    """
    if record.finished_at is not None:
        return False
    if record.actor_role == PUBLIC:
        proxy = step_of(record).proxy
        return user is None or (proxy is not None and proxy in user.role_names)
    if user is None:
        return False
    if record.actor_role == ASSIGNEE:
        return record.assignee_id == user.id
    if record.assignee_id is not None and record.actor_role != PK:
        return record.assignee_id == user.id  # routed to the one on duty (SOP 12), whatever their role
    if record.actor_role not in user.role_names:
        return False
    if record.actor_role in (KASUBSI, PK) and record.section and user.section != record.section:
        return False
    if record.assignee_id is None or record.assignee_id == user.id:
        return True
    return any(member.id == user.id for member in record.instance.members)


def _check(user: Staff | None, record: StepRecord, outcome: str | None = None) -> Step:
    step = step_of(record)
    if record.finished_at is not None:
        raise MoveRefused(_l("This step has already been completed."))
    if record.instance.status != OPEN or record.instance.current_step != record.step:
        raise MoveRefused(_l("This step is not the current step of the service."))
    if not can_act(user, record):
        raise MoveRefused(_l("This step belongs to another role or officer."))
    if outcome is not None and outcome not in step.outcomes:
        raise MoveRefused(_l("This outcome is not allowed for this step."))
    opens = moment_of(record.instance, step.not_before)
    if record.opened_at is None and opens is not None and utcnow() < opens:
        raise MoveRefused(_l("This step can be taken up from %(moment)s.", moment=fmt_datetime(opens)))
    return step


def open_step(record: StepRecord, user: Staff) -> None:
    """Record the moment the actor takes the step up (first time only)."""
    step = _check(user, record)
    if record.opened_at is not None:
        return
    at = utcnow()
    measured = stored_measures(step, calendar(record.instance.office_id), record.ready_at, at, None)
    claimed = db.session.execute(
        update(StepRecord)
        .where(StepRecord.id == record.id, StepRecord.opened_at.is_(None))
        .values(opened_at=at, **measured)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount == 1:
        audit.log_update(StepRecord, record.id, {"opened_at": at})
        db.session.refresh(record)
        mark_limit(record.instance, step, OPENED, at)


def claim(
    record: StepRecord,
    user: Staff | None,
    outcome: str = DONE,
    note: str | None = None,
    data: dict | None = None,
) -> Step:
    """Check the move and mark the step finished with one conditional UPDATE.

    Of two users finishing the same step at once exactly one gets past this point; the
    other gets MoveRefused. Callers claim first, then write their domain records, then
    `advance`; the caller commits (or rolls back) the whole move.
    """
    with _conflicts_refused():
        step = _check(user, record, outcome)
        at = utcnow()
        opened = record.opened_at or at
        calendar_ = calendar(record.instance.office_id)
        measured = stored_measures(step, calendar_, record.ready_at, opened, at, record.due_at)
        values = {
            "finished_at": at,
            "opened_at": opened,
            "finished_by_id": user.id if user is not None else None,
            "outcome": outcome,
            "note": str(note) if note is not None else None,
            "data": data or {},
        }
        if not _claim(record, measured, values):
            raise MoveRefused(_l("This step has just been completed by someone else."))
    if record.opened_at == record.finished_at:
        mark_limit(record.instance, step, OPENED, at)
    return step


def lapse(record: StepRecord, note: str) -> None:
    """End a step its actor never took before its matter moved on without it (a PK proposed nobody
    before the group list was compiled): finished unanswered, and its instance with it."""
    at = utcnow()
    step = step_of(record)
    opened = record.opened_at or at
    measured = stored_measures(
        step, calendar(record.instance.office_id), record.ready_at, opened, at, record.due_at
    )
    values = {"finished_at": at, "opened_at": opened, "outcome": REJECT, "note": str(note)}
    if _claim(record, measured, values):
        _finish(record.instance, REJECTED, at)


def _claim(record: StepRecord, measured: dict[str, Any], values: dict[str, Any]) -> bool:
    """Finish a step still open, in one UPDATE (of two concurrent finishes one wins), on the trail."""
    claimed = db.session.execute(
        update(StepRecord)
        .where(StepRecord.id == record.id, StepRecord.finished_at.is_(None))
        .values(**measured, **values)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return False
    rollups.add_steps([record.id])
    audit.log_update(StepRecord, record.id, values)
    db.session.refresh(record)
    return True


def advance(record: StepRecord, step: Step) -> StepRecord | None:
    """Run the step's hooks, then make the next step ready (per the outcome); returns the new record."""
    for hook in _HOOKS.get((record.instance.service, step.code, record.outcome), ()):
        hook(record)
    finished = as_utc(record.finished_at)
    mark_limit(record.instance, step, FINISHED_AT, finished)
    return _advance(record.instance, step, record.outcome, finished)


def complete(
    record: StepRecord,
    user: Staff | None,
    outcome: str = DONE,
    note: str | None = None,
    data: dict | None = None,
) -> StepRecord | None:
    """Claim a step and move the instance on; returns the next record."""
    return advance(record, claim(record, user, outcome, note, data))


def _advance(instance: ServiceInstance, step: Step, outcome: str, at: datetime) -> StepRecord | None:
    service = service_of(instance)
    if outcome == RECORD:
        return _make_ready(instance, step, at)
    if outcome == REJECT:
        _finish(instance, REJECTED, at)
        return None
    if outcome == RETURN:
        previous = service.step(step.returns_to) if step.returns_to else service.before(step.code)
        if previous is None:
            raise MoveRefused(_l("The first step cannot be returned."))
        return _make_ready(instance, previous, at)
    assert outcome in (DONE, APPROVE, CLOSE)
    following = service.after(step.code)
    if following is None or outcome in step.finishes:
        _finish(instance, FINISHED, at)
        return None
    return _make_ready(instance, following, at)


def _finish(instance: ServiceInstance, status: str, at: datetime) -> None:
    instance.status = status
    instance.finished_at = at
    instance.current_step = None
    limit = service_of(instance).limit
    if limit and instance.limit_met is None and instance.limit_due_at is not None:
        instance.limit_met = at <= as_utc(instance.limit_due_at)
    db.session.flush()
    rollups.add_closed([instance.id])  # in the move's transaction: the figures never lag behind
