"""Headers: nothing that names a person is kept by a browser or proxy; HSTS in production."""

from __future__ import annotations

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
