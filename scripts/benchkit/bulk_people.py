"""Set-based SQL for clients, their supervision periods, cases and guidance logs.

Every statement is one INSERT ... SELECT over generate_series; parameters: today (WIB), cities,
first and last names, the number of clients `n`, cases `cases`, logs per client `logs`.
"""

from __future__ import annotations

FIRST_NAMES = [
    "Agus",
    "Adi",
    "Ahmad",
    "Andi",
    "Anisa",
    "Arif",
    "Ayu",
    "Bambang",
    "Bayu",
    "Budi",
    "Cahya",
    "Citra",
    "Dani",
    "Dedi",
    "Dewi",
    "Dian",
    "Dimas",
    "Eka",
    "Eko",
    "Fajar",
    "Fitri",
    "Galih",
    "Gita",
    "Hadi",
    "Hendra",
    "Heru",
    "Ika",
    "Indah",
    "Irfan",
    "Joko",
    "Kurnia",
    "Lina",
    "Lukman",
    "Maya",
    "Mega",
    "Nanda",
    "Nur",
    "Putri",
    "Putra",
    "Rahmat",
    "Ratna",
    "Rina",
    "Rizky",
    "Rudi",
    "Sari",
    "Siti",
    "Slamet",
    "Sri",
    "Teguh",
    "Tri",
    "Umar",
    "Wahyu",
    "Wati",
    "Yanti",
    "Yudi",
    "Yusuf",
    "Zainal",
    "Bagus",
    "Ratih",
    "Tono",
]
LAST_NAMES = [
    "Santoso",
    "Wibowo",
    "Lestari",
    "Saputra",
    "Hidayat",
    "Kusuma",
    "Nugroho",
    "Pratama",
    "Setiawan",
    "Susanti",
    "Wijaya",
    "Gunawan",
    "Hartono",
    "Rahayu",
    "Purnomo",
    "Suharto",
    "Sulistyo",
    "Utomo",
    "Wahyudi",
    "Yulianto",
    "Siregar",
    "Nasution",
    "Harahap",
    "Lubis",
    "Simanjuntak",
    "Sinaga",
    "Tanjung",
    "Daulay",
    "Pohan",
    "Hutapea",
    "Manurung",
    "Situmorang",
    "Purba",
    "Sembiring",
    "Ginting",
    "Tarigan",
    "Permana",
    "Ramadhan",
    "Firmansyah",
    "Kurniawan",
    "Maulana",
    "Syahputra",
    "Hakim",
    "Irawan",
    "Mulyadi",
    "Prasetyo",
    "Sugiarto",
    "Wulandari",
    "Anggraini",
    "Puspita",
]

CLIENTS = """
INSERT INTO client (id, office_id, register_number, name, nik, birth_place, birth_date, sex, address, phone,
    category, guardian_name, guardian_relation, guardian_phone, legal_basis, supervision_start,
    supervision_end, officer_id, status, handover_number, handover_date, guidance_card_number,
    last_guidance_on, next_report_due, created_at, updated_at, version)
SELECT c.i, c.office_id,
    c.sec || '-' || lpad((c.i - c.lo + 1)::text, 6, '0') || '/' || extract(year FROM c.st)::int,
    (%(first)s::text[])[1 + mod(c.i * 7, cardinality(%(first)s::text[]))] || ' ' || (%(last)s::text[])[1 + mod(c.i * 13, cardinality(%(last)s::text[]))]
        || CASE WHEN mod(c.i, 3) = 0 THEN ' ' || (%(last)s::text[])[1 + mod(c.i * 17, cardinality(%(last)s::text[]))] ELSE '' END,
    (3300000000000000 + c.i)::text,
    (%(cities)s::text[])[1 + mod(c.i, cardinality(%(cities)s::text[]))],
    CASE WHEN c.sec = 'BKA' THEN c.st - (13 * 365 + mod(c.i, 1400)) ELSE c.st - (20 * 365 + mod(c.i * 3, 12000)) END,
    CASE WHEN mod(c.i, 3) = 0 THEN 'P' ELSE 'L' END,
    'Jl. Merdeka No. ' || (1 + mod(c.i, 300)) || ' RT ' || (1 + mod(c.i, 12)) || ', '
        || (%(cities)s::text[])[1 + mod(c.i, cardinality(%(cities)s::text[]))],
    '08' || lpad(mod(c.i::bigint * 7919, 10000000000)::text, 10, '0'),
    CASE c.sec WHEN 'BKA' THEN 'anak' ELSE 'dewasa' END,
    CASE WHEN c.sec = 'BKA' THEN (%(first)s::text[])[1 + mod(c.i * 11, cardinality(%(first)s::text[]))] END,
    CASE WHEN c.sec = 'BKA' THEN (ARRAY['ayah', 'ibu', 'paman'])[1 + mod(c.i, 3)] END,
    CASE WHEN c.sec = 'BKA' THEN '0813' || lpad(mod(c.i, 100000000)::text, 8, '0') END,
    CASE WHEN c.sec = 'BKA' THEN (ARRAY['DIVERSI', 'PIDANA_BERSYARAT', 'PB'])[1 + mod(c.i, 3)]
         ELSE (ARRAY['PB', 'CB', 'CMB', 'ASIMILASI', 'PIDANA_PENGAWASAN'])[1 + mod(c.i, 5)] END,
    c.st, c.st + 1000 + mod(c.i, 400),
    p.staff_id,
    CASE WHEN mod(c.i, 20) = 1 THEN 'selesai' WHEN mod(c.i, 50) = 3 THEN 'dicabut'
         WHEN mod(c.i, 15) = 5 THEN 'didampingi' ELSE 'aktif' END,
    'BAST-' || lpad((c.i - c.lo + 1)::text, 6, '0') || '/' || extract(year FROM c.st)::int, c.st,
    'KB-' || lpad((c.i - c.lo + 1)::text, 6, '0'),
    %(today)s::date - 114 + mod(c.i * 7, 100), %(today)s::date - 84 + mod(c.i * 7, 100),
    c.st, c.st, 1
FROM (SELECT i, o.office_id, o.lo, o.n_bka, o.n_bkd, CASE WHEN mod(i, 5) = 0 THEN 'BKA' ELSE 'BKD' END AS sec,
             %(today)s::date - mod(i::bigint * 7919, 1000)::int AS st
      FROM bench_office o, generate_series(o.lo, o.hi) AS i) c
JOIN bench_pk p ON p.office_id = c.office_id AND p.section = c.sec
    AND p.slot = mod(c.i / 5, CASE c.sec WHEN 'BKA' THEN c.n_bka ELSE c.n_bkd END)
"""

