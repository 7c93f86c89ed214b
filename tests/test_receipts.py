"""Receipt codes: Crockford base32 in four groups, 80 bits, read back however they are typed; the
codes handed out before still find their requests."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from app import receipts
from app.models.complaints import Complaint
from tests.conftest import RECEIPT_CODE, csrf_token
from tests.workflow import test_complaints
from tests.workflow.test_travel_permits import MONDAY


def test_new_codes_are_grouped_crockford_with_eighty_bits():
    codes = {receipts.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(RECEIPT_CODE.match(code) for code in codes)
    assert len(receipts.ALPHABET) ** receipts.LENGTH >= 2**80
    # Every character of the alphabet turns up: the codes use all 5 bits of each place.
    assert set("".join(codes).replace("-", "")) == set(receipts.ALPHABET)


@pytest.mark.parametrize(
    "typed",
    [
        "7KQ2-M9XD-3FHT-0WZB",
        "7kq2m9xd3fht0wzb",
        " 7kq2 m9xd 3fht owzb ",
        "7KQ2-M9XD-3FHT-OWZB",
        "7kq2-m9xd-3fht-0wzb",
    ],
)
def test_a_code_is_read_back_however_it_is_typed(typed):
    assert receipts.canonical(typed) == "7KQ2-M9XD-3FHT-0WZB"


def test_look_alikes_read_as_the_digits_they_resemble():
    assert receipts.canonical("IL10-0000-0000-0000") == "1110-0000-0000-0000"
    assert receipts.canonical("U000-0000-0000-0000") is None  # not in the alphabet
    assert receipts.canonical("7KQ2-M9XD-3FHT") is None


def _lookup(client, code: str):
    token = csrf_token(client.get("/layanan/").get_data(as_text=True))
    return client.post("/layanan/status", data={"code": code, "csrf_token": token})


def test_a_new_complaint_is_found_by_its_code_typed_loosely(client, db_session, clock):
    clock(MONDAY)
    code = test_complaints.code_of(test_complaints.submit(client, title="Kode mudah dibaca"))
    assert RECEIPT_CODE.match(code)
    loose = code.lower().replace("-", "").replace("0", "o").replace("1", "l")
    response = _lookup(client, loose)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/layanan/pengaduan/status/{code}")
    assert client.get(f"/layanan/pengaduan/status/{loose}").status_code == 200


def test_codes_handed_out_before_still_work(client, db_session):
    """A code of the old form (24 characters, case matters) is looked up as typed, not rewritten:
    it is on receipts and in links people already hold."""
    old = "Ab3-_xY9kLmN0pQrS7tUvW1z"
    complaint = db_session.scalar(select(Complaint).order_by(Complaint.id))
    previous = complaint.receipt_code
    db_session.execute(update(Complaint).where(Complaint.id == complaint.id).values(receipt_code=old))
    db_session.commit()
    try:
        assert client.get(f"/layanan/pengaduan/status/{old}").status_code == 200
        assert _lookup(client, f" {old} ").headers["Location"].endswith(f"/pengaduan/status/{old}")
        assert client.get(f"/layanan/pengaduan/status/{old.lower()}").status_code == 404
    finally:
        db_session.execute(
            update(Complaint).where(Complaint.id == complaint.id).values(receipt_code=previous)
        )
        db_session.commit()
