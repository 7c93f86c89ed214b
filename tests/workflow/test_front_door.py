"""The site's root is the office's public front door: services, status, letter check, address and
hours, and a discreet way in for staff; staff who are signed in land on Tugas Saya."""

from __future__ import annotations

from html import unescape

from tests.conftest import indonesian


def test_a_citizen_at_the_root_meets_the_public_services(client):
    response = client.get("/", follow_redirects=True)
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and response.request.path == "/layanan/"
    for link in ("/layanan/izin", "/layanan/bambang-solah", "/layanan/pengaduan"):
        assert f'href="{link}' in page, link
    assert 'action="/layanan/status"' in page and 'action="/layanan/verifikasi"' in page
    assert indonesian("Service hours") in page and 'href="/login/"' in page
    assert 'name="password"' not in page  # no staff login form at the front door


def test_a_signed_in_officer_at_the_root_gets_tugas_saya(login_as):
    response = login_as("PK").get("/")
    assert response.status_code == 200 and "/layanan/" not in response.headers.get("Location", "")


def test_a_pasted_qr_link_opens_the_letter_check(client):
    response = client.get("/layanan/verifikasi?tautan=https://bapas.example/layanan/verifikasi/abc.def")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/layanan/verifikasi/abc.def")
    assert client.get("/layanan/verifikasi/abc.def").status_code == 200  # says "not valid", in Indonesian
    assert client.get("/layanan/verifikasi?tautan=").status_code == 302
