"""Working on SOP steps as their actors would: through the task screen and the Sidang TPP."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import func, select

from app.models.staff import Staff
from app.models.tpp import TppItem, TppSession
from app.models.workflow import StepRecord
from tests.conftest import Session


def act(session: Session, record_id: int, data: dict | None = None, open_first: bool = True, **kwargs):
    """Take a step up (unless told not to) and submit its form; returns the response."""
    if open_first:
        session.client.post(f"/tasks/{record_id}/open", data={"csrf_token": session.token()})
    return session.post_form(f"/tasks/{record_id}", data or {}, form_url=f"/tasks/{record_id}", **kwargs)


def tpp_decides(login_as, db_session, record: StepRecord, decision: str, notes: str) -> None:
    """The Kasubsi of the matter's section prepares a Sidang TPP with the matter on its agenda (a
    Kasubsi reaches only its own section's matters); the Kepala decides it and the minutes (PDF)
    carry the decision's reasons."""
    ids = {u.username: u.id for u in db_session.scalars(select(Staff))}
    kasubsi = f"kasubsi.{(record.instance.section or 'BKD').lower()}"
    secretary = login_as(kasubsi)
    form = {"held_on": "2026-11-24", "place": "Ruang Sidang TPP", "chair": ids["kepala"],
            "secretary": ids[kasubsi], "members": [ids["pk2"], ids[kasubsi]]}  # fmt: skip
    assert secretary.post_form("/tppsessionview/add", form).status_code == 302
    db_session.rollback()
    session_id = db_session.scalar(select(func.max(TppSession.id)))
    agenda = f"/tppsessionview/agenda/{session_id}"
    response = secretary.post_form(
        f"/tppsessionview/agenda/{session_id}/add", {"record": record.id}, form_url=agenda
    )
    assert response.status_code == 302
    db_session.rollback()
    item_id = db_session.scalar(select(TppItem.id).where(TppItem.step_record_id == record.id))
    kepala = login_as("kepala")
    kepala.post_form(
        f"/tppsessionview/decide/{item_id}", {"decision": decision, "notes": notes}, form_url=agenda
    )
    minutes = kepala.get(f"/tppsessionview/minutes/{session_id}")
    assert minutes.mimetype == "application/pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(minutes.data)).pages).split())
    assert notes in text
    # The other section's Kasubsi sees that a matter is on the agenda, never whose.
    other = "kasubsi.bkd" if kasubsi == "kasubsi.bka" else "kasubsi.bka"
    subject = record.instance.subject
    assert subject not in login_as(other).get(agenda).get_data(as_text=True)
    minutes = login_as(other).get(f"/tppsessionview/minutes/{session_id}")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(minutes.data)).pages).split())
    assert " ".join(subject.split()) not in text and notes not in text
