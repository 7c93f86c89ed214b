"""The delivery pass: pick the due notices (FOR UPDATE SKIP LOCKED, so several workers never send
one twice), send them, mark them sent, or retry with backoff and give up as failed after
NOTIFY_MAX_ATTEMPTS. A morning's digest rows go out as one message per recipient and channel."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.formatting import fmt_date
from app.models.notifications import APP, FAILED, PENDING, SENT, Notification
from app.notifications import messages, schedule
from app.notifications.channels import channel_for
from app.timeutil import WIB, as_utc, utcnow


@dataclass
class PassResult:
    """What one pass did, counted in notices."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def url(link: str | None) -> str:
    """A link of this site as the recipient opens it (NOTIFY_BASE_URL in front)."""
    if not link:
        return ""
    return current_app.config.get("NOTIFY_BASE_URL", "").rstrip("/") + link


def _due(now: datetime, limit: int) -> list[Notification]:
    stmt = (
        select(Notification)
        .where(
            Notification.status == PENDING,
            Notification.channel != APP,
            Notification.next_attempt_at <= now,
        )
        .order_by(Notification.next_attempt_at, Notification.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite has one writer anyway
    )
    return list(db.session.scalars(stmt))


def _batches(rows: list[Notification]) -> list[list[Notification]]:
    digests: dict[tuple, list[Notification]] = defaultdict(list)
    alone = []
    for row in rows:
        if row.digest:
            digests[(row.channel, row.address, row.staff_id)].append(row)
        else:
            alone.append([row])
    return alone + list(digests.values())


def _compose(batch: list[Notification]) -> tuple[str, str]:
    first = batch[0]
    if not first.digest:
        return first.subject, f"{first.body}\n\n{url(first.link)}".strip()
    day = fmt_date(as_utc(first.next_attempt_at).astimezone(WIB).date())
    return messages.digest_text(day, [f"- {row.subject}: {url(row.link)}" for row in batch])


def deliver_due(now: datetime | None = None, limit: int = 200) -> PassResult:
    """Send every notice due by `now` (at most `limit`) and commit their new state."""
    now = as_utc(now or utcnow())
    result = PassResult()
    maximum = int(current_app.config.get("NOTIFY_MAX_ATTEMPTS", 5))
    for batch in _batches(_due(now, limit)):
        first = batch[0]
        subject, text = _compose(batch)
        try:
            channel_for(first.channel).send(first.address or "", subject, text)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
            result.errors.append(error)
            for row in batch:
                row.attempts += 1
                row.last_error = error
                if row.attempts >= maximum:
                    row.status = FAILED
                    result.failed += 1
                else:
                    row.next_attempt_at = schedule.retry_at(now, row.attempts)
                    result.retried += 1
            continue
        for row in batch:
            row.attempts += 1
            row.status, row.sent_at, row.last_error = SENT, now, None
            result.sent += 1
    db.session.commit()
    return result
