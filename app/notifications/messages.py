"""What each notice says, short and in Indonesian. Texts name the service and its number, never a
client: e-mail and WhatsApp leave the office, and the task screen shows the rest to who may see it."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from app.formatting import fmt_datetime
from app.models.notifications import (
    ANSWERED,
    CORRECTION,
    DECISION,
    DUE_SOON,
    ESCALATION,
    LETTER,
    OVERDUE,
    READY,
    RECEIPT,
)
from app.models.workflow import StepRecord

Text = tuple[str, str]


def _service(record: StepRecord) -> tuple[str, str, str]:
    from app.workflow.engine import service_of, step_of

    return str(service_of(record.instance).title), repr(record.instance), str(step_of(record).title)


def staff_text(kind: str, record: StepRecord, due: datetime | None, actor: str = "") -> Text:
    """Subject and body of a notice about a step to a staff member."""
    service, code, step = _service(record)
    when = fmt_datetime(due) if due else _("no deadline")
    if kind == READY:
        subject = _("New task: %(step)s", step=step)
        body = _("%(service)s %(code)s is waiting for you: %(step)s. Due: %(due)s.", service=service,
                 code=code, step=step, due=when)  # fmt: skip
    elif kind == DUE_SOON:
        subject = _("Due soon: %(step)s", step=step)
        body = _("%(service)s %(code)s: %(step)s is due %(due)s.", service=service, code=code, step=step,
                 due=when)  # fmt: skip
    elif kind == OVERDUE:
        subject = _("Overdue: %(step)s", step=step)
        body = _("%(service)s %(code)s: %(step)s was due %(due)s.", service=service, code=code, step=step,
                 due=when)  # fmt: skip
    else:
        assert kind == ESCALATION
        subject = _("Overdue in your team: %(step)s", step=step)
        body = _("%(service)s %(code)s: %(step)s (%(actor)s) was due %(due)s.", service=service, code=code,
                 step=step, actor=actor, due=when)  # fmt: skip
    return subject[:200], body


def unacknowledged_text(record: StepRecord, on_duty: str, since: datetime) -> Text:
    """Subject and body of the escalation of a task on duty nobody acknowledged within 15 minutes."""
    service, code, step = _service(record)
    subject = _("Not acknowledged on duty: %(step)s", step=step)
    body = _("%(service)s %(code)s: %(step)s went to %(name)s on duty at %(at)s and has not been "
             "acknowledged for 15 minutes.", service=service, code=code, step=step, name=on_duty,
             at=fmt_datetime(since))  # fmt: skip
    return subject[:200], body


def public_text(kind: str, code: str, approved: bool = True) -> Text:
    """Subject and body of a notice to the person who made a request or complaint."""
    if kind == RECEIPT:
        return _("Your request has been received"), _(
            "Bapas received your request. Receipt code: %(code)s. Follow it at the link.", code=code
        )
    if kind == CORRECTION:
        return _("Your request needs a correction"), _(
            "The PK asks you to correct request %(code)s. Open the link to correct it.", code=code
        )
    if kind == DECISION:
        subject = _("Your request has been approved") if approved else _("Your request has been rejected")
        return subject, _("The decision on request %(code)s is at the link.", code=code)
    if kind == LETTER:
        return _("Your permit letter is ready"), _(
            "The signed letter of request %(code)s can be downloaded at the link.", code=code
        )
    assert kind == ANSWERED
    return _("Your complaint has been answered"), _(
        "The answer to complaint %(code)s is at the link.", code=code
    )


def digest_text(day: str, lines: list[str]) -> Text:
    """Subject and body of the morning digest: one line per task that became the recipient's."""
    subject = _("Daily summary %(day)s: %(count)s new tasks", day=day, count=len(lines))
    return subject, "\n".join(lines)
