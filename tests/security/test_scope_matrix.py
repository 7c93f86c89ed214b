"""Scope within one office, discovered from the app's URL map: every rule that names a record, tried
by every role of Magelang on a record that role must not reach by DESIGN.md's roles table and
docs/decisions.md — another PK's (same section), another section's, the records of a complaint about
the Kepala — is refused for GET and POST and changes nothing; where the rule is "read, masked"
(the Pengawas, the Admin's audit trail), the page shows no identity it must not. The cross-office
half is tests/workflow/test_zz_office_isolation.py; both fill the rules with tests/url_rules.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from sqlalchemy import ColumnElement, String, and_, cast, inspect, not_, select, true

from app.extensions import db
from app.models.api import ApiToken
from app.models.audit import AuditLog
from app.models.clients import CHILD, Client
from app.models.complaints import Complaint
from app.models.files import StoredFile
from app.models.group_guidance import GroupMember, GroupSession
from app.models.guidance import GuidanceLog
from app.models.letters import Disposition, IncomingLetter
from app.models.mobile import MobileAttendance, MobileService
from app.models.offices import Office, Region
from app.models.outreach import Outreach
from app.models.staff import Staff
from app.models.tpp import TppItem, TppSession
from app.models.travel_permits import TravelPermit
from app.models.workflow import ExtraHoliday, ServiceInstance, StepRecord
from app.security import scope
from app.security.roles import ADMIN, KASUBSI, PENGADUAN, PK, TU
from app.workflow.definitions import COMPLAINT
from tests import scope_records, url_rules

Condition = Callable[[Staff], ColumnElement[bool]]
KEPALA_COMPLAINT = "complaint about the Kepala"


def _everything(_user: Staff) -> ColumnElement[bool]:
    return true()


def _member(user: Staff) -> ColumnElement[bool]:
    return ServiceInstance.members.any(Staff.id == user.id)


def _pk_step(user: Staff) -> ColumnElement[bool]:
    return (StepRecord.assignee_id == user.id) | StepRecord.instance.has(_member(user))


def _kasubsi_step(user: Staff) -> ColumnElement[bool]:
    # SOP 14: the Kasubsi of a session's section compiles its PKs' group proposals.
    return (StepRecord.assignee_id == user.id) | (
        (StepRecord.actor_role == KASUBSI) & (StepRecord.section == user.section)
    )


# What each role reaches of another's records by design (the reason in the comment): the victim's
# record of these kinds is not one the role "must not reach".
SHARED: dict[str, dict[type, Condition]] = {
    PK: {
        GroupSession: _everything,  # every PK proposes clients to a session
        ServiceInstance: _member,  # a team member (outreach, accompaniment)
        StepRecord: _pk_step,
        Outreach: lambda u: Outreach.instance.has(_member(u)),
        IncomingLetter: lambda u: (
            IncomingLetter.dispositions.any(Disposition.assignees.any(Staff.id == u.id))
            | IncomingLetter.instance.has(_member(u))
        ),
        GuidanceLog: lambda u: GuidanceLog.officer_id == u.id,  # the guidance it gave at its BATAKO point
        GroupMember: lambda u: GroupMember.proposed_by_id == u.id,
        TppSession: lambda u: TppSession.members.any(Staff.id == u.id),  # the agendas it sits on
        TppItem: lambda u: TppItem.step_record.has(_pk_step(u)),
        Complaint: lambda u: Complaint.responsible_id == u.id,  # the official a complaint is directed to
    },
    KASUBSI: {
        GroupSession: _everything,
        TppSession: _everything,  # the Kasubsi prepare the sessions
        StepRecord: _kasubsi_step,
        TppItem: lambda u: TppItem.step_record.has(_kasubsi_step(u)),
        IncomingLetter: lambda u: IncomingLetter.dispositions.any(Disposition.to_id == u.id),
        Complaint: lambda u: Complaint.responsible_id == u.id,
    },
    TU: {Client: _everything, IncomingLetter: _everything},  # TU registers clients and letters
    PENGADUAN: {
        Complaint: _everything,
        ServiceInstance: lambda _u: ServiceInstance.service == COMPLAINT.code,
        StepRecord: lambda _u: StepRecord.instance.has(ServiceInstance.service == COMPLAINT.code),
    },
    # The Admin manages accounts, offices, the calendar and the service accounts' API tokens.
    ADMIN: {
        Staff: _everything,
        Office: _everything,
        Region: _everything,
        ExtraHoliday: _everything,
        ApiToken: _everything,
    },
}


def _clients_of(victim: Staff) -> ColumnElement[bool]:
    return select(cast(Client.id, String)).where(scope.clause(Client, victim)).scalar_subquery()


# A victim's records of the kinds no scope rule names.
OWNED: dict[type, Condition] = {
    AuditLog: lambda v: (
        (AuditLog.table_name == Client.__tablename__) & AuditLog.record_id.in_(_clients_of(v))
    ),
    MobileAttendance: lambda v: MobileAttendance.service.has(scope.clause(MobileService, v)),
    StoredFile: lambda v: StoredFile.id.in_(
        select(TravelPermit.signature_file_id).where(scope.clause(TravelPermit, v))
    ),
    Staff: lambda v: Staff.id == v.id,
    Office: lambda v: Office.id == v.office_id,
    Region: lambda v: Region.offices.any(Office.id == v.office_id),
    ExtraHoliday: lambda v: ExtraHoliday.office_id == v.office_id,
}


@dataclass(frozen=True)
class Case:
    """A signed-in account, the account whose records it must not reach, and what it may read masked."""

    tester: str
    victim: str
    reads_masked: tuple[str, ...] = ()  # URL prefixes the tester may GET, with no identity shown
    children_only: bool = False  # whether only children's identities are protected from the tester
    required: tuple[str, ...] = field(default=())


OBJECT_RULES = (
    "/clientview/show/<pk>", "/clientview/edit/<pk>", "/tasks/<int:pk>", "/caseview/show/<pk>",
    "/guidancelogview/show/<pk>", "/progressreportview/show/<pk>", "/serviceinstanceview/show/<pk>",
    "/travelpermitview/show/<pk>", "/mobileserviceview/point/<int:pk>",
    "/mobileserviceview/visit/<int:visit_id>/guide",
    "/groupsessionview/member/<int:member_id>/attend", "/tppsessionview/decide/<int:item_id>",
    "/incomingletterview/sheet/<int:pk>", "/reportingscheduleview/show/<pk>",
    "/reportingscheduleview/edit/<pk>", "/wajib-lapor/peringatan/<int:warning_id>",
    # Not for the Kasubsi cases (OBJECT_RULES[:-3]):
    "/clienttransferview/show/<pk>", "/supervision/client/<int:pk>", "/supervision/termination/<int:pk>",
)  # fmt: skip
CASES = {
    "Kepala": Case("kepala", KEPALA_COMPLAINT, required=("/complaintview/show/<pk>", "/tasks/<int:pk>")),
    "PK, another PK of its section": Case("pk3", "pk1", required=OBJECT_RULES),
    "PK, another section": Case("pk3", "pk2", required=(*OBJECT_RULES, "/outreachview/show/<pk>")),
    "Kasubsi BKA, section BKD": Case("kasubsi.bka", "kasubsi.bkd", required=OBJECT_RULES[:-3]),
    "Kasubsi BKD, section BKA": Case("kasubsi.bkd", "kasubsi.bka", required=OBJECT_RULES[:-3]),
    "TU": Case("tu", "kepala", required=("/caseview/show/<pk>", "/tasks/<int:pk>", "/auditlogview/show/<pk>",
                                         "/travelpermitview/signature/<int:pk>")),
    "Pengaduan": Case("pengaduan", "kepala", required=("/clientview/show/<pk>", "/tasks/<int:pk>")),
    "Pengawas": Case("pengawas", "pk1", reads_masked=("/",), children_only=True, required=OBJECT_RULES[:2]),
    "Admin": Case("admin", "kepala", reads_masked=("/auditlogview/",), required=("/auditlogview/show/<pk>",)),
}  # fmt: skip


@pytest.fixture(scope="module")
def records(app) -> None:
    """The records of each PK and section (tests/scope_records.py)."""
    with app.app_context():
        scope_records.build()


def _owned(model: type, victim: str) -> ColumnElement[bool]:
    if victim == KEPALA_COMPLAINT:
        kepala = db.session.scalar(select(Staff).where(Staff.username == "kepala"))
        rule = scope.EXCLUDED.get(model)
        return rule(kepala) if rule else None
    user = db.session.scalar(select(Staff).where(Staff.username == victim))
    return (OWNED.get(model) or (lambda v: scope.clause(model, v)))(user)


def _pick(case: Case, model: type) -> int | None:
    """The first record of `model` in Magelang that is the victim's and not shared with the tester."""
    owned = _owned(model, case.victim)
    if owned is None:
        return None
    tester = db.session.scalar(select(Staff).where(Staff.username == case.tester))
    kepala = db.session.scalar(select(Staff).where(Staff.username == "kepala"))
    # A region is above the offices: no office's account reaches it, so no office clause narrows it.
    condition = owned if model is Region else and_(owned, scope.office_clause(model, kepala))
    for role in tester.role_names & set(SHARED):
        if model in SHARED[role]:
            condition = and_(condition, not_(SHARED[role][model](tester)))
    key = inspect(model).primary_key[0]
    return db.session.scalar(select(key).where(condition).order_by(key).limit(1))


