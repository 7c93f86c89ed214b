"""The pages measured, per role, with the records they open looked up in the benchmark database.

Every account is in the big office (office 1). `FLOOR` is each role's floor page: the ratio of a
page is to the floor of the same role, measured in the same run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

FLOOR = "/ping/"
PAGE_SIZE = 25
ROLES = {
    "Kepala": "bench.kepala",
    "Kasubsi": "bench.kasubsi",
    "PK": "bench.pk",
    "TU": "bench.tu",
    "Pengaduan": "bench.pengaduan",
}
DETAIL, LIST, REPORT, PDF, EXPORT = "detail", "list", "report", "pdf", "export"


@dataclass(frozen=True)
class Page:
    """One measured page: a name, the role that opens it, its path and its kind (for the targets)."""

    name: str
    role: str
    path: str
    kind: str = LIST


def _one(conn: Any, sql: str, *params: Any) -> Any:
    row = conn.execute(sql, params).fetchone()
    if row is None:
        raise LookupError(f"the benchmark data has no row for: {sql}")
    return row[0] if len(row) == 1 else row


def pages(conn: Any) -> list[Page]:
    """Every measured page, floors first."""
    pk = _one(conn, "SELECT id FROM ab_user WHERE username = 'bench.pk'")
    client, name, register, nik = _one(
        conn,
        "SELECT id, name, register_number, nik FROM client WHERE officer_id = %s ORDER BY id LIMIT 1",
        pk,
    )
    clients = _one(conn, "SELECT count(*) FROM client WHERE office_id = 1")
    last = max(0, math.ceil(clients / PAGE_SIZE) - 1)
    deep = min(500, last)  # offset 12,500
    letter = _one(
        conn,
        "SELECT min(l.id) FROM incoming_letter l JOIN disposition d ON d.letter_id = l.id WHERE l.office_id = 1",
    )
    permit = _one(
        conn, "SELECT min(id) FROM travel_permit WHERE letter_office_id = 1 AND letter_seq IS NOT NULL"
    )
    session = _one(
        conn,
        "SELECT min(session_id) FROM tpp_item i JOIN tpp_session s ON s.id = i.session_id WHERE s.office_id = 1",
    )
    group = _one(conn, "SELECT min(id) FROM group_session WHERE office_id = 1")
    year = date.today().year
    clients_url = "/clientview/list/?psize_ClientView=25"
    found = [Page(f"floor ({role})", role, FLOOR, "floor") for role in ROLES]
    found += [
        Page("clients, page 1", "Kepala", clients_url),
        Page("clients, page 1", "PK", clients_url),
        Page("clients, deep page (offset 12,500)", "Kepala", f"{clients_url}&page_ClientView={deep}"),
        Page("clients, last page", "Kepala", f"{clients_url}&page_ClientView={last}"),
        Page("clients by register number", "Kepala", f"{clients_url}&_oc_ClientView=register_number&_od_ClientView=asc"),
        Page("clients by name, descending", "Kepala", f"{clients_url}&_oc_ClientView=name&_od_ClientView=desc"),
        Page("clients by end of supervision", "Kepala", f"{clients_url}&_oc_ClientView=supervision_end&_od_ClientView=asc"),
        Page("clients, search by name", "Kepala", f"{clients_url}&_flt_2_name={quote(name.split()[-1])}"),
        Page("clients, search by register number", "Kepala", f"{clients_url}&_flt_0_register_number={quote(register)}"),
        Page("clients, search by NIK", "Kepala", f"{clients_url}&_flt_0_nik={nik}"),
        Page("client register (TU)", "TU", "/clientregisterview/list/"),
        Page("client detail", "PK", f"/clientview/show/{client}", DETAIL),
        Page("client detail", "Kepala", f"/clientview/show/{client}", DETAIL),
        Page("cases", "Kepala", "/caseview/list/"),
        Page("guidance logs", "PK", "/guidancelogview/list/"),
        Page("guidance logs", "Kepala", "/guidancelogview/list/"),
        Page("guidance logs of one client", "PK", f"/guidancelogview/list/?_flt_0_client={client}"),
        Page("progress reports", "PK", "/progressreportview/list/"),
        Page("progress reports", "Kepala", "/progressreportview/list/"),
        Page("Tugas Saya", "PK", "/"),
        Page("Tugas Saya", "Kasubsi", "/"),
        Page("Tugas Saya", "Kepala", "/"),
        Page("Tugas Saya", "TU", "/"),
        Page("incoming letters", "TU", "/incomingletterview/list/"),
        Page("incoming letters", "Kepala", "/incomingletterview/list/"),
        Page("letter with its dispositions", "Kepala", f"/incomingletterview/show/{letter}", DETAIL),
        Page("all services", "Kepala", "/serviceinstanceview/list/"),
        Page("travel permits", "PK", "/travelpermitview/list/"),
        Page("travel permits", "Kepala", "/travelpermitview/list/"),
        Page("TPP sessions", "Kepala", "/tppsessionview/list/"),
        Page("complaints", "Pengaduan", "/complaintview/list/"),
        Page("complaints", "Kepala", "/complaintview/list/"),
        Page("complaint report (year)", "Pengaduan", f"/complaintview/report?year={year}", REPORT),
        Page("outreach (Bambang Solah)", "Kepala", "/outreachview/list/"),
        Page("BATAKO points", "PK", "/mobileserviceview/list/"),
        Page("supervision overview", "PK", "/supervision/", REPORT),
        Page("Kinerja, this month", "Kepala", "/performance/list/", "kinerja-month"),
        Page("Kinerja, this month", "PK", "/performance/list/", "kinerja-month"),
        Page("Kinerja, this year", "Kepala", f"/performance/list/?start={year}-01-01&end={year}-12-31", "kinerja-year"),
        Page("PK caseload", "Kepala", "/caseload/list/", REPORT),
        Page("PK caseload", "Kasubsi", "/caseload/list/", REPORT),
        Page("audit trail", "Kepala", "/auditlogview/list/"),
        Page("export: a PK's clients (CSV)", "PK", f"/ekspor/unduh?dataset=register&start={year}-01-01&end={year}-12-31&fmt=csv", EXPORT),
        Page("PDF: permit letter", "Kepala", f"/travelpermitview/letter/{permit}", PDF),
        Page("PDF: disposition sheet", "Kepala", f"/incomingletterview/sheet/{letter}", PDF),
        Page("PDF: TPP minutes", "Kepala", f"/tppsessionview/minutes/{session}", PDF),
        Page("PDF: group invitations", "Kasubsi", f"/groupsessionview/session/{group}/invitations", PDF),
    ]  # fmt: skip
    return found
