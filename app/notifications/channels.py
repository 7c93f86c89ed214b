"""Channels behind one small interface: `send(address, subject, text)` raises when it did not go.

E-mail goes over SMTP (standard library), WhatsApp through a configurable HTTP gateway (URL, token
and a JSON template whose strings may hold {to}, {subject} and {text}); a channel that is not
configured only logs, which is what a local run wants.
"""

from __future__ import annotations

import json
import logging
import smtplib
import urllib.request
from email.message import EmailMessage
from typing import Any, Protocol

from flask import current_app

from app.models.notifications import EMAIL, WHATSAPP

log = logging.getLogger("bapas.notify")
TIMEOUT = 10
DEFAULT_TEMPLATE = '{"to": "{to}", "message": "{text}"}'


class Channel(Protocol):
    """Something that delivers one message to one address."""

    def send(self, address: str, subject: str, text: str) -> None:
        """Deliver, or raise an exception saying why not."""


class LogChannel:
    """Writes the message to the log instead of sending it (local runs)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def send(self, address: str, subject: str, text: str) -> None:
        """Log the message."""
        log.info("[%s] %s…: %s\n%s", self.name, address[:4], subject, text)


class SmtpChannel:
    """E-mail over SMTP: MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS/MAIL_USE_SSL, MAIL_USERNAME/PASSWORD."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config

    def send(self, address: str, subject: str, text: str) -> None:
        """Send one plain-text e-mail."""
        config = self.config
        message = EmailMessage()
        message["From"] = config.get("MAIL_FROM") or "bapas@localhost"
        message["To"] = address
        message["Subject"] = subject
        message.set_content(text)
        factory = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
        with factory(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25), timeout=TIMEOUT) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)


def _fill(value: Any, fields: dict[str, str]) -> Any:
    if isinstance(value, str):
        for name, text in fields.items():
            value = value.replace("{" + name + "}", text)
        return value
    if isinstance(value, dict):
        return {key: _fill(item, fields) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, fields) for item in value]
    return value


class WhatsAppGateway:
    """A WhatsApp gateway over HTTP: POST of the filled JSON template, with a bearer token."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.url = config["WHATSAPP_GATEWAY_URL"]
        self.token = config.get("WHATSAPP_GATEWAY_TOKEN") or ""
        self.template = json.loads(config.get("WHATSAPP_GATEWAY_TEMPLATE") or DEFAULT_TEMPLATE)

    def send(self, address: str, subject: str, text: str) -> None:
        """Post the message; any answer but 2xx is a failure."""
        payload = _fill(self.template, {"to": address, "subject": subject, "text": f"{subject}\n{text}"})
        request = urllib.request.Request(  # noqa: S310 (the URL is the operator's own configuration)
            self.url,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            if not 200 <= response.status < 300:
                raise RuntimeError(f"gateway answered {response.status}")


def channel_for(name: str) -> Channel:
    """The configured channel of this name; a log-only one where nothing is configured."""
    config = current_app.config
    if name == EMAIL and config.get("MAIL_SERVER"):
        return SmtpChannel(config)
    if name == WHATSAPP and config.get("WHATSAPP_GATEWAY_URL"):
        return WhatsAppGateway(config)
    return LogChannel(name)
