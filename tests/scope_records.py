"""Records of office 1 that belong to one PK or one section each, made once for the within-office
scope matrix (tests/security/test_scope_matrix.py): pk1's child (BKA) and pk2's adult (BKD) each get
a travel permit on a TPP agenda, a BATAKO point with a visit, a group-guidance proposal, a progress
report, a letter disposed to the section and a transfer proposal; BKD gets an outreach team; and a
complaint about the Kepala waits for internal supervision."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models.clients import ACTIVE, Client
from app.models.complaints import Complaint
from app.models.guidance import ProgressReport
from app.models.reporting import MISSED, MONTHLY, ReportingOccurrence, ReportingSchedule, WarningLetter
from app.models.staff import Staff
from app.models.tpp import TppSession
from app.timeutil import today_wib, utcnow
from app.workflow import (
    complaints,
    correspondence,
    engine,
    group_guidance,
    mobile_service,
    outreach,
    tpp,
    transfers,
    travel_permits,
)
from app.workflow.definitions import MISSED_REPORT
from tests.factories import signature

MARK = "Uji matriks lingkup"
PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
# The PK, its Kasubsi and a client of its own (made here: a transfer proposal takes the client).
SIDES = {
    "BKA": ("pk1", "kasubsi.bka", ("BKA-MTX1/2026", "Citra Matriks Anak", "3308015505120971", "anak")),
    "BKD": ("pk2", "kasubsi.bkd", ("BKD-MTX2/2026", "Darto Matriks Dewasa", "3308011010800972", "dewasa")),
}


def build() -> None:
    """Make the records once (the caller's app context; committed)."""
    if db.session.scalar(select(TppSession.id).where(TppSession.place == MARK)):
        return
    users = {u.username: u for u in db.session.scalars(select(Staff).where(Staff.office_id == 1))}
    today = today_wib()
    tpp_session = TppSession(held_on=today + timedelta(days=3), place=MARK, chair=users["kepala"],
                             secretary=users["kasubsi.bka"],
                             members=[users["pk1"], users["pk2"]])  # fmt: skip
    # A session of each section: a PK proposes its clients to its own section's session only.
    groups = {
        section: group_guidance.plan_session(users[kasubsi], MARK, today + timedelta(days=3), "Aula")
        for section, (_pk, kasubsi, _client) in SIDES.items()
    }
    db.session.add(tpp_session)
    db.session.flush()
    for section, (pk_name, kasubsi_name, (register, name, nik, category)) in SIDES.items():
        pk, kasubsi = users[pk_name], users[kasubsi_name]
        client = Client(
            register_number=register, name=name, nik=nik, sex="P",
            birth_date=date(2012 if category == "anak" else 1980, 5, 5), address="Jl. Matriks",
            category=category, legal_basis="PB", officer=pk, office_id=1,
            supervision_start=today - timedelta(days=40), supervision_end=today + timedelta(days=300),
            guidance_card_number=f"KB-{register[4:8]}", status=ACTIVE,
        )  # fmt: skip
        db.session.add(client)
        db.session.flush()
        _client_work(client, pk, tpp_session, groups[section], today)
        _letter(users, kasubsi, pk, section)
        proposal = {"destination_office_id": 2, "reason": MARK, "new_address": "Semarang"}
        transfers.propose(pk, client, proposal)
    _outreach(users)
    _complaint_about_the_kepala(users)
    db.session.commit()


def _client_work(client: Client, pk: Staff, tpp_session: TppSession, group, today: date) -> None:
    trip = {f: "x" for f in travel_permits.FIELDS} | {
        "destination_city": "Kota Yogyakarta", "depart_on": today + timedelta(days=20),
        "return_on": today + timedelta(days=22), "applicant_relation": "keluarga",
    }  # fmt: skip
    permit = travel_permits.submit(client, trip, ("image/png", PNG_1PX, "ttd.png"))
    db.session.flush()
    engine.complete(travel_permits.open_step(permit), pk, outcome="done", note="ok")
    db.session.flush()
    tpp.put_on_agenda(tpp_session, travel_permits.open_step(permit))
    point = mobile_service.plan_point(pk, f"{MARK} {pk.username}", "Balai desa", today)
    db.session.flush()
    mobile_service.start_setting_up(point, pk)
    mobile_service.open_counter(point, pk)
    mobile_service.check_in(point, pk, client.register_number, signature())
    group_guidance.propose(group, pk, [client.id])
    _reporting(client, pk, today)
    db.session.add(ProgressReport(client=client, month=today.replace(day=1), officer_id=pk.id, progress=MARK))


def _reporting(client: Client, pk: Staff, today: date) -> None:
    """A wajib lapor schedule, a missed due date with its follow-up and a drafted warning letter."""
    start = today - timedelta(days=40)
    schedule = ReportingSchedule(client=client, frequency=MONTHLY, day=1, starts_on=start, office_id=1,
                                 set_by_id=pk.id)  # fmt: skip
    instance = engine.start(MISSED_REPORT.code, f"{client.name}: wajib lapor", section=client.section,
                            officer_id=pk.id, client_id=client.id, office_id=1)  # fmt: skip
    occurrence = ReportingOccurrence(schedule=schedule, client_id=client.id, office_id=1, status=MISSED,
                                     due_on=start + timedelta(days=5), instance=instance)  # fmt: skip
    db.session.add_all([schedule, occurrence])
    db.session.flush()
    db.session.add(WarningLetter(client_id=client.id, occurrence=occurrence, instance_id=instance.id,
                                 office_id=1, level=1, facts=MARK, drafted_by_id=pk.id))  # fmt: skip


def _letter(users: dict[str, Staff], kasubsi: Staff, pk: Staff, section: str) -> None:
    letter = correspondence.register_letter(
        users["tu"], service="ABH" if section == "BKA" else "SURAT", sender="Polres Magelang",
        sender_kind="POLRI", letter_number=f"B/{section}/2026", letter_date=today_wib(), subject=MARK,
        received_at=utcnow() - timedelta(minutes=5),
    )  # fmt: skip
    correspondence.dispose(letter.instance.steps[-1], users["kepala"], to=kasubsi,
                           instructions=["tindak_lanjuti"], note=None, urgency="segera",
                           deadline=None)  # fmt: skip
    correspondence.assign(letter.instance.steps[-1], kasubsi, [pk], None)


def _outreach(users: dict[str, Staff]) -> None:
    request = {"institution": MARK, "institution_kind": "SEKOLAH", "contact_name": "x",
               "contact_phone": "0293", "requested_on": today_wib() + timedelta(days=10), "place": "x",
               "audience": "x", "topic": "x"}  # fmt: skip
    sambang = outreach.submit(request, ("image/png", PNG_1PX, "surat.png"))
    db.session.flush()
    correspondence.dispose(sambang.instance.steps[-1], users["kepala"], to=users["kasubsi.bkd"],
                           instructions=[], note="ok", urgency="biasa", deadline=None)  # fmt: skip
    db.session.flush()
    team = [users["pk2"], users["pk4"]]
    outreach.appoint(sambang.instance.steps[-1], users["kasubsi.bkd"], team, None, leader=users["pk2"])


def _complaint_about_the_kepala(users: dict[str, Staff]) -> Complaint:
    fields = {"category": "PERILAKU", "sop": "LAIN", "title": MARK, "description": "Kepala tidak ramah."}
    complaint = complaints.submit(fields, channel="TELEPON", recorded_by=users["pengaduan"])
    complaints.recommend(complaint.instance.steps[-1], users["pengaduan"], category="PERILAKU", sop="LAIN",
                         subject_staff_id=users["kepala"].id, recommendation="Periksa")  # fmt: skip
    return complaint
