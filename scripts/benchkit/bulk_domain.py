"""Set-based SQL for the records services hang on: letters, complaints, permits, stage plans,
progress reports, BATAKO points, Bambang Solah requests, TPP sessions and group sessions.

Each kind first adds its instances to bench_plan (`PLANS`, ids from its base `b_<kind>`), and after
the instances and steps exist, its own rows (`RECORDS`), reading which steps finished from the plan:
step `idx` finished when idx < upto, or the instance is not open.
"""

from __future__ import annotations

# A client picked for record k, spread over every office like the clients are.
PICK = "1 + mod(k::bigint * 7919, %(n)s)"
WHEN = "%(now)s - make_interval(mins => mod(k::bigint * 7919, 1576800)::int)"  # within three years
SECTION = "CASE c.category WHEN 'anak' THEN 'BKA' ELSE 'BKD' END"
REPORT_MONTH = "(date_trunc('month', %(today)s::date) - m * interval '1 month')::date"


def _done(idx: int) -> str:
    return f"(p.upto > {idx} OR NOT p.is_open)"


PLANS = (
    ("letters", f"""
INSERT INTO bench_plan (id, service, office_id, section, officer_id, client_id, subject, started_at, data)
SELECT %(b_letters)s + k, CASE WHEN mod(k, 5) = 0 THEN 'ABH' ELSE 'SURAT' END, c.office_id, {SECTION},
    c.officer_id, CASE WHEN mod(k, 5) = 0 THEN c.id END,
    CASE WHEN mod(k, 5) = 0 THEN 'Permohonan pendampingan ABH: ' || c.name
         ELSE (ARRAY['Undangan rapat koordinasi', 'Permohonan Litmas', 'Pemberitahuan putusan',
                     'Permintaan data klien'])[1 + mod(k, 4)] || ' ' || k END,
    {WHEN}, '{{}}'::json
FROM generate_series(1, %(letters)s) AS k
JOIN client c ON c.id = CASE WHEN mod(k, 5) = 0 THEN 5 * (1 + mod(k::bigint * 7919, %(n)s / 5)) ELSE {PICK} END
"""),
    ("complaints", f"""
INSERT INTO bench_plan (id, service, office_id, section, officer_id, subject, started_at, data)
SELECT %(b_complaints)s + k, 'ADUAN', c.office_id, NULL, c.officer_id,
    (ARRAY['Jadwal wajib lapor sulit didapat', 'Antrean layanan lama', 'Petugas tidak ramah',
           'Informasi izin tidak jelas'])[1 + mod(k, 4)], {WHEN}, '{{}}'::json
FROM generate_series(1, %(complaints)s) AS k JOIN client c ON c.id = {PICK}
"""),
    ("permits", f"""
INSERT INTO bench_plan (id, service, office_id, section, officer_id, client_id, subject, started_at, data)
SELECT %(b_permits)s + k, 'IZIN', c.office_id, {SECTION}, c.officer_id, c.id,
    c.name || ': ' || (%(cities)s::text[])[1 + mod(k, cardinality(%(cities)s::text[]))], {WHEN}, '{{}}'::json
FROM generate_series(1, %(permits)s) AS k JOIN client c ON c.id = {PICK}
"""),
    ("stage plans", f"""
INSERT INTO bench_plan (id, service, office_id, section, officer_id, client_id, subject, started_at, data)
SELECT %(b_plans)s + k, s.service, c.office_id, {SECTION}, c.officer_id, c.id, c.name || ': ' || s.stage, s.at,
    json_build_object('stage', s.stage, 'stage_ends', to_char(s.at + interval '120 days', 'YYYY-MM-DD"T"HH24:MI:SS+00:00'))
FROM generate_series(1, %(plans)s) AS k JOIN client c ON c.id = k
CROSS JOIN LATERAL (SELECT CASE WHEN k * 10 > %(plans)s * 9 THEN 'AKHIR' ELSE 'TAHAP' END AS service,
    CASE WHEN k * 10 > %(plans)s * 9 THEN 'akhir' WHEN mod(k, 2) = 0 THEN 'awal' ELSE 'lanjutan' END AS stage,
    {WHEN} AS at) s
"""),
    ("batako points", f"""
INSERT INTO bench_plan (id, service, office_id, section, officer_id, subject, started_at, data)
SELECT %(b_batako)s + k, 'BATAKO', c.office_id, {SECTION}, c.officer_id,
    'BATAKO ' || (%(cities)s::text[])[1 + mod(k, cardinality(%(cities)s::text[]))], {WHEN}, '{{}}'::json
FROM generate_series(1, %(batako)s) AS k JOIN client c ON c.id = {PICK}
"""),
    ("outreach requests", f"""
INSERT INTO bench_plan (id, service, office_id, section, officer_id, subject, started_at, data)
SELECT %(b_outreach)s + k, 'SAMBANG', c.office_id, {SECTION}, c.officer_id, 'SD Negeri ' || k, t.at,
    json_build_object('activity_start', to_char(t.at + interval '14 days', 'YYYY-MM-DD"T"01:00:00+00:00'),
                      'activity_end', to_char(t.at + interval '14 days', 'YYYY-MM-DD"T"05:00:00+00:00'),
                      'report_due', to_char(t.at + interval '16 days', 'YYYY-MM-DD"T"10:00:00+00:00'))
FROM generate_series(1, %(outreach)s) AS k JOIN client c ON c.id = {PICK}
CROSS JOIN LATERAL (SELECT {WHEN} AS at) t
"""),
    # This month's report of one client in five is open, last month's of another fifth filed.
    ("progress reports", f"""
INSERT INTO bench_plan (id, service, office_id, section, officer_id, client_id, subject, started_at, data, is_open)
SELECT %(b_reports)s + row_number() OVER (ORDER BY m DESC, c.id), 'LAPBUL', c.office_id, {SECTION}, c.officer_id,
    c.id, c.name || ': ' || to_char({REPORT_MONTH}, 'MM/YYYY'), {REPORT_MONTH}::timestamp AT TIME ZONE 'Asia/Jakarta',
    json_build_object('month', {REPORT_MONTH}::text,
        'due', to_char(({REPORT_MONTH} + interval '1 month')::timestamp AT TIME ZONE 'Asia/Jakarta' AT TIME ZONE 'UTC',
                       'YYYY-MM-DD"T"HH24:MI:SS+00:00')), m = 0
FROM client c CROSS JOIN (VALUES (0), (1)) AS months(m) WHERE mod(c.id, 5) = 2 + m
"""),
)  # fmt: skip

