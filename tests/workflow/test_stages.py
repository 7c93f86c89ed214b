"""Guidance in three stages: the stage dates of odd periods, a change of period, and each stage's
plan through the Sidang TPP up to the termination letter."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from html import unescape

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.models.clients import FINISHED, Client
from app.models.guidance import StagePlan, SupervisionPeriod, stage_windows
from app.models.workflow import StepRecord
from app.timeutil import WIB, as_utc
from tests.conftest import indonesian
from tests.factories import client_form, client_with_period
from tests.steps import act, tpp_decides


@pytest.mark.parametrize(
    ("start", "end", "middle_from", "final_from", "lengths"),
    [
        # 1 year 5 months 3 days: 519 days; a quarter is 129.75 days, three quarters 389.25.
        (date(2026, 1, 10), date(2027, 6, 12), date(2026, 5, 19), date(2027, 2, 3), (129, 260, 130)),
        # One year of 365 days: 91.25 and 273.75.
        (date(2026, 1, 1), date(2026, 12, 31), date(2026, 4, 2), date(2026, 10, 1), (91, 182, 92)),
        # 7 months 11 days over a leap February: 223 days; 55.75 and 167.25.
        (date(2027, 12, 20), date(2028, 7, 29), date(2028, 2, 13), date(2028, 6, 4), (55, 112, 56)),
    ],
)
def test_stage_dates_of_odd_periods(start, end, middle_from, final_from, lengths):
    windows = stage_windows(start, end)
    assert (windows.middle_from, windows.final_from) == (middle_from, final_from)
    spans = [(b - a).days + 1 for a, b in (windows.bounds(s) for s in ("awal", "lanjutan", "akhir"))]
    assert tuple(spans) == lengths and sum(spans) == (end - start).days + 1
    assert windows.stage_on(start) == "awal" and windows.stage_on(middle_from - timedelta(days=1)) == "awal"
    assert windows.stage_on(middle_from) == "lanjutan" and windows.stage_on(final_from) == "akhir"
    assert windows.stage_on(end) == "akhir" and windows.stage_on(end + timedelta(days=1)) is None


def _plan(db_session, client_id: int, stage: str) -> StagePlan:
    db_session.rollback()
    return db_session.scalar(
        select(StagePlan).where(StagePlan.client_id == client_id, StagePlan.stage == stage)
    )


def _open_step(db_session, instance_id: int) -> StepRecord:
    db_session.rollback()
    stmt = select(StepRecord).where(StepRecord.instance_id == instance_id, StepRecord.finished_at.is_(None))
    return db_session.scalar(stmt)


def _daily(app, today: date) -> dict:
    from app.workflow.supervision import open_due_work

    with app.app_context():
        return open_due_work(today)


def test_a_change_of_period_recomputes_the_stages_and_keeps_the_old_dates(app, login_as, db_session, clock):
    # 1 year 5 months 3 days from 10 September 2026: 521 days, stages from 18 January and 5 October.
    clock(datetime(2026, 9, 14, 9, 0, tzinfo=WIB))
    client_id = client_with_period(app, "BKD-500/2026", "pk2", date(2026, 9, 10), date(2028, 2, 12))
    _daily(app, date(2026, 9, 14))
    plan = _plan(db_session, client_id, "awal")
    due = as_utc(_open_step(db_session, plan.instance_id).due_at).astimezone(WIB)
    assert due == datetime(2026, 9, 28, 0, 0, tzinfo=WIB)  # 14 days after it opened, not the stage's end
    assert plan.instance.data["stage_ends"] == "2027-01-17T17:00:00+00:00"  # the early stage ends 17 January

    # The court shortens the period to exactly one year: the stages move, the old dates stay.
    _, form = client_form(db_session, "BKD-500/2026", supervision_end="2027-09-09")
    assert login_as("kasubsi.bkd").post_form(f"/clientview/edit/{client_id}", form).status_code == 302
    db_session.rollback()
    periods = db_session.scalars(
        select(SupervisionPeriod)
        .where(SupervisionPeriod.client_id == client_id)
        .order_by(SupervisionPeriod.id)
    ).all()
    assert [(p.end, p.superseded_at is not None) for p in periods] == [
        (date(2028, 2, 12), True),
        (date(2027, 9, 9), False),
    ]
    assert (periods[1].middle_from, periods[1].final_from) == (date(2026, 12, 10), date(2027, 6, 10))
    plan = _plan(db_session, client_id, "awal")
    assert plan.instance.data["stage_ends"] == "2026-12-09T17:00:00+00:00"
    due = as_utc(_open_step(db_session, plan.instance_id).due_at).astimezone(WIB)
    assert due == datetime(2026, 9, 28, 0, 0, tzinfo=WIB)
    page = unescape(login_as("pk2").get(f"/supervision/client/{client_id}").get_data(as_text=True))
    assert "18 Januari 2027" in page and "10 Desember 2026" in page and indonesian("replaced") in page
    assert "bapas-superseded" in page


PLAN = {
    "risk_level": "sedang",
    "needs": "Pekerjaan tetap dan dukungan keluarga.",
    "classification": "",
    "personality_program": "Konseling kesadaran hukum dua minggu sekali.",
    "independence_program": "Pelatihan las di BLK.",
}


def test_the_early_stage_plan_goes_through_the_sidang_tpp(app, login_as, db_session, clock):
    clock(datetime(2026, 9, 14, 9, 0, tzinfo=WIB))
    client_id = client_with_period(app, "BKD-501/2026", "pk2", date(2026, 9, 1), date(2027, 8, 31))
    _daily(app, date(2026, 9, 14))
    assert _daily(app, date(2026, 9, 14))["plans"] == 0  # the job is idempotent
    plan = _plan(db_session, client_id, "awal")
    record = _open_step(db_session, plan.instance_id)
    assert record.step == "plan" and login_as("pk1").get(f"/tasks/{record.id}").status_code == 404
    assert act(login_as("pk2"), record.id, PLAN).status_code == 302
    tpp_decides(
        login_as,
        db_session,
        _open_step(db_session, plan.instance_id),
        "approve",
        "Rencana tahap awal disetujui.",
    )
    plan = _plan(db_session, client_id, "awal")
    assert plan.approved_at is not None and plan.personality_program == PLAN["personality_program"]
    page = unescape(login_as("kasubsi.bkd").get(f"/supervision/client/{client_id}").get_data(as_text=True))
    assert PLAN["independence_program"] in page


def test_the_final_stage_ends_with_the_termination_letter(app, client, login_as, db_session, clock):
    clock(datetime(2026, 11, 23, 9, 0, tzinfo=WIB))
    client_id = client_with_period(app, "BKD-502/2026", "pk2", date(2026, 1, 5), date(2026, 12, 20))
    _daily(app, date(2026, 11, 23))
    plan = _plan(db_session, client_id, "akhir")
    pk, kepala = login_as("pk2"), login_as("kepala")
    record = _open_step(db_session, plan.instance_id)
    act(pk, record.id, PLAN)  # no classification: refused, the step stays open
    assert _open_step(db_session, plan.instance_id).id == record.id
    message = indonesian("The final stage needs the client's classification.")
    assert message in unescape(pk.get(f"/tasks/{record.id}").get_data(as_text=True))
    assert act(pk, record.id, {**PLAN, "classification": "Risiko rendah, siap diakhiri"}).status_code == 302
    tpp_decides(
        login_as,
        db_session,
        _open_step(db_session, plan.instance_id),
        "approve",
        "Program tahap akhir disetujui.",
    )
    assert (
        act(
            pk, _open_step(db_session, plan.instance_id).id, {"note": "Litmas tahap akhir selesai."}
        ).status_code
        == 302
    )
    tpp_decides(
        login_as,
        db_session,
        _open_step(db_session, plan.instance_id),
        "approve",
        "Evaluasi: bimbingan berhasil.",
    )
    assert (
        act(pk, _open_step(db_session, plan.instance_id).id, {"note": "Konsep surat disiapkan."}).status_code
        == 302
    )
    sign = _open_step(db_session, plan.instance_id)
    assert sign.step == "sign"
    # A month before the supervision ends the letter cannot be signed (issue 17 item 9).
    act(kepala, sign.id, {"outcome": "approve", "note": "Ditandatangani."})
    refused = indonesian(
        "The termination letter can be signed from the last day of the supervision period, %(day)s.",
        day="20 Desember 2026",
    )
    assert refused in unescape(kepala.get(f"/tasks/{sign.id}").get_data(as_text=True))
    assert _plan(db_session, client_id, "akhir").termination_number is None
    assert db_session.get(Client, client_id).status != FINISHED
    clock(datetime(2026, 12, 20, 8, 0, tzinfo=WIB))
    assert act(kepala, sign.id, {"outcome": "approve", "note": "Ditandatangani."}).status_code == 302

    plan = _plan(db_session, client_id, "akhir")
    assert plan.termination_number and db_session.get(Client, client_id).status == FINISHED
    pdf = kepala.get(f"/supervision/termination/{plan.id}")
    words = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).split())
    text = "".join(words.split())
    assert plan.termination_number in text and "KlienBKD-502/2026" in text
    # Registered in its final stage: the letter names that stage alone, not "three stages".
    assert "tahap akhir" in words and "tahap awal" not in words and "tiga tahap" not in words
    assert login_as("pk1").get(f"/supervision/termination/{plan.id}").status_code == 404