def _markers(case: Case) -> list[str]:
    """The identities the tester must not see: the victim's clients (children only, where so)."""
    if case.victim == KEPALA_COMPLAINT:
        return ["Kepala tidak ramah."]
    victim = db.session.scalar(select(Staff).where(Staff.username == case.victim))
    stmt = select(Client.name, Client.nik).where(scope.clause(Client, victim), Client.office_id == 1)
    if case.children_only:
        stmt = stmt.where(Client.category == CHILD)
    return [value for row in db.session.execute(stmt) for value in row if value]


@pytest.mark.parametrize("name", list(CASES))
def test_no_role_reaches_what_its_scope_does_not_hold(app, login_as, records, name):
    case = CASES[name]
    with app.app_context():
        targets = url_rules.targets(app, lambda model: _pick(case, model))
        markers = _markers(case)
        before = url_rules.snapshot()
    assert not url_rules.missing(targets, case.required)
    assert markers
    session = login_as(case.tester)
    token = session.token()
    leaks = []
    for target in targets:
        response = url_rules.request(session, target, token)
        may_read = target.method == "GET" and target.url.startswith(case.reads_masked or ("\0",))
        shown = [m for m in markers if m in url_rules.text_of(response)]
        if shown or not (may_read or url_rules.refused(response)):
            leaks.append((*target[:2], response.status_code, response.headers.get("Location"), shown))
    assert not leaks, leaks
    with app.app_context():
        assert url_rules.snapshot() == before
