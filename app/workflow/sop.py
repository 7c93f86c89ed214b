"""The vocabulary the SOPs are declared in: time standards, steps, overall limits, services.

`app.workflow.definitions` declares every service of the Bapas with these; the engine reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import lazy_gettext as _l

HANDLING, RESPONSE = "handling", "response"
WALL, WORKING = "wall", "working"
DONE, APPROVE, REJECT, RETURN, RECORD, CLOSE = "done", "approve", "reject", "return", "record", "close"
READY, OPENED, FINISHED = "ready", "opened", "finished"
# A moment the step's actor records (the PK's arrival at the police station, SOP 12), not the engine.
ARRIVED = "arrived"

OUTCOME_LABELS = {
    DONE: _l("Done"),
    APPROVE: _l("Approve"),
    REJECT: _l("Reject"),
    RETURN: _l("Return with reasons"),
    RECORD: _l("Add record"),
    CLOSE: _l("Close"),
}
# The same outcomes once recorded (a task's history, a TPP agenda, the minutes): "Disetujui".
DECISION_LABELS = {
    DONE: _l("Done"),
    APPROVE: _l("Approved"),
    REJECT: _l("Rejected"),
    RETURN: _l("Returned with reasons"),
    RECORD: _l("Record added"),
    CLOSE: _l("Closed"),
}


@dataclass(frozen=True)
class Standard:
    """A time standard (mutu baku waktu): an amount on the wall clock or in working days."""

    wall: timedelta | None = None
    working_days: float | None = None
    kind: str = RESPONSE

    def __post_init__(self) -> None:
        assert (self.wall is None) != (self.working_days is None), "one of wall / working_days"


def minutes(n: int, kind: str = HANDLING) -> Standard:
    """A wall-clock standard in minutes."""
    return Standard(wall=timedelta(minutes=n), kind=kind)


def hours(n: int, kind: str = RESPONSE) -> Standard:
    """A wall-clock standard in hours."""
    return Standard(wall=timedelta(hours=n), kind=kind)


def days(n: float, clock: str = WORKING, kind: str = RESPONSE) -> Standard:
    """A standard in days: working days, or 24-hour days on the wall clock."""
    if clock == WALL:
        return Standard(wall=timedelta(days=n), kind=kind)
    return Standard(working_days=n, kind=kind)


@dataclass(frozen=True)
class Step:
    """One step of a service."""

    code: str
    title: str
    actor: str
    standard: Standard | None
    output: str
    inputs: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = (DONE,)
    section: str | None = None  # fixed section of the actor; None: the instance's section
    assigned: bool = False  # only the PK assigned to the instance may act
    repeatable: bool = False  # RECORD adds an entry and keeps the step open; CLOSE ends it
    form: str = "note"  # which screen the step uses (registered in app.views.steps)
    deadline_from: str | None = None  # instance data key holding an explicit deadline
    not_before: str | None = None  # instance data key: the step cannot be taken up before that moment
    proxy: str | None = None  # role that may complete a public step on the applicant's behalf
    returns_to: str | None = None  # the step RETURN goes back to (default: the one before)
    finishes: tuple[str, ...] = ()  # outcomes that finish the service here instead of going on


@dataclass(frozen=True)
class Limit:
    """A service's overall limit: from one step moment to another, within a standard or by a date
    the request itself names (`deadline_from`, an instance data key read when the limit starts)."""

    start: tuple[str, str]
    end: tuple[str, str]
    standard: Standard | None = None
    deadline_from: str | None = None

    def __post_init__(self) -> None:
        assert (self.standard is None) != (self.deadline_from is None), "one of standard / deadline_from"


@dataclass(frozen=True)
class Service:
    """A service of the Bapas: its SOP, steps and overall limit."""

    code: str
    title: str
    sop: str
    steps: tuple[Step, ...]
    limit: Limit | None = None
    product: str = ""
    steps_by_code: dict[str, Step] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps_by_code", {s.code: s for s in self.steps})

    def step(self, code: str) -> Step:
        """The step with this code."""
        return self.steps_by_code[code]

    def after(self, code: str) -> Step | None:
        """The step that follows `code`, or None at the end."""
        index = [s.code for s in self.steps].index(code)
        return self.steps[index + 1] if index + 1 < len(self.steps) else None

    def before(self, code: str) -> Step | None:
        """The step that precedes `code`, or None at the start."""
        index = [s.code for s in self.steps].index(code)
        return self.steps[index - 1] if index > 0 else None
