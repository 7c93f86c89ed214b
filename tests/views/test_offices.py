"""Offices and regions on screen: the national Admin manages them; an office's Admin edits its own
office's letterhead and contacts only; accounts of the Kanwil and Ditjenpas are the national Admin's."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from app.extensions import appbuilder
from app.models.offices import Office, Region
from app.models.staff import Staff
from tests.conftest import DEMO_PASSWORD, indonesian

MAGELANG, SEMARANG = 1, 2


@pytest.fixture()
def office_admin(db_session) -> str:
    """An Admin of Bapas Semarang."""
    if db_session.scalar(select(Staff).where(Staff.username == "admin.smg")) is None:
        sm = appbuilder.sm
        user = sm.add_user(
            "admin.smg", "Ari", "Wibowo", "admin.smg@example.go.id", sm.find_role("Admin"), DEMO_PASSWORD
        )
        user.office_id = SEMARANG
        db_session.commit()
    return "admin.smg"


def _office(db_session, pk: int) -> Office:
    db_session.rollback()
    return db_session.get(Office, pk)


CONTACTS = {
    "name": "Balai Pemasyarakatan Kelas I Semarang",
    "short_name": "Bapas Kelas I Semarang",
    "address": "Jl. Dr. Cipto No. 132, Semarang",
    "phone": "(024) 8311 999",
    "email": "bapas.smg@kemenimipas.go.id",
    "letter_prefix": "W13.PAS.PAS.48",
}


def test_office_admin_edits_its_own_office_contacts_only(login_as, db_session, office_admin):
    admin = login_as(office_admin)
    listing = admin.get("/officeview/list/").get_data(as_text=True)
    assert set(re.findall(r'href="/officeview/show/(\d+)', listing)) == {str(SEMARANG)}
    form = admin.get(f"/officeview/edit/{SEMARANG}").get_data(as_text=True)
    assert 'name="address"' in form and 'name="code"' not in form and 'name="region"' not in form
    response = admin.post_form(
        f"/officeview/edit/{SEMARANG}", {**CONTACTS, "code": "XXX", "region": "99"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert indonesian("Changed the office's letterhead and contacts.") in unescape(
        response.get_data(as_text=True)
    )
    office = _office(db_session, SEMARANG)
    assert (office.address, office.phone, office.email) == (
        CONTACTS["address"],
        CONTACTS["phone"],
        CONTACTS["email"],
    )
    assert (office.code, office.region_id) == ("SMG", 1)  # the national fields stay as they were


def test_office_admin_cannot_edit_another_office_or_add_one(login_as, db_session, office_admin):
    admin = login_as(office_admin)
    before = _office(db_session, MAGELANG).address
    assert admin.get(f"/officeview/edit/{MAGELANG}").status_code == 404
    assert admin.get(f"/officeview/show/{MAGELANG}").status_code == 404
    token = admin.token()
    response = admin.client.post(
        f"/officeview/edit/{MAGELANG}", data={**CONTACTS, "address": "Diubah", "csrf_token": token}
    )
    assert response.status_code == 404 and _office(db_session, MAGELANG).address == before
    count = db_session.scalar(select(func.count(Office.id)))
    assert admin.get("/officeview/add").status_code == 403
    new = {
        **CONTACTS,
        "code": "BARU",
        "office_class": "II",
        "city": "Pati",
        "region": "1",
        "csrf_token": token,
    }
    assert admin.client.post("/officeview/add", data=new).status_code == 403
    assert admin.get("/regionview/add").status_code == 403
    assert admin.get("/regionview/edit/1").status_code == 403
    # A region sits above the offices: an office's Admin does not reach it.
    assert admin.get("/regionview/show/1").status_code == 404
    assert "/regionview/show/" not in admin.get("/regionview/list/").get_data(as_text=True)
    db_session.rollback()
    assert db_session.scalar(select(func.count(Office.id))) == count


def test_office_admin_gets_a_message_and_nothing_saved_on_a_bad_value(login_as, db_session, office_admin):
    admin = login_as(office_admin)
    before = _office(db_session, SEMARANG).email
    response = admin.post_form(
        f"/officeview/edit/{SEMARANG}", {**CONTACTS, "email": "bukan surel", "name": ""}
    )
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert indonesian("Not a valid e-mail address.") in html and indonesian("This field is required.") in html
    assert _office(db_session, SEMARANG).email == before


def test_national_admin_adds_a_region_and_an_office(login_as, db_session):
    admin = login_as("admin")
    response = admin.post_form("/regionview/add", {"code": "W99", "name": "Kantor Wilayah Uji"})
    assert response.status_code == 302
    region = db_session.scalar(select(Region).where(Region.code == "W99"))
    assert region is not None
    office = {
        **CONTACTS,
        "code": "UJI",
        "name": "Balai Pemasyarakatan Kelas II Uji",
        "short_name": "Bapas Uji",
        "office_class": "II",
        "city": "Kota Uji",
        "region": str(region.id),
    }
    assert admin.post_form("/officeview/add", office).status_code == 302
    db_session.rollback()
    made = db_session.scalar(select(Office).where(Office.code == "UJI"))
    assert made is not None and made.region_id == region.id
    # The national Admin edits every field, the region included; a code taken is refused, no 5xx.
    response = admin.post_form(
        f"/officeview/edit/{made.id}", {**office, "code": "MGL"}, follow_redirects=True
    )
    assert response.status_code == 200
    db_session.rollback()
    assert db_session.get(Office, made.id).code == "UJI"
    assert db_session.scalar(select(func.count(Office.id)).where(Office.code == "MGL")) == 1


def test_only_the_national_admin_makes_oversight_accounts(login_as, db_session, office_admin):
    roles = {role.name: role.id for role in appbuilder.sm.get_all_roles()}
    account = {"first_name": "Uji", "last_name": "Kanwil", "email": "uji.kanwil@example.go.id",
               "active": "y", "roles": str(roles["Kanwil"]), "password": "x-Rahasia-Uji-1",
               "conf_password": "x-Rahasia-Uji-1"}  # fmt: skip
    local = login_as(office_admin)
    response = local.post_form("/users/add", {**account, "username": "uji.kanwil1"}, follow_redirects=True)
    refused = indonesian("Only the national Admin gives the Kanwil and Ditjenpas roles.")
    assert refused in unescape(response.get_data(as_text=True))
    assert db_session.scalar(select(Staff).where(Staff.username == "uji.kanwil1")) is None
    national = login_as("admin")
    response = national.post_form("/users/add", {**account, "username": "uji.kanwil2"}, follow_redirects=True)
    assert indonesian("A Kanwil account needs its region.") in unescape(response.get_data(as_text=True))
    assert db_session.scalar(select(Staff).where(Staff.username == "uji.kanwil2")) is None
    national.post_form("/users/add", {**account, "username": "uji.kanwil3", "region": "1", "office": "1"})
    db_session.rollback()
    made = db_session.scalar(select(Staff).where(Staff.username == "uji.kanwil3"))
    assert made is not None and (made.office_id, made.region_id) == (None, 1)
