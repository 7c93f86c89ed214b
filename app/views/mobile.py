"""BATAKO (SOP 13) screens: the PK's service points and the page used in the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, g, jsonify, make_response, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from app.exports import attachment
from app.extensions import db
from app.formatting import choice_label, fmt_date
from app.forms.guidance import SessionNoteForm, refuse
from app.forms.mobile import CheckInForm, MobileReportForm, MobileServiceForm
from app.models.mobile import POINT_STATUSES, MobileAttendance, MobileService
from app.models.workflow import StepRecord
from app.pdf import batako_attendance
from app.security import scope
from app.security.roles import MOBILE
from app.views import steps
from app.views.base import BapasModelView, ScopedInterface, run_move
from app.workflow import engine, mobile_offline, mobile_service
from app.workflow.definitions import MOBILE_SERVICE
from app.workflow.guidance import Refused


class MobileServiceView(BapasModelView):
    """The BATAKO points in the user's scope; each opens on its field page."""

    datamodel = ScopedInterface(MobileService, eager=("officer",))
    class_permission_name = MOBILE
    base_permissions = ["can_list", "can_show", "can_add", "can_work"]
    method_permission_name = {
        "point": "show",
        "attendance": "show",
        "setup": "work",
        "open_counter": "work",
        "check_in": "work",
        "guide": "work",
        "close": "work",
        "report": "work",
        "sync": "work",
    }
    list_title = show_title = _l("BATAKO service points")
    add_title = _l("Plan a BATAKO service point")
    label_columns = {
        "held_on": _l("Date"),
        "town": _l("Target town / district"),
        "place": _l("Place"),
        "officer": _l("PK"),
        "status": _l("Status"),
    }
    formatters_columns = {"held_on": fmt_date, "status": choice_label(POINT_STATUSES)}
    list_columns = ["held_on", "town", "place", "officer", "status"]
    search_columns = ["held_on", "town", "officer", "status"]
    order_columns = ["held_on"]
    base_order = ("held_on", "desc")

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self) -> Response | str:
        """Plan a point: the SOP's clock starts when it is opened on the day."""
        form = MobileServiceForm()
        if form.validate_on_submit():
            point = mobile_service.plan_point(g.user, form.town.data, form.place.data, form.held_on.data)
            db.session.commit()
            return redirect(url_for(".point", pk=point.id))
        return self.render_template("form_page.html", form=form, title=self.add_title, submit_label=_("Save"))

    @expose("/show/<pk>")
    @has_access
    def show(self, pk: str) -> Response:
        """A point opens on its field page."""
        return redirect(url_for(".point", pk=scope.get_or_404(MobileService, pk).id))

    def _page(self, point: MobileService, **forms: Any) -> str:
        notes = {visit.id: SessionNoteForm(prefix=f"v{visit.id}") for visit in point.visits}
        notes.update(forms.pop("notes", {}))
        offline = mobile_offline.offline_ready(point, g.user)
        return self.render_template(
            "batako_point.html",
            point=point,
            visits=mobile_service.visits_of(point, g.user),
            step=mobile_service.current_step(point),
            actor=point.officer_id == g.user.id,
            checkin=forms.get("checkin") or CheckInForm(),
            notes=notes,
            report_form=forms.get("report_form") or MobileReportForm(),
            minutes=mobile_service.visit_minutes,
            within=mobile_service.within_hour,
            statuses=POINT_STATUSES,
            offline=offline,
            expected=mobile_offline.expected_clients(point, g.user) if offline else [],
            offline_note=SessionNoteForm(prefix="offline", formdata=None) if offline else None,
        )

    @expose("/point/<int:pk>")
    @has_access
    def point(self, pk: int) -> Response:
        """The field page: open the counter, check clients in, write their guidance, close, report.
        Its PK's device keeps it (the service worker caches it) while the point is opened or served."""
        point = scope.get_or_404(MobileService, pk)
        response = make_response(self._page(point))
        if mobile_offline.offline_ready(point, g.user):
            response.headers["X-Batako-Offline"] = "1"
        return response

    @expose("/point/<int:pk>/sync", methods=["POST"])
    @has_access
    def sync(self, pk: int) -> Response:
        """One entry from the field app (JSON, with the CSRF token in X-CSRFToken), recorded once."""
        point = scope.get_or_404(MobileService, pk)
        answer = mobile_offline.record(point, g.user, request.get_json(silent=True))
        if answer.status == "ok" and not answer.extra.get("repeated"):
            flash(answer.message, "success")  # shown when the page reloads after sending
        return make_response(jsonify(answer.as_json()), answer.code)

    @expose("/point/<int:pk>/attendance")
    @has_access
    def attendance(self, pk: int) -> Response:
        """The attendance list (daftar hadir) with the signatures, as PDF: the visits the reader sees."""
        point = scope.get_or_404(MobileService, pk)
        pdf = batako_attendance(point, mobile_service.visits_of(point, g.user))
        return attachment(pdf, "application/pdf", f"daftar-hadir-batako-{point.held_on:%Y%m%d}.pdf")

    def _act(self, point: MobileService, work: Callable[[], Any], done: str) -> Response:
        run_move(work, done)
        return redirect(url_for(".point", pk=point.id))

    @expose("/point/<int:pk>/setup", methods=["POST"])
    @has_access
    def setup(self, pk: int) -> Response:
        """The PK starts setting up the counter."""
        point = scope.get_or_404(MobileService, pk)
        return self._act(point, lambda: mobile_service.start_setting_up(point, g.user), _("Setting up."))

    @expose("/point/<int:pk>/open", methods=["POST"])
    @has_access
    def open_counter(self, pk: int) -> Response:
        """The counter is open."""
        point = scope.get_or_404(MobileService, pk)
        return self._act(point, lambda: mobile_service.open_counter(point, g.user), _("The counter is open."))

    @expose("/point/<int:pk>/checkin", methods=["POST"])
    @has_access
    def check_in(self, pk: int) -> Response | str:
        """A client reports with the guidance card and signs."""
        point = scope.get_or_404(MobileService, pk)
        form = CheckInForm()
        if not form.validate_on_submit():
            return self._page(point, checkin=form)
        try:
            visit = mobile_service.check_in(point, g.user, form.card.data, form.signature.data)
            engine.commit()
        except Refused as refused:
            db.session.rollback()
            refuse(form, refused)
            return self._page(point, checkin=form)
        except engine.MoveRefused as refused:
            db.session.rollback()
            flash(str(refused), "danger")
            return redirect(url_for(".point", pk=pk))
        flash(_("%(name)s has reported.", name=visit.client.name), "success")
        return redirect(url_for(".point", pk=pk, _anchor=f"visit-{visit.id}"))

    @expose("/visit/<int:visit_id>/guide", methods=["POST"])
    @has_access
    def guide(self, visit_id: int) -> Response | str:
        """The guidance note of one client at the point."""
        visit = db.session.get(MobileAttendance, visit_id)
        if visit is None:
            abort(404)
        point = scope.get_or_404(MobileService, visit.service_id)
        form = SessionNoteForm(prefix=f"v{visit.id}")
        if not form.validate_on_submit():
            return self._page(point, notes={visit.id: form})
        run_move(lambda: mobile_service.guide(visit, g.user, form.fields_data()))
        return redirect(url_for(".point", pk=point.id))

    @expose("/point/<int:pk>/close", methods=["POST"])
    @has_access
    def close(self, pk: int) -> Response:
        """Close the counter; the report is due within a working day."""
        point = scope.get_or_404(MobileService, pk)
        return self._act(point, lambda: mobile_service.close(point, g.user), _("The counter is closed."))

    @expose("/point/<int:pk>/report", methods=["POST"])
    @has_access
    def report(self, pk: int) -> Response | str:
        """The activity report of the point."""
        point = scope.get_or_404(MobileService, pk)
        form = MobileReportForm()
        if not form.validate_on_submit():
            return self._page(point, report_form=form)
        return self._act(
            point, lambda: mobile_service.report(point, g.user, form.report.data), _("Report filed.")
        )


def _point_link(record: StepRecord) -> str:
    return url_for("MobileServiceView.point", pk=mobile_service.point_of(record).id)


for _name in ("batako_open", "batako_serve"):
    steps.register(
        _name,
        steps.StepScreen(
            elsewhere=_l("This step is done on the BATAKO point's page."), elsewhere_link=_point_link
        ),
    )
steps.register_panel(
    (MOBILE_SERVICE.code,), "tasks/batako.html", lambda record: {"point": mobile_service.point_of(record)}
)
