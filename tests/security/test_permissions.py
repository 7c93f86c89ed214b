"""The permission matrix: each role x each view x each operation, written out by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.cli import sync_roles
from app.extensions import appbuilder, db
from app.models.api import ApiToken, hash_token, new_token
from app.models.audit import AuditLog
from app.models.cases import Case
from app.models.clients import Client
from app.models.complaints import Complaint
from app.models.group_guidance import GroupSession
from app.models.guidance import GuidanceLog, ProgressReport
from app.models.letters import IncomingLetter
from app.models.mobile import MobileService
from app.models.offices import Office, Region
from app.models.outreach import Outreach
from app.models.reporting import MISSED, ReportingOccurrence, ReportingSchedule, WarningLetter
from app.models.staff import Staff
from app.models.tpp import TppSession
from app.models.transfers import ClientTransfer
from app.models.travel_permits import TravelPermit
from app.models.workflow import ExtraHoliday
from app.timeutil import utcnow
from app.workflow import (
    complaints,
    correspondence,
    engine,
    mobile_service,
    outreach,
    transfers,
    travel_permits,
)
from tests.conftest import ACCOUNT_OF_ROLE
from tests.views.test_clients import PNG_1PX

OPS = "LSAEDX"  # list, show, add (letters: register), edit, delete, X: no FAB action (exports: /ekspor/)
# Report pages: L the dashboard / caseload, S the drill-down behind a figure, X the XLSX and PDF exports.
REPORT_URLS = {
    ("/performance", "L"): ("/performance/list/",),
    ("/performance", "S"): ("/performance/drill/?kind=started",),
    ("/performance", "X"): ("/performance/xlsx/", "/performance/report/"),
    ("/caseload", "L"): ("/caseload/list/",),
    ("/ping", "L"): ("/ping/",),  # the benchmark's floor page: every staff role
    # The ABH duty roster: L who is on duty, E the week's grid, X the day's sheet for the police (PDF).
    ("/duty", "L"): ("/duty/",),
    ("/duty", "E"): ("/duty/edit",),
    ("/duty", "X"): ("/duty/print",),
    # Wajib lapor: L the lists, S a warning letter (PDF), A the counter where a report is recorded.
    ("/wajib-lapor", "L"): ("/wajib-lapor/",),
    ("/wajib-lapor", "S"): ("/wajib-lapor/peringatan/{warning}",),
    ("/wajib-lapor", "A"): ("/wajib-lapor/lapor",),
}
REPORTS = ("/performance", "/caseload", "/ping", "/duty", "/wajib-lapor")
# fmt: off
#              client    register  case      audit     users     roles     letters   services  calendar  permits   tpp       guidance  reports   batako    group     perf      caseload  outreach  complaints offices  regions  transfers visiting apitokens  ping      duty schedules lapor
EXPECTED = {
    "Kepala":    ("LS....", "......", "LS....", "LS....", "......", "......", "LS....", "LS....", "......", "LS....", "LSAE..", "LS....", "LS....", "LS....", "LS....", "LS...X", "L.....", "LS....", "LS....", "......", "......", "LS....", "LS....", "......", "L.....", "L..E.X", "LS....", "LS...."),
    "Kasubsi":   ("LSAE..", "......", "LSAE..", "......", "......", "......", "LS....", "LS....", "......", "LS....", "LSAE..", "LS....", "LS....", "LS....", "LSAE..", "LS...X", "L.....", "LS....", "......", "......", "......", "LS....", "LS....", "......", "L.....", "L..E.X", "LS.E..", "LSA..."),
    "PK":        ("LS.E..", "......", "LSAE..", "......", "......", "......", "LS....", "LS....", "......", "LS....", "LS....", "LSAE..", "LSA...", "LSA...", "LS....", "LS...X", "......", "LS....", "......", "......", "......", "LS....", "LS....", "......", "L.....", "L....X", "LSAE..", "LSA..."),
    "TU":        ("......", "LSA...", "......", "......", "......", "......", "LSA...", "......", "......", "......", "......", "......", "......", "......", "......", "......", "......", "......", "......", "......", "......", "......", "......", "......", "L.....", "L....X", "......", "..A..."),
    "Pengaduan": ("......", "......", "......", "......", "......", "......", "......", "......", "......", "......", "......", "......", "......", "......", "......", "......", "......", "......", "LSA...", "......", "......", "......", "......", "......", "L.....", "L....X", "......", "......"),
    "Pengawas":  ("LS....", "......", "LS....", "LS....", "......", "......", "LS....", "LS....", "......", "LS....", "LS....", "LS....", "LS....", "LS....", "LS....", "LS...X", "L.....", "LS....", "LS....", "......", "......", "LS....", "......", "......", "L.....", "L....X", "LS....", "LS...."),
    "Admin":     ("......", "......", "......", "LS....", "LSAED.", "LSAED.", "......", "......", "LSAED.", "......", "......", "......", "......", "......", "......", "......", "......", "......", "......", "LSAE..", "LSAE..", "......", "......", "LSA...", "L.....", "......", "......", "......"),
    # Read-only over the offices of its region (the records are Magelang's): no file scans, no caseload.
    "Kanwil":    ("LS....", "......", "LS....", "LS....", "......", "......", "LS....", "LS....", "......", "LS....", "LS....", "LS....", "LS....", "LS....", "LS....", "LS...X", "......", "LS....", "LS....", "......", "......", "LS....", "......", "......", "L.....", "......", "LS....", "LS...."),
    # Figures only: the dashboard and its exports, no drill-down and no record anywhere.
    "Ditjenpas": ("......", "......", "......", "......", "......", "......", "......", "......", "......", "......", "......", "......", "......", "......", "......", "L....X", "......", "......", "......", "......", "......", "......", "......", "......", "L.....", "......", "......", "......"),
}
# fmt: on
VIEWS = (
    "/clientview",
    "/clientregisterview",
    "/caseview",
    "/auditlogview",
    "/users",
    "/roles",
    "/incomingletterview",
    "/serviceinstanceview",
    "/extraholidayview",
    "/travelpermitview",
    "/tppsessionview",
    "/guidancelogview",
    "/progressreportview",
    "/mobileserviceview",
    "/groupsessionview",
    "/performance",
    "/caseload",
    "/outreachview",
    "/complaintview",
    "/officeview",
    "/regionview",
    "/clienttransferview",
    "/visitingpermitview",
    "/apitokenview",
    "/ping",
    "/duty",
    "/reportingscheduleview",
    "/wajib-lapor",
)  # fmt: skip


def _target(db_session, base: str) -> int:
    """A record every role with access to the view has in scope (pk1's child client)."""
    if base in ("/clientview", "/clientregisterview"):
        return db_session.scalar(select(Client.id).where(Client.register_number == "BKA-001/2026"))
    if base == "/caseview":
        return db_session.scalar(select(Case.id).where(Case.number.like("LP/B/112%")))
    if base == "/auditlogview":
        return db_session.scalar(select(func.min(AuditLog.id)).where(AuditLog.office_id == 1))
    if base == "/users":
        return db_session.scalar(select(Staff.id).where(Staff.username == "pk2"))
    if base == "/incomingletterview":
        return db_session.scalar(select(IncomingLetter.id).where(IncomingLetter.subject == MATRIX_LETTER))
    if base == "/serviceinstanceview":
        return db_session.scalar(
            select(IncomingLetter.instance_id).where(IncomingLetter.subject == MATRIX_LETTER)
        )
    if base == "/extraholidayview":
        return db_session.scalar(select(ExtraHoliday.id).where(ExtraHoliday.name == "Cuti bersama (uji)"))
    if base == "/travelpermitview":
        return db_session.scalar(
            select(TravelPermit.id).where(TravelPermit.destination_city == MATRIX_LETTER)
        )
    if base == "/tppsessionview":
        return db_session.scalar(select(TppSession.id).where(TppSession.place == MATRIX_LETTER))
    if base in MATRIX_RECORDS:
        model, column = MATRIX_RECORDS[base]
        return db_session.scalar(select(model.id).where(column == MATRIX_LETTER))
    if base == "/outreachview":
        return db_session.scalar(select(Outreach.id).where(Outreach.institution == MATRIX_LETTER))
    if base == "/complaintview":
        return db_session.scalar(select(Complaint.id).where(Complaint.title == MATRIX_LETTER))
    if base == "/officeview":
        return db_session.scalar(select(Office.id).where(Office.code == "MGL"))
    if base == "/regionview":
        return db_session.scalar(select(Region.id).where(Region.code == "W13"))
    if base == "/clienttransferview":
        return db_session.scalar(select(ClientTransfer.id).where(ClientTransfer.reason == MATRIX_LETTER))
    if base == "/visitingpermitview":
        return db_session.scalar(
            select(TravelPermit.id).where(TravelPermit.destination_address == MATRIX_LETTER)
        )
    return appbuilder.sm.find_role("Pengaduan").id


def _throwaway(db_session, base: str) -> int | None:
    """A record made to be deleted, for the views where deleting is possible at all."""
    sm = appbuilder.sm
    if base == "/users":
        user = sm.add_user(
            "hapus.saya", "Hapus", "Saya", "hapus@example.go.id", sm.find_role("TU"), "x-Rahasia-1"
        )
        return user.id
    if base == "/roles":
        return sm.add_role("Peran Sementara").id
    if base == "/extraholidayview":
        day = ExtraHoliday(day=date(2031, 1, 2), name="Hapus saya", is_holiday=True)
        db_session.add(day)
        db_session.flush()
        return day.id
    return _target(db_session, base)


def _report_allowed(session, base: str, op: str) -> bool:
    warning = db.session.scalar(select(WarningLetter.id).where(WarningLetter.facts == MATRIX_LETTER))
    urls = [url.format(warning=warning) for url in REPORT_URLS.get((base, op), ())]
    codes = {session.get(url).status_code for url in urls}
    assert codes <= {200, 403} and len(codes) <= 1, (base, op, codes)
    return codes == {200}


def _allowed(session, base: str, op: str, pk: int, db_session) -> bool:
    if base in REPORTS:
        return _report_allowed(session, base, op)
    if op == "L":
        response = session.get(f"{base}/list/")
    elif op == "S":
        response = session.get(f"{base}/show/{pk}")
    elif op == "A":
        adding = {"/incomingletterview": "register", "/complaintview": "intake"}.get(base, "add")
        response = session.get(f"{base}/{adding}")
    elif op == "E":
        response = session.get(f"{base}/edit/{pk}")
    elif op == "D":
        response = session.client.post(f"{base}/delete/{pk}", data={"csrf_token": session.token()})
        models = {
            "/users": appbuilder.sm.user_model,
            "/roles": appbuilder.sm.role_model,
            "/extraholidayview": ExtraHoliday,
        }
        model = models.get(base)
        if model is not None:
            gone = db_session.get(model, pk) is None
            db_session.rollback()
            return gone
        assert response.status_code == 403
        return False
    else:
        response = session.client.post(
            f"{base}/action_post", data={"action": "export_csv", "rowid": [pk], "csrf_token": session.token()}
        )
        if response.status_code == 200:
            assert response.mimetype == "text/csv"
            return True
        # No view has FAB actions any more: an action is refused whatever the role.
        assert response.status_code in (302, 400)
        return False
    assert response.status_code in (200, 302, 403), (base, op, response.status_code)
    if response.status_code == 302:  # an instance opens on its task screen, a session on its agenda
        pages = (
            "/tasks/",
            "/tppsessionview/agenda/",
            "/mobileserviceview/point/",
            "/groupsessionview/session/",
        )
        assert response.headers["Location"].startswith(pages), response.headers["Location"]
    return response.status_code != 403


MATRIX_LETTER = "Surat untuk uji matriks izin"
# Records of the guidance views, found by a text column holding MATRIX_LETTER.
MATRIX_RECORDS = {
    "/guidancelogview": (GuidanceLog, GuidanceLog.notes),
    "/progressreportview": (ProgressReport, ProgressReport.progress),
    "/mobileserviceview": (MobileService, MobileService.town),
    "/groupsessionview": (GroupSession, GroupSession.topic),
    "/apitokenview": (ApiToken, ApiToken.name),
    "/reportingscheduleview": (ReportingSchedule, ReportingSchedule.place),
}


@pytest.fixture(scope="module", autouse=True)
def matrix_records(app):
    """A child-accompaniment letter assigned to pk1 and a calendar day, reachable by the roles that may."""
    with app.app_context():
        if db.session.scalar(select(IncomingLetter.id).where(IncomingLetter.subject == MATRIX_LETTER)):
            return
        users = {u.username: u for u in db.session.scalars(select(Staff))}
        letter = correspondence.register_letter(
            users["tu"], service="ABH", sender="Polres Magelang", sender_kind="POLRI",
            letter_number="B/1/2026", letter_date=date(2026, 1, 5), subject=MATRIX_LETTER,
            received_at=utcnow() - timedelta(minutes=5),
        )  # fmt: skip
        step = letter.instance.steps[-1]
        correspondence.dispose(
            step, users["kepala"], to=users["kasubsi.bka"], instructions=["tindak_lanjuti"], note=None,
            urgency="segera", deadline=None,
        )  # fmt: skip
        correspondence.assign(letter.instance.steps[-1], users["kasubsi.bka"], [users["pk1"]], None)
        db.session.add(ExtraHoliday(day=date(2031, 1, 1), name="Cuti bersama (uji)", is_holiday=True))
        child = db.session.scalar(select(Client).where(Client.register_number == "BKA-003/2026"))
        trip = {f: "x" for f in travel_permits.FIELDS} | {
            "destination_city": MATRIX_LETTER, "depart_on": date(2026, 12, 1), "return_on": date(2026, 12, 2),
            "applicant_relation": "keluarga",
        }  # fmt: skip
        travel_permits.submit(child, trip, ("image/png", PNG_1PX, "ttd.png"))
        db.session.add(
            TppSession(held_on=date(2026, 12, 1), place=MATRIX_LETTER, chair=users["kepala"],
                       secretary=users["kasubsi.bka"], members=[users["pk1"]])
        )  # fmt: skip
        start = child.supervision_start
        db.session.add_all([
            GuidanceLog(client=child, officer_id=users["pk1"].id, held_on=start, kind="kepribadian", place="kantor",
                        notes=MATRIX_LETTER),
            ProgressReport(client=child, month=start.replace(day=1), officer_id=users["pk1"].id,
                           progress=MATRIX_LETTER),
            GroupSession(topic=MATRIX_LETTER, held_on=date(2031, 1, 6), place="Aula",
                         created_by_id=users["kasubsi.bkd"].id),
        ])  # fmt: skip
        mobile_service.plan_point(users["pk1"], MATRIX_LETTER, "Balai desa", date(2031, 1, 6))
        db.session.add(
            ApiToken(name=MATRIX_LETTER, account_id=users["pk1"].id, token_hash=hash_token(new_token()),
                     hint="bapas-Uji0", expires_at=utcnow() + timedelta(days=1))
        )  # fmt: skip
        request = {"institution": MATRIX_LETTER, "institution_kind": "SEKOLAH", "contact_name": "x",
                   "contact_phone": "0293", "requested_on": date(2026, 12, 20), "place": "x", "audience": "x",
                   "topic": "x"}  # fmt: skip
        sambang = outreach.submit(request, ("image/png", PNG_1PX, "surat.png"))
        db.session.flush()
        correspondence.dispose(
            sambang.instance.steps[-1], users["kepala"], to=users["kasubsi.bka"], instructions=[], note="ok",
            urgency="biasa", deadline=None,
        )  # fmt: skip
        db.session.flush()
        outreach.appoint(
            sambang.instance.steps[-1], users["kasubsi.bka"], [users["pk1"], users["pk3"]], None,
            leader=users["pk1"],
        )  # fmt: skip
        fields = {"category": "LAYANAN", "sop": "LAIN", "title": MATRIX_LETTER, "description": "x"}
        complaints.submit(fields, channel="TELEPON", recorded_by=users["pengaduan"])
        _transfer_records(users, trip)
        _reporting_records(
            users, db.session.scalar(select(Client).where(Client.register_number == "BKA-001/2026"))
        )
        db.session.commit()


def _reporting_records(users: dict[str, Staff], child: Client) -> None:
    """pk1's child on PB: a wajib lapor schedule, a missed due date and its drafted warning letter."""
    schedule = ReportingSchedule(client=child, frequency="bulanan", day=2, starts_on=date(2026, 1, 1),
                                 place=MATRIX_LETTER, office_id=1, set_by_id=users["pk1"].id)  # fmt: skip
    instance = engine.start("LAPOR", "Uji matriks: wajib lapor", section="BKA", officer_id=users["pk1"].id,
                            client_id=child.id, office_id=1)  # fmt: skip
    occurrence = ReportingOccurrence(schedule=schedule, client_id=child.id, office_id=1, status=MISSED,
                                     due_on=date(2026, 2, 2), instance=instance)  # fmt: skip
    db.session.add_all([schedule, occurrence])
    db.session.flush()
    db.session.add(WarningLetter(client_id=child.id, occurrence=occurrence, instance_id=instance.id,
                                 office_id=1, level=1, facts=MATRIX_LETTER, drafted_by_id=users["pk1"].id))  # fmt: skip


def _transfer_records(users: dict[str, Staff], trip: dict) -> None:
    """pk1's child proposed for a transfer to Semarang, and a Semarang client's signed permit to
    Magelang (seen there among the clients of other offices)."""
    mover = Client(
        register_number="BKA-990/2026", name="Klien Matriks Pindah", birth_date=date(2012, 1, 1), sex="L",
        address="x", category="anak", legal_basis="DIVERSI", officer=users["pk1"], office_id=1,
    )  # fmt: skip
    db.session.add(mover)
    db.session.flush()
    proposal = {"destination_office_id": 2, "reason": MATRIX_LETTER, "new_address": "Jl. Uji, Semarang"}
    transfers.propose(users["pk1"], mover, proposal)
    visitor = db.session.scalar(select(Client).where(Client.register_number == "SMG-BKA-001/2026"))
    trip = trip | {"destination_city": "Kota Magelang", "destination_address": MATRIX_LETTER}
    permit = travel_permits.submit(visitor, trip, ("image/png", PNG_1PX, "ttd.png"))
    db.session.flush()
    for who in ("pk.smg", "kepala.smg", "pk.smg", "kepala.smg"):
        step = travel_permits.open_step(permit)
        outcome = "approve" if who == "kepala.smg" else "done"
        engine.complete(step, users[who], outcome=outcome, note="ok")


@pytest.mark.parametrize("role", EXPECTED)
def test_permission_matrix(role, login_as, db_session, app):
    session = login_as(role)
    seen = []
    for base, expected in zip(VIEWS, EXPECTED[role], strict=True):
        row = ""
        for op, want in zip(OPS, expected, strict=True):
            if op == "X" and base not in ("/clientview", "/performance", "/duty"):
                row += "."
                continue
            if base in REPORTS:
                pk = 0
            elif op == "D" and want == "D":
                pk = _throwaway(db_session, base)
                db_session.commit()
            else:
                pk = _target(db_session, base)
            row += op if _allowed(session, base, op, pk, db_session) else "."
        seen.append(row)
    assert tuple(seen) == EXPECTED[role]


def test_anonymous_is_sent_to_login(client):
    for base in VIEWS:
        response = client.get(REPORT_URLS.get((base, "L"), (f"{base}/list/",))[0])
        assert response.status_code == 302
        assert "/login/" in response.headers["Location"]


def test_role_sync_is_idempotent(app):
    with app.app_context():
        sync_roles()
        assert sync_roles() == 0


def test_role_sync_repairs_a_tampered_role(app):
    with app.app_context():
        sm = appbuilder.sm
        role = sm.find_role("TU")
        role.permissions = [*role.permissions, sm.find_permission_view_menu("can_list", "AuditLog")]
        sm.session.commit()
        assert sync_roles() == 1
        assert sm.find_permission_view_menu("can_list", "AuditLog") not in sm.find_role("TU").permissions


def test_writes_need_a_csrf_token(login_as, db_session):
    session = login_as("PK")
    pk = db_session.scalar(select(Client.id).where(Client.register_number == "BKA-001/2026"))
    response = session.client.post(f"/clientview/edit/{pk}", data={"name": "Tanpa Token"})
    assert response.status_code == 400
    assert db_session.get(Client, pk).name != "Tanpa Token"


# The notification views, written out apart from the matrix above: L the bell's list, S opening one's
# own notification, A the channel settings (one's own), X the Admin's outbox (delivery state only).
NOTIFICATION_EXPECTED = {
    "Kepala": "LSA.",
    "Kasubsi": "LSA.",
    "PK": "LSA.",
    "TU": "LSA.",
    "Pengaduan": "LSA.",
    "Pengawas": "LSA.",
    "Admin": "LSAX",
    "Kanwil": "LSA.",
    "Ditjenpas": "LSA.",
}


@pytest.mark.parametrize("role", NOTIFICATION_EXPECTED)
def test_notification_views(role, login_as, db_session):
    from app.models.notifications import APP, READY, Notification

    session = login_as(role)
    me = db_session.scalar(select(Staff).where(Staff.username == ACCOUNT_OF_ROLE[role]))
    own = Notification(
        staff_id=me.id, channel=APP, kind=READY, subject="Uji matriks", body="x", link="/",
        office_id=me.office_id or 1, status="sent",
    )  # fmt: skip
    db_session.add(own)
    db_session.commit()
    urls = {
        "L": "/notifications/list/",
        "S": f"/notifications/open/{own.id}",
        "A": "/notifications/settings",
        "X": "/notificationoutboxview/list/",
    }
    seen = ""
    for op, url in urls.items():
        code = session.get(url).status_code
        assert code in (200, 302, 403), (role, url, code)
        seen += op if code != 403 else "."
    assert seen == NOTIFICATION_EXPECTED[role]


# A departing colleague's handover page (pk3, BKA, who leads a Bambang Solah team in these records):
# S the page, R handing work over, D deactivating the account. The Kepala and the Kasubsi of the
# section reassign, the Admin sees the counts and deactivates (refused here: pk3 holds work).
HANDOVER_EXPECTED = {
    "Kepala": "SR.",
    "Kasubsi": "SR.",
    "PK": "...",
    "TU": "...",
    "Pengaduan": "...",
    "Pengawas": "...",
    "Admin": "S.D",
    "Kanwil": "...",
    "Ditjenpas": "...",
}


@pytest.mark.parametrize("role", HANDOVER_EXPECTED)
def test_staff_handover_views(role, login_as, db_session):
    pk3 = db_session.scalar(select(Staff).where(Staff.username == "pk3"))
    page = f"/staffhandover/{pk3.id}"
    session = login_as(role)
    token = session.token()
    seen = "S" if session.get(page).status_code == 200 else "."
    for op, url in (("R", f"{page}/reassign"), ("D", f"{page}/deactivate")):
        response = session.client.post(url, data={"csrf_token": token})
        assert response.status_code in (302, 403, 404), (role, url, response.status_code)
        # Allowed, the app answers on the page itself (nothing chosen; work still held).
        seen += op if response.headers.get("Location", "").endswith(page) else "."
    db_session.expire_all()
    assert db_session.get(Staff, pk3.id).active is True
    assert seen == HANDOVER_EXPECTED[role]
