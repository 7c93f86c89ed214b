"""The outbox: notices are written with the move that causes them, to the step's actors, at once
for ABH and short standards, in the 07:00 WIB digest otherwise, never during quiet hours but ABH."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models.notifications import APP, EMAIL, PENDING, READY, SENT, Notification
from app.notifications import delivery
from app.timeutil import WIB, as_utc
from app.workflow import moves, outreach
from tests.notifications.conftest import letter, notices, staff
from tests.views.test_clients import PNG_1PX

TUESDAY_NIGHT = datetime(2027, 3, 2, 23, 30, tzinfo=WIB)


def test_an_abh_step_tells_the_kepala_at_once_in_the_same_transaction(app, clock):
    clock(TUESDAY_NIGHT)
    with app.app_context():
        record = letter("ABH", "Notifikasi ABH malam hari", TUESDAY_NIGHT)
        db.session.commit()
        kepala = staff("kepala")
        bell, mail = notices(record, APP), notices(record, EMAIL)
        assert [(n.staff_id, n.kind, n.status) for n in bell] == [(kepala.id, READY, SENT)]
        assert [(n.address, n.status, n.digest, n.urgent) for n in mail] == [
            (kepala.email, PENDING, False, True)
        ]
        assert as_utc(mail[0].next_attempt_at) == TUESDAY_NIGHT
        assert bell[0].link == f"/tasks/{record.id}" and "ABH-" in bell[0].body
        assert bell[0].subject.startswith("Tugas baru: ")  # Indonesian, short
        # Only the step's actor: no one else of the office is told.
        assert {n.staff_id for n in notices(record)} == {kepala.id}


def test_a_rolled_back_move_leaves_no_notice_and_sends_nothing(app, clock, smtp):
    clock(TUESDAY_NIGHT)
    with app.app_context():
        before = db.session.scalar(select(func.count(Notification.id)))
        record = letter("ABH", "Notifikasi yang dibatalkan", TUESDAY_NIGHT)
        db.session.flush()
        record_id = record.id
        db.session.rollback()
        db.session.commit()  # a later commit of the same session does not resurrect the note
        assert db.session.scalar(select(func.count(Notification.id))) == before
        assert db.session.scalar(select(func.count()).where(Notification.step_record_id == record_id)) == 0
        delivery.deliver_due(TUESDAY_NIGHT + timedelta(days=2))
    assert not [m for m in smtp.messages if f"/tasks/{record_id}" in m.get_payload()]


def test_a_day_standard_waits_for_the_morning_digest(app, clock):
    clock(TUESDAY_NIGHT)
    with app.app_context():
        record = letter("SURAT", "Surat biasa untuk ringkasan", TUESDAY_NIGHT)
        db.session.commit()
        (mail,) = notices(record, EMAIL)
        assert mail.digest and not mail.urgent
        assert as_utc(mail.next_attempt_at) == datetime(2027, 3, 3, 7, 0, tzinfo=WIB)
        # The bell shows it at once.
        assert notices(record, APP)[0].status == SENT


def test_quiet_hours_hold_back_everything_but_abh(app, clock):
    night = datetime(2027, 3, 4, 22, 0, tzinfo=WIB)
    clock(night)
    app.config["NOTIFY_QUIET_HOURS"] = "21:00-06:00"
    try:
        with app.app_context():
            abh = letter("ABH", "ABH pada jam tenang", night)
            request = {"institution": "SD Uji Jam Tenang", "institution_kind": "SEKOLAH",
                       "contact_name": "x", "contact_phone": "0293", "requested_on": date(2027, 3, 20),
                       "place": "x", "audience": "x", "topic": "x"}  # fmt: skip
            sambang = outreach.submit(request, ("image/png", PNG_1PX, "surat.png"))
            db.session.commit()
            dispose = sambang.instance.steps[-1]
            assert dispose.step == "dispose"  # 10 minutes: told at once, but not at night
            six = datetime(2027, 3, 5, 6, 0, tzinfo=WIB)
            assert as_utc(notices(dispose, EMAIL)[0].next_attempt_at) == six
            assert as_utc(notices(abh, EMAIL)[0].next_attempt_at) == night
    finally:
        app.config["NOTIFY_QUIET_HOURS"] = ""


def test_a_client_handed_to_another_pk_tells_the_new_pk_of_its_waiting_steps(app, clock):
    from app.models.clients import Client
    from app.models.workflow import ServiceInstance, StepRecord
    from app.workflow import engine

    clock(TUESDAY_NIGHT)
    with app.app_context():
        client = db.session.scalar(select(Client).where(Client.register_number == "BKA-002/2026"))
        new_pk = staff("pk3")
        record = engine.start("LAPBUL", "Uji serah terima", client_id=client.id, officer_id=client.officer_id,
                              section="BKA").steps[-1]  # fmt: skip
        db.session.commit()
        moves.hand_over([client.id], new_pk.id)
        db.session.commit()
        step = db.session.get(StepRecord, record.id)
        assert step.assignee_id == new_pk.id
        assert [n.staff_id for n in notices(step, APP) if n.staff_id == new_pk.id] == [new_pk.id]
        instance = db.session.get(ServiceInstance, step.instance_id)
        assert instance.officer_id == new_pk.id
        # A report service without its report row would confuse the daily job of later tests.
        db.session.delete(instance)
        db.session.commit()
