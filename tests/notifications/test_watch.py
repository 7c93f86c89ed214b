"""The watcher: a step at 75 % of its standard tells its actor, an overdue one tells the actor and
escalates as Tugas Saya does (a PK's to the Kasubsi of the section), each once however often it runs."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models.notifications import APP, DUE_SOON, ESCALATION, OVERDUE, Notification
from app.notifications import watch
from app.timeutil import WIB
from app.workflow import correspondence
from tests.notifications.conftest import letter, staff

START = datetime(2027, 5, 3, 9, 0, tzinfo=WIB)


def _kinds(record_id: int) -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(Notification.kind, Notification.staff_id)
        .where(Notification.step_record_id == record_id, Notification.channel == APP)
        .order_by(Notification.id)
    ).all()
    names = {s.id: s.username for s in (staff(n) for n in ("pk1", "kasubsi.bka", "kasubsi.bkd", "kepala"))}
    return [(kind, names.get(who, str(who))) for kind, who in rows]


def test_75_percent_then_overdue_then_escalation_each_once(app, clock):
    clock(START)
    with app.app_context():
        record = letter("ABH", "Anak untuk pengawasan jam", START)
        correspondence.dispose(
            record, staff("kepala"), to=staff("kasubsi.bka"), instructions=["tindak_lanjuti"], note=None,
            urgency="segera", deadline=None,
        )  # fmt: skip
        correspondence.assign(record.instance.steps[-1], staff("kasubsi.bka"), [staff("pk1")], None)
        db.session.commit()
        accompany = record.instance.steps[-1]
        assert accompany.step == "accompany"  # 1 day on the wall clock, pk1's
        step_id = accompany.id
        assert _kinds(step_id) == [("ready", "pk1")]
        clock(START + timedelta(hours=17))
        watch.scan()
        assert _kinds(step_id) == [("ready", "pk1")]  # 17 h of 24: not yet 75 %
        clock(START + timedelta(hours=18, minutes=1))
        watch.scan()
        watch.scan()
        assert _kinds(step_id) == [("ready", "pk1"), (DUE_SOON, "pk1")]
        clock(START + timedelta(days=1, minutes=1))
        watch.scan()
        watch.scan()
        assert _kinds(step_id) == [
            ("ready", "pk1"), (DUE_SOON, "pk1"), (OVERDUE, "pk1"), (ESCALATION, "kasubsi.bka"),
        ]  # fmt: skip
        escalation = db.session.scalar(
            select(Notification).where(
                Notification.step_record_id == step_id, Notification.kind == ESCALATION
            )
        )
        assert staff("pk1").full_name in escalation.body and escalation.link == f"/tasks/{step_id}"
