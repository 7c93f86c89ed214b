"""SOP 12, walked by the demo roles through HTTP, each step seen only in the right inbox."""

from __future__ import annotations

from datetime import datetime, timedelta
from html import unescape

import pytest
from sqlalchemy import select

from app.forms.ranges import PLANNED
from app.models.letters import IncomingLetter
from app.models.staff import Staff
from app.models.workflow import FINISHED, ServiceInstance, StepRecord
from app.timeutil import WIB
from tests.conftest import expected, indonesian
from tests.steps import act, tpp_decides

SUNDAY_2AM = datetime(2026, 11, 22, 2, 0, tzinfo=WIB)
EVERYONE = ("kepala", "kasubsi.bka", "kasubsi.bkd", "pk1", "pk2", "tu", "pengaduan")


def _id(db_session, username: str) -> int:
    return db_session.scalar(select(Staff.id).where(Staff.username == username))


def _open_step(db_session, subject: str) -> StepRecord:
    db_session.rollback()
    return db_session.scalar(
        select(StepRecord)
        .join(StepRecord.instance)
        .where(ServiceInstance.subject.contains(subject), StepRecord.finished_at.is_(None))
    )


def _inboxes_showing(login_as, subject: str) -> set[str]:
    return {who for who in EVERYONE if subject in unescape(login_as(who).get("/").get_data(as_text=True))}


def register_police_letter(login_as, subject: str, received: str, service: str = "ABH") -> None:
    """TU registers a police request letter for an ABH accompaniment (or another kind of letter)."""
    response = login_as("tu").post_form(
        "/incomingletterview/register",
        {
            "service": service,
            "sender": "Polres Magelang",
            "sender_kind": "POLRI",
            "letter_number": f"B/{abs(hash(subject)) % 1000}/XI/2026/Reskrim",
            "letter_date": received[:10],
            "subject": subject,
            "received_at": received,
        },
    )
    assert response.status_code == 302, unescape(response.get_data(as_text=True))[-1500:]


def dispose_and_appoint(login_as, db_session, clock, subject: str, start: datetime) -> StepRecord:
    """Kepala disposes to Kasubsi BKA, who appoints pk1; returns pk1's waiting step."""
    clock(start + timedelta(minutes=10))
    step = _open_step(db_session, subject)
    response = act(
        login_as("kepala"),
        step.id,
        {
            "to": _id(db_session, "kasubsi.bka"),
            "instructions": ["tindak_lanjuti"],
            "urgency": "sangat_segera",
        },
    )
    assert response.status_code == 302
    clock(start + timedelta(minutes=25))
    step = _open_step(db_session, subject)
    assert step.step == "appoint"
    assert _inboxes_showing(login_as, subject) == {"kasubsi.bka"}
    assert act(login_as("kasubsi.bka"), step.id, {"officers": [_id(db_session, "pk1")]}).status_code == 302
    return _open_step(db_session, subject)


def test_sop12_end_to_end_on_a_sunday_night(login_as, db_session, clock):
    subject = "Pendampingan anak AR (Minggu dini hari)"
    clock(SUNDAY_2AM)
    register_police_letter(login_as, subject, "2026-11-22 01:30")
    letter = db_session.scalar(select(IncomingLetter).where(IncomingLetter.subject == subject))
    assert letter.agenda_number.endswith("/2026")
    assert _inboxes_showing(login_as, subject) == {"kepala"}

    step = dispose_and_appoint(login_as, db_session, clock, subject, SUNDAY_2AM)
    assert step.step == "accompany" and step.assignee_id == _id(db_session, "pk1")
    assert _inboxes_showing(login_as, subject) == {"pk1"}

    pk1 = login_as("pk1")
    clock(SUNDAY_2AM + timedelta(minutes=50))
    child = {
        "arrived_at": "2026-11-22 02:45",  # at the police station 20 minutes after the disposition
        "name": "Arif Rahman",
        "birth_date": "2011-05-05",
        "sex": "L",
        "address": "Dusun Krajan RT 02, Mertoyudan",
        "guardian_name": "Suparno",
        "guardian_relation": "ayah",
        "case_number": "LP/B/301/XI/2026/Polresta",
        "offence": "Pencurian",
        "note": "Anak didampingi saat pemeriksaan; orang tua hadir.",
    }
    assert act(pk1, step.id, child).status_code == 302
    instance = db_session.get(ServiceInstance, step.instance_id)
    assert instance.limit_met is True  # arrived 20 minutes after receiving the disposition
    assert instance.client.name == "Arif Rahman" and instance.client.status == "didampingi"
    assert instance.case.number == "LP/B/301/XI/2026/Polresta"

    step = _open_step(db_session, subject)
    assert step.step == "litmas" and act(pk1, step.id, {"note": "Draf Litmas selesai."}).status_code == 302
    # The Litmas goes on the agenda of a Sidang TPP, which the Kepala chairs.
    step = _open_step(db_session, subject)
    assert step.step == "tpp"
    tpp_decides(login_as, db_session, step, "approve", "Rekomendasi: diversi.")
    step = _open_step(db_session, subject)
    assert step.step == "deliver"
    assert act(pk1, step.id, {"note": "Disampaikan pada musyawarah diversi di Polresta."}).status_code == 302
    for stage in ("PENYIDIKAN", "DIVERSI"):
        step = _open_step(db_session, subject)
        assert step.step == "legal_process"
        record = {"stage": stage, "held_on": "2026-11-22", "place": "Polresta Magelang", "note": "Hadir."}
        assert act(pk1, step.id, record).status_code == 302
    step = _open_step(db_session, subject)
    pk1.client.post(f"/tasks/{step.id}/open", data={"csrf_token": pk1.token()})
    pk1.client.post(f"/tasks/{step.id}/close", data={"csrf_token": pk1.token()})
    db_session.rollback()
    instance = db_session.get(ServiceInstance, step.instance_id)
    assert instance.status == FINISHED
    entries = [s for s in instance.steps if s.step == "legal_process" and s.outcome == "record"]
    assert [e.data["stage"] for e in entries] == ["PENYIDIKAN", "DIVERSI"]
    # The history reads the stage and the date in words, not codes and ISO dates.
    history = unescape(pk1.get(f"/tasks/{step.id}").get_data(as_text=True))
    for stage in ("Investigation", "Diversion"):
        assert f"{indonesian(stage)} — Polresta Magelang, 22 November 2026" in history
    assert "2026-11-22" not in history
    assert _inboxes_showing(login_as, subject) == set()


