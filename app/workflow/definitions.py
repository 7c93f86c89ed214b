"""Every service of the Bapas, declared once as data (DESIGN.md, "The SOPs as data").

A service is its steps in order. Each step names its actor role (and section where it is
fixed), its time standard and whether that standard is a *handling* standard (work time,
for the evaluation) or a *response* standard (lead time, for the clock and escalation),
its inputs and output, and the outcomes its actor may choose. One engine
(`app.workflow.engine`) drives them all; a new SOP is a new entry here and its screens.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.security.roles import ASSIGNEE, KASUBSI, KEPALA, PENGADUAN, PK, PUBLIC, TU

# The vocabulary, re-exported: most modules read it from here along with the services.
from app.workflow.sop import (  # noqa: F401
    APPROVE,
    ARRIVED,
    CLOSE,
    DONE,
    FINISHED,
    HANDLING,
    OPENED,
    OUTCOME_LABELS,
    READY,
    RECORD,
    REJECT,
    RESPONSE,
    RETURN,
    WALL,
    WORKING,
    Limit,
    Service,
    Standard,
    Step,
    days,
    hours,
    minutes,
)

CHILD_ACCOMPANIMENT = Service(
    code="ABH",
    title=_l("24-hour accompaniment of a child in conflict with the law"),
    sop="SOP 12",
    product=_l("Accompaniment of the child"),
    steps=(
        Step("register", _l("Receive and register the request letter"), TU, hours(1), _l("Request letter"),
             inputs=(_l("Request letter from the police or another party"),), form="register"),
        Step("dispose", _l("Dispose the request to Kasubsi BKA"), KEPALA, minutes(30, RESPONSE),
             _l("Disposition"), inputs=(_l("Request letter"),), form="dispose"),
        Step("appoint", _l("Appoint a PK"), KASUBSI, minutes(30, RESPONSE), _l("Assignment"),
             inputs=(_l("Disposition"),), section="BKA", form="appoint"),
        Step("accompany", _l("Accompany the child and carry out the social inquiry"), PK, days(1, WALL),
             _l("Client file"), inputs=(_l("Disposition"),), assigned=True, form="accompany"),
        Step("litmas", _l("Write the Litmas report"), PK, days(3, WALL), _l("Litmas draft"), assigned=True),
        Step("tpp", _l("Sidang TPP on the Litmas"), KEPALA, days(1, WALL), _l("Litmas recommendation"),
             inputs=(_l("Litmas draft"),), outcomes=(APPROVE, RETURN), form="tpp"),
        Step("deliver", _l("Deliver the recommendation in diversion or court"), PK, days(1, WALL),
             _l("Litmas report"), assigned=True),
        Step("legal_process", _l("Accompany the child at every stage of the legal process"), PK, None,
             _l("Accompaniment records"), outcomes=(RECORD, CLOSE), assigned=True, repeatable=True,
             form="record"),
    ),
    limit=Limit(start=("accompany", READY), end=("accompany", ARRIVED), standard=hours(1)),
)  # fmt: skip

INCOMING_LETTER = Service(
    code="SURAT",
    title=_l("Incoming letter"),
    sop=_l("Correspondence"),
    product=_l("Follow-up of the letter"),
    steps=(
        Step("register", _l("Receive and register the letter"), TU, days(1), _l("Registered letter"),
             form="register"),
        Step("dispose", _l("Dispose the letter"), KEPALA, days(1), _l("Disposition"), form="dispose"),
        Step("appoint", _l("Assign PK"), KASUBSI, days(1), _l("Assignment"), form="appoint"),
        Step("follow_up", _l("Follow up the disposition"), PK, days(3), _l("Follow-up report"),
             assigned=True, deadline_from="deadline"),
    ),
)  # fmt: skip

TRAVEL_PERMIT = Service(
    code="IZIN",
    title=_l("Online permit to travel out of town"),
    sop="SOP 11",
    product=_l("Permit to travel out of town"),
    steps=(
        Step("submit", _l("Submit the online request with a scanned signature"), PUBLIC, minutes(10),
             _l("Request document"), inputs=(_l("Request of the client"),), form="public"),
        Step("check", _l("PK checks the request"), PK, minutes(5), _l("Request document"),
             outcomes=(DONE, RETURN), assigned=True, form="permit_check"),
        Step("tpp", _l("TPP session"), KEPALA, minutes(15), _l("Request document"),
             outcomes=(APPROVE, REJECT), form="tpp"),
        Step("draft", _l("Draft the permit letter for the Kepala's signature"), PK, minutes(5),
             _l("Draft permit letter"), assigned=True, form="permit_draft"),
        Step("sign", _l("Sign the permit letter"), KEPALA, minutes(5), _l("Signed permit letter"),
             outcomes=(APPROVE, RETURN), form="permit_sign"),
        Step("deliver", _l("Hand the permit letter to the client"), PK, minutes(5), _l("Permit letter"),
             assigned=True),
    ),
    limit=Limit(start=("check", READY), end=("deliver", FINISHED), standard=days(14)),
)  # fmt: skip

# A stage's plan is due early in the stage ("plan_due": app.workflow.due_work.PLAN_DAYS), the rest of
# the final stage by its end ("stage_ends"); the termination letter is signed from the period's last day.
STAGE_PLAN = Service(
    code="TAHAP",
    title=_l("Guidance stage plan"),
    sop=_l("Guidance of clients"),
    product=_l("Guidance program approved by the TPP"),
    steps=(
        Step("plan", _l("Assess risk and needs and draw up the guidance program"), PK, None,
             _l("Stage plan"), inputs=(_l("Handover record"), _l("Guidance book")), assigned=True,
             form="stage_plan", deadline_from="plan_due"),
        Step("tpp", _l("Sidang TPP on the stage plan"), KEPALA, None, _l("Approved stage plan"),
             outcomes=(APPROVE, RETURN), form="tpp", deadline_from="plan_due"),
    ),
)  # fmt: skip

FINAL_STAGE = Service(
    code="AKHIR",
    title=_l("Final stage of guidance"),
    sop=_l("Guidance of clients"),
    product=_l("Termination of guidance"),
    steps=(
        Step("plan", _l("Re-assess, classify and draw up the final-stage program"), PK, None,
             _l("Stage plan"), assigned=True, form="stage_plan", deadline_from="plan_due"),
        Step("tpp", _l("Sidang TPP on the final-stage plan"), KEPALA, None, _l("Approved stage plan"),
             outcomes=(APPROVE, RETURN), form="tpp", deadline_from="plan_due"),
        Step("litmas", _l("Write the final-stage Litmas"), PK, None, _l("Final Litmas"), assigned=True,
             deadline_from="stage_ends"),
        Step("evaluation", _l("Sidang TPP evaluates the whole guidance program"), KEPALA, None,
             _l("TPP evaluation"), outcomes=(APPROVE, RETURN), form="tpp", deadline_from="stage_ends"),
        Step("termination", _l("Prepare the termination letters"), PK, None, _l("Draft termination letter"),
             assigned=True, deadline_from="stage_ends"),
        Step("sign", _l("Sign the termination letter"), KEPALA, None, _l("Termination letter"),
             outcomes=(APPROVE, RETURN), form="decide", deadline_from="stage_ends"),
    ),
)  # fmt: skip

PROGRESS_REPORT = Service(
    code="LAPBUL",
    title=_l("Monthly progress report"),
    sop=_l("Guidance of clients"),
    product=_l("Progress report"),
    steps=(
        Step("report", _l("Write the monthly progress report"), PK, None, _l("Progress report"),
             assigned=True, form="progress_report", deadline_from="due"),
    ),
)  # fmt: skip

MOBILE_SERVICE = Service(
    code="BATAKO",
    title=_l("Bapas Tekan Kono (BATAKO) mobile guidance"),
    sop="SOP 13",
    product=_l("Guidance of adult and child clients"),
    steps=(
        Step("open", _l("Open the BATAKO service point"), PK, minutes(30), _l("Service counter"),
             inputs=(_l("Stationery"),), assigned=True, form="batako_open", deadline_from="day_ends"),
        Step("serve", _l("Receive clients: guidance card, attendance and guidance"), PK, None,
             _l("Attendance and guidance notes"), inputs=(_l("Guidance card"), _l("Attendance list")),
             assigned=True, form="batako_serve", deadline_from="day_ends"),
        Step("report", _l("Write the BATAKO activity report"), PK, days(1), _l("Activity report"),
             assigned=True),
    ),
)  # fmt: skip

# Opened for every PK of the session's section when the Kasubsi announces it (the PK proposes, or says
# it has nobody: REJECT); the session's section (its instance's) compiles and invites.
GROUP_GUIDANCE = Service(
    code="KELOMPOK",
    title=_l("Group guidance"),
    sop="SOP 14",
    product=_l("Group guidance"),
    steps=(
        Step("propose", _l("Propose clients for the group guidance"), PK, minutes(5), _l("Client list"),
             inputs=(_l("Client data"),), outcomes=(DONE, REJECT), assigned=True, form="group_propose",
             deadline_from="proposals_due"),
        Step("compile", _l("Compile the proposals into the session list"), KASUBSI, minutes(10),
             _l("Client list"), form="group_compile"),
        Step("invite", _l("Invite the listed clients"), KASUBSI, minutes(5), _l("Invitation letter"),
             form="group_invite"),
        Step("attend", _l("Clients attend the group guidance at the Bapas"), PK, None,
             _l("Attendance and guidance notes"), assigned=True, form="group_attend",
             deadline_from="session_ends"),
    ),
    limit=Limit(start=("compile", READY), end=("invite", FINISHED), standard=days(1)),
)  # fmt: skip

# Requested through the portal or by a letter TU registers (TU records the public step for the
# requester). The overall limit is the date asked for: the team takes the last step up when the
# activity starts on that day, and files its report within a working day (a handling standard).
OUTREACH = Service(
    code="SAMBANG",
    title=_l("Village and school outreach (Bambang Solah)"),
    sop="SOP 14",
    product=_l("Outreach for village cadres and school students"),
    steps=(
        Step("request", _l("The village or school submits the request to the Kepala"), PUBLIC, minutes(30),
             _l("Request letter"), inputs=(_l("Request letter of the village or school"),), proxy=TU,
             form="outreach_request"),
        Step("dispose", _l("Dispose the request to a Kasubsi"), KEPALA, minutes(10), _l("Disposition"),
             inputs=(_l("Request letter"),), form="dispose"),
        Step("appoint", _l("Appoint the Bambang Solah team"), KASUBSI, minutes(5), _l("Bambang Solah team"),
             inputs=(_l("Disposition"),), form="outreach_team"),
        Step("carry_out", _l("Carry out the outreach and file the activity report"), PK,
             days(1, kind=HANDLING), _l("Activity report"), inputs=(_l("Disposition"),), assigned=True,
             deadline_from="report_due", not_before="activity_start", form="outreach_report"),
    ),
    limit=Limit(start=("request", READY), end=("carry_out", OPENED), deadline_from="activity_end"),
)  # fmt: skip

# The seeds name the steps of complaint handling but no times: each step gets working days on the
# response clock, and the whole the 14 days within which UU 25/2009 (art. 50) has a written
# complaint answered.
COMPLAINT = Service(
    code="ADUAN",
    title=_l("Complaint handling"),
    sop=_l("Every SOP"),
    product=_l("Fix and/or clarification to the complainant"),
    steps=(
        Step("record", _l("Record the complaint and recommend a response to the Kepala"), PENGADUAN,
             days(1), _l("Recommendation"), inputs=(_l("Complaint"),), form="complaint_record"),
        Step("review", _l("Review the complaint and give a direction"), KEPALA, days(1), _l("Direction"),
             inputs=(_l("Recommendation"),), form="complaint_direct"),
        Step("respond", _l("Fix the matter and/or clarify it to the complainant"), ASSIGNEE, days(5),
             _l("Fix / clarification"), inputs=(_l("Direction"),), assigned=True, form="complaint_respond"),
        Step("close", _l("Close the complaint"), PENGADUAN, days(1), _l("Closed complaint"),
             outcomes=(DONE, RETURN), form="complaint_close"),
    ),
    limit=Limit(start=("record", READY), end=("close", READY), standard=days(14, WALL)),
)  # fmt: skip

# Pindah wilayah between two offices of the instance. No seed names its times: ours are in
# docs/decisions.md. Refusal by the destination returns the matter to the origin's PK, who proposes
# again (another office, new reasons) or withdraws; the client stays at the origin until accepted.
CLIENT_TRANSFER = Service(
    code="PINDAH",
    title=_l("Transfer of a client to another Bapas"),
    sop=_l("Transfer between offices"),
    product=_l("Client supervised by the destination Bapas"),
    steps=(
        Step("propose", _l("Propose the transfer: reasons, new address, destination"), PK, days(2),
             _l("Transfer proposal"), inputs=(_l("Client file"),), outcomes=(DONE, REJECT), assigned=True,
             form="transfer_propose"),
        Step("approve", _l("Approve the transfer and sign the transfer letter"), KEPALA, days(2),
             _l("Transfer letter"), inputs=(_l("Transfer proposal"),), outcomes=(APPROVE, RETURN, REJECT),
             form="decide"),
        Step("accept", _l("Accept or refuse the client (destination Bapas)"), KEPALA, days(3),
             _l("Decision of the destination"), inputs=(_l("Transfer letter"),), outcomes=(APPROVE, RETURN),
             returns_to="propose", form="transfer_accept"),
        Step("assign", _l("Assign a PK at the destination"), KASUBSI, days(1), _l("Assignment"),
             inputs=(_l("Decision of the destination"),), form="transfer_assign"),
    ),
    limit=Limit(start=("approve", READY), end=("assign", FINISHED), standard=days(10)),
)  # fmt: skip

# Wajib lapor (docs/decisions.md): a missed report opens this service for the client's PK. A valid
# reason closes it at the first step; otherwise the PK drafts the next warning letter (I, II, III)
# and the Kepala signs it. A signed third warning starts REVOCATION, a matter for the Sidang TPP.
MISSED_REPORT = Service(
    code="LAPOR",
    title=_l("Missed mandatory report"),
    sop=_l("Mandatory reporting"),
    product=_l("Reason recorded or warning letter"),
    steps=(
        Step("contact", _l("Contact the client and record the reason for the missed report"), PK, days(2),
             _l("Reason of the client"), inputs=(_l("Reporting schedule"),), outcomes=(DONE, CLOSE),
             assigned=True, form="lapor_contact", finishes=(CLOSE,)),
        Step("draft", _l("Draft the warning letter for the Kepala's signature"), PK, days(1),
             _l("Draft warning letter"), assigned=True, form="lapor_draft"),
        Step("sign", _l("Sign the warning letter"), KEPALA, days(1), _l("Warning letter"),
             outcomes=(APPROVE, RETURN), form="decide"),
    ),
)  # fmt: skip

REVOCATION = Service(
    code="CABUT",
    title=_l("Proposal to revoke the parole or conditional release"),
    sop=_l("Mandatory reporting"),
    product=_l("TPP decision on the revocation"),
    steps=(
        Step("tpp", _l("Sidang TPP on the proposal to revoke"), KEPALA, days(10), _l("TPP decision"),
             inputs=(_l("Warning letter III"),), outcomes=(APPROVE, REJECT), form="tpp"),
    ),
)  # fmt: skip

SERVICES: dict[str, Service] = {
    s.code: s
    for s in (
        CHILD_ACCOMPANIMENT,
        INCOMING_LETTER,
        TRAVEL_PERMIT,
        STAGE_PLAN,
        FINAL_STAGE,
        PROGRESS_REPORT,
        MOBILE_SERVICE,
        GROUP_GUIDANCE,
        OUTREACH,
        COMPLAINT,
        CLIENT_TRANSFER,
        MISSED_REPORT,
        REVOCATION,
    )
}


def tpp_steps() -> list[tuple[str, str]]:
    """(service, step) of every step decided in a Sidang TPP."""
    return [(s.code, step.code) for s in SERVICES.values() for step in s.steps if step.form == "tpp"]
