"""The app's URL rules that name a record, filled with records a test chooses, and what the
isolation and scope matrices check on each: shared by the cross-office and within-office tests, so
that a view added tomorrow is covered by both the day it exists. A rule whose parameters cannot be
filled fails the test instead of being skipped."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from flask import Flask
from sqlalchemy import MetaData

from app.extensions import appbuilder, db
from app.models.clients import Client
from app.models.files import StoredFile
from app.models.group_guidance import GroupMember
from app.models.guidance import StagePlan
from app.models.mobile import MobileAttendance
from app.models.notifications import Notification
from app.models.reporting import WarningLetter
from app.models.staff import Staff
from app.models.tpp import TppItem
from app.models.workflow import StepRecord

# Views that are not model views: the model their <pk> names.
PK_MODELS = {
    "TaskView": StepRecord,
    "NotificationView": Notification,
    "SupervisionView.client": Client,
    "SupervisionView.termination": StagePlan,
    "StaffHandoverView": Staff,
}
ARG_MODELS = {
    "visit_id": MobileAttendance,
    "member_id": GroupMember,
    "item_id": TppItem,
    "file_id": StoredFile,
    "client_id": Client,
    "warning_id": WarningLetter,
}
# Public or national rules: the portal (receipt codes), the language switch, FAB's own security
# catalogue (roles and permissions are national), and sign-in. The REST API refuses a browser
# session outright (401); its office and row scope are tried with tokens, for every collection it
# serves, in tests/api/test_api_scope.py.
SKIP_PREFIXES = ("/static", "/appbuilder", "/layanan", "/lang", "/roles", "/permissions", "/viewmenus",
                 "/permissionviews", "/groups/", "/api/v1/")  # fmt: skip
UNTOUCHED = ("ab_user", "audit_log", "agenda_counter", "ab_user_role")


class Target(NamedTuple):
    """One request to try: a method, the filled URL and the rule it fills."""

    method: str
    url: str
    rule: str


def model_of(endpoint: str) -> type | None:
    """The model whose id a rule of this endpoint takes as <pk>."""
    cls = endpoint.split(".")[0]
    found = PK_MODELS.get(endpoint) or PK_MODELS.get(cls)
    if found is not None:
        return found
    view = {type(v).__name__: v for v in appbuilder.baseviews}.get(cls)
    return getattr(getattr(view, "datamodel", None), "obj", None)


def _fill(rule: Any, values: dict[str, object]) -> str:
    url = rule.rule
    for arg, value in values.items():
        converter = rule._converters[arg].__class__.__name__.removesuffix("Converter").lower()
        url = url.replace(f"<{converter}:{arg}>", str(value)).replace(f"<{arg}>", str(value))
    return url


def targets(app: Flask, pick: Callable[[type], Any]) -> list[Target]:
    """A Target for every GET and POST of every rule that names a record, filled with the id `pick`
    gives for its model (asked once per model); a rule `pick` has no record for is left out (the
    caller asserts the rules it requires), a rule whose model is unknown fails."""
    chosen: dict[type, Any] = {}
    found, unfillable = [], []
    for rule in app.url_map.iter_rules():
        if not rule.arguments or rule.rule.startswith(SKIP_PREFIXES):
            continue
        values: dict[str, object] = {}
        for arg in rule.arguments:
            if arg == "name":
                values[arg] = "export_csv"
            elif arg == "filename":
                values[arg] = "berkas.pdf"
            else:
                model = ARG_MODELS.get(arg) or model_of(rule.endpoint)
                if model is None:
                    unfillable.append(rule.rule)
                    break
                if model not in chosen:
                    chosen[model] = pick(model)
                values[arg] = chosen[model]
        else:
            if any(v is None for v in values.values()):
                continue  # no such record in this run
            url = _fill(rule, values)
            found.extend(Target(m, url, rule.rule) for m in sorted((rule.methods or set()) & {"GET", "POST"}))
    assert not unfillable, (
        f"rules the matrix cannot fill (name their model in tests/url_rules.py): {unfillable}"
    )
    return found


def missing(found: Iterable[Target], required: Iterable[str]) -> list[str]:
    """The required rules no target fills."""
    return sorted(set(required) - {t.rule for t in found})


def snapshot() -> str:
    """A digest of every domain table's rows: a refused write changes none of them."""
    digest = hashlib.sha256()
    tables = MetaData()
    tables.reflect(bind=db.engine)
    with db.engine.connect() as conn:
        for name in sorted(tables.tables):
            if name in UNTOUCHED or name.startswith("ab_") or name == "alembic_version":
                continue
            table = tables.tables[name]
            for row in conn.execute(table.select().order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def refused(response: Any) -> bool:
    """Whether the app refused the request (an error status, or FAB's redirect away)."""
    if response.status_code in (400, 403, 404, 405):
        return True
    if response.status_code == 302:
        # FAB refuses a permission by sending the user to the sign-in page or the home page.
        return response.headers["Location"].split("?")[0].rstrip("/") in ("", "/login", "http://localhost")
    return False


def request(session: Any, target: Target, token: str) -> Any:
    """Send one target as a signed-in session: a GET, or a POST with only the CSRF token."""
    if target.method == "GET":
        return session.client.get(target.url)
    return session.client.post(target.url, data={"csrf_token": token})


def text_of(response: Any) -> str:
    """The body of a textual response, else ''."""
    return response.get_data(as_text=True) if response.mimetype.startswith("text") else ""
