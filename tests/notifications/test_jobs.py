"""Production delivery on RQ over Redis: a commit that wrote notices wakes the worker (a job on the
queue), whose pass sends them; `flask bapas notify` runs one pass."""

from __future__ import annotations

import os
from datetime import datetime

import pytest
from redis import Redis
from rq import Queue, SimpleWorker

from app.extensions import db
from app.models.notifications import EMAIL, SENT
from app.notifications.jobs import QUEUE
from app.timeutil import WIB
from tests.notifications.conftest import letter, notices

REDIS_URL = os.environ.get("TEST_RQ_REDIS_URL", "redis://127.0.0.1:6379/10")
AT = datetime(2027, 7, 6, 10, 0, tzinfo=WIB)


@pytest.fixture()
def redis(app):
    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except Exception:
        pytest.skip("no Redis at 127.0.0.1:6379")
    Queue(QUEUE, connection=connection).empty()
    app.config["NOTIFY_REDIS_URL"] = REDIS_URL
    yield connection
    app.config["NOTIFY_REDIS_URL"] = None
    Queue(QUEUE, connection=connection).empty()


def test_a_commit_wakes_the_rq_worker_which_delivers(app, clock, redis, smtp):
    clock(AT)
    queue = Queue(QUEUE, connection=redis)
    with app.app_context():
        record = letter("ABH", "Surat untuk pekerja RQ", AT)
        db.session.commit()
        assert queue.count == 1
        SimpleWorker([queue], connection=redis).work(burst=True)
        (mail,) = notices(record, EMAIL)
        db.session.refresh(mail)
        assert mail.status == SENT
        link = f"/tasks/{record.id}"
    assert [m for m in smtp.messages if link in m.get_payload()]


def test_a_commit_without_notices_does_not_wake_it(app, redis):
    with app.app_context():
        db.session.commit()
    assert Queue(QUEUE, connection=redis).count == 0


def test_the_command_runs_one_pass(app):
    result = app.test_cli_runner().invoke(args=["bapas", "notify"])
    assert result.exit_code == 0 and result.output.startswith("Notifikasi terkirim: ")
