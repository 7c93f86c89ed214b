"""Control characters (a NUL byte above all: PostgreSQL refuses it with a 500) are refused in every
text field with a clear Indonesian message, and nothing is saved; line breaks and tabs stay allowed
in multi-line fields. In query arguments they give the Indonesian 400 page."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.complaints import Complaint
from app.models.outreach import Outreach
from app.models.staff import Staff
from app.models.workflow import ExtraHoliday
from tests.conftest import csrf_token, indonesian
from tests.views.test_clients import PNG_1PX

REFUSED = indonesian(
    "This field holds invisible control characters that are not allowed. Type the text again."
)
BAD = ["Judul\x00", "a\x01b", "x\x7fy", "tab\tin one line", "one\nline"]


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _complaint(title: str, description: str = "Petugas tidak datang.") -> dict:
    return {"category": "LAYANAN", "sop": "LAIN", "title": title, "description": description}


def _outreach(institution: str) -> dict:
    return {
        "institution": institution,
        "institution_kind": "DESA",
        "contact_name": "Pak Lurah",
        "contact_phone": "081234567890",
        "requested_on": "2099-01-05",
        "place": "Balai desa",
        "audience": "Warga, 50 orang",
        "topic": "Pencegahan kenakalan remaja",
        "request_letter": (io.BytesIO(PNG_1PX), "surat.png"),
    }


def _role_id(app, name: str) -> int:
    with app.app_context():
        return app.appbuilder.sm.find_role(name).id


def _post(client, url: str, data: dict):
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token}, content_type="multipart/form-data")


@pytest.mark.parametrize("value", BAD)
def test_public_complaint_refuses_control_characters(app, client, value):
    before = _count(app, Complaint)
    response = _post(client, "/layanan/pengaduan", _complaint(value))
    assert response.status_code == 200
    assert REFUSED in response.get_data(as_text=True)
    assert _count(app, Complaint) == before


def test_public_complaint_keeps_line_breaks_and_tabs_in_its_description(app, client):
    before = _count(app, Complaint)
    response = _post(client, "/layanan/pengaduan", _complaint("Layanan lambat", "Baris satu\r\n\tBaris dua"))
    assert response.status_code == 302
    assert _count(app, Complaint) == before + 1


def test_public_outreach_request_refuses_control_characters(app, client):
    before = _count(app, Outreach)
    response = _post(client, "/layanan/bambang-solah", _outreach("Desa\x00Sukamaju"))
    assert response.status_code == 200
    assert REFUSED in response.get_data(as_text=True)
    assert _count(app, Outreach) == before


def test_portal_lookup_refuses_control_characters(client):
    token = csrf_token(client.get("/layanan/").get_data(as_text=True))
    response = client.post("/layanan/status", data={"code": "AB\x00CD", "csrf_token": token})
    assert response.status_code == 200
    assert REFUSED in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("who", "url", "data", "model"),
    [
        ("pengaduan", "/complaintview/intake", {**_complaint("x\x00y"), "channel": "LANGSUNG"}, Complaint),
        ("admin", "/extraholidayview/add", {"day": "2031-03-03", "name": "Cuti\x00"}, ExtraHoliday),
        (
            "admin",
            "/users/add",
            {"first_name": "Budi\x00", "last_name": "S", "username": "budi\x00", "email": "b@x.id",
             "active": "y", "password": "Sangat-Rahasia-2026", "conf_password": "Sangat-Rahasia-2026"},
            Staff,
        ),
    ],
)  # fmt: skip
def test_staff_forms_refuse_control_characters(app, login_as, who, url, data, model):
    session = login_as(who)
    if url == "/users/add":
        data = {**data, "roles": _role_id(app, "PK")}
    before = _count(app, model)
    response = session.post_form(url, data)
    assert response.status_code == 200
    assert REFUSED in response.get_data(as_text=True)
    assert _count(app, model) == before


def test_client_form_refuses_control_characters(app, login_as):
    from app.models.clients import Client

    session = login_as("kasubsi.bka")
    before = _count(app, Client)
    response = session.post_form("/clientview/add", {"name": "Anak\x00", "register_number": "BKA-999/2026"})
    assert response.status_code == 200
    assert REFUSED in response.get_data(as_text=True)
    assert _count(app, Client) == before


def test_sign_in_with_a_control_character_is_no_server_error(client):
    token = csrf_token(client.get("/login/").get_data(as_text=True))
    response = client.post("/login/", data={"username": "pk1\x00", "password": "x\x00", "csrf_token": token})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/clientview/list/?_flt_0_name=%00",
        "/performance/list/?step=%01",
        "/performance/drill/?kind=started&section=B%00",
        "/ekspor/?dataset=%00",
        "/clientview/list/?x%00=1",
    ],
)
def test_control_characters_in_query_arguments_give_the_indonesian_400_page(login_as, url):
    response = login_as("kepala").get(url)
    assert response.status_code == 400
    assert indonesian("Request refused") in response.get_data(as_text=True)


def test_whole_form_checks_never_carry_control_characters_to_the_database(app, login_as):
    """The client form looks its register and card numbers up even when a field failed."""
    from app.models.clients import Client

    session = login_as("kasubsi.bka")
    before = _count(app, Client)
    data = {"name": "Anak", "register_number": "a\x00b", "guidance_card_number": "\x00x"}
    response = session.post_form("/clientview/add", data)
    assert response.status_code == 200
    assert response.get_data(as_text=True).count(REFUSED) == 2
    assert _count(app, Client) == before
