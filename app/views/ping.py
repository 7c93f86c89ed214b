"""The floor of the benchmark (scripts/bench.py): a signed-in page that renders the layout only."""

from __future__ import annotations

from flask_appbuilder import BaseView, expose, has_access

from app.security.roles import PING


class PingView(BaseView):
    """Every staff role may open it; it reads nothing but what every page reads (user, menu)."""

    route_base = "/ping"
    class_permission_name = PING
    base_permissions = ["can_show"]
    default_view = "show"

    @expose("/")
    @has_access
    def show(self) -> str:
        """The layout and one sentence."""
        return self.render_template("ping.html")
