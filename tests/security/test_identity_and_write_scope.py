"""A child's identity only to those who need it, scope on writes, and a complaint about the Kepala
that still reaches someone who may act (security issue, items 3-6)."""

from __future__ import annotations

from datetime import datetime
from html import unescape

import pytest
from flask import g
from sqlalchemy import func, select

from app.models.audit import AuditLog
from app.models.cases import Case
from app.models.clients import Client
from app.models.staff import Staff
from app.timeutil import WIB
from app.views.base import OutOfScopeError
from tests.conftest import indonesian
from tests.factories import client_form
from tests.steps import act
from tests.workflow.test_complaints import complaint, recommend, submit, waiting
from tests.workflow.test_outreach import ids, inboxes_showing

CHILD = "BKA-001/2026"  # Rizky Aditya, NIK 3308011203100001, pk1's child
ADULT = "BKD-001/2026"  # Joko Susilo, pk2's adult client


def _client(db_session, register_number: str) -> Client:
    db_session.rollback()
    return db_session.scalar(select(Client).where(Client.register_number == register_number))


def _audit_row_of(db_session, register_number: str, login_as) -> int:
    """Change the client's phone as its Kasubsi; the id of the audit row this writes."""
    client = _client(db_session, register_number)
    kasubsi = "kasubsi.bka" if client.category == "anak" else "kasubsi.bkd"
    pk, data = client_form(db_session, register_number, phone=f"0812{client.version:08d}")
    data["nik"] = client.nik or ""
    assert login_as(kasubsi).post_form(f"/clientview/edit/{pk}", data).status_code == 302
    db_session.rollback()
    return db_session.scalar(
        select(func.max(AuditLog.id)).where(AuditLog.table_name == "client", AuditLog.record_id == str(pk))
    )


def test_audit_trail_masks_identity_for_admin_and_a_child_for_pengawas(login_as, db_session):
    child_row = _audit_row_of(db_session, CHILD, login_as)
    adult_row = _audit_row_of(db_session, ADULT, login_as)
    insert_row = db_session.scalar(
        select(func.min(AuditLog.id)).where(
            AuditLog.table_name == "client",
            AuditLog.action == "insert",
            AuditLog.record_id == str(_client(db_session, CHILD).id),
        )
    )
    rows = [r for r in (child_row, adult_row, insert_row) if r]

    def page(who: str, row: int) -> str:
        response = login_as(who).get(f"/auditlogview/show/{row}")
        assert response.status_code == 200
        return unescape(response.get_data(as_text=True))

    for row in rows:  # Admin manages accounts, not clients: no client's identity at all
        shown = page("admin", row)
        assert "Rizky" not in shown and "Joko" not in shown and "3308011203100001" not in shown
        assert "0812" not in shown
    # Pengawas: an adult's change as it is, a child's masked; the Kepala sees both.
    assert "0812" in page("pengawas", adult_row)
    assert "0812" not in page("pengawas", child_row) and indonesian("[masked]") in page("pengawas", child_row)
    assert "0812" in page("kepala", child_row)
    if insert_row:
        assert "Rizky Aditya" in page("kepala", insert_row)
        assert "Rizky Aditya" not in page("pengawas", insert_row)


def test_pengawas_reads_a_child_masked_on_every_client_screen(login_as, db_session):
    child = _client(db_session, CHILD)
    pengawas = login_as("pengawas")
    listing = unescape(pengawas.get("/clientview/list/?psize_ClientView=100").get_data(as_text=True))
    assert "Rizky Aditya" not in listing and "R. A." in listing
    assert "Joko Susilo" in listing  # adults are not masked
    shown = unescape(pengawas.get(f"/clientview/show/{child.id}").get_data(as_text=True))
    assert "Rizky Aditya" not in shown and child.nik not in shown and "Slamet" not in shown
    assert "Rizky Aditya" in unescape(
        login_as("kepala").get(f"/clientview/show/{child.id}").get_data(as_text=True)
    )
    export = pengawas.get("/ekspor/unduh?dataset=register&start=2026-01-01&end=2026-12-31&fmt=csv")
    assert export.status_code == 200
    text = export.get_data(as_text=True)
    assert "Rizky Aditya" not in text and child.nik not in text and "Joko Susilo" in text


