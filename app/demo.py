"""Demo accounts and sample records for a new database (`make run`)."""

from __future__ import annotations

import io
import os
import secrets
from datetime import date, timedelta

from PIL import Image
from sqlalchemy import select

from app import offices
from app.extensions import appbuilder, db
from app.models.cases import Case
from app.models.clients import ACTIVE, Client
from app.models.offices import Office
from app.models.staff import Staff
from app.security import roles as r
from app.timeutil import today_wib, wib_midnight

ACCOUNTS = [
    # username, role, first name, last name, NIP, position, section
    ("admin", r.ADMIN, "Dwi", "Prasetyo", "198601012010011001", "Pranata Komputer", None),
    ("kepala", r.KEPALA, "Syamsurijal", "", "197203151995031002", "Kepala Bapas", None),
    ("kasubsi.bka", r.KASUBSI, "Retno", "Wulandari", "197808202000032001", "Kasubsi BKA", "BKA"),
    ("kasubsi.bkd", r.KASUBSI, "Agus", "Santoso", "197611102000031003", "Kasubsi BKD", "BKD"),
    ("pk1", r.PK, "Siti", "Rahmawati", "198805052012122002", "PK Ahli Pertama", "BKA"),
    ("pk2", r.PK, "Budi", "Hartono", "198909092014031004", "PK Ahli Muda", "BKD"),
    # A second PK per section: a Bambang Solah team has at least two.
    ("pk3", r.PK, "Dewi", "Anggraini", "199204142019022001", "Asisten PK", "BKA"),
    ("pk4", r.PK, "Rudi", "Setiawan", "199107072019021002", "Asisten PK", "BKD"),
    ("tu", r.TU, "Sri", "Lestari", "198202022006042001", "Kaur Tata Usaha", None),
    ("pengaduan", r.PENGADUAN, "Yuni", "Astuti", "199003032015032001", "Petugas Layanan Pengaduan", None),
    ("pengawas", r.PENGAWAS, "Hendra", "Gunawan", "197701012001121001", "SATOPS PATNAL", None),
]
# A second office of the same Kanwil, with its own head, PK and client: isolation can be seen.
SECOND_OFFICE = {
    "code": "SMG", "name": "Balai Pemasyarakatan Kelas I Semarang", "short_name": "Bapas Kelas I Semarang",
    "office_class": "I", "city": "Semarang", "address": "Jl. Dr. Cipto No. 130, Semarang",
    "phone": "(024) 8311 541", "email": "bapassemarang@kemenimipas.go.id", "letter_prefix": "W13.PAS.PAS.48",
}  # fmt: skip
SECOND_ACCOUNTS = [
    ("kepala.smg", r.KEPALA, "Wahyu", "Hidayat", "197105101994031001", "Kepala Bapas", None),
    ("kasubsi.smg", r.KASUBSI, "Ratna", "Kusumawati", "197904122001122001", "Kasubsi BKA", "BKA"),
    ("pk.smg", r.PK, "Lina", "Marlina", "199006062015032002", "PK Ahli Pertama", "BKA"),
]
# Oversight above the offices: the Kanwil of Jawa Tengah (both offices) and the Directorate General.
OVERSIGHT_ACCOUNTS = [
    ("kanwil.jateng", r.KANWIL, "Bambang", "Sutejo", "197402021996031001", "Kepala Bidang Pembinaan", None),
    ("ditjenpas", r.DITJENPAS, "Ratna", "Kusumawati", "197909092003122001", "Analis Kebijakan", None),
]
SECOND_CLIENT = ("SMG-BKA-001/2026", "Putra Ramadhan", "3374011505110008", date(2011, 5, 15), "L", "anak",
                 "DIVERSI", "pk.smg", "Suyono (ayah)")  # fmt: skip

