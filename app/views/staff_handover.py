"""A colleague who leaves: what they hold, the reassignment of it to other PKs (Kepala, Kasubsi of
the section), and the deactivation of the account once nothing is left (Admin)."""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from app import masking
from app.extensions import db
from app.models.staff import Staff
from app.models.workflow import ServiceInstance, stage_of
from app.security import scope
from app.security.accounts import AccountKept
from app.security.roles import STAFF_HANDOVER
from app.workflow import departures, engine
from app.workflow.definitions import SERVICES

SPREAD = "spread"  # the "everything else" choice that hands each item to the lightest PK


def colleague_or_404(pk: int) -> Staff:
    """The colleague whose work the user may see and hand over (scope.departing_clause), or 404."""
    stmt = select(Staff).where(Staff.id == pk, scope.departing_clause(scope.current_staff()))
    staff = db.session.scalar(stmt)
    if staff is None:
        abort(404)
    return staff


def _chosen(prefix: str) -> dict[int, int]:
    """The PK chosen on each row of the form (rows left at "—" are not in it); bad input is a 400."""
    chosen = {}
    for key, value in request.form.items():
        if not key.startswith(prefix) or not value:
            continue
        item, target = key.removeprefix(prefix), value
        if not (item.isdigit() and target.isdigit() and len(item) < 10 and len(target) < 10):
            abort(400)
        chosen[int(item)] = int(target)
    return chosen


def _role_in(service: ServiceInstance, staff: Staff) -> str:
    if service.officer_id == staff.id:
        return _("Responsible officer")
    if any(member.id == staff.id for member in service.members):
        return _("Team member")
    return _("Named on an open step")


class StaffHandoverView(BaseView):
    """The handover page of one colleague, its reassignment and the account's deactivation."""

    route_base = "/staffhandover"
    class_permission_name = STAFF_HANDOVER
    base_permissions = ["can_show", "can_reassign", "can_deactivate"]
    method_permission_name = {"show": "show", "reassign": "reassign", "deactivate": "deactivate"}
    default_view = "show"

    @expose("/<int:pk>")
    @has_access
    def show(self, pk: int) -> str:
        """What the person holds; for the Kepala and Kasubsi the items, candidates and the form."""
        staff = colleague_or_404(pk)
        may_reassign = self.appbuilder.sm.has_access("can_reassign", STAFF_HANDOVER)
        context: dict = {}
        if may_reassign:
            clients = departures.held_clients(staff)
            services = departures.held_services(staff)
            sections = sorted(
                {c.section for c in clients} | {departures.section_of(s, staff) or "" for s in services}
            )
            loads = {section: departures.candidates(section or None, staff) for section in sections}
            context = {
                "clients": clients,
                "services": services,
                "loads": loads,
                "section_of": lambda s: departures.section_of(s, staff) or "",
                "role_in": lambda s: _role_in(s, staff),
                "subject": masking.subject,
                "stage_of": stage_of,
            }
        return self.render_template(
            "staff_handover.html",
            staff=staff,
            held=departures.summary(staff),
            services_declared=SERVICES,
            may_reassign=may_reassign,
            may_deactivate=self.appbuilder.sm.has_access("can_deactivate", STAFF_HANDOVER),
            spread=SPREAD,
            **context,
        )

    @expose("/<int:pk>/reassign", methods=["POST"])
    @has_access
    def reassign(self, pk: int) -> Response:
        """Hand the chosen clients and services to the chosen PKs, all in one transaction."""
        staff = colleague_or_404(pk)
        clients, services = _chosen("client-"), _chosen("service-")
        rest = request.form.get("all_to", "")
        if rest and rest != SPREAD and not (rest.isdigit() and len(rest) < 10):
            abort(400)
        if rest:
            clients, services = self._rest(staff, clients, services, rest)
        if not clients and not services:
            flash(_("Choose a PK for at least one client or service."), "warning")
            return redirect(url_for(".show", pk=pk))
        try:
            moved = departures.reassign(staff, g.user, clients, services)
            engine.commit()
        except engine.MoveRefused as refused:
            db.session.rollback()
            flash(str(refused), "danger")
            return redirect(url_for(".show", pk=pk))
        flash(_("%(count)d items handed over.", count=moved), "success")
        return redirect(url_for(".show", pk=pk))

    @staticmethod
    def _rest(
        staff: Staff, clients: dict[int, int], services: dict[int, int], rest: str
    ) -> tuple[dict[int, int], dict[int, int]]:
        """The rows left at "—" go to the PK chosen for everything else (where its section fits),
        or each to the lightest PK of its section."""
        held_c = {c.id: c.section for c in departures.held_clients(staff)}
        held_s = {s.id: departures.section_of(s, staff) for s in departures.held_services(staff)}
        open_c = [i for i in held_c if i not in clients]
        open_s = [i for i in held_s if i not in services]
        if rest == SPREAD:
            more_c, more_s = departures.spread(staff, open_c, open_s)
        else:
            target = db.session.get(Staff, int(rest))
            section = target.section if target is not None else None
            more_c = {i: int(rest) for i in open_c if held_c[i] == section}
            more_s = {i: int(rest) for i in open_s if held_s[i] in (section, None)}
        return clients | more_c, services | more_s

    @expose("/<int:pk>/deactivate", methods=["POST"])
    @has_access
    def deactivate(self, pk: int) -> Response:
        """Deactivate the account, refused while it holds clients or open services."""
        staff = colleague_or_404(pk)
        try:
            departures.deactivate(staff)
            db.session.commit()
        except AccountKept as kept:
            db.session.rollback()
            flash(str(kept), "danger")
            return redirect(url_for(".show", pk=pk))
        flash(_("The account of %(name)s is deactivated.", name=staff.full_name), "success")
        return redirect(url_for(".show", pk=pk))
