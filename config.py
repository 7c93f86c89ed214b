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
    # Service hours on the public front page (the standards' "jam pelayanan"), the same in every office.
    OFFICE_HOURS = os.environ.get("BAPAS_OFFICE_HOURS", "Senin–Kamis 07.30–16.00 WIB, Jumat 07.30–16.30 WIB")
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
    # Failed sign-ins per address (successes are not counted: an office behind one NAT address signs
    # everyone in at 07:30); failures per account lock that account (LOGIN_MAX_FAILURES).
    AUTH_RATE_LIMITED = True
    AUTH_RATE_LIMIT = os.environ.get("AUTH_RATE_LIMIT", "10 per 5 minute")
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # The public portal, per address: successful submissions (failed ones and look-ups do not
    # count), receipt codes looked up that find nothing; and submissions naming one client.
    PORTAL_RATE_LIMIT = os.environ.get("PORTAL_RATE_LIMIT", "10 per hour")
    PORTAL_STATUS_RATE_LIMIT = os.environ.get("PORTAL_STATUS_RATE_LIMIT", "20 per hour")
    PORTAL_CLIENT_RATE_LIMIT = os.environ.get("PORTAL_CLIENT_RATE_LIMIT", "5 per day")
    # Reverse proxies in front of the app (nginx: 1). Their X-Forwarded-For/-Proto/-Host are then
    # trusted, so rate limits count the visitor's address and QR links use the public https URL.
    PROXY_COUNT = int(os.environ.get("BAPAS_PROXY_COUNT", "0"))
    PASSWORD_MIN_LENGTH = 12
    # Two-step verification (TOTP) is open to every account and required for these roles (those who
    # see the whole office, and the oversight roles who see many offices): their first sign-in leads
    # to enrolment. MFA_STEP_SECONDS: time to type the code after the password.
    MFA_REQUIRED_ROLES = ("Admin", "Kepala", "Pengawas", "Kanwil", "Ditjenpas")
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
    # Key the TOTP keys are encrypted with in the database; SECRET_KEY when unset. Keep it stable:
    # keys sealed with another one no longer open (the accounts then need `flask bapas mfa-reset`).
    TOTP_ENCRYPTION_KEY = os.environ.get("TOTP_ENCRYPTION_KEY")

    # Notifications (app/notifications): links in e-mail and WhatsApp start with NOTIFY_BASE_URL; the
    # worker runs on RQ when NOTIFY_REDIS_URL is set. Quiet hours (WIB, empty for none) hold back
    # everything but ABH; a failed notice is retried after 1, 2, 4, … minutes, then shown as failed.
    NOTIFY_BASE_URL = os.environ.get("BAPAS_BASE_URL", "http://127.0.0.1:8080")
    NOTIFY_REDIS_URL = os.environ.get("NOTIFY_REDIS_URL")
    NOTIFY_IN_PROCESS = False
    NOTIFY_INTERVAL_SECONDS = 60
    NOTIFY_QUIET_HOURS = os.environ.get("NOTIFY_QUIET_HOURS", "21:00-06:00")
    NOTIFY_DIGEST_HOUR = 7
    NOTIFY_MAX_ATTEMPTS = int(os.environ.get("NOTIFY_MAX_ATTEMPTS", "5"))
    NOTIFY_RETRY_SECONDS = 60
    # E-mail over SMTP; unset MAIL_SERVER: e-mail is only logged.
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "1") == "1"
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "0") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_FROM = os.environ.get("MAIL_FROM")
    # WhatsApp through an HTTP gateway: POST of the JSON template ({to}, {subject}, {text} filled in)
    # with `Authorization: Bearer TOKEN`; unset URL: WhatsApp is only logged.
    WHATSAPP_GATEWAY_URL = os.environ.get("WHATSAPP_GATEWAY_URL")
    WHATSAPP_GATEWAY_TOKEN = os.environ.get("WHATSAPP_GATEWAY_TOKEN")
    WHATSAPP_GATEWAY_TEMPLATE = os.environ.get("WHATSAPP_GATEWAY_TEMPLATE")


class LocalConfig(Config):
    """`make run` on a workstation: plain HTTP on localhost, generated key."""

    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
    NOTIFY_IN_PROCESS = True  # no Redis needed: the app delivers in a thread of its own


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
    PORTAL_STATUS_RATE_LIMIT = "10000 per hour"
    PORTAL_CLIENT_RATE_LIMIT = "10000 per hour"
    AUTH_RATE_LIMITED = False
    # Tests sign the demo Kepala, Pengawas and Admin in by password alone; tests/security/test_mfa.py
    # sets the roles and proves the enforcement.
    MFA_REQUIRED_ROLES = ()
    # Tests deliver by calling a pass, with no Redis and no quiet hours unless they set them.
    NOTIFY_REDIS_URL = None
    NOTIFY_QUIET_HOURS = ""
    MAIL_SERVER = None
    WHATSAPP_GATEWAY_URL = None


CONFIGS = {"local": LocalConfig, "production": ProductionConfig, "test": TestConfig}
