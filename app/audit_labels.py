"""The audit trail in words: Indonesian names of tables and fields, values as a reader writes them."""

from __future__ import annotations

import ast
import json
import re
from datetime import date, datetime
from functools import cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from app.formatting import fmt_date, fmt_datetime
from app.workflow.sop import DECISION_LABELS

TABLE_LABELS = {
    "ab_user": _l("User account"),
    "ab_role": _l("Role"),
    "ab_group": _l("User group"),
    "ab_permission_view": _l("Permission on a view"),
    "ab_permission_view_role": _l("Permission of a role"),
    "ab_user_role": _l("Role of a user"),
    "ab_user_group": _l("Group of a user"),
    "agenda_counter": _l("Agenda counter"),
    "api_token": _l("API token"),
    "arrival_report": _l("Report on arrival"),
    "audit_log": _l("Audit trail"),
    "case_client": _l("Client of a case"),
    "client": _l("Client"),
    "client_transfer": _l("Client transfer"),
    "complaint": _l("Complaint"),
    "disposition": _l("Disposition"),
    "disposition_assignee": _l("PK named in a disposition"),
    "duty_assignment": _l("Task given on duty"),
    "duty_day": _l("Duty day"),
    "extra_holiday": _l("Calendar day"),
    "group_member": _l("Member of a group session"),
    "group_session": _l("Group guidance session"),
    "guidance_log": _l("Guidance log"),
    "incoming_letter": _l("Incoming letter"),
    "legal_case": _l("Case"),
    "mobile_attendance": _l("BATAKO attendance"),
    "mobile_service": _l("BATAKO service point"),
    "reporting_schedule": _l("Reporting schedule"),
    "reporting_occurrence": _l("Mandatory reporting"),
    "warning_letter": _l("Warning letter"),
    "office": _l("Office"),
    "outreach": _l("Bambang Solah request"),
    "outreach_photo": _l("Outreach photo"),
    "progress_report": _l("Progress report"),
    "recovery_code": _l("Recovery code"),
    "region": _l("Regional office"),
    "service_instance": _l("Service"),
    "service_instance_member": _l("Team member of a service"),
    "stage_plan": _l("Stage plan"),
    "step_record": _l("Service step"),
    "stored_file": _l("Uploaded file"),
    "supervision_period": _l("Supervision period"),
    "tpp_item": _l("TPP agenda item"),
    "tpp_member": _l("TPP member"),
    "tpp_session": _l("TPP session"),
    "travel_permit": _l("Travel permit"),
}
# Fields no view labels (ids, timestamps, internals); the views' own labels name the rest.
FIELD_LABELS = {
    "acknowledged_at": _l("Acknowledged at"),
    "assigned_at": _l("Given at"),
    "deputy_id": _l("Deputy for escalation"),
    "escalated_at": _l("Escalated at"),
    "kasubsi_id": _l("Kasubsi BKA"),
    "kepala_id": _l("Kepala (or deputising)"),
    "pk_id": _l("PK BKA"),
    "tu_id": _l("TU"),
    "actor_role": _l("Acting role"),
    "agenda_seq": _l("Agenda sequence"),
    "approved_at": _l("Approved at"),
    "approved_by_id": _l("Approved by"),
    "assignee_id": _l("Assigned to"),
    "assignment_number": _l("Assignment letter number"),
    "assignment_signed_at": _l("Assignment letter signed at"),
    "assignment_signed_by_id": _l("Assignment letter signed by"),
    "assignment_note": _l("Note of the Kasubsi to the PK"),
    "attachment_id": _l("Attachment"),
    "attended": _l("Attended"),
    "audience": _l("Audience"),
    "by_id": _l("By"),
    "case_id": _l("Case"),
    "changed_by_fk": _l("Changed by"),
    "changed_on": _l("Changed on"),
    "created_by_fk": _l("Created by"),
    "created_on": _l("Created on"),
    "checked_in_at": _l("Checked in at"),
    "clarification": _l("Clarification"),
    "classification": _l("Classification"),
    "closed_at": _l("Closed at"),
    "code_hash": _l("Code (hashed)"),
    "token_hash": _l("Token (hashed)"),
    # Wajib lapor (app.models.reporting).
    "schedule_id": _l("Reporting schedule"),
    "attended_at": _l("Reported at"),
    "recorded_office_id": _l("Office where the client reported"),
    "mobile_attendance_id": _l("BATAKO attendance"),
    "set_by_id": _l("Set by"),
    "occurrence_id": _l("Report due"),
    "level": _l("Warning level"),
    "facts": _l("Facts"),
    "drafted_by_id": _l("Drafted by"),
    "drafted_at": _l("Drafted at"),
    "deadline_at": _l("Binding deadline"),
    "proposals_due": _l("Last day for proposals"),
    "max_trip_days": _l("Longest trip (days)"),
    # Dates a service's instance data holds (a step's or limit's `deadline_from`).
    "activity_start": _l("Start of the activity"),
    "activity_end": _l("End of the activity"),
    "day_ends": _l("End of the day"),
    "deadline": _l("Deadline"),
    "due": _l("Due"),
    "plan_due": _l("Stage plan due"),
    "report_due": _l("Report due"),
    "session_ends": _l("End of the session"),
    "complainant_contact": _l("Complainant's contact"),
    "complainant_name": _l("Complainant's name"),
    "completed_at": _l("Completed at"),
    "contact_name": _l("Contact person"),
    "contact_phone": _l("Contact phone"),
    "correction_request": _l("Correction requested"),
    "current_step": _l("Current step"),
    "data": _l("Data"),
    "decided_by_id": _l("Decided by"),
    "decision": _l("Decision"),
    "destination_register_number": _l("Register number at the destination"),
    "direction": _l("Direction"),
    "disposition_id": _l("Disposition"),
    "due_at": _l("Due at"),
    "end": _l("End"),
    "evidence_file_id": _l("Evidence file"),
    "file_id": _l("File"),
    "final_from": _l("Final stage from"),
    "finished_by_id": _l("Finished by"),
    "fix": _l("Fix"),
    "group_member_id": _l("Group member"),
    "guided_at": _l("Guided at"),
    "handling_seconds": _l("Handling time (seconds)"),
    "included": _l("Included"),
    "independence_program": _l("Independence programme"),
    "instructions": _l("Instructions"),
    "invitation_number": _l("Invitation number"),
    "invited_at": _l("Invited at"),
    "last": _l("Last number"),
    "last_guidance_on": _l("Last guidance on"),
    "lead_seconds": _l("Lead time (seconds)"),
    "letter_id": _l("Letter"),
    "letter_office_id": _l("Office of the letter"),
    "letter_seq": _l("Letter sequence"),
    "letter_year": _l("Letter year"),
    "locked_until": _l("Locked until"),
    "middle_from": _l("Middle stage from"),
    "mime_type": _l("File type"),
    "mobile_visit_id": _l("BATAKO visit"),
    "moved": _l("Moved"),
    "must_change_password": _l("Must change password"),
    "needs": _l("Needs"),
    "new_address": _l("New address"),
    "next_report_due": _l("Next report due"),
    "no_staff_concerned": _l("No staff member complained about (confirmed)"),
    "note": _l("Note"),
    "obligations": _l("Obligations"),
    "opened_at": _l("Opened at"),
    "original_name": _l("Original file name"),
    "outcome": _l("Outcome"),
    "outreach_id": _l("Bambang Solah request"),
    "participants": _l("Participants"),
    "participants_count": _l("Number of participants"),
    "pending_client_id": _l("Client being transferred"),
    "permit_id": _l("Travel permit"),
    "personality_program": _l("Personality programme"),
    "prev_hash": _l("Previous hash"),
    "proposed_by_id": _l("Proposed by"),
    "ready_at": _l("Ready at"),
    "reason": _l("Reason"),
    "receipt_code": _l("Receipt code"),
    "recommendation": _l("Recommendation"),
    "recorded_at": _l("Recorded at"),
    "recorded_by_id": _l("Recorded by"),
    "report": _l("Report"),
    "reported_at": _l("Reported at"),
    "request_file_id": _l("Request letter file"),
    "responsible_id": _l("Responsible official"),
    "revoked_by_id": _l("Revoked by"),
    "risk_level": _l("Risk level"),
    "row_hash": _l("Row hash"),
    "session_generation": _l("Session generation"),
    "session_id": _l("Session"),
    "sha256": _l("SHA-256 checksum"),
    "signature_file_id": _l("Signature file"),
    "signed_at": _l("Signed at"),
    "signed_by_id": _l("Signed by"),
    "size": _l("Size (bytes)"),
    "staff_id": _l("Staff member"),
    "staff_named": _l("Staff member named"),
    "start": _l("Start"),
    "step": _l("Step"),
    "step_record_id": _l("Service step"),
    "storage_name": _l("Stored file name"),
    "subject_staff_id": _l("Staff member complained about"),
    "summary": _l("Summary"),
    "superseded_at": _l("Superseded at"),
    "termination_number": _l("Termination letter number"),
    "to_id": _l("To"),
    "totp_last_step": _l("Last code step"),
    "totp_secret": _l("Authenticator key"),
    "updated_at": _l("Updated at"),
    "uploaded_at": _l("Uploaded at"),
    "uploaded_by_id": _l("Uploaded by"),
    "urgency": _l("Urgency"),
    "version": _l("Version"),
    "waiting_seconds": _l("Waiting time (seconds)"),
    "within_standard": _l("Within the standard"),
    "year": _l("Year"),
    "instance_id": _l("Service"),
    "client_id": _l("Client"),
    "officer_id": _l("PK"),
    "office_id": _l("Office"),
    "started_at": _l("Started at"),
    "stage_ends": _l("Stage end dates"),
    "due_on": _l("Due on"),
    "starts_on": _l("Reporting starts on"),
    "roles": _l("Roles"),
    "groups": _l("Groups"),
    # A departing colleague's handover (app.workflow.departures): how much went to whom.
    "handed_clients": _l("Clients handed over"),
    "handed_services": _l("Services handed over"),
    "handed_to": _l("Handed to"),
    "permissions": _l("Permissions"),
}
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def table_label(table: str) -> str:
    """The Indonesian name of an audited table (its code name if none is known)."""
    return str(TABLE_LABELS.get(table, table))