CLIENTS = [
    # register, name, NIK, born, sex, category, basis, officer, guardian
    (
        "BKA-001/2026",
        "Rizky Aditya",
        "3308011203100001",
        date(2010, 3, 12),
        "L",
        "anak",
        "DIVERSI",
        "pk1",
        "Slamet (ayah)",
    ),
    (
        "BKA-002/2026",
        "Nabila Putri",
        "3308024507090002",
        date(2009, 7, 5),
        "P",
        "anak",
        "PIDANA_BERSYARAT",
        "pk1",
        "Wartini (ibu)",
    ),
    (
        "BKA-003/2026",
        "Fajar Nugroho",
        "3371011811080003",
        date(2008, 11, 18),
        "L",
        "anak",
        "PB",
        "pk1",
        "Sutrisno (ayah)",
    ),
    ("BKD-001/2026", "Joko Susilo", "3308010101800004", date(1980, 1, 1), "L", "dewasa", "PB", "pk2", None),
    ("BKD-002/2026", "Sumarni", "3308014404850005", date(1985, 4, 4), "P", "dewasa", "CB", "pk2", None),
    (
        "BKD-003/2026",
        "Eko Prasetya",
        "3371010707900006",
        date(1990, 7, 7),
        "L",
        "dewasa",
        "ASIMILASI",
        "pk2",
        None,
    ),
    (
        "BKD-004/2026",
        "Bambang Wibowo",
        "3308012012750007",
        date(1975, 12, 20),
        "L",
        "dewasa",
        "CMB",
        "pk2",
        None,
    ),
]


def _accounts(password: str, accounts: list[tuple], office: Office, domain: str) -> dict[str, Staff]:
    sm = appbuilder.sm
    made = {}
    for username, role, first, last, nip, position, section in accounts:
        user = sm.add_user(username, first, last, f"{username}@{domain}", sm.find_role(role), password)
        user.nip, user.position, user.section = nip, position, section
        # The demo's Admin is the national one (every office), as is Ditjenpas; the Kanwil belongs to
        # the region; everyone else works in an office.
        user.office_id = None if role in (r.ADMIN, r.KANWIL, r.DITJENPAS) else office.id
        user.region_id = office.region_id if role == r.KANWIL else None
        made[username] = user
    return made


def _client(row: tuple, i: int, users: dict[str, Staff], today: date, office: Office) -> Client:
    reg, name, nik, born, sex, category, basis, officer, guardian = row
    start = today - timedelta(days=60 + 45 * i)
    guardian_name, _, relation = (guardian or "").partition(" (")
    return Client(
        register_number=reg, name=name, nik=nik, birth_place=office.city, birth_date=born,
        sex=sex, address=f"Jl. Pahlawan No. {10 + i}, {office.city}", phone=f"08122700{i:04d}",
        category=category, guardian_name=guardian_name or None,
        guardian_relation=relation.rstrip(")") or None, legal_basis=basis,
        supervision_start=start, supervision_end=start + timedelta(days=365 + 30 * i),
        officer=users[officer], status=ACTIVE, handover_number=f"BAST-{i + 1:03d}/2026",
        handover_date=start, guidance_card_number=f"KB-{i + 1:04d}", office_id=office.id,
    )  # fmt: skip


def load() -> str | None:
    """Create demo accounts and records unless users exist; return the demo password."""
    if db.session.query(Staff.id).first() is not None:
        return None
    password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(9)
    home = db.session.scalar(select(Office).order_by(Office.id))
    second = Office(**SECOND_OFFICE, region_id=home.region_id)
    db.session.add(second)
    db.session.flush()
    users = _accounts(password, ACCOUNTS, home, "bapas-magelang.go.id")
    users.update(_accounts(password, SECOND_ACCOUNTS, second, "bapas-semarang.go.id"))
    _accounts(password, OVERSIGHT_ACCOUNTS, home, "kemenimipas.go.id")
    today = today_wib()
    clients = [_client(row, i, users, today, home) for i, row in enumerate(CLIENTS)]
    clients.append(_client(SECOND_CLIENT, 0, users, today, second))
    db.session.add_all(clients)
    with offices.working_for(home.id):
        _records(clients, users, today)
        _duty_week(users, home, today)
    return password


def _duty_week(users: dict[str, Staff], office: Office, today: date) -> None:
    """This week's ABH duty roster, the PKs of the BKA section taking turns, with phone numbers."""
    from app.models.duty import DutyDay
    from app.models.notifications import NotificationPreference

    # Numbers the one on duty gave in their profile (the Kepala's own stays for the delivery tests).
    for n, name in enumerate(("kasubsi.bka", "kasubsi.bkd", "pk1", "pk3", "tu")):
        db.session.add(
            NotificationPreference(staff_id=users[name].id, whatsapp_number=f"0812270{n:05d}"[:13])
        )
    monday = today - timedelta(days=today.weekday())
    for n in range(7):
        db.session.add(
            DutyDay(office_id=office.id, day=monday + timedelta(days=n), tu=users["tu"],
                    kepala=users["kepala"], kasubsi=users["kasubsi.bka"],
                    pk=users["pk1"] if n % 2 else users["pk3"], deputy=users["kasubsi.bkd"])
        )  # fmt: skip
    db.session.commit()


