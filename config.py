"""Configuration: defaults here, secrets and deployment choices from the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask_appbuilder.const import AUTH_DB

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("BAPAS_INSTANCE_DIR", BASE_DIR / "instance"))


def _local_secret_key() -> str:
    """Return a development key kept in a git-ignored file, generated on first use."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


class Config:
    """Settings shared by every environment."""

    APP_NAME = "Bapas Kelas II Magelang"
    OFFICE_NAME = "Balai Pemasyarakatan Kelas II Magelang"
    OFFICE_CITY = "Magelang"
    OFFICE_TIMEZONE = "Asia/Jakarta"
    APP_THEME = ""
    APP_ICON = ""

    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'bapas.db'}")
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    UPLOAD_DIR = str(INSTANCE_DIR / "uploads")
    MAX_UPLOAD_BYTES = 5 * 1024 * 1024
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    # Pictures are refused above this many pixels before decoding (a 48-megapixel phone photo, an
    # A4 page scanned at 600 dpi fit); a small PNG can declare 20000×20000 and take gigabytes.
    IMAGE_MAX_PIXELS = 50_000_000

    AUTH_TYPE = AUTH_DB
    AUTH_ROLE_ADMIN = "Admin"
    AUTH_ROLE_PUBLIC = "Public"
    AUTH_USER_REGISTRATION = False
    AUTH_RATE_LIMITED = True
    AUTH_RATE_LIMIT = "10 per 5 minute"
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    PORTAL_RATE_LIMIT = os.environ.get("PORTAL_RATE_LIMIT", "10 per hour")
    # Reverse proxies in front of the app (nginx: 1). Their X-Forwarded-For/-Proto/-Host are then
    # trusted, so rate limits count the visitor's address and QR links use the public https URL.
    PROXY_COUNT = int(os.environ.get("BAPAS_PROXY_COUNT", "0"))
    PASSWORD_MIN_LENGTH = 12
    # Two-step verification (TOTP) is open to every account and required for these roles: their
    # first sign-in leads to enrolment. MFA_STEP_SECONDS: time to type the code after the password.
    MFA_REQUIRED_ROLES = ("Admin", "Kepala", "Pengawas")
    MFA_STEP_SECONDS = 300
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCKOUT_MINUTES = 15

    # Schema comes from migrations and permissions from `flask bapas sync-roles`.
    FAB_CREATE_DB = False
    FAB_UPDATE_PERMS = False
    FAB_ADD_SECURITY_API = False
    FAB_SECURITY_MANAGER_CLASS = "app.security.manager.BapasSecurityManager"
    FAB_INDEX_VIEW = "app.views.home.HomeView"
    FAB_BASE_TEMPLATE = "bapas_layout.html"
    FAB_API_SWAGGER_UI = False

    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = {"id": {"flag": "id", "name": "Indonesia"}}

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = True
    # A session ends after this long unused, and in any case this long after sign-in (checked on
    # the server on every request, see app/security/sessions.py).
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    PERMANENT_SESSION_LIFETIME = 8 * 3600

    SECRET_KEY = os.environ.get("SECRET_KEY")
    # Benchmark only (scripts/bench.py): each response says how many SQL statements it ran.
    BAPAS_SQL_COUNT_HEADER = os.environ.get("BAPAS_SQL_COUNT_HEADER", "") not in ("", "0")
    # Key of the audit trail's hash chain; SECRET_KEY when unset. Keep it stable: rows hashed with
    # another key no longer verify.
    AUDIT_HMAC_KEY = os.environ.get("AUDIT_HMAC_KEY")


class LocalConfig(Config):
    """`make run` on a workstation: plain HTTP on localhost, generated key."""

    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()


class ProductionConfig(Config):
    """Deployment behind HTTPS; refuses to start without SECRET_KEY (checked in create_app)."""

    HSTS_ENABLED = True


class TestConfig(Config):
    """pytest: an isolated database, no rate limits, plain HTTP."""

    TESTING = True
    SECRET_KEY = "test-only-key"  # noqa: S105 (tests only; never a deployed key)
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    RATELIMIT_ENABLED = True  # the limiter runs; tests tighten PORTAL_RATE_LIMIT where they prove it
    PORTAL_RATE_LIMIT = "10000 per hour"
    AUTH_RATE_LIMITED = False
    # Tests sign the demo Kepala, Pengawas and Admin in by password alone; tests/security/test_mfa.py
    # sets the roles and proves the enforcement.
    MFA_REQUIRED_ROLES = ()


CONFIGS = {"local": LocalConfig, "production": ProductionConfig, "test": TestConfig}
