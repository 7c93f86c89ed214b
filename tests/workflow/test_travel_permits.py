"""SOP 11 "Pohon Ketan" through HTTP: public form, PK check, Sidang TPP, letter, verification."""

from __future__ import annotations

import io
import re
from datetime import datetime
from html import unescape

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.forms.ranges import PLANNED, TRIP_RETURN
from app.models.travel_permits import TravelPermit
from app.models.workflow import FINISHED, REJECTED, ServiceInstance, StepRecord
from app.timeutil import WIB, as_utc
from app.verification import permit_token
from tests import pdf_corpus
from tests.conftest import RECEIPT_CODE, csrf_token, expected, indonesian
from tests.steps import act, tpp_decides
from tests.views.test_clients import PNG_1PX

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
REQUEST = {
    "register_number": "BKD-001/2026",
    "nik": "",
    "birth_date": "1980-01-01",
    "applicant_name": "Sulastri",
    "applicant_relation": "keluarga",
    "applicant_phone": "081227004321",
    "destination_city": "Kota Semarang",
    "destination_address": "Jl. Pandanaran No. 10, Semarang",
    "purpose": "Menjenguk orang tua yang dirawat di rumah sakit",
    "depart_on": "2026-12-14",
    "return_on": "2026-12-16",
}


def submit(client, **changes):
    """A citizen fills in the public form (no login); returns the response."""
    page = client.get("/layanan/izin-luar-kota")
    data = {**REQUEST, **changes, "csrf_token": csrf_token(page.get_data(as_text=True))}
    data.setdefault("signature", (io.BytesIO(PNG_1PX), "ttd.png"))
    return client.post("/layanan/izin-luar-kota", data=data, content_type="multipart/form-data")


def _code(response) -> str:
    assert response.status_code == 302, unescape(response.get_data(as_text=True))[-1500:]
    return re.search(r"/layanan/status/([^?]+)", response.headers["Location"]).group(1)


def _permit(db_session, code: str) -> TravelPermit:
    db_session.rollback()
    return db_session.scalar(select(TravelPermit).where(TravelPermit.receipt_code == code))


def _open(db_session, permit: TravelPermit) -> StepRecord:
    db_session.rollback()
    return db_session.scalar(
        select(StepRecord).where(
            StepRecord.instance_id == permit.instance_id, StepRecord.finished_at.is_(None)
        )
    )


def test_sop11_from_the_public_form_to_delivery(app, client, login_as, db_session, clock):
    clock(MONDAY)
    code = _code(submit(client))
    permit = _permit(db_session, code)
    assert RECEIPT_CODE.match(code)
    instance = permit.instance
    # 14 working days from the PK's receipt: Monday 23 Nov 09:00 -> the close of Friday 11 Dec.
    assert as_utc(instance.limit_due_at).astimezone(WIB) == datetime(2026, 12, 12, 0, 0, tzinfo=WIB)
    status = unescape(client.get(f"/layanan/status/{code}").get_data(as_text=True))
    assert "Kota Semarang" in status and code in status

    check = _open(db_session, permit)
    assert check.step == "check"
    assert "Kota Semarang" in unescape(login_as("pk2").get("/").get_data(as_text=True))
    assert "Kota Semarang" not in unescape(login_as("pk1").get("/").get_data(as_text=True))
    assert login_as("pk1").get(f"/tasks/{check.id}").status_code == 404
    assert act(login_as("pk2"), check.id, {"outcome": "done", "note": "Lengkap."}).status_code == 302

    tpp_decides(login_as, db_session, _open(db_session, permit), "approve", "Disetujui: alasan keluarga.")
    draft = _open(db_session, permit)
    assert draft.step == "draft"
    assert act(login_as("pk2"), draft.id, {"note": ""}).status_code == 302
    sign = _open(db_session, permit)
    assert sign.step == "sign"
    assert (
        act(login_as("kepala"), sign.id, {"outcome": "approve", "note": "Ditandatangani."}).status_code == 302
    )

    permit = _permit(db_session, code)
    assert permit.letter_number and permit.signed_at
    # The applicant downloads the letter once the PK has handed it over (and explained it).
    assert client.get(f"/layanan/status/{code}/surat.pdf").status_code == 303
    deliver = _open(db_session, permit)
    assert act(login_as("pk2"), deliver.id, {"note": "Diserahkan kepada klien."}).status_code == 302
    letter = client.get(f"/layanan/status/{code}/surat.pdf")
    assert letter.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.data)).pages)
    assert permit.letter_number in text
    with app.test_request_context():
        token = permit_token(permit)
    assert f"/layanan/verifikasi/{token}" in "".join(text.split())
    valid = unescape(client.get(f"/layanan/verifikasi/{token}").get_data(as_text=True))
    assert indonesian("VALID") in valid and permit.letter_number in valid
    forged = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    invalid = unescape(client.get(f"/layanan/verifikasi/{forged}").get_data(as_text=True))
    assert indonesian("NOT VALID") in invalid and permit.letter_number not in invalid

    db_session.rollback()
    instance = db_session.get(ServiceInstance, permit.instance_id)
    assert instance.status == FINISHED and instance.limit_met is True


