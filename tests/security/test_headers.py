"""Headers: nothing that names a person is kept by a browser or proxy; HSTS in production."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.models.clients import Client


@pytest.mark.parametrize(
    "url", ["/", "/clientview/list/", "/clientview/show/{pk}", "/supervision/client/{pk}"]
)
def test_staff_pages_are_not_stored(login_as, db_session, url):
    pk = db_session.scalar(select(Client.id).where(Client.register_number == "BKA-001/2026"))
    response = login_as("pk1").get(url.format(pk=pk))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_portal_pages_are_not_stored_and_static_assets_are(client):
    assert client.get("/layanan/").headers["Cache-Control"] == "no-store"
    asset = client.get("/static/css/bapas.css")
    assert asset.status_code == 200 and asset.headers.get("Cache-Control") != "no-store"


def test_hsts_only_where_configured(app, client):
    assert "Strict-Transport-Security" not in client.get("/layanan/").headers
    app.config["HSTS_ENABLED"] = True
    try:
        assert client.get("/layanan/").headers["Strict-Transport-Security"].startswith("max-age=31536000")
    finally:
        app.config["HSTS_ENABLED"] = False


def _policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in header.split("; ")}


def _staff_pdf(login_as, db_session):
    from app.models.complaints import Complaint

    complaint = db_session.scalar(select(Complaint.id).order_by(Complaint.id))
    response = login_as("pengaduan").get(f"/complaintview/receipt/{complaint}")
    assert response.mimetype == "application/pdf"
    return response


def test_every_kind_of_page_carries_a_policy_without_inline_script(login_as, client, db_session):
    pages = {
        "staff": login_as("pk1").get("/clientview/list/"),
        "portal": client.get("/layanan/"),
        "login": client.get("/login/"),
        "error": client.get("/layanan/status/no-such-code"),
        "pdf": _staff_pdf(login_as, db_session),
    }
    for name, response in pages.items():
        policy = _policy(response)
        assert "'unsafe-inline'" not in policy["script-src"], name
        assert "'unsafe-eval'" not in policy["script-src"], name
        assert policy["script-src"].startswith("'self' 'nonce-"), name
        assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'", name
        assert response.headers["Cache-Control"] == "no-store", name


def test_each_inline_script_carries_the_nonce_of_its_response(login_as):
    """FAB's list page has inline scripts: each bears this response's nonce, and every response has
    its own."""
    staff = login_as("kepala")
    first, second = staff.get("/clientview/list/"), staff.get("/clientview/list/")
    nonce = _policy(first)["script-src"].split("'nonce-")[1].rstrip("'")
    assert nonce != _policy(second)["script-src"].split("'nonce-")[1].rstrip("'")
    html = first.get_data(as_text=True)
    scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)([^>]*)>", html)
    assert scripts, "the list page has inline scripts"
    assert all(f'nonce="{nonce}"' in attributes for attributes in scripts)
    assert not re.search(r"\son(click|change|submit|load)=", html)
