"""A real SMTP server (aiosmtpd) and a fake WhatsApp gateway (http.server) the notices go to."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models.notifications import Notification
from app.models.staff import Staff
from app.models.workflow import StepRecord
from app.workflow import correspondence


@dataclass
class Inbox:
    """What the SMTP server received."""

    messages: list[Message] = field(default_factory=list)

    def to(self, address: str) -> list[Message]:
        """The messages sent to one address."""
        return [m for m in self.messages if m["To"] == address]


class _Handler:
    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox

    async def handle_DATA(self, server, session, envelope):
        self.inbox.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def smtp(app: Flask) -> Iterator[Inbox]:
    """An SMTP server on a free port, with the app's e-mail channel pointed at it."""
    inbox = Inbox()
    controller = Controller(_Handler(inbox), hostname="127.0.0.1", port=_free_port())
    controller.start()
    saved = {k: app.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_USE_TLS=False)
    yield inbox
    app.config.update(saved)
    controller.stop()


@pytest.fixture()
def gateway(app: Flask) -> Iterator[list[dict]]:
    """A WhatsApp gateway on a free port recording each call (headers and JSON body)."""
    calls: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            calls.append({"auth": self.headers["Authorization"], "json": json.loads(body)})
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"status": "queued"}')

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    keys = ("WHATSAPP_GATEWAY_URL", "WHATSAPP_GATEWAY_TOKEN", "WHATSAPP_GATEWAY_TEMPLATE")
    saved = {k: app.config.get(k) for k in keys}
    app.config.update(
        WHATSAPP_GATEWAY_URL=f"http://127.0.0.1:{server.server_port}/send",
        WHATSAPP_GATEWAY_TOKEN="rahasia-gateway",
        WHATSAPP_GATEWAY_TEMPLATE='{"phone": "{to}", "text": "{text}", "type": "text"}',
    )
    yield calls
    app.config.update(saved)
    server.shutdown()


def staff(username: str) -> Staff:
    """A demo account by username."""
    return db.session.scalar(select(Staff).where(Staff.username == username))


def letter(service: str, subject: str, at: datetime) -> StepRecord:
    """TU registers a letter (ABH or SURAT) at `at`; returns the step that became the Kepala's."""
    registered = correspondence.register_letter(
        staff("tu"), service=service, sender="Polres Magelang", sender_kind="POLRI",
        letter_number=f"B/{abs(hash(subject)) % 10000}/2026", letter_date=date(2026, 11, 2),
        subject=subject, received_at=at,
    )  # fmt: skip
    return registered.instance.steps[-1]


def notices(record: StepRecord, channel: str | None = None) -> list[Notification]:
    """The notices written about one step."""
    stmt = select(Notification).where(Notification.step_record_id == record.id).order_by(Notification.id)
    if channel:
        stmt = stmt.where(Notification.channel == channel)
    return list(db.session.scalars(stmt))