def test_kasubsi_cannot_register_a_client_of_another_section(login_as, db_session):
    kasubsi = login_as("kasubsi.bka")
    form = unescape(kasubsi.get("/clientview/add").get_data(as_text=True))
    assert 'value="dewasa"' not in form  # only the section's category is offered
    assert "Budi Hartono" not in form  # nor another section's PK
    _pk, data = client_form(db_session, CHILD, name="Orang Dewasa")
    data.update(register_number="BKD-990/2026", birth_date="1980-01-01", category="dewasa", officer="")
    data.update(guidance_card_number="")
    data.pop("version_seen")
    before = db_session.scalar(select(func.count(Client.id)))
    response = kasubsi.post_form("/clientview/add", data)
    assert response.status_code == 200
    assert db_session.scalar(select(func.count(Client.id))) == before
    data["category"] = "anak"  # an adult cannot be registered as a child to stay in the section
    response = kasubsi.post_form("/clientview/add", data)
    assert "Anak berusia di bawah 18 tahun" in unescape(response.get_data(as_text=True))
    db_session.rollback()
    assert db_session.scalar(select(func.count(Client.id))) == before


def test_kasubsi_cannot_open_a_case_of_another_section(login_as, db_session):
    kasubsi = login_as("kasubsi.bka")
    adult = _client(db_session, ADULT)
    data = {"number": "99/Pid.B/2026/PN Mgl", "offence": "Penipuan", "article": "", "authority": "POLRI",
            "section": "BKD", "legal_stage": "PEMBIMBINGAN", "clients": [adult.id]}  # fmt: skip
    response = kasubsi.post_form("/caseview/add", data)
    assert response.status_code == 200
    db_session.rollback()
    assert db_session.scalar(select(Case.id).where(Case.number == data["number"])) is None


def test_a_write_outside_scope_is_refused_by_the_view_itself(app, db_session):
    """The last line: whatever a form lets through, a record saved outside scope is refused."""
    from app.extensions import appbuilder

    view = next(v for v in appbuilder.baseviews if type(v).__name__ == "ClientView")
    with app.test_request_context("/clientview/add", method="POST"):
        g.user = db_session.scalar(select(Staff).where(Staff.username == "kasubsi.bka"))
        before = db_session.scalar(select(func.count(Client.id)))
        adult = Client(register_number="BKD-991/2026", name="Luar Seksi", sex="L", address="Jl. A",
                       category="dewasa", legal_basis="PB", status="aktif")  # fmt: skip
        with pytest.raises(OutOfScopeError):
            view.check_scope(adult)
        assert view.datamodel.session.scalar(select(func.count(Client.id))) == before


def test_a_complaint_about_the_kepala_is_reviewed_by_internal_supervision(
    client, login_as, db_session, clock
):
    clock(datetime(2026, 11, 23, 9, 0, tzinfo=WIB))
    from tests.workflow.test_complaints import code_of

    code = code_of(submit(client, title="Kepala menunda izin", staff_named="Kepala Bapas"))
    item = complaint(db_session, code)
    recommend(login_as, db_session, item, about="kepala")
    review = waiting(db_session, item)
    assert review.step == "review" and review.actor_role == "Pengawas"
    assert inboxes_showing(login_as, "Kepala menunda izin") == set()
    assert "Kepala menunda izin" in unescape(login_as("pengawas").get("/").get_data(as_text=True))
    assert login_as("kepala").get(f"/tasks/{review.id}").status_code == 404
    (kasubsi_bkd,) = ids(db_session, "kasubsi.bkd")
    direction = {"direction": "Kasubsi BKD memeriksa dan menjelaskan.", "responsible": kasubsi_bkd}
    assert act(login_as("pengawas"), review.id, direction).status_code == 302
    respond = waiting(db_session, item)
    assert respond.step == "respond" and respond.assignee_id == kasubsi_bkd
