"""Clients of other offices travelling here with a permit ("Klien dari Bapas lain"), and the report
on arrival (lapor diri) a PK of this office records for the origin's PK."""

from __future__ import annotations

from typing import Any

from flask import Response, g, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import masking
from app.formatting import fmt_date, fmt_datetime
from app.forms.letters import as_wib
from app.forms.transfers import ArrivalForm
from app.models.travel_permits import ArrivalReport, TravelPermit
from app.security import scope
from app.security.roles import VISITING
from app.views.base import BapasModelView, ScopedInterface, run_move
from app.workflow import travel_permits


class VisitingInterface(ScopedInterface):
    """The permits of other offices' clients travelling to the user's office (scope.visiting_clause)
    instead of the permit scope of the origin."""

    def _apply_inner_all(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        return SQLAInterface._apply_inner_all(self, scope.restrict_visiting(query), *args, **kwargs)


def arrival_summary(report: ArrivalReport | None) -> str:
    """A report on arrival in one line: when, where, which office, the note."""
    if report is None:
        return _("Not reported yet")
    text = f"{fmt_datetime(report.reported_at)}, {report.place} ({report.office})"
    return f"{text} — {report.note}" if report.note else text


class VisitingPermitView(BapasModelView):
    """Signed permits of other offices' clients whose trip comes to this office's city."""

    datamodel = VisitingInterface(TravelPermit, eager=("client", "letter_office", "arrival"))
    class_permission_name = VISITING
    base_permissions = ["can_list", "can_show", "can_arrival"]
    list_title = show_title = _l("Clients of other offices")
    label_columns = {
        "client": _l("Client"),
        "issuing_office": _l("Origin Bapas"),
        "destination_address": _l("Address at the destination"),
        "depart_on": _l("Departure date"),
        "return_on": _l("Return date"),
        "arrival": _l("Report on arrival"),
    }
    formatters_columns = {
        "client": masking.visiting_label,
        "depart_on": fmt_date,
        "return_on": fmt_date,
        "arrival": arrival_summary,
    }
    list_columns = ["client", "issuing_office", "destination_address", "depart_on", "return_on", "arrival"]
    search_columns = ["depart_on", "return_on"]
    order_columns = ["depart_on", "return_on"]
    base_order = ("depart_on", "desc")

    def _page(self, permit: TravelPermit, form: ArrivalForm | None = None) -> str:
        may_report = (
            permit.arrival is None
            and permit.revoked_at is None
            and self.appbuilder.sm.has_access("can_arrival", VISITING)
        )
        return self.render_template(
            "visiting_show.html",
            permit=permit,
            label=masking.visiting_label(permit.client),
            arrival=arrival_summary(permit.arrival),
            form=(form or ArrivalForm()) if may_report else None,
        )

    @expose("/show/<pk>")
    @has_access
    def show(self, pk: str) -> str:
        """The trip, the obligations and the report on arrival: no photo, no applicant, no signature."""
        return self._page(scope.get_visiting_or_404(int(pk) if str(pk).isdigit() else 0))

    @expose("/arrival/<int:pk>", methods=["POST"])
    @has_access
    def arrival(self, pk: int) -> Response | str:
        """A PK of this office records the client's report on arrival."""
        permit = scope.get_visiting_or_404(pk)
        form = ArrivalForm()
        if not form.validate():
            return self._page(permit, form)
        run_move(
            lambda: travel_permits.record_arrival(
                permit, g.user, as_wib(form.reported_at.data), form.place.data, form.note.data or None
            ),
            _("The report on arrival has been recorded."),
        )
        return redirect(url_for(".show", pk=pk))
