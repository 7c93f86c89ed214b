"""Cross-office isolation, discovered from the app's URL map: every view, action, download, PDF
and export of office A (Magelang), tried by every role of office B (Semarang), is refused and
changes nothing. A view added tomorrow is covered the day it exists: a rule whose parameters the
test cannot fill fails the test instead of being skipped.

The module's name puts it after the other workflow tests, so their records of office A are tried
too; what it needs itself it makes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import and_, func, inspect, not_, select

from app.extensions import appbuilder, db
from app.models.clients import Client
from app.models.files import StoredFile
from app.models.group_guidance import GroupSession
from app.models.mobile import MobileAttendance, MobileService
from app.models.offices import Office
from app.models.staff import Staff
from app.models.tpp import TppSession
from app.models.transfers import ClientTransfer
from app.models.travel_permits import TravelPermit
from app.models.workflow import ExtraHoliday
from app.security import scope
from app.timeutil import WIB
from app.workflow import correspondence
from tests import url_rules
from tests.conftest import DEMO_PASSWORD

OFFICE_A, OFFICE_B = 1, 2
# Roles of office B and the account each signs in as (made by the fixture where the demo has none).
B_ACCOUNTS = {
    "Kepala": "kepala.smg",
    "PK": "pk.smg",
    "Kasubsi": "kasubsi.smg.uji",
    "TU": "tu.smg.uji",
    "Pengaduan": "pengaduan.smg.uji",
    "Pengawas": "pengawas.smg.uji",
    "Admin": "admin.smg.uji",
}
# Records of office A that office B reaches by design, left out of "office A's alone": a transfer
# B has accepted, a signed permit of a client travelling to B's city (docs/decisions.md).
SHARED_BY_DESIGN = {
    ClientTransfer: lambda user_b: scope.office_clause(ClientTransfer, user_b),
    TravelPermit: scope.visiting_clause,
}
MARKERS = ("Rizky Aditya", "Nabila Putri", "Joko Susilo", "Sumarni", "3308011203100001")
# Rules every run must have tried (the records exist in every run).
REQUIRED = (
    "/clientview/show/<pk>",
    "/tasks/<int:pk>",
    "/caseview/show/<pk>",
    "/guidancelogview/show/<pk>",
    "/serviceinstanceview/show/<pk>",
    "/complaintview/show/<pk>",
    "/incomingletterview/sheet/<int:pk>",
    "/tppsessionview/minutes/<int:pk>",
    "/groupsessionview/session/<int:pk>",
    "/mobileserviceview/point/<int:pk>",
    "/clienttransferview/show/<pk>",
    "/clienttransferview/propose/<int:client_id>",
)
PAGES = (
    "/",
    "/clientview/list/",
    "/clientregisterview/list/",
    "/caseview/list/",
    "/guidancelogview/list/",
    "/progressreportview/list/",
    "/serviceinstanceview/list/",
    "/incomingletterview/list/",
    "/travelpermitview/list/",
    "/tppsessionview/list/",
    "/mobileserviceview/list/",
    "/groupsessionview/list/",
    "/outreachview/list/",
    "/complaintview/list/",
    # (Not "/visitingpermitview/list/": it shows B the clients of A travelling to B's city, by design.)
    "/clienttransferview/list/",
    "/auditlogview/list/",
    "/notificationoutboxview/list/",
    "/users/list/",
    "/supervision/",
    "/caseload/list/",
    "/performance/list/",
    "/ekspor/unduh?dataset=register&start=2026-01-01&end=2026-12-31&fmt=csv",
    "/ekspor/unduh?dataset=guidance&start=2026-01-01&end=2026-12-31&fmt=csv",
)


@pytest.fixture(scope="module")
def office_b_accounts(app: Flask) -> dict[str, str]:
    """Every role in office B, and some records of office A the demo lacks."""
    sm = appbuilder.sm
    with app.app_context():
        for role, username in B_ACCOUNTS.items():
            if db.session.scalar(select(Staff.id).where(Staff.username == username)) is None:
                user = sm.add_user(username, "Uji", role, f"{username}@example.go.id", sm.find_role(role),
                                   DEMO_PASSWORD)  # fmt: skip
                user.office_id, user.section = OFFICE_B, "BKA" if role in ("Kasubsi", "PK") else None
        users = {u.username: u for u in db.session.scalars(select(Staff).where(Staff.office_id == OFFICE_A))}
        day = date.today() + timedelta(days=30)
        if db.session.scalar(select(func.count(TppSession.id)).where(TppSession.office_id == OFFICE_A)) == 0:
            db.session.add(TppSession(held_on=day, place="Ruang TPP", chair=users["kepala"],
                                      secretary=users["kasubsi.bka"], office_id=OFFICE_A))  # fmt: skip
        if (
            db.session.scalar(select(func.count(GroupSession.id)).where(GroupSession.office_id == OFFICE_A))
            == 0
        ):
            db.session.add(GroupSession(topic="Uji isolasi", held_on=day, place="Aula", office_id=OFFICE_A,
                                        created_by_id=users["kasubsi.bkd"].id))  # fmt: skip
        if (
            db.session.scalar(select(func.count(MobileService.id)).where(MobileService.office_id == OFFICE_A))
            == 0
        ):
            from app.workflow import mobile_service

            mobile_service.plan_point(users["pk1"], "Kecamatan Uji", "Balai Desa", day)
        # A national day of the calendar: an office's Admin reads it and may not change it.
        if (
            db.session.scalar(select(func.count(ExtraHoliday.id)).where(ExtraHoliday.office_id.is_(None)))
            == 0
        ):
            db.session.add(ExtraHoliday(day=date(2030, 12, 24), name="Cuti bersama uji", is_holiday=True))
        correspondence.register_letter(
            users["tu"],
            service="SURAT",
            sender="Polres Magelang",
            sender_kind="POLRI",
            letter_number="B/1/2026",
            letter_date=date(2026, 11, 2),
            subject="Uji isolasi",
            received_at=datetime(2026, 11, 2, 9, tzinfo=WIB),
        )
        if db.session.scalar(select(func.count(ClientTransfer.id))) == 0:
            from app.workflow import transfers

            mover = db.session.scalar(select(Client).where(Client.register_number == "BKD-004/2026"))
            fields = {"destination_office_id": OFFICE_B, "reason": "Uji isolasi", "new_address": "Semarang"}
            transfers.propose(users["pk2"], mover, fields)
        db.session.commit()
    return B_ACCOUNTS


def _office_a_id(model: type, anyone_of_a: Staff) -> int | None:
    """The id of one record of `model` in office A (office A's scope as seen by its Kepala)."""
    if model is Staff:
        return anyone_of_a.id
    if model is StoredFile:
        return db.session.scalar(
            select(Client.handover_file_id).where(
                Client.office_id == OFFICE_A, Client.handover_file_id.isnot(None)
            )
        )
    if model is ExtraHoliday:
        return db.session.scalar(select(ExtraHoliday.id).where(ExtraHoliday.office_id == OFFICE_A))
    if model is MobileAttendance:
        return db.session.scalar(
            select(MobileAttendance.id)
            .join(MobileAttendance.service)
            .where(MobileService.office_id == OFFICE_A)
        )
    key = inspect(model).primary_key[0]
    condition = scope.office_clause(model, anyone_of_a)
    if model in SHARED_BY_DESIGN:
        kepala_b = db.session.scalar(select(Staff).where(Staff.username == B_ACCOUNTS["Kepala"]))
        condition = and_(condition, not_(SHARED_BY_DESIGN[model](kepala_b)))
    return db.session.scalar(select(key).where(condition).order_by(key).limit(1))


@pytest.mark.parametrize("role", list(B_ACCOUNTS))
def test_office_b_reaches_nothing_of_office_a(app, login_as, office_b_accounts, role):
    with app.app_context():
        kepala_a = db.session.scalar(select(Staff).where(Staff.username == "kepala"))
        targets = url_rules.targets(app, lambda model: _office_a_id(model, kepala_a))
        before = url_rules.snapshot()
    assert not url_rules.missing(targets, REQUIRED)
    session = login_as(office_b_accounts[role])
    token = session.token()
    leaks = []
    for target in targets:
        response = url_rules.request(session, target, token)
        body = url_rules.text_of(response)
        if not url_rules.refused(response) or any(marker in body for marker in MARKERS):
            leaks.append((*target[:2], response.status_code, response.headers.get("Location")))
    assert not leaks, leaks
    with app.app_context():
        assert url_rules.snapshot() == before


@pytest.mark.parametrize("role", list(B_ACCOUNTS))
def test_office_b_lists_and_exports_show_nothing_of_office_a(app, login_as, office_b_accounts, role):
    session = login_as(office_b_accounts[role])
    for page in PAGES:
        response = session.client.get(page)
        assert response.status_code < 500, page
        body = response.get_data(as_text=True)
        assert not [m for m in MARKERS if m in body], page
        assert "Syamsurijal" not in body or page == "/", page  # office A's Kepala is not a colleague


def test_numbers_are_per_office(app, login_as):
    """Two offices number their agenda books independently, and may share a register number."""
    from app.models.letters import next_agenda_seq

    with app.app_context():
        first_a = next_agenda_seq(OFFICE_A, 2031)
        first_b = next_agenda_seq(OFFICE_B, 2031)
        second_a = next_agenda_seq(OFFICE_A, 2031)
        db.session.rollback()
    assert (first_a, first_b, second_a) == (1, 1, 2)
    with app.app_context():
        assert (
            db.session.get(Office, OFFICE_B).letter_number("PK.01.05", 7, 2031).startswith("W13.PAS.PAS.48-")
        )


def test_an_office_admin_cannot_change_a_national_day(app, login_as, office_b_accounts):
    with app.app_context():
        national = db.session.scalar(select(ExtraHoliday.id).where(ExtraHoliday.office_id.is_(None)))
    admin = login_as(office_b_accounts["Admin"])
    admin.client.post(f"/extraholidayview/delete/{national}", data={"csrf_token": admin.token()})
    with app.app_context():
        assert db.session.get(ExtraHoliday, national) is not None