@cache
def _view_labels() -> tuple[dict[str, dict[str, LazyString]], dict[str, LazyString]]:
    """Labels the views give their columns: per table, and the first one seen of each name."""
    from app.extensions import appbuilder

    per_table: dict[str, dict[str, LazyString]] = {}
    anywhere: dict[str, LazyString] = {}
    for view in appbuilder.baseviews:
        table = getattr(getattr(getattr(view, "datamodel", None), "obj", None), "__tablename__", None)
        # Only the labels a view declares (lazy strings): FAB fills the others with English.
        labels = {
            k: v for k, v in (getattr(view, "label_columns", None) or {}).items() if isinstance(v, LazyString)
        }
        if table:
            per_table.setdefault(table, {}).update(labels)
        for key, label in labels.items():
            anywhere.setdefault(key, label)
    return per_table, anywhere


def field_label(table: str, field: str) -> str:
    """The Indonesian name of a field of an audited table."""
    per_table, anywhere = _view_labels()
    own = per_table.get(table, {})
    for labels in (own, FIELD_LABELS, anywhere):
        for key in (field, field.removesuffix("_id")):
            if key in labels:
                return str(labels[key])
    return field


def _step_titles() -> dict[str, str]:
    """Each step's code with its title (the first service's, where two services share a code)."""
    from app.workflow.definitions import SERVICES

    titles: dict[str, str] = {}
    for service in SERVICES.values():
        for step in service.steps:
            titles.setdefault(step.code, str(step.title))
    return titles


