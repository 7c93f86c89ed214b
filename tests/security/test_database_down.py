"""Database unreachable: every page says so in Indonesian with a 503, and /healthz tells the load balancer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import indonesian

ROOT = Path(__file__).resolve().parents[2]
# Pages that need the database, for a visitor and for a signed-in member of staff.
ANONYMOUS = (
    "/login/", "/clientview/list/", "/nosuchpage", "/layanan/", "/layanan/pengaduan",
    "/layanan/pengaduan/status/ABCDEFGH",
)  # fmt: skip
SIGNED_IN = ("/", "/clientview/list/", "/performance/list/", "/ekspor/")
# A second app on a database that does not answer, in a process of its own: the app's extensions are
# singletons, so building it here would rebind them under the session's app. Exceptions are not
# propagated, as in production.
PROBE = """
import json, sys
from app import create_app
app = create_app({"ENV": "test", "SQLALCHEMY_DATABASE_URI": sys.argv[1], "UPLOAD_DIR": sys.argv[2],
                  "PROPAGATE_EXCEPTIONS": False, "WTF_CSRF_ENABLED": False})
anonymous, staff = json.loads(sys.argv[3]), json.loads(sys.argv[4])
pages = {}
client = app.test_client()
for path in anonymous:
    pages[path] = client.get(path)
pages["POST /layanan/status"] = client.post("/layanan/status", data={"code": "ABCDEFGH"})
pages["/healthz"] = client.get("/healthz")
signed_in = app.test_client()
with signed_in.session_transaction() as session:
    session["_user_id"] = "1"
    session["_fresh"] = True
for path in staff:
    pages["staff " + path] = signed_in.get(path)
print(json.dumps({path: [r.status_code, r.get_data(as_text=True)] for path, r in pages.items()}))
"""


@pytest.mark.parametrize(
    "url",
    ["postgresql+psycopg://postgres@127.0.0.1:1/bapas", "sqlite:////nonexistent-bapas-dir/nothing/bapas.db"],
    ids=["postgres-closed-port", "sqlite-missing-dir"],
)
def test_unreachable_database_gives_the_indonesian_503_page(tmp_path, url):
    done = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", PROBE, url, str(tmp_path), json.dumps(ANONYMOUS), json.dumps(SIGNED_IN)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    pages = json.loads(done.stdout.strip().splitlines()[-1])
    message = indonesian("The service is disrupted at the moment. Please try again shortly.")
    for path in [*ANONYMOUS, "POST /layanan/status", *(f"staff {p}" for p in SIGNED_IN)]:
        status, body = pages[path]
        assert (path, status) == (path, 503)
        assert message in body, path
        assert "Traceback" not in body and "sqlalchemy" not in body.lower()
    status, body = pages["/healthz"]
    assert status == 503
    assert json.loads(body) == {"database": "unavailable"}


def test_healthz_answers_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"database": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
