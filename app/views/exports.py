"""Exports for the national system (SDP Bimbingan Bapas): guidance records, attendance and the
client register, as CSV or XLSX, of the clients in the user's scope."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import abort, g, request
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response
from wtforms import SelectField

from app.exports import csv_response, summary, xlsx_response
from app.extensions import db
from app.forms.fields import day
from app.forms.ranges import PERIOD
from app.masking import identity
from app.models.clients import CATEGORIES, LEGAL_BASES, SEXES, STATUSES, Client
from app.models.group_guidance import GroupMember, GroupSession
from app.models.guidance import KINDS, PLACES, STAGES, GuidanceLog
from app.models.mobile import MobileAttendance, MobileService
from app.models.staff import Staff
from app.security import scope
from app.security.roles import EXPORT
from app.timeutil import WIB, as_utc, sane_period, today_wib, wib_midnight
from app.workflow.supervision import stage_on

CHUNK = 1000
IDENTITY = (_l("Register number"), _l("Name"), _l("NIK"), _l("Date of birth"), _l("Category"))


def _who(client: Client, reader: Staff) -> list[Any]:
    name, nik, born = identity(client, reader)
    return [client.register_number, name, nik, born, str(CATEGORIES.get(client.category, ""))]


def _guidance(start: date, end: date, reader: Staff) -> Iterator[list[Any]]:
    stmt = (
        select(GuidanceLog)
        .options(joinedload(GuidanceLog.client), joinedload(GuidanceLog.officer))
        .where(GuidanceLog.held_on >= start, GuidanceLog.held_on <= end)
        .order_by(GuidanceLog.held_on, GuidanceLog.id)
    )
    for log in db.session.scalars(scope.restrict(stmt, GuidanceLog).execution_options(yield_per=CHUNK)):
        yield [
            *_who(log.client, reader),
            log.officer.full_name,
            log.officer.nip or "",
            str(STAGES.get(log.stage, "")),
            log.held_on,
            str(KINDS.get(log.kind, "")),
            str(PLACES.get(log.place, "")),
            summary(log.notes),
            log.next_appointment,
        ]


def _attendance(start: date, end: date, reader: Staff) -> Iterator[list[Any]]:
    visits = (
        select(MobileAttendance, MobileService)
        .join(MobileAttendance.service)
        .join(MobileAttendance.client)
        .options(joinedload(MobileAttendance.client), joinedload(MobileService.officer))
        .where(MobileAttendance.checked_in_at >= wib_midnight(start))
        .where(MobileAttendance.checked_in_at < wib_midnight(end + timedelta(days=1)))
        .order_by(MobileAttendance.checked_in_at)
    )
    for visit, point in db.session.execute(scope.restrict(visits, Client).execution_options(yield_per=CHUNK)):
        at = as_utc(visit.checked_in_at).astimezone(WIB)
        yield [
            *_who(visit.client, reader),
            f"BATAKO {point.town}",
            point.held_on,
            f"{at:%H.%M}",
            point.officer.full_name,
        ]
    groups = (
        select(GroupMember, GroupSession)
        .join(GroupMember.session)
        .join(GroupMember.client)
        .options(joinedload(GroupMember.client), joinedload(GroupMember.proposed_by))
        .where(GroupMember.attended.is_(True), GroupSession.held_on >= start, GroupSession.held_on <= end)
        .order_by(GroupSession.held_on, GroupMember.id)
    )
    for member, session in db.session.execute(
        scope.restrict(groups, Client).execution_options(yield_per=CHUNK)
    ):
        yield [
            *_who(member.client, reader),
            str(_l("Group guidance: %(topic)s", topic=session.topic)),
            session.held_on,
            "",
            member.proposed_by.full_name,
        ]


def _register(_start: date, _end: date, reader: Staff) -> Iterator[list[Any]]:
    today = today_wib()
    stmt = select(Client).options(joinedload(Client.officer)).order_by(Client.register_number)
    for client in db.session.scalars(scope.restrict(stmt, Client).execution_options(yield_per=CHUNK)):
        yield [
            *_who(client, reader),
            str(SEXES.get(client.sex, "")),
            str(LEGAL_BASES.get(client.legal_basis, "")),
            client.supervision_start,
            client.supervision_end,
            str(STAGES.get(stage_on(client, today) or "", "")),
            client.officer.full_name if client.officer else "",
            str(STATUSES.get(client.status, "")),
        ]


@dataclass(frozen=True)
class Dataset:
    """One export: its title, columns and rows."""

    title: str
    columns: tuple[str, ...]
    rows: Callable[[date, date, Staff], Iterator[list[Any]]]


DATASETS = {
    "bimbingan": Dataset(
        _l("Guidance records"),
        (
            *IDENTITY,
            _l("PK"),
            _l("NIP of the PK"),
            _l("Stage"),
            _l("Date"),
            _l("Kind of guidance"),
            _l("Place"),
            _l("Summary of the notes"),
            _l("Next appointment"),
        ),
        _guidance,
    ),
    "kehadiran": Dataset(
        _l("Attendance"),
        (*IDENTITY, _l("Activity"), _l("Date"), _l("Time of reporting"), _l("PK")),
        _attendance,
    ),
    "register": Dataset(
        _l("Client register"),
        (
            *IDENTITY,
            _l("Sex"),
            _l("Legal basis of supervision"),
            _l("Supervision starts"),
            _l("Supervision ends"),
            _l("Current stage"),
            _l("Probation officer (PK)"),
            _l("Status"),
        ),
        _register,
    ),
}
FORMATS = {"csv": "CSV", "xlsx": "XLSX (Excel)"}


class ExportForm(FlaskForm):
    """What to export, of which period, in which format."""

    class Meta:
        csrf = False  # a download by GET changes nothing

    dataset = SelectField(_l("Data"), choices=[(k, d.title) for k, d in DATASETS.items()])
    start = day(_l("From"), True, window=PERIOD)
    end = day(_l("Until"), True, window=PERIOD)
    fmt = SelectField(_l("Format"), choices=list(FORMATS.items()))

    def validate(self, extra_validators: Any = None) -> bool:
        """Field rules; the period runs forwards, within the years and length a report may cover."""
        ok = super().validate(extra_validators)
        if ok and self.end.data < self.start.data:
            self.end.errors = [*self.end.errors, _l("The end of the period is before its start.")]
            ok = False
        elif ok and not sane_period(self.start.data, self.end.data):
            message = _l("The period must lie between the years 2000 and 2100 and span at most 5 years.")
            self.end.errors = [*self.end.errors, message]
            ok = False
        return ok


class ExportView(BaseView):
    """Downloads of the guidance data in the user's scope."""

    route_base = "/ekspor"
    class_permission_name = EXPORT
    base_permissions = ["can_list", "can_download"]
    method_permission_name = {"index": "list", "download": "download"}
    default_view = "index"

    @expose("/")
    @has_access
    def index(self) -> str:
        """The export form."""
        today = today_wib()
        form = ExportForm(request.args, start=today.replace(day=1), end=today)
        return self.render_template("export.html", form=form, title=_l("Exports for SDP Bimbingan Bapas"))

    @expose("/unduh")
    @has_access
    def download(self) -> Response | str:
        """The export itself, streamed; a child's identity masked unless the user may see it."""
        form = ExportForm(request.args)
        if not form.validate():
            return self.render_template("export.html", form=form, title=_l("Exports for SDP Bimbingan Bapas"))
        dataset = DATASETS.get(form.dataset.data) or abort(404)
        rows = dataset.rows(form.start.data, form.end.data, g.user)
        header = [str(c) for c in dataset.columns]
        name = f"{form.dataset.data}-{form.start.data:%Y%m%d}-{form.end.data:%Y%m%d}"
        if form.fmt.data == "xlsx":
            return xlsx_response(name, str(dataset.title), header, rows)
        return csv_response(name, header, rows)
