"""Regions, offices and staff accounts of a benchmark database (small tables, rows made here)."""

from __future__ import annotations

from typing import Any

from werkzeug.security import generate_password_hash

from app.security.mfa import seal
from benchkit import KEPALA_TOTP, PASSWORD, SECRET_KEY
from benchkit.plan import BIG_PKS, BIG_SHARES, OFFICES, REGIONS, SMALL_PKS

# TOTP keys are kept sealed with the app's key (app.security.mfa); gunicorn runs with SECRET_KEY.
SEALED_KEPALA_TOTP = seal(KEPALA_TOTP, {"SECRET_KEY": SECRET_KEY})

CITIES = (
    "Banda Aceh", "Medan", "Padang", "Pekanbaru", "Jambi", "Palembang", "Bengkulu", "Bandar Lampung",
    "Pangkal Pinang", "Tanjung Pinang", "Jakarta", "Bandung", "Semarang", "Yogyakarta", "Surabaya",
    "Serang", "Denpasar", "Mataram", "Kupang", "Pontianak", "Palangka Raya", "Banjarmasin", "Samarinda",
    "Tarakan", "Manado", "Palu", "Makassar", "Kendari", "Gorontalo", "Mamuju", "Ambon", "Ternate",
    "Jayapura", "Manokwari", "Bogor", "Cirebon", "Malang", "Kediri", "Madiun", "Pati", "Purwokerto",
)  # fmt: skip
ROLE_SLOTS = ("Kepala", "Kasubsi", "Kasubsi", "TU", "Pengaduan", "Pengawas")
# The measured accounts, all in the big office: username -> role, section.
NAMED = {
    "Kepala": ("bench.kepala", None),
    "Kasubsi:BKD": ("bench.kasubsi", "BKD"),
    "TU": ("bench.tu", None),
    "Pengaduan": ("bench.pengaduan", None),
    "PK:BKD": ("bench.pk", "BKD"),
}
INSERT_USER = """
INSERT INTO ab_user (id, first_name, last_name, username, password, active, email, nip, position, section,
    office_id, totp_secret, created_on, changed_on, login_count, fail_login_count)
VALUES (%s, %s, %s, %s, %s, true, %s, %s, %s, %s, %s, %s, now(), now(), 0, 0)
"""
# Each office's heads, its PKs per section and its clients' id range: what the bulk SQL reads.
BENCH_TABLES = """
CREATE UNLOGGED TABLE bench_office (office_id int PRIMARY KEY, kepala int, tu int, pengaduan int,
    kasubsi_bka int, kasubsi_bkd int, n_bka int, n_bkd int, lo int, hi int, tpp int, tpp_base int);
CREATE UNLOGGED TABLE bench_pk (office_id int, section text, slot int, staff_id int);
CREATE INDEX ON bench_pk (office_id, section, slot)
"""
INSERT_OFFICE = """
INSERT INTO bench_office (office_id, kepala, tu, pengaduan, kasubsi_bka, kasubsi_bkd, n_bka, n_bkd)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
"""
FIRST = ("Agus", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gilang", "Hendra", "Indah", "Joko")
LAST = ("Santoso", "Wibowo", "Lestari", "Saputra", "Hidayat", "Kusuma", "Nugroho", "Pratama")


def regions_and_offices(conn: Any) -> None:
    """33 regional offices (the migration's W13 is the first) and 90 offices (the migration's
    Magelang is office 1, the big one)."""
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO region (id, code, name) VALUES (%s, %s, %s)",
            [(n, f"W{_code(n):02d}", f"Kantor Wilayah {CITIES[n - 1]}") for n in range(2, REGIONS + 1)],
        )
        rows = []
        for n in range(2, OFFICES + 1):
            city = f"{CITIES[n % len(CITIES)]} {n}"
            region = (n - 1) % REGIONS + 1
            klass = "I" if n <= len(BIG_SHARES) else "II"
            rows.append(
                (n, f"B{n:03d}", f"Balai Pemasyarakatan Kelas {klass} {city}", f"Bapas Kelas {klass} {city}",
                 klass, city, f"Jl. Pemasyarakatan No. {n}, {city}", f"(0{n:02d}) 555 01{n:02d}",
                 f"bapas{n}@kemenimipas.go.id", f"W{_code(region):02d}.PAS.PAS.{n}", region)
            )  # fmt: skip
        cur.executemany(
            "INSERT INTO office (id, code, name, short_name, office_class, city, address, phone, email,"
            " letter_prefix, region_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            rows,
        )
        cur.execute("SELECT setval('region_id_seq', %s), setval('office_id_seq', %s)", (REGIONS, OFFICES))


def _code(region: int) -> int:
    """The Kanwil number of a region id: the migration's region 1 is W13, the others the rest."""
    return 13 if region == 1 else [c for c in range(1, REGIONS + 2) if c != 13][region - 2]


def accounts(conn: Any) -> None:
    """Every office's Kepala, two Kasubsi, TU, complaint unit, Pengawas and PKs (50 in a big
    office); fills bench_office and bench_pk, which the bulk SQL reads."""
    hashed = generate_password_hash(PASSWORD)
    with conn.cursor() as cur:
        cur.execute("SELECT name, id FROM ab_role")
        role_ids = dict(cur.fetchall())
        users, roles, offices, pks = [], [], [], []
        uid = 0
        for office in range(1, OFFICES + 1):
            big = office <= len(BIG_SHARES)
            slots = [
                (role, "BKA" if i == 1 else "BKD" if i == 2 else None) for i, role in enumerate(ROLE_SLOTS)
            ]
            bka, bkd = BIG_PKS if big else SMALL_PKS
            slots += [("PK", "BKA")] * bka + [("PK", "BKD")] * bkd
            made: dict[str, int] = {}
            for n, (role, section) in enumerate(slots):
                uid += 1
                key = f"{role}:{section}" if section else role
                username = f"o{office}.{role.lower()}{n}"
                if office == 1 and key in NAMED and NAMED[key][0] not in made:
                    username = NAMED[key][0]
                    made[username] = uid
                totp = SEALED_KEPALA_TOTP if username == "bench.kepala" else None
                email, nip = f"{username}@bapas{office}.go.id", f"{198000000000000000 + uid}"
                users.append(
                    (uid, FIRST[uid % len(FIRST)], LAST[uid % len(LAST)], username, hashed, email, nip,
                     f"{role} {section or ''}", section, office, totp)
                )  # fmt: skip
                roles.append((uid, role_ids[role]))
                made.setdefault(key, uid)
                if role == "PK":
                    pks.append((office, section, sum(1 for p in pks if p[:2] == (office, section)), uid))
            heads = ("Kepala", "TU", "Pengaduan", "Kasubsi:BKA", "Kasubsi:BKD")
            offices.append((office, *(made[h] for h in heads), bka, bkd))
        cur.executemany(INSERT_USER, users)
        cur.executemany("INSERT INTO ab_user_role (user_id, role_id) VALUES (%s, %s)", roles)
        cur.execute("SELECT setval('ab_user_id_seq', %s)", (uid,))
        cur.execute(BENCH_TABLES)
        cur.executemany(INSERT_OFFICE, offices)
        cur.executemany("INSERT INTO bench_pk VALUES (%s, %s, %s, %s)", pks)
