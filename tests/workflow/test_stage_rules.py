"""Issue 17 item 9: a stage's plan is due early in the stage, a new client's work opens when it is
registered, and the termination letter names the stages actually completed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from app.models.clients import Client
from app.models.guidance import EARLY, FINAL, MIDDLE, ProgressReport, StagePlan
from app.models.staff import Staff
from app.models.workflow import StepRecord
from app.timeutil import WIB, as_utc, utcnow
from tests.workflow.test_binding_deadlines import row_of


def _daily(app, today: date) -> None:
    from app.workflow.supervision import open_due_work

    with app.app_context():
        open_due_work(today)


def _plan_step(db_session, client_id: int) -> StepRecord:
    db_session.rollback()
    plan = db_session.scalar(select(StagePlan).where(StagePlan.client_id == client_id))
    return db_session.scalar(select(StepRecord).where(StepRecord.instance_id == plan.instance_id))


def test_a_stage_plan_is_due_fourteen_days_into_the_stage(app, login_as, db_session, clock):
    from tests.factories import client_with_period

    clock(datetime(2026, 9, 1, 8, 0, tzinfo=WIB))
    client_id = client_with_period(app, "BKD-840/2026", "pk2", date(2026, 9, 1), date(2027, 8, 31))
    _daily(app, date(2026, 9, 1))
    step = _plan_step(db_session, client_id)
    # Not the end of the early stage (30 November): the close of 14 September.
    assert as_utc(step.deadline_at) == datetime(2026, 9, 15, tzinfo=WIB)
    row = row_of(login_as("pk2").get("/").get_data(as_text=True), "Klien BKD-840/2026: Tahap awal")
    assert "14 September 2026, akhir hari" in row

    # A stage shorter than 14 days: the plan is due by its end.
    short = client_with_period(app, "BKD-841/2026", "pk2", date(2026, 9, 1), date(2026, 9, 30))
    _daily(app, date(2026, 9, 1))
    assert as_utc(_plan_step(db_session, short).deadline_at) == datetime(2026, 9, 8, tzinfo=WIB)


def test_a_newly_registered_client_has_its_plan_and_report_at_once(app, login_as, db_session, clock):
    clock(datetime(2026, 10, 7, 10, 0, tzinfo=WIB))
    pk2 = db_session.scalar(select(Staff.id).where(Staff.username == "pk2"))
    form = {
        "register_number": "BKD-842/2026", "name": "Wahyu Nugroho", "nik": "3308010101800042",
        "birth_place": "Magelang", "birth_date": "1980-01-01", "sex": "L",
        "address": "Jl. Pemuda 4, Magelang", "phone": "", "category": "dewasa", "guardian_name": "",
        "guardian_relation": "", "guardian_phone": "", "legal_basis": "PB",
        "supervision_start": "2026-10-01", "supervision_end": "2027-09-30", "officer": str(pk2),
        "status": "aktif", "handover_number": "BAST-842/2026", "handover_date": "2026-10-01",
        "guidance_card_number": "", "confidential_notes": "",
    }  # fmt: skip
    response = login_as("kasubsi.bkd").post_form("/clientview/add", form)
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    db_session.rollback()
    client_id = db_session.scalar(select(Client.id).where(Client.register_number == "BKD-842/2026"))
    plans = db_session.scalars(select(StagePlan).where(StagePlan.client_id == client_id)).all()
    assert [p.stage for p in plans] == [EARLY]
    assert plans[0].instance.officer_id == pk2
    report = db_session.scalar(select(ProgressReport).where(ProgressReport.client_id == client_id))
    assert report is not None and report.month == date(2026, 10, 1) and report.instance_id is not None
    home = login_as("pk2").get("/").get_data(as_text=True)
    assert "20 Oktober 2026, akhir hari kerja" in row_of(home, "Wahyu Nugroho: Tahap awal")
    # The nightly job, the same rule, finds nothing left to open for this client.
    _daily(app, date(2026, 10, 7))
    db_session.rollback()
    assert len(db_session.scalars(select(StagePlan).where(StagePlan.client_id == client_id)).all()) == 1
    assert (
        len(db_session.scalars(select(ProgressReport).where(ProgressReport.client_id == client_id)).all())
        == 1
    )


def test_the_termination_letter_names_the_stages_completed(app, db_session):
    from app.views.supervision import completed_stages
    from tests.factories import client_with_period

    client_id = client_with_period(app, "BKD-843/2026", "pk2", date(2025, 1, 1), date(2026, 12, 31))
    with app.test_request_context():
        assert completed_stages(client_id) == ""
        db_session.add_all(
            StagePlan(client_id=client_id, stage=stage, approved_at=utcnow() if approved else None)
            for stage, approved in ((EARLY, True), (MIDDLE, False), (FINAL, True))
        )
        db_session.flush()
        assert completed_stages(client_id) == "tahap awal dan tahap akhir"
    db_session.rollback()
