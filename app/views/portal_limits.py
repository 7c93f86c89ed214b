"""Rate limits of the public portal, per address (the visitor's, behind BAPAS_PROXY_COUNT proxies).

- Submissions: only successful ones count (PORTAL_RATE_LIMIT), so a citizen correcting a refused
  form, or many citizens behind one mobile-network address looking up their requests, are not
  locked out; a form that names a client also counts per client (PORTAL_CLIENT_RATE_LIMIT).
- Look-ups by receipt code (the status pages, their letter and correction pages, the look-up
  form): codes that find nothing count (PORTAL_STATUS_RATE_LIMIT), which is what guessing produces.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, current_app, g, request
from limits import RateLimitItem, parse

from app.extensions import appbuilder

F = TypeVar("F", bound=Callable[..., object])

# Endpoints whose successful POST is a submission (filled in by `submission`).
SUBMISSIONS: set[str] = set()
CLIENT_SCOPE = "portal-client"


def submission(blueprint: Blueprint) -> Callable[[F], F]:
    """Mark a view of `blueprint` as a form whose successful POSTs count against the address."""

    def mark(view: F) -> F:
        SUBMISSIONS.add(f"{blueprint.name}.{view.__name__}")
        return view

    return mark


def submitted(client_id: int | None = None) -> None:
    """This request stored a submission: count it for the address and, if it names one, the client."""
    g.portal_submitted = True
    if client_id is not None:
        appbuilder.sm.limiter.limiter.hit(_client_limit(), CLIENT_SCOPE, str(client_id))


def client_may_submit(client_id: int) -> bool:
    """Whether one more request naming this client is allowed now."""
    return appbuilder.sm.limiter.limiter.test(_client_limit(), CLIENT_SCOPE, str(client_id))


def code_missed() -> None:
    """This request looked a receipt code up and found nothing: count it for the address."""
    g.portal_code_missed = True


def _client_limit() -> RateLimitItem:
    return parse(current_app.config["PORTAL_CLIENT_RATE_LIMIT"])


def _by_code() -> bool:
    return request.endpoint == "portal.lookup" or "code" in (request.view_args or {})


def install(blueprint: Blueprint) -> None:
    """Put the submission and look-up limits on the portal's blueprint."""
    limiter = appbuilder.sm.limiter
    limiter.shared_limit(
        lambda: current_app.config["PORTAL_RATE_LIMIT"],
        scope="portal-submissions",
        methods=["POST"],
        exempt_when=lambda: request.endpoint not in SUBMISSIONS,
        deduct_when=lambda _response: bool(g.get("portal_submitted")),
    )(blueprint)
    limiter.shared_limit(
        lambda: current_app.config["PORTAL_STATUS_RATE_LIMIT"],
        scope="portal-lookups",
        exempt_when=lambda: not _by_code(),
        deduct_when=lambda _response: bool(g.get("portal_code_missed")),
    )(blueprint)