def show_value(value: object, field: str = "") -> str:
    """A stored value as a reader writes it: dates in words and WIB, yes/no, lists with commas."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, str):
        if field in ("outcome", "decision") and value in DECISION_LABELS:
            return str(DECISION_LABELS[value])  # a step's outcome is a code: say it in words
        if field == "step" and value in _step_titles():
            return _step_titles()[value]
        if _ISO_DATETIME.match(value):
            return fmt_datetime(datetime.fromisoformat(value.replace("Z", "+00:00")))
        if _ISO_DATE.match(value):
            return fmt_date(date.fromisoformat(value))
        if value.startswith("{") and value.endswith("}"):
            # A JSON column's value was stored as its Python text ("{'stage_ends': '2026-…'}").
            try:
                return show_value(ast.literal_eval(value), field)
            except (ValueError, SyntaxError):
                return value
        return value
    if isinstance(value, list):
        return ", ".join(show_value(item, field) for item in value) or "—"
    if isinstance(value, dict):
        return "; ".join(
            f"{field_label('', str(key))}: {show_value(item, str(key))}" for key, item in value.items()
        )
    return json.dumps(value, ensure_ascii=False)


def _old_new(value: object) -> tuple[object, object]:
    # Row changes are [old, new]; an event (a password reset, a check) holds plain values.
    return (value[0], value[1]) if isinstance(value, list) and len(value) == 2 else (None, value)


def changed_fields(table: str, changes: dict) -> list[tuple[str, str, str]]:
    """(field, old, new) in words for each change of an audit row, in the order of the labels."""
    rows = []
    for field, value in changes.items():
        old, new = _old_new(value)
        rows.append((field_label(table, field), show_value(old, field), show_value(new, field)))
    return sorted(rows)