RECORDS = (
    ("incoming letters", """
INSERT INTO incoming_letter (id, agenda_year, agenda_seq, sender, sender_kind, letter_number, letter_date, subject,
    received_at, registered_at, registered_by_id, instance_id, office_id)
SELECT p.id - %(b_letters)s, y.year, row_number() OVER (PARTITION BY p.office_id, y.year ORDER BY p.started_at, p.id),
    CASE p.service WHEN 'ABH' THEN 'Polres ' ELSE 'Pengadilan Negeri ' END || (%(cities)s::text[])[1 + mod(p.id, 41)],
    CASE p.service WHEN 'ABH' THEN 'POLRI' ELSE 'PENGADILAN' END,
    'B/' || (p.id - %(b_letters)s) || '/' || y.year, p.started_at::date, p.subject, p.started_at, p.started_at, o.tu,
    p.id, p.office_id
FROM bench_plan p JOIN bench_office o ON o.office_id = p.office_id
CROSS JOIN LATERAL (SELECT extract(year FROM p.started_at AT TIME ZONE 'Asia/Jakarta')::int AS year) y
WHERE p.service IN ('SURAT', 'ABH')
"""),
    ("dispositions", f"""
INSERT INTO disposition (letter_id, by_id, to_id, instructions, note, urgency, created_at)
SELECT l.id, o.kepala, CASE p.section WHEN 'BKA' THEN o.kasubsi_bka ELSE o.kasubsi_bkd END,
    '["tindak_lanjuti"]'::json, 'Mohon ditindaklanjuti.', (ARRAY['biasa', 'segera', 'sangat_segera'])[1 + mod(l.id, 3)],
    l.received_at + interval '1 hour'
FROM incoming_letter l JOIN bench_plan p ON p.id = l.instance_id JOIN bench_office o ON o.office_id = p.office_id
WHERE {_done(2)}
"""),
    ("disposition assignees", f"""
INSERT INTO disposition_assignee (disposition_id, officer_id)
SELECT d.id, p.officer_id FROM disposition d JOIN incoming_letter l ON l.id = d.letter_id
JOIN bench_plan p ON p.id = l.instance_id WHERE {_done(3)}
"""),
    ("complaints", f"""
INSERT INTO complaint (id, receipt_code, instance_id, channel, category, sop, title, description, complainant_name,
    complainant_contact, received_at, recorded_by_id, recommendation, direction, responsible_id, fix, closed_at,
    version, office_id)
SELECT p.id - %(b_complaints)s, substr('B' || md5('complaint' || p.id), 1, 24), p.id,
    (ARRAY['PORTAL', 'LANGSUNG', 'TELEPON', 'SURAT', 'MEDSOS'])[1 + mod(p.id, 5)],
    (ARRAY['LAYANAN', 'PERILAKU', 'SARANA', 'LAINNYA'])[1 + mod(p.id, 4)],
    (ARRAY['LAIN', 'SOP11', 'SOP12', 'SOP13', 'BIMBINGAN'])[1 + mod(p.id, 5)], p.subject,
    'Saya sudah dua kali datang tetapi belum mendapat kejelasan.',
    CASE WHEN mod(p.id, 3) <> 0 THEN 'Pelapor ' || p.id END, CASE WHEN mod(p.id, 3) <> 0 THEN '0812' || p.id END,
    p.started_at, CASE WHEN mod(p.id, 5) <> 0 THEN o.pengaduan END,
    CASE WHEN {_done(1)} THEN 'Diteruskan kepada PK terkait.' END,
    CASE WHEN {_done(2)} THEN 'Klarifikasi kepada pelapor.' END, CASE WHEN {_done(2)} THEN p.officer_id END,
    CASE WHEN {_done(3)} THEN 'Jadwal wajib lapor diumumkan di papan.' END,
    CASE WHEN NOT p.is_open THEN p.started_at + interval '5 days' END, 1, p.office_id
FROM bench_plan p JOIN bench_office o ON o.office_id = p.office_id WHERE p.service = 'ADUAN'
"""),
    ("travel permits", f"""
INSERT INTO travel_permit (id, receipt_code, client_id, instance_id, applicant_name, applicant_relation,
    applicant_phone, destination_city, destination_address, purpose, depart_on, return_on, submitted_at,
    obligations, letter_year, letter_seq, letter_office_id, signed_at, signed_by_id, version, office_id)
SELECT p.id - %(b_permits)s, substr('P' || md5('permit' || p.id), 1, 24), p.client_id, p.id, c.name, 'klien', '0812' || p.id,
    split_part(p.subject, ': ', 2), 'Jl. Sudirman No. ' || mod(p.id, 200), 'Menjenguk orang tua yang sakit',
    p.started_at::date + 14, p.started_at::date + 17, p.started_at,
    CASE WHEN {_done(5)} THEN 'Melapor diri ke Bapas tujuan dalam 1x24 jam.' END,
    CASE WHEN {_done(5)} THEN y.year END,
    CASE WHEN {_done(5)} THEN row_number() OVER (PARTITION BY p.office_id, y.year, {_done(5)} ORDER BY p.started_at, p.id) END,
    CASE WHEN {_done(5)} THEN p.office_id END, CASE WHEN {_done(5)} THEN p.started_at + interval '2 days' END,
    CASE WHEN {_done(5)} THEN o.kepala END, 1, p.office_id
FROM bench_plan p JOIN client c ON c.id = p.client_id JOIN bench_office o ON o.office_id = p.office_id
CROSS JOIN LATERAL (SELECT extract(year FROM p.started_at AT TIME ZONE 'Asia/Jakarta')::int AS year) y
WHERE p.service = 'IZIN'
"""),
    ("numbering counters", """
INSERT INTO agenda_counter (office_id, kind, year, last)
SELECT office_id, 'agenda', agenda_year, max(agenda_seq) FROM incoming_letter GROUP BY office_id, agenda_year
UNION ALL
SELECT letter_office_id, 'izin', letter_year, max(letter_seq) FROM travel_permit
WHERE letter_seq IS NOT NULL GROUP BY letter_office_id, letter_year
"""),
    ("stage plans", f"""
INSERT INTO stage_plan (client_id, stage, instance_id, risk_level, needs, classification, personality_program,
    independence_program, approved_at)
SELECT p.client_id, p.data ->> 'stage', p.id, CASE WHEN {_done(1)} THEN (ARRAY['rendah', 'sedang', 'tinggi'])[1 + mod(p.id, 3)] END,
    CASE WHEN {_done(1)} THEN 'Pekerjaan tetap dan dukungan keluarga.' END, NULL,
    CASE WHEN {_done(1)} THEN 'Konseling bulanan.' END, CASE WHEN {_done(1)} THEN 'Pelatihan keterampilan.' END,
    CASE WHEN {_done(2)} THEN p.started_at + interval '10 days' END
FROM bench_plan p WHERE p.service IN ('TAHAP', 'AKHIR')
"""),
    ("progress reports", """
INSERT INTO progress_report (client_id, month, stage, instance_id, officer_id, sessions, progress, problems,
    next_plan, filed_at, office_id)
SELECT p.client_id, (p.data ->> 'month')::date, 'lanjutan', p.id, p.officer_id,
    CASE WHEN NOT p.is_open THEN 2 END, CASE WHEN NOT p.is_open THEN 'Klien mengikuti bimbingan dengan baik.' END,
    NULL, CASE WHEN NOT p.is_open THEN 'Lanjutkan bimbingan kemandirian.' END,
    CASE WHEN NOT p.is_open THEN p.started_at + interval '20 days' END, p.office_id
FROM bench_plan p WHERE p.service = 'LAPBUL'
"""),
    ("batako points", f"""
INSERT INTO mobile_service (id, officer_id, town, place, held_on, status, instance_id, created_at, opened_at,
    closed_at, report, version, office_id)
SELECT p.id - %(b_batako)s, p.officer_id, substr(p.subject, 9), 'Balai Desa ' || substr(p.subject, 9),
    p.started_at::date,
    CASE WHEN NOT p.is_open THEN 'lapor' WHEN p.upto = 1 THEN 'rencana' WHEN p.upto = 2 THEN 'buka' ELSE 'tutup' END,
    p.id, p.started_at - interval '3 days', CASE WHEN {_done(1)} THEN p.started_at + interval '20 minutes' END,
    CASE WHEN {_done(2)} THEN p.started_at + interval '4 hours' END,
    CASE WHEN NOT p.is_open THEN 'Layanan berjalan lancar; lima klien hadir.' END, 1, p.office_id
FROM bench_plan p WHERE p.service = 'BATAKO'
"""),
    # Clients of the point's PK: same office and section, the same slot among its PKs.
    ("batako attendance", f"""
INSERT INTO mobile_attendance (service_id, client_id, checked_in_at, guided_at)
SELECT m.id, a.client_id, p.started_at + make_interval(mins => 30 + 10 * j),
    p.started_at + make_interval(mins => 40 + 10 * j)
FROM mobile_service m JOIN bench_plan p ON p.id = m.instance_id JOIN bench_office o ON o.office_id = p.office_id
CROSS JOIN generate_series(0, 4) AS j
CROSS JOIN LATERAL (SELECT 1 + mod((p.id - %(b_batako)s)::bigint * 7919, %(n)s)
    + 5 * j * CASE p.section WHEN 'BKA' THEN o.n_bka ELSE o.n_bkd END AS client_id) a
WHERE {_done(1)} AND a.client_id <= o.hi
"""),
    ("outreach requests", """
INSERT INTO outreach (id, receipt_code, instance_id, institution, institution_kind, contact_name, contact_phone,
    requested_on, place, audience, topic, submitted_at, held_on, participants_count, summary, reported_at, version,
    office_id)
SELECT p.id - %(b_outreach)s, substr('S' || md5('outreach' || p.id), 1, 24), p.id, p.subject, 'SEKOLAH', 'Bu Guru ' || p.id,
    '0293 ' || p.id, p.started_at::date + 14, 'Aula ' || p.subject, 'Siswa kelas V dan VI', 'Mengenal hukum sejak dini',
    p.started_at, CASE WHEN NOT p.is_open THEN p.started_at::date + 14 END, CASE WHEN NOT p.is_open THEN 60 END,
    CASE WHEN NOT p.is_open THEN 'Kegiatan berjalan baik.' END,
    CASE WHEN NOT p.is_open THEN p.started_at + interval '15 days' END, 1, p.office_id
FROM bench_plan p WHERE p.service = 'SAMBANG'
"""),
    ("outreach teams", f"""
INSERT INTO service_instance_member (instance_id, staff_id)
SELECT p.id, p.officer_id FROM bench_plan p WHERE p.service = 'SAMBANG' AND {_done(3)}
UNION
SELECT p.id, k.staff_id FROM bench_plan p JOIN bench_pk me ON me.staff_id = p.officer_id
JOIN bench_pk k ON k.office_id = me.office_id AND k.section = me.section AND k.staff_id <> me.staff_id
    AND k.slot = CASE WHEN me.slot = 0 THEN 1 ELSE 0 END
WHERE p.service = 'SAMBANG' AND {_done(3)}
"""),
    # About twenty matters a sitting (the TPP steps are about 0.3 per client), sittings spread
    # over three years.
    ("tpp sizes", """
UPDATE bench_office o SET tpp = t.tpp, tpp_base = t.base
FROM (SELECT office_id, greatest(2, ceil((hi - lo + 1) * 0.3 / 20))::int AS tpp,
             (sum(greatest(2, ceil((hi - lo + 1) * 0.3 / 20))) OVER (ORDER BY office_id)
              - greatest(2, ceil((hi - lo + 1) * 0.3 / 20)))::int AS base
      FROM bench_office) t
WHERE t.office_id = o.office_id
"""),
    ("tpp sessions", """
INSERT INTO tpp_session (id, held_on, place, chair_id, secretary_id, status, created_at, office_id)
SELECT o.tpp_base + s + 1, %(today)s::date - s * 1095 / o.tpp, 'Aula Bapas', o.kepala, o.kasubsi_bkd,
    CASE WHEN s = 0 THEN 'open' ELSE 'closed' END, %(today)s::date - s * 1095 / o.tpp - 3, o.office_id
FROM bench_office o CROSS JOIN LATERAL generate_series(0, o.tpp - 1) AS s
"""),
    ("tpp members", """
INSERT INTO tpp_member (session_id, staff_id)
SELECT t.id, m.staff_id FROM tpp_session t JOIN bench_office o ON o.office_id = t.office_id
CROSS JOIN LATERAL (VALUES (o.kepala), (o.kasubsi_bkd), (o.kasubsi_bka)) AS m(staff_id)
"""),
    ("tpp items", """
INSERT INTO tpp_item (session_id, step_record_id, decision, notes, decided_at)
SELECT o.tpp_base + 2 + mod(r.id, o.tpp - 1), r.id, r.outcome, 'Disetujui sidang.', r.finished_at
FROM step_record r JOIN bench_plan p ON p.id = r.instance_id JOIN bench_office o ON o.office_id = p.office_id
WHERE r.step = 'tpp' AND r.finished_at IS NOT NULL
"""),
    ("group sessions", """
INSERT INTO group_session (id, topic, held_on, place, status, created_by_id, created_at, invitation_number,
    invited_at, version, office_id)
SELECT o.office_id, 'Bimbingan kelompok: kemandirian usaha', %(today)s::date + 7, 'Aula Bapas', 'undangan',
    o.kasubsi_bkd, %(now)s - interval '3 days', f.letter_prefix || '-PK.01.04-' || lpad(o.office_id::text, 4, '0') || '/'
    || extract(year FROM %(today)s::date)::int, %(now)s - interval '2 days', 1, o.office_id
FROM bench_office o JOIN office f ON f.id = o.office_id
"""),
    ("group members", """
INSERT INTO group_member (session_id, client_id, proposed_by_id, included)
SELECT g.id, c.id, c.officer_id, true FROM group_session g
CROSS JOIN LATERAL (SELECT x.id, x.officer_id FROM client x WHERE x.office_id = g.office_id AND x.category = 'dewasa'
                    AND x.status = 'aktif' ORDER BY x.id LIMIT 10) c
"""),
)  # fmt: skip
