"""Tugas Saya shows the most urgent waiting steps with the count of all (up to 1,000), and "lihat semua"."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import delete, select

from app.models.workflow import ServiceInstance, StepRecord
from app.timeutil import utcnow
from app.workflow import inbox
from app.workflow.inbox import SHOWN
from tests.conftest import indonesian

MARK = "Antrean uji batas"


def _rows(html: str) -> list[str]:
    """The subjects of the task rows of the first table (the user's own tasks), in order."""
    own = html.split("bapas-tasks-head", 2)[1]
    return re.findall(rf"({MARK} \d+)<", own)


def test_the_inbox_shows_the_most_urgent_and_counts_the_rest(app, login_as, db_session, monkeypatch):
    start, extra = utcnow(), 7
    for i in range(SHOWN + extra):
        instance = ServiceInstance(
            service="ABH", subject=f"{MARK} {i:03d}", section="BKA", office_id=1, current_step="appoint"
        )
        # Deadlines run backwards from the insertion order, so the sort (not the id) must decide.
        db_session.add(
            StepRecord(
                instance=instance,
                step="appoint",
                service="ABH",
                office_id=1,
                actor_role="Kasubsi",
                section="BKA",
                ready_at=start,
                deadline_at=start + timedelta(days=400 - i),
            )
        )
    db_session.commit()
    app.config["BAPAS_INBOX_SHOWN"] = SHOWN  # the office's setting (the tests' own shows every row)
    try:
        kasubsi = login_as("kasubsi.bka")
        page = kasubsi.get("/").get_data(as_text=True)
        shown = _rows(page)
        total = len(re.findall(r'class="bapas-task[ "]', page.split("bapas-tasks-head", 2)[1]))
        assert total <= SHOWN
        # The latest-inserted have the earliest deadlines: they lead, the earliest-inserted are cut.
        assert shown[0] == f"{MARK} {SHOWN + extra - 1:03d}"
        assert f"{MARK} 000" not in shown
        assert "bapas-tasks-more" in page and indonesian("Show all") in page
        everything = _rows(kasubsi.get("/?all=tasks").get_data(as_text=True))
        assert len(everything) == SHOWN + extra
        assert everything == sorted(everything, reverse=True)  # by binding deadline, soonest first
        assert _rows(kasubsi.get("/?all=x").get_data(as_text=True)) == shown  # unknown: the usual page
        # The count is of every waiting row (other tests' too) and stops past SHOWN_ALL: "lebih dari …"
        # instead of counting a whole national office.
        every_row = kasubsi.get("/?all=tasks").get_data(as_text=True).split("bapas-tasks-head", 2)[1]
        waiting = len(re.findall(r'class="bapas-task[ "]', every_row))
        assert SHOWN + extra <= waiting < inbox.SHOWN_ALL
        assert f"dari {waiting}." in page
        monkeypatch.setattr(inbox, "SHOWN_ALL", SHOWN + 2)
        assert f"dari lebih dari {SHOWN + 2}." in kasubsi.get("/").get_data(as_text=True)
    finally:
        app.config["BAPAS_INBOX_SHOWN"] = 1000
        db_session.rollback()
        ids = list(
            db_session.scalars(select(ServiceInstance.id).where(ServiceInstance.subject.like(f"{MARK}%")))
        )
        db_session.execute(delete(StepRecord).where(StepRecord.instance_id.in_(ids)))
        db_session.execute(delete(ServiceInstance).where(ServiceInstance.id.in_(ids)))
        db_session.commit()


def _mine(db_session, ids: list[int], user, counting: bool = False) -> set[int]:
    condition = inbox._mine(user, counting)
    return set(db_session.scalars(select(StepRecord.id).where(StepRecord.id.in_(ids), condition)))


def test_a_pks_count_takes_the_same_steps_as_its_page(app, db_session):
    """The count writes a PK's teams as a set (inbox._mine(counting=True)): the very same steps."""
    from app.models.staff import Staff

    users = {u.username: u for u in db_session.scalars(select(Staff).where(Staff.office_id == 1))}
    team = [users["pk1"], users["pk3"]]
    instance = ServiceInstance(
        service="BASOL",
        subject=f"{MARK} tim",
        section="BKA",
        office_id=1,
        current_step="carry_out",
        members=team,
    )
    steps = {
        "team": ("PK", "pk3"),  # a colleague's step of pk1's team: pk1's too
        "unassigned": ("PK", None),  # nobody's yet: not the team's
        "own": ("PK", "pk1"),
        "named": ("ANYONE", "pk1"),
        "other role": ("Kasubsi", "pk1"),
    }
    records = {}
    for i, (name, (role, who)) in enumerate(steps.items()):
        records[name] = StepRecord(
            instance=instance, step=f"uji_{i}", service="BASOL", office_id=1, actor_role=role, section="BKA",
            assignee_id=users[who].id if who else None, ready_at=utcnow(),
        )  # fmt: skip
    db_session.add_all(records.values())
    db_session.commit()
    try:
        ids = [r.id for r in records.values()]
        for username in ("pk1", "pk2", "pk3", "kasubsi.bka", "kepala"):
            user = users[username]
            assert _mine(db_session, ids, user) == _mine(db_session, ids, user, counting=True), username
        assert _mine(db_session, ids, users["pk1"]) == {
            records[n].id for n in ("team", "own", "named", "other role")
        }
    finally:
        db_session.execute(delete(StepRecord).where(StepRecord.instance_id == instance.id))
        db_session.delete(instance)
        db_session.commit()


def test_escalations_are_counted_once_each_part_by_part(app, db_session):
    """The escalation count unites its parts (late by actor, past the overall limit): a step in both
    is counted once, and the count equals the rows a full page lists."""
    from app.models.staff import Staff

    users = {u.username: u for u in db_session.scalars(select(Staff).where(Staff.office_id == 1))}
    past, late = utcnow() - timedelta(days=3), utcnow() - timedelta(hours=1)
    lapsed = ServiceInstance(service="ABH", subject=f"{MARK} lewat", section="BKA", office_id=1,
                             current_step="appoint", limit_due_at=past)  # fmt: skip
    timely = ServiceInstance(service="ABH", subject=f"{MARK} tepat", section="BKA", office_id=1,
                             current_step="appoint", limit_due_at=utcnow() + timedelta(days=3))  # fmt: skip
    rows = [
        (lapsed, "TU", late),  # late and past the limit: once
        (lapsed, "Kasubsi", None),  # past the limit only
        (timely, "TU", late),  # late only
        (timely, "Pengaduan", None),  # neither
    ]
    records = [
        StepRecord(
            instance=instance,
            step=f"uji_{i}",
            service="ABH",
            office_id=1,
            actor_role=role,
            section="BKA",
            ready_at=past,
            deadline_at=deadline,
        )
        for i, (instance, role, deadline) in enumerate(rows)
    ]
    db_session.add_all(records)
    db_session.commit()
    try:
        kepala = users["kepala"]
        every = inbox.escalations(kepala, limit=10_000).rows
        assert {r.id for r in every} & {r.id for r in records} == {r.id for r in records[:3]}
        assert inbox.escalations(kepala, limit=1).total == len(every) <= inbox.SHOWN_ALL
        kasubsi = users["kasubsi.bka"]
        assert inbox.escalations(kasubsi, limit=1).total == len(inbox.escalations(kasubsi, limit=10_000).rows)
    finally:
        for instance in (lapsed, timely):
            db_session.execute(delete(StepRecord).where(StepRecord.instance_id == instance.id))
            db_session.delete(instance)
        db_session.commit()


def test_caseloads_come_lightest_first_with_each_pks_counts(app, db_session):
    """Each PK's open clients and open tasks, sorted in Python by their sum, then by name."""
    from app.models.clients import ACCOMPANIED, ACTIVE, Client

    loads = inbox.caseloads(None)
    assert len(loads) >= 3
    for staff, clients, tasks in loads:
        mine = select(Client.id).where(
            Client.officer_id == staff.id, Client.status.in_((ACTIVE, ACCOMPANIED))
        )
        open_steps = select(StepRecord.id).where(
            StepRecord.assignee_id == staff.id, StepRecord.finished_at.is_(None)
        )
        assert clients == len(db_session.scalars(mine).all()), staff.username
        assert tasks == len(db_session.scalars(open_steps).all()), staff.username
    keys = [(clients + tasks, staff.first_name.casefold(), staff.id) for staff, clients, tasks in loads]
    assert keys == sorted(keys)