def test_one_hour_limit_missed_escalates_to_kasubsi_and_kepala(login_as, db_session, clock):
    subject = "Pendampingan anak BS (terlambat)"
    start = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
    clock(start)
    register_police_letter(login_as, subject, "2026-11-23 08:50")
    step = dispose_and_appoint(login_as, db_session, clock, subject, start)
    clock(start + timedelta(minutes=25 + 70))  # the PK has not started 70 minutes after the disposition
    escalated = unescape(login_as("kasubsi.bka").get("/").get_data(as_text=True))
    assert subject in escalated and indonesian("Overdue work of your team") in escalated
    assert subject in unescape(login_as("kepala").get("/").get_data(as_text=True))
    assert subject not in unescape(login_as("kasubsi.bkd").get("/").get_data(as_text=True))
    pk1 = login_as("pk1")
    pk1.client.post(f"/tasks/{step.id}/arrival", data={"csrf_token": pk1.token()})
    db_session.rollback()
    assert db_session.get(ServiceInstance, step.instance_id).limit_met is False


@pytest.mark.parametrize("who", ["pk2", "kasubsi.bkd", "tu", "pengaduan"])
def test_wrong_role_or_wrong_pk_cannot_move_the_step(login_as, db_session, clock, who):
    subject = f"Pendampingan anak CD ({who})"
    start = datetime(2026, 11, 24, 10, 0, tzinfo=WIB)
    clock(start)
    register_police_letter(login_as, subject, "2026-11-24 09:45")
    step = dispose_and_appoint(login_as, db_session, clock, subject, start)
    session = login_as(who)
    response = session.client.post(f"/tasks/{step.id}/open", data={"csrf_token": session.token()})
    assert response.status_code in (403, 404)
    db_session.rollback()
    assert db_session.get(StepRecord, step.id).opened_at is None


def test_bad_dispositions_are_refused(login_as, db_session, clock):
    subject = "Pendampingan anak EF (disposisi salah)"
    start = datetime(2026, 11, 25, 10, 0, tzinfo=WIB)
    clock(start)
    register_police_letter(login_as, subject, "2026-11-25 09:45")
    step = _open_step(db_session, subject)
    kepala = login_as("kepala")
    to_nobody = act(kepala, step.id, {"instructions": ["tindak_lanjuti"], "urgency": "segera"})
    assert indonesian("This field is required.") in unescape(to_nobody.get_data(as_text=True))
    past = {
        "to": _id(db_session, "kasubsi.bka"),
        "note": "x",
        "urgency": "segera",
        "deadline": "2026-11-01 10:00",
    }
    response = act(kepala, step.id, past, open_first=False)
    assert expected(PLANNED) in unescape(response.get_data(as_text=True))
    earlier_today = act(kepala, step.id, {**past, "deadline": "2026-11-25 09:00"}, open_first=False)
    assert indonesian("The deadline must be in the future.") in unescape(earlier_today.get_data(as_text=True))
    wrong_section = {"to": _id(db_session, "kasubsi.bkd"), "note": "x", "urgency": "segera"}
    response = act(kepala, step.id, wrong_section, open_first=False)
    assert indonesian("Not a valid choice.") in unescape(response.get_data(as_text=True))
    assert _open_step(db_session, subject).id == step.id  # nothing moved


def test_a_step_cannot_be_completed_twice(login_as, db_session, clock):
    subject = "Pendampingan anak GH (dua kali)"
    clock(datetime(2026, 11, 26, 10, 0, tzinfo=WIB))
    register_police_letter(login_as, subject, "2026-11-26 09:45")
    step = _open_step(db_session, subject)
    data = {"to": _id(db_session, "kasubsi.bka"), "instructions": ["tindak_lanjuti"], "urgency": "segera"}
    kepala = login_as("kepala")
    assert act(kepala, step.id, data).status_code == 302
    again = kepala.post_form(f"/tasks/{step.id}", data, form_url="/", follow_redirects=True)
    assert indonesian("This step is not waiting for you.") in unescape(again.get_data(as_text=True))
    db_session.rollback()
    assert (
        len([s for s in db_session.get(ServiceInstance, step.instance_id).steps if s.step == "dispose"]) == 1
    )
