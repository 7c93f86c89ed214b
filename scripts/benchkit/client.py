"""A small HTTP client for the benchmark: one signed-in staff session against a local gunicorn.

The standard library only (no extra dependency). The measured server runs the production config
behind a pretend proxy (BAPAS_PROXY_COUNT=1): each session says it comes over https from its own
address, so Secure cookies are kept and the sign-in rate limit counts each session apart.
"""

from __future__ import annotations

import http.client
import re
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pyotp

CSRF = re.compile(r'name="csrf-token" content="([^"]+)"|name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass
class Reply:
    """A response: status, headers (lower-case names), body and the seconds it took."""

    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        """The body as text."""
        return self.body.decode("utf-8", "replace")


class SignInError(RuntimeError):
    """A bench account could not sign in."""


class Session:
    """Cookies, a CSRF token and a pretend client address against host:port."""

    def __init__(self, host: str, port: int, address: str = "10.0.0.1", timeout: float = 120.0) -> None:
        self.host, self.port, self.address, self.timeout = host, port, address, timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Reply:
        """One request; the cookies it sets are kept."""
        origin = f"{self.host}:{self.port}"
        # Over "https" Flask-WTF checks that a form comes from the same site, as a browser's would.
        headers = {"X-Forwarded-For": self.address, "X-Forwarded-Proto": "https", "Host": origin,
                   "Referer": f"https://{origin}/"}  # fmt: skip
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        began = time.perf_counter()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        seconds = time.perf_counter() - began
        for value in response.headers.get_all("Set-Cookie") or ():
            self._keep(value)
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data, seconds)

    def get(self, path: str) -> Reply:
        """GET, without following redirects (a redirect is measured as what it is)."""
        return self.request("GET", path)

    def follow(self, path: str, form: dict[str, str] | None = None) -> tuple[str, Reply]:
        """GET or POST, then follow redirects; returns the final path and reply."""
        reply = self.request("POST" if form is not None else "GET", path, form)
        for _ in range(5):
            if reply.status not in (301, 302, 303):
                break
            location = reply.headers["location"]
            path = location.split(f"{self.port}", 1)[-1] if "://" in location else location
            reply = self.get(path)
        return path, reply

    def token(self, page: Reply) -> str:
        """The CSRF token of a rendered page."""
        match = CSRF.search(page.text)
        if not match:
            raise SignInError("no CSRF token on the page")
        return match.group(1) or match.group(2)

    def sign_in(self, username: str, password: str, totp_secret: str | None = None) -> None:
        """Password, then the authenticator code where the account has one; ends on the home page."""
        _path, page = self.follow("/login/")
        form = {"username": username, "password": password, "csrf_token": self.token(page)}
        path, page = self.follow("/login/", form)
        if path.startswith("/login/verify/"):
            if not totp_secret:
                raise SignInError(f"{username} needs a code")
            for attempt in range(2):
                code = pyotp.TOTP(totp_secret).now()
                path, page = self.follow("/login/verify/", {"code": code, "csrf_token": self.token(page)})
                if not path.startswith("/login"):
                    break
                if attempt == 0:  # a code is good once: wait for the next 30-second step
                    time.sleep(31 - time.time() % 30)
        if path.startswith("/login") or page.status != 200:
            raise SignInError(f"{username} could not sign in (ended on {path}, {page.status})")

    def _keep(self, header: str) -> None:
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if morsel.get("max-age") == "0" or (morsel.get("expires") and "1970" in morsel["expires"]):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value
