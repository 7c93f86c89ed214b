"""Supervision of clients: the overview of who needs attention, and each client's supervision file."""

from __future__ import annotations

from flask import Response, abort
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models.clients import Client
from app.models.guidance import (
    EARLY,
    FINAL,
    KINDS,
    MIDDLE,
    PLACES,
    RISK_LEVELS,
    STAGES,
    GuidanceLog,
    ProgressReport,
    StagePlan,
    SupervisionPeriod,
)
from app.models.staff import Staff
from app.pdf import render_pdf
from app.security import scope
from app.security.roles import SUPERVISION
from app.timeutil import today_wib
from app.views.base import confidential
from app.workflow import supervision
from app.workflow.supervision import first_of_month

RECENT_LOGS = 50


class SupervisionView(BaseView):
    """Clients ending supervision soon or missing their reporting; the buku ekspirasi of a client."""

    route_base = "/supervision"
    class_permission_name = SUPERVISION
    base_permissions = ["can_list", "can_show"]
    method_permission_name = {"overview": "list", "client": "show", "termination": "show"}
    default_view = "overview"

    @expose("/")
    @has_access
    def overview(self) -> str:
        """The clients that need attention, in the user's scope."""
        today = today_wib()
        return self.render_template(
            "supervision_overview.html",
            title=_l("Supervision overview"),
            ending=supervision.ending_soon(today),
            missed=supervision.missed_reporting(today),
            today=today,
        )

    @expose("/client/<int:pk>")
    @has_access
    def client(self, pk: int) -> str:
        """A client's supervision file: the stage dates and their history, plans, guidance, reports."""
        client = scope.get_or_404(Client, pk)
        by_client = {"client_id": client.id}
        periods = db.session.scalars(
            select(SupervisionPeriod).filter_by(**by_client).order_by(SupervisionPeriod.id.desc())
        ).all()
        logs = db.session.scalars(
            scope.restrict(select(GuidanceLog).filter_by(**by_client), GuidanceLog)
            .order_by(GuidanceLog.held_on.desc(), GuidanceLog.id.desc())
            .limit(RECENT_LOGS)
        ).all()
        return self.render_template(
            "supervision_client.html",
            client=client,
            periods=periods,
            current=next((p for p in periods if p.superseded_at is None), None),
            today=today_wib(),
            this_month=first_of_month(today_wib()),
            plans={p.stage: p for p in db.session.scalars(select(StagePlan).filter_by(**by_client))},
            reports=db.session.scalars(
                select(ProgressReport).filter_by(**by_client).order_by(ProgressReport.month.desc())
            ).all(),
            logs=logs,
            recent=RECENT_LOGS,
            stages=STAGES,
            kinds=KINDS,
            places=PLACES,
            risk_levels=RISK_LEVELS,
            confidential=confidential,
        )

    @expose("/termination/<int:pk>")
    @has_access
    def termination(self, pk: int) -> Response:
        """The signed termination letter of a client's guidance (surat pengakhiran bimbingan)."""
        plan = scope.get_or_404(StagePlan, pk)
        if plan.stage != FINAL or plan.termination_number is None:
            abort(404)
        sign = plan.instance.steps[-1]
        signer = db.session.get(Staff, sign.finished_by_id) if sign.finished_by_id else None
        pdf = render_pdf(
            "pdf/termination_letter.html",
            plan.client.office,
            plan=plan,
            client=plan.client,
            signer=signer,
            signed=sign,
            stages=completed_stages(plan.client_id),
        )
        return Response(pdf, mimetype="application/pdf")


def completed_stages(client_id: int) -> str:
    """The stages whose plan the Sidang TPP approved, in words: "tahap awal, tahap lanjutan dan tahap
    akhir" (a client registered in the final stage completed that one only)."""
    approved = set(
        db.session.scalars(
            select(StagePlan.stage).where(
                StagePlan.client_id == client_id, StagePlan.approved_at.is_not(None)
            )
        )
    )
    names = [str(STAGES[stage]).lower() for stage in (EARLY, MIDDLE, FINAL) if stage in approved]
    if len(names) < 2:
        return "".join(names)
    return _("%(items)s and %(last)s", items=", ".join(names[:-1]), last=names[-1])