PERIODS = """
INSERT INTO supervision_period (client_id, start, middle_from, final_from, "end", recorded_at, recorded_by_id)
SELECT id, supervision_start, supervision_start + (supervision_end - supervision_start + 1) / 4,
       supervision_start + (supervision_end - supervision_start + 1) * 3 / 4, supervision_end, created_at, officer_id
FROM client
"""

CASES = """
INSERT INTO legal_case (id, number, offence, article, authority, section, legal_stage, created_at, version, office_id)
SELECT k, 'LP/B/' || k || '/' || extract(year FROM c.created_at)::int || '/Polres',
    (ARRAY['Pencurian', 'Penganiayaan', 'Penipuan', 'Penggelapan', 'Narkotika'])[1 + mod(k, 5)],
    (ARRAY['Pasal 362 KUHP', 'Pasal 351 KUHP', 'Pasal 378 KUHP', 'Pasal 372 KUHP', 'Pasal 127 UU 35/2009'])[1 + mod(k, 5)],
    (ARRAY['POLRI', 'KEJAKSAAN', 'PENGADILAN', 'LAPAS'])[1 + mod(k, 4)],
    CASE c.category WHEN 'anak' THEN 'BKA' ELSE 'BKD' END,
    (ARRAY['PENYIDIKAN', 'PENUNTUTAN', 'DIVERSI', 'PERSIDANGAN', 'PUTUSAN', 'PEMBIMBINGAN'])[1 + mod(k, 6)],
    c.created_at, 1, c.office_id
FROM generate_series(1, %(cases)s) AS k JOIN client c ON c.id = 2 * k - 1
"""

CASE_CLIENTS = """
INSERT INTO case_client (case_id, client_id)
SELECT k, 2 * k - 1 FROM generate_series(1, %(cases)s) AS k
UNION ALL
SELECT k, 2 * k FROM generate_series(1, %(cases)s) AS k WHERE mod(k, 4) = 0 AND 2 * k <= %(n)s
"""

# Logs in the order they would have been written (older first), ten per client over three years.
GUIDANCE = """
INSERT INTO guidance_log (office_id, client_id, officer_id, held_on, stage, kind, place, notes, confidential_notes,
    next_appointment, created_at, version)
SELECT c.office_id, c.id, c.officer_id, d.held, (ARRAY['awal', 'lanjutan', 'akhir'])[1 + k * 3 / %(logs)s],
    (ARRAY['kepribadian', 'kemandirian'])[1 + mod(c.id + k, 2)],
    (ARRAY['kantor', 'kantor', 'kunjungan'])[1 + mod(c.id + k, 3)],
    (ARRAY['Klien datang tepat waktu; membahas pekerjaan dan keluarga.',
           'Kunjungan rumah: klien tinggal bersama orang tua, aktif di kegiatan desa.',
           'Klien mengikuti pelatihan keterampilan; perkembangan baik.'])[1 + mod(c.id * 7 + k, 3)],
    CASE WHEN mod(c.id + k, 10) = 0 THEN 'Catatan rahasia: keadaan keluarga perlu dipantau.' END,
    d.held + 14, d.held::timestamptz + interval '10 hours', 1
FROM generate_series(0, %(logs)s - 1) AS k
CROSS JOIN client c
CROSS JOIN LATERAL (SELECT %(today)s::date - 1095 + k * (1000 / %(logs)s) + mod(c.id * 7, 100) AS held) d
"""

STATEMENTS = (
    ("clients", CLIENTS),
    ("supervision periods", PERIODS),
    ("cases", CASES),
    ("case clients", CASE_CLIENTS),
    ("guidance logs", GUIDANCE),
)