def test_rejection_shows_the_reasons_to_the_applicant(client, login_as, db_session, clock):
    clock(MONDAY)
    code = _code(submit(client, destination_city="Kabupaten Batang"))
    permit = _permit(db_session, code)
    assert (
        act(login_as("pk2"), _open(db_session, permit).id, {"outcome": "done", "note": "ok"}).status_code
        == 302
    )
    tpp_decides(login_as, db_session, _open(db_session, permit), "reject", "Ditolak: jadwal wajib lapor.")
    assert _permit(db_session, code).instance.status == REJECTED
    status = unescape(client.get(f"/layanan/status/{code}").get_data(as_text=True))
    assert "Ditolak: jadwal wajib lapor." in status and indonesian("The request was rejected.") in status


def test_correction_goes_back_to_the_applicant_and_returns_to_the_pk(client, login_as, db_session, clock):
    clock(MONDAY)
    code = _code(submit(client, destination_city="Kota Yogyakarta"))
    permit = _permit(db_session, code)
    ask = {"outcome": "return", "note": "Alamat tujuan kurang lengkap (RT/RW)."}
    assert act(login_as("pk2"), _open(db_session, permit).id, ask).status_code == 302
    status = unescape(client.get(f"/layanan/status/{code}").get_data(as_text=True))
    assert "Alamat tujuan kurang lengkap (RT/RW)." in status
    page = client.get(f"/layanan/status/{code}/perbaikan")
    data = {
        **REQUEST,
        "destination_city": "Kota Yogyakarta",
        "destination_address": "Jl. Malioboro 5 RT 01/RW 02",
    }
    data = {k: v for k, v in data.items() if k not in ("register_number", "nik", "birth_date")}
    data["csrf_token"] = csrf_token(page.get_data(as_text=True))
    assert client.post(f"/layanan/status/{code}/perbaikan", data=data).status_code == 302
    permit = _permit(db_session, code)
    assert permit.destination_address == "Jl. Malioboro 5 RT 01/RW 02" and permit.correction_request is None
    assert _open(db_session, permit).step == "check"
    assert "Malioboro" in unescape(
        login_as("pk2").get(f"/tasks/{_open(db_session, permit).id}").get_data(as_text=True)
    )


NO_MATCH = "These details do not match a client under supervision at this Bapas."
MISMATCH = "The file's content does not match its name (%(name)s)."
TOO_LARGE = (
    "Nothing was saved: the files sent together were larger than %(total)d MB. Choose smaller files "
    "(at most %(file)d MB each; photos are reduced automatically) and send the form again."
)
UNREADABLE = "The PDF is damaged, empty or cannot be read; scan or save it again."


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"birth_date": "1980-01-02"}, NO_MATCH),
        ({"register_number": "BKD-999/2026"}, NO_MATCH),
        ({"return_on": "2026-12-13"}, "The return date is before the departure date."),
        ({"depart_on": "2026-11-20"}, PLANNED),
        ({"return_on": "2028-06-01"}, "The trip must end within the supervision period."),
        ({"return_on": "2030-01-01"}, TRIP_RETURN),
        ({"purpose": ""}, "This field is required."),
        ({"register_number": "", "nik": ""}, "Fill in the register number or the NIK of the client."),
        ({"signature": (io.BytesIO(b""), "")}, "Please attach the scanned signature."),
        ({"signature": (io.BytesIO(PNG_1PX), "ttd.pdf")}, MISMATCH),
        ({"signature": (io.BytesIO(pdf_corpus.escaped_open_action()), "ttd.pdf")},
         "PDF files with scripts, actions or embedded files are not accepted."),
        ({"signature": (io.BytesIO(b"%PDF-1.4" + PNG_1PX), "ttd.pdf")}, UNREADABLE),
    ],
)  # fmt: skip
def test_bad_public_input_is_refused_and_nothing_stored(client, db_session, clock, changes, message):
    clock(MONDAY)
    before = db_session.scalar(select(func.count(TravelPermit.id)))
    response = submit(client, **changes)
    assert response.status_code == 200
    params = {"name": ".pdf"} if "%(name)s" in str(message) else {}
    assert expected(message, **params) in unescape(response.get_data(as_text=True))
    db_session.rollback()
    assert db_session.scalar(select(func.count(TravelPermit.id))) == before


