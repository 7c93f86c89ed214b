"""Delivery: a real SMTP server receives the mail, a fake gateway the WhatsApp call; a failing
channel is retried with backoff and then shown as failed; the digest groups across WIB midnight."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import delete

from app.extensions import db
from app.formatting import fmt_date
from app.models.notifications import EMAIL, FAILED, PENDING, SENT, WHATSAPP, NotificationPreference
from app.notifications import delivery
from app.timeutil import WIB, as_utc
from tests.notifications.conftest import letter, notices, staff

NIGHT = datetime(2027, 4, 6, 23, 30, tzinfo=WIB)  # Tuesday


def test_the_smtp_server_receives_the_mail_with_its_link(app, clock, smtp):
    clock(NIGHT)
    with app.app_context():
        record = letter("ABH", "Surat polisi untuk SMTP", NIGHT)
        db.session.commit()
        result = delivery.deliver_due(NIGHT)
        assert result.sent >= 1
        (mail,) = notices(record, EMAIL)
        assert (mail.status, mail.attempts, as_utc(mail.sent_at)) == (SENT, 1, NIGHT)
        address = staff("kepala").email
        link = f"/tasks/{record.id}"
    (message,) = [m for m in smtp.to(address) if link in m.get_payload()]
    assert message["Subject"].startswith("Tugas baru: ")
    assert f"http://127.0.0.1:8080{link}" in message.get_payload()


def test_the_gateway_receives_the_whatsapp_call(app, clock, gateway):
    clock(NIGHT)
    with app.app_context():
        kepala = staff("kepala")
        db.session.merge(
            NotificationPreference(
                staff_id=kepala.id, email=False, whatsapp=True, whatsapp_number="081234567890"
            )
        )
        db.session.commit()
        try:
            record = letter("ABH", "Surat polisi untuk WhatsApp", NIGHT)
            db.session.commit()
            assert [n.channel for n in notices(record)] == ["app", WHATSAPP]
            delivery.deliver_due(NIGHT)
            assert notices(record, WHATSAPP)[0].status == SENT
            link = f"/tasks/{record.id}"
        finally:
            db.session.execute(
                delete(NotificationPreference).where(NotificationPreference.staff_id == kepala.id)
            )
            db.session.commit()
    (call,) = [c for c in gateway if link in c["json"]["text"]]
    assert call["auth"] == "Bearer rahasia-gateway"
    assert call["json"]["phone"] == "081234567890" and call["json"]["type"] == "text"
    assert call["json"]["text"].startswith("Tugas baru: ")


def test_a_failing_channel_is_retried_with_backoff_then_failed(app, clock, login_as):
    clock(NIGHT)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_USE_TLS=False, NOTIFY_MAX_ATTEMPTS=3)
    try:
        with app.app_context():
            record = letter("ABH", "Surat polisi, server surat mati", NIGHT)
            db.session.commit()
            (mail,) = notices(record, EMAIL)
            delivery.deliver_due(NIGHT)
            db.session.refresh(mail)
            assert (mail.status, mail.attempts) == (PENDING, 1)
            assert as_utc(mail.next_attempt_at) == NIGHT + timedelta(seconds=60)
            assert "ConnectionRefusedError" in mail.last_error
            delivery.deliver_due(NIGHT + timedelta(seconds=30))  # not due yet: untouched
            db.session.refresh(mail)
            assert mail.attempts == 1
            delivery.deliver_due(NIGHT + timedelta(seconds=60))
            db.session.refresh(mail)
            assert mail.attempts == 2
            assert as_utc(mail.next_attempt_at) == NIGHT + timedelta(seconds=60 + 120)
            delivery.deliver_due(NIGHT + timedelta(seconds=180))
            db.session.refresh(mail)
            assert (mail.status, mail.attempts) == (FAILED, 3)
            link = f"/tasks/{record.id}"
    finally:
        app.config.update(MAIL_SERVER=None, NOTIFY_MAX_ATTEMPTS=5)
    page = login_as("Admin").get("/notificationoutboxview/list/?_flt_0_status=failed")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Gagal" in html and "ConnectionRefusedError" in html
    assert link not in html  # the Admin sees the delivery state, not the notice


def test_the_digest_groups_the_nights_tasks_across_wib_midnight(app, clock, smtp):
    with app.app_context():
        clock(NIGHT)
        delivery.deliver_due(NIGHT)  # what other tests left due goes first
        before_midnight = letter("SURAT", "Surat ringkasan sebelum tengah malam", NIGHT)
        db.session.commit()
        after = NIGHT + timedelta(hours=1)  # 00:30 WIB on Wednesday, still 17:30 UTC on Tuesday
        clock(after)
        after_midnight = letter("SURAT", "Surat ringkasan sesudah tengah malam", after)
        db.session.commit()
        morning = datetime(2027, 4, 7, 7, 30, tzinfo=WIB)
        clock(morning)
        next_day = letter("SURAT", "Surat ringkasan hari berikutnya", morning)
        db.session.commit()
        seven = datetime(2027, 4, 7, 7, 0, tzinfo=WIB)
        digests = [notices(r, EMAIL)[0] for r in (before_midnight, after_midnight, next_day)]
        assert [as_utc(n.next_attempt_at) for n in digests] == [seven, seven, seven + timedelta(days=1)]
        delivery.deliver_due(seven - timedelta(minutes=1))
        assert not [m for m in smtp.messages if f"/tasks/{before_midnight.id}" in m.get_payload()]
        delivery.deliver_due(morning)
        address = staff("kepala").email
        links = [f"/tasks/{r.id}" for r in (before_midnight, after_midnight, next_day)]
        day = fmt_date(date(2027, 4, 7))
    (digest,) = [m for m in smtp.to(address) if m["Subject"].startswith("Ringkasan harian")]
    body = digest.get_payload()
    assert digest["Subject"].startswith(f"Ringkasan harian {day}: ")
    assert links[0] in body and links[1] in body
    assert links[2] not in body
