"""Moves under concurrency: one winner per step, distinct agenda numbers."""

from __future__ import annotations

import os
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app import offices
from app.extensions import db
from app.models.letters import IncomingLetter
from app.models.staff import Staff
from app.models.workflow import StepRecord
from app.timeutil import utcnow
from app.workflow import correspondence, engine

on_postgres = pytest.mark.skipif(
    not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgresql"),
    reason="concurrency is proven on PostgreSQL, the production database (.ci/run sets TEST_DATABASE_URL)",
)


def _run_together(app, count: int, work) -> list:
    """Run `work(i)` in `count` threads released at the same moment, each in its own app context."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def runner(i: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                results[i] = work(i)
                engine.commit()
            except Exception as exc:  # the loser's error is the result under test
                db.session.rollback()
                results[i] = exc

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def _user(username: str) -> Staff:
    return db.session.scalar(select(Staff).where(Staff.username == username))


def _letter(user: Staff, subject: str) -> IncomingLetter:
    return correspondence.register_letter(
        user,
        service="SURAT",
        sender="Pengadilan Negeri Magelang",
        sender_kind="PENGADILAN",
        letter_number=f"W12.U8/{subject}",
        letter_date=date(2026, 11, 20),
        subject=subject,
        received_at=utcnow() - timedelta(minutes=5),
    )


@on_postgres
def test_two_people_completing_one_step_at_once(app):
    with app.app_context():
        letter = _letter(_user("tu"), "Dua sesi sekaligus")
        db.session.commit()
        record_id = db.session.scalar(
            select(StepRecord.id).where(
                StepRecord.instance_id == letter.instance_id, StepRecord.finished_at.is_(None)
            )
        )
        kasubsi_id = _user("kasubsi.bkd").id

    def dispose(i: int):
        record = db.session.get(StepRecord, record_id)
        kepala = _user("kepala")
        to = db.session.get(Staff, kasubsi_id)
        return correspondence.dispose(
            record,
            kepala,
            to=to,
            instructions=["diketahui"],
            note=f"sesi {i}",
            urgency="biasa",
            deadline=None,
        )

    results = _run_together(app, 2, dispose)
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], engine.MoveRefused)
    with app.app_context():
        instance_steps = db.session.scalars(
            select(StepRecord).where(StepRecord.instance_id == letter.instance_id).order_by(StepRecord.id)
        ).all()
        assert [s.step for s in instance_steps] == ["register", "dispose", "appoint"]
        assert len(db.session.get(IncomingLetter, letter.id).dispositions) == 1


@on_postgres
def test_fifty_concurrent_registrations_get_fifty_agenda_numbers(app):
    with app.app_context():
        tu_id = _user("tu").id
        before = db.session.scalar(select(func.count(IncomingLetter.id)))

    def register(i: int):
        # A thread starts with no office of its own (as a command would): work for Magelang's.
        with offices.working_for(1):
            return _letter(db.session.get(Staff, tu_id), f"Serentak {i}").agenda_seq

    results = _run_together(app, 50, register)
    assert all(isinstance(r, int) for r in results), results
    assert len(set(results)) == 50
    with app.app_context():
        assert db.session.scalar(select(func.count(IncomingLetter.id))) == before + 50