def test_a_twenty_megabyte_signature_is_refused(client, db_session, clock):
    clock(MONDAY)
    before = db_session.scalar(select(func.count(TravelPermit.id)))
    response = submit(
        client, signature=(io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * (20 * 1024 * 1024)), "ttd.png")
    )
    # Back to the form (not a separate error page), with the reason in Indonesian.
    assert response.status_code == 303 and response.headers["Location"].endswith("/layanan/izin-luar-kota")
    page = unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert indonesian(TOO_LARGE, total=12, file=5) in page and 'name="purpose"' in page
    assert db_session.scalar(select(func.count(TravelPermit.id))) == before


def test_the_spam_trap_stores_nothing(client, db_session, clock):
    clock(MONDAY)
    before = db_session.scalar(select(func.count(TravelPermit.id)))
    assert submit(client, website="http://spam.example").status_code == 400
    assert db_session.scalar(select(func.count(TravelPermit.id))) == before


def test_guessed_codes_reach_nothing(client):
    for code in ("AAAAAAAAAAAAAAAAAAAAAAAA", "1", "../admin"):
        assert client.get(f"/layanan/status/{code}").status_code == 404
    assert client.get("/layanan/verifikasi/garbage").status_code == 200
    assert "TIDAK" in client.get("/layanan/verifikasi/garbage").get_data(as_text=True)


def test_the_public_check_names_a_child_by_initials_only(app, client, db_session):
    from datetime import date

    from app.models.clients import Client
    from app.timeutil import utcnow
    from app.workflow import travel_permits
    from tests.views.test_clients import PNG_1PX

    child = db_session.scalar(select(Client).where(Client.register_number == "BKA-001/2026"))
    trip = {f: "x" for f in travel_permits.FIELDS} | {
        "destination_city": "Kota Uji Inisial", "depart_on": date(2026, 12, 1),
        "return_on": date(2026, 12, 3), "applicant_relation": "keluarga",
    }  # fmt: skip
    permit = travel_permits.submit(child, trip, ("image/png", PNG_1PX, "ttd.png"))
    permit.letter_year, permit.letter_seq, permit.signed_at = 2026, 9901, utcnow()
    db_session.commit()
    with app.test_request_context():
        token = permit_token(permit)
    page = unescape(client.get(f"/layanan/verifikasi/{token}").get_data(as_text=True))
    assert "Kota Uji Inisial" in page and "R. A." in page and child.name not in page


def test_the_inbox_shows_the_departure_and_warns_when_the_deadline_falls_after_it(client, login_as, clock):
    clock(MONDAY)
    _code(
        submit(
            client, destination_city="Kota Berangkat Cepat", depart_on="2026-11-27", return_on="2026-11-29"
        )
    )
    _code(
        submit(
            client, destination_city="Kota Berangkat Lambat", depart_on="2027-01-11", return_on="2027-01-12"
        )
    )
    page = unescape(login_as("pk2").get("/").get_data(as_text=True))
    soon = page[page.index("Kota Berangkat Cepat") :].split("</tr>")[0]
    later = page[page.index("Kota Berangkat Lambat") :].split("</tr>")[0]
    assert "27 November 2026" in soon and indonesian("Deadline after departure") in soon
    assert "11 Januari 2027" in later and indonesian("Deadline after departure") not in later


def test_a_trip_longer_than_the_kepalas_limit_is_refused(client, login_as, db_session, clock):
    clock(MONDAY)
    before = db_session.scalar(select(func.count(TravelPermit.id)))
    long_trip = submit(
        client, destination_city="Kota Tujuh Bulan", depart_on="2026-12-14", return_on="2027-07-14"
    )
    assert long_trip.status_code == 200
    message = indonesian("A trip may last at most %(days)d days; for a longer stay ask the Bapas.", days=30)
    assert message in unescape(long_trip.get_data(as_text=True))
    db_session.rollback()
    assert db_session.scalar(select(func.count(TravelPermit.id))) == before
    # The Kepala allows 45 days; the PK may not change the limit.
    assert login_as("pk2").get("/travelpermitview/limit").status_code in (302, 403)
    assert login_as("kepala").post_form("/travelpermitview/limit", {"max_trip_days": "45"}).status_code == 302
    _code(
        submit(
            client, destination_city="Kota Empat Puluh Hari", depart_on="2026-12-14", return_on="2027-01-27"
        )
    )
    refused = submit(
        client, destination_city="Kota Empat Puluh Tujuh", depart_on="2026-12-14", return_on="2027-01-29"
    )
    assert indonesian(
        "A trip may last at most %(days)d days; for a longer stay ask the Bapas.", days=45
    ) in unescape(refused.get_data(as_text=True))
    login_as("kepala").post_form("/travelpermitview/limit", {"max_trip_days": "30"})