def _records(clients: list[Client], users: dict[str, Staff], today: date) -> None:
    db.session.add_all(
        [
            Case(number="LP/B/112/III/2026/Polres Magelang", offence="Pencurian dengan pemberatan",
                 article="Pasal 363 KUHP", authority="POLRI", section="BKA", legal_stage="DIVERSI",
                 clients=[clients[0]]),
            Case(number="45/Pid.Sus-Anak/2026/PN Mgl", offence="Penganiayaan", article="Pasal 351 KUHP",
                 authority="PENGADILAN", section="BKA", legal_stage="PEMBIMBINGAN", clients=[clients[1]]),
            Case(number="210/Pid.B/2024/PN Mgl", offence="Penipuan", article="Pasal 378 KUHP",
                 authority="PENGADILAN", section="BKD", legal_stage="PEMBIMBINGAN", clients=[clients[3]]),
        ]
    )  # fmt: skip
    _requests(today)
    db.session.commit()
    _guidance(clients, users, today)


def _guidance(clients: list[Client], users: dict[str, Staff], today: date) -> None:
    """A few guidance sessions, this month's reports and the current stage plans."""
    from app.workflow import guidance, supervision

    for n, client in enumerate(clients):
        held_on = today - timedelta(days=7 + n)
        fields = {
            "held_on": held_on, "place": "kantor", "kind": "kepribadian" if n % 2 else "kemandirian",
            "notes": "Klien datang tepat waktu; membahas pekerjaan dan keluarga.",
            "next_appointment": held_on + timedelta(days=14 if n % 3 else 5),
        }  # fmt: skip
        guidance.record_log(client.officer, client, fields)
    db.session.commit()
    _reporting(clients, today)
    supervision.open_due_work(today)


def _reporting(clients: list[Client], today: date) -> None:
    """Wajib lapor: Joko (PB) monthly, whose last due date passed unreported (the daily job opens its
    follow-up), and Sumarni (CB) weekly, who reported at the office a week ago."""
    from app.models.reporting import MONTHLY, OFFICE, WEEKLY, ReportingSchedule
    from app.workflow import reporting

    joko, sumarni = clients[3], clients[4]
    start = today - timedelta(days=40)
    db.session.add_all([
        ReportingSchedule(client=joko, frequency=MONTHLY, day=min((today - timedelta(days=3)).day, 28),
                          starts_on=start, place="Kantor Bapas", set_by=joko.officer,
                          office_id=joko.office_id),
        ReportingSchedule(client=sumarni, frequency=WEEKLY, day=today.isoweekday(), starts_on=start,
                          place="Kantor Bapas", set_by=sumarni.officer, office_id=sumarni.office_id),
    ])  # fmt: skip
    db.session.flush()
    week_ago = wib_midnight(today - timedelta(days=7)) + timedelta(hours=9)
    reporting.record_attendance(sumarni, sumarni.officer, week_ago, OFFICE, note="Datang sendiri.")
    db.session.commit()


def _requests(today: date) -> None:
    """A school's Bambang Solah request and an anonymous complaint, waiting in their first inboxes."""
    from app.models.complaints import PORTAL
    from app.workflow import complaints, outreach

    scan = io.BytesIO()
    Image.new("RGB", (120, 160), "white").save(scan, format="PNG")
    outreach.submit(
        {"institution": "SD Negeri Tidar 1", "institution_kind": "SEKOLAH", "contact_name": "Bu Wahyuni",
         "contact_phone": "0293 362 100", "requested_on": today + timedelta(days=14),
         "place": "Aula SD Negeri Tidar 1, Magelang", "audience": "Siswa kelas V dan VI, 60 orang",
         "topic": "Mengenal hukum sejak dini dan bahaya perundungan"},
        ("image/png", scan.getvalue(), "surat-permohonan.png"),
    )  # fmt: skip
    complaints.submit(
        {"category": "LAYANAN", "sop": "SOP11", "title": "Informasi jadwal wajib lapor sulit didapat",
         "description": "Saya menelepon kantor dua kali tetapi tidak ada yang menjawab."},
        channel=PORTAL,
    )  # fmt: skip
