"""Service instances: every request of every SOP, with where it stands."""

from __future__ import annotations

from flask import redirect, url_for
from flask_appbuilder import expose, has_access
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.extensions import db
from app.formatting import choice_label, fmt_datetime
from app.models.workflow import INSTANCE_STATUSES, ServiceInstance, StepRecord
from app.security import scope
from app.security.roles import INSTANCE
from app.views.base import BapasModelView, ScopedInterface
from app.workflow.definitions import SERVICES

SERVICE_TITLES = {code: service.title for code, service in SERVICES.items()}


class ServiceInstanceView(BapasModelView):
    """All instances in the user's scope; each opens on its latest step."""

    datamodel = ScopedInterface(ServiceInstance, eager=("officer", "client"))
    class_permission_name = INSTANCE
    base_permissions = ["can_list", "can_show"]
    list_title = show_title = _l("Services")
    label_columns = {
        "id": _l("Number"),
        "service": _l("Service"),
        "subject": _l("Subject"),
        "section": _l("Section"),
        "officer": _l("Responsible PK"),
        "status": _l("Status"),
        "started_at": _l("Started"),
        "finished_at": _l("Finished"),
        "limit_due_at": _l("Overall limit"),
        "limit_met": _l("Limit met"),
    }
    formatters_columns = {
        "service": choice_label(SERVICE_TITLES),
        "status": choice_label(INSTANCE_STATUSES),
        "started_at": fmt_datetime,
        "finished_at": fmt_datetime,
        "limit_due_at": fmt_datetime,
    }
    list_columns = ["id", "service", "subject", "section", "officer", "status", "started_at"]
    search_columns = ["service", "subject", "section", "status", "started_at"]
    order_columns = ["id", "started_at"]
    base_order = ("started_at", "desc")

    @expose("/show/<pk>")
    @has_access
    def show(self, pk: str) -> Response:
        """Open the instance on its latest step's screen."""
        instance = scope.get_or_404(ServiceInstance, int(pk) if str(pk).isdigit() else 0)
        latest = db.session.scalar(
            select(StepRecord.id).where(StepRecord.instance_id == instance.id).order_by(StepRecord.id.desc())
        )
        return redirect(url_for("TaskView.show", pk=latest))
