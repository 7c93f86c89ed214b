"""SOP 13 BATAKO: a PK opens a service point in a town, receives clients there and reports on it."""

from __future__ import annotations

import base64
import binascii
import io
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from PIL import Image
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.formatting import fmt_date
from app.models.clients import ACTIVE, Client
from app.models.guidance import MOBILE
from app.models.mobile import POINT_CLOSED, POINT_OPEN, POINT_REPORTED, MobileAttendance, MobileService
from app.models.reporting import BATAKO
from app.models.staff import Staff
from app.models.workflow import StepRecord
from app.security import scope
from app.timeutil import as_utc, today_wib, utcnow, wib_midnight
from app.uploads import UploadError, check_upload_bytes, store
from app.workflow import engine, guidance, reporting
from app.workflow.definitions import DONE, MOBILE_SERVICE
from app.workflow.guidance import Refused

PER_CLIENT = timedelta(hours=1)  # SOP 13: at most one hour per client
SIGNATURE_PREFIX = "data:image/png;base64,"


def plan_point(user: Staff, town: str, place: str, held_on: date) -> MobileService:
    """The PK plans a service point; opening it on the day is the SOP's first step."""
    point = MobileService(officer_id=user.id, town=town, place=place, held_on=held_on)
    point.instance = engine.start(
        MOBILE_SERVICE.code,
        f"BATAKO {town}, {fmt_date(held_on)}",
        section=user.section,
        officer_id=user.id,
        data={
            "day_ends": wib_midnight(held_on + timedelta(days=1)).isoformat()
        },  # opened and served that day
    )
    db.session.add(point)
    return point


def current_step(point: MobileService) -> StepRecord | None:
    """The point's open step (opening, serving or reporting), if any."""
    return next((r for r in point.instance.steps if r.finished_at is None), None)


def _step(point: MobileService, code: str) -> StepRecord:
    record = current_step(point)
    if record is None or record.step != code:
        raise engine.MoveRefused(_l("This BATAKO point is not at that stage."))
    return record


def start_setting_up(point: MobileService, user: Staff) -> None:
    """The PK starts setting up the counter (the opening step's 'opened' moment)."""
    engine.open_step(_step(point, "open"), user)


def open_counter(point: MobileService, user: Staff) -> None:
    """The counter is open: clients can report."""
    if point.held_on != today_wib():
        raise engine.MoveRefused(_l("A BATAKO point opens on its own date."))
    engine.complete(_step(point, "open"), user)
    point.status, point.opened_at = POINT_OPEN, utcnow()


def find_client(card: str, user: Staff) -> Client:
    """The client under supervision with this guidance card or register number whom `user` may
    serve; another section's client is refused with the same words as an unknown card."""
    card = card.strip()
    client = db.session.scalar(
        select(Client).where(
            Client.status == ACTIVE,
            or_(Client.guidance_card_number == card, Client.register_number == card),
            scope.serves_clause(user),
        )
    )
    if client is None:
        raise Refused(
            "card",
            _l(
                "No client you may serve has this guidance card or register number: only your own "
                "clients and the clients of your section report at your point."
            ),
        )
    return client


def _signature(data_url: str | None, user: Staff) -> Any:
    """The client's signature drawn on the screen, checked and stored; none, or a blank one, refused:
    the attendance list (daftar hadir) is the proof that the client reported."""
    if not data_url:
        raise Refused("signature", _l("The client signs on the screen; the check-in was not saved."))
    if not data_url.startswith(SIGNATURE_PREFIX):
        raise Refused("signature", _l("The signature could not be read; sign again."))
    try:
        raw = base64.b64decode(data_url[len(SIGNATURE_PREFIX) :], validate=True)
        mime, content = check_upload_bytes(raw, "tanda-tangan.png")
    except (binascii.Error, UploadError) as exc:
        raise Refused("signature", _l("The signature could not be read; sign again.")) from exc
    if _blank(content):
        raise Refused("signature", _l("The client signs on the screen; the check-in was not saved."))
    return store(mime, content, "tanda-tangan.png", user.id)


def _blank(png: bytes) -> bool:
    """Whether a drawn signature holds no stroke (one colour, or fully transparent, all over)."""
    with Image.open(io.BytesIO(png)) as image:
        rgba = image.convert("RGBA")
        if rgba.getchannel("A").getextrema()[1] == 0:
            return True
        flat = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        flat.alpha_composite(rgba)
        low, high = flat.convert("L").getextrema()
        return low == high


def check_in(
    point: MobileService, user: Staff, card: str, signature: str | None, at: datetime | None = None
) -> MobileAttendance:
    """A client reports at the point (wajib lapor): found by card, signed, not twice, nor at two points
    on one day; `at` is when it happened (an entry made offline is sent later)."""
    _step(point, "serve")
    client = find_client(card, user)
    if any(visit.client_id == client.id for visit in point.visits):
        raise Refused("card", _l("This client has already reported at this service point."))
    elsewhere = db.session.scalar(
        select(MobileService.place)
        .join(MobileAttendance, MobileAttendance.service_id == MobileService.id)
        .where(
            MobileAttendance.client_id == client.id,
            MobileService.held_on == point.held_on,
            MobileService.id != point.id,
        )
        .limit(1)
    )
    if elsewhere is not None:
        raise Refused(
            "card",
            _l(
                "This client has already reported today at another BATAKO point (%(place)s).", place=elsewhere
            ),
        )
    visit = MobileAttendance(
        service=point, client=client, signature_file=_signature(signature, user), checked_in_at=at or utcnow()
    )
    db.session.add(visit)
    db.session.flush()
    # The check-in is the client's wajib lapor: it meets the due occurrence of its schedule.
    reporting.record_attendance(client, user, utcnow(), BATAKO, mobile_attendance_id=visit.id)
    return visit


def guide(visit: MobileAttendance, user: Staff, fields: dict[str, Any], at: datetime | None = None) -> None:
    """The PK's guidance note for a client who reported at the point, written at `at` (default now)."""
    point = visit.service
    _step(point, "serve")
    if visit.guided_at is not None:
        raise engine.MoveRefused(_l("The guidance of this client has already been recorded."))
    guidance.record_log(user, visit.client, {**fields, "held_on": point.held_on, "place": MOBILE},
                        mobile_visit_id=visit.id)  # fmt: skip
    visit.guided_at = at or utcnow()


def close(point: MobileService, user: Staff) -> None:
    """The PK closes the counter; the activity report is due within a working day."""
    if any(visit.guided_at is None for visit in point.visits):
        raise engine.MoveRefused(_l("Record the guidance of every client who reported before closing."))
    engine.complete(_step(point, "serve"), user, note=str(len(point.visits)))
    point.status, point.closed_at = POINT_CLOSED, utcnow()


def report(point: MobileService, user: Staff, text: str) -> None:
    """The activity report of the point (SOP 13 step 4)."""
    engine.complete(_step(point, "report"), user, outcome=DONE, note=text)


def point_of(record: StepRecord) -> MobileService:
    """The BATAKO point behind a step of SOP 13."""
    return db.session.scalar(select(MobileService).where(MobileService.instance_id == record.instance_id))


@engine.on(MOBILE_SERVICE.code, "report", DONE)
def _reported(record: StepRecord) -> None:
    # Also when the report is written on the task screen rather than on the point's page.
    point = point_of(record)
    point.status, point.report = POINT_REPORTED, record.note


def visits_of(point: MobileService, user: Staff) -> list[MobileAttendance]:
    """The point's visits the user may see, with their clients, in the order they reported: the
    point's PK sees whom it served, everyone else the clients in their own scope."""
    stmt = (
        select(MobileAttendance)
        .options(joinedload(MobileAttendance.client))
        .where(MobileAttendance.service_id == point.id)
        .order_by(MobileAttendance.id)
    )
    visits = list(db.session.scalars(stmt))
    if user.id == point.officer_id:
        return visits
    seen = scope.reachable(Client, {visit.client_id for visit in visits}, user)
    return [visit for visit in visits if visit.client_id in seen]


def visit_minutes(visit: MobileAttendance) -> int | None:
    """Minutes from reporting to the end of the guidance."""
    if visit.guided_at is None:
        return None
    return int((as_utc(visit.guided_at) - as_utc(visit.checked_in_at)).total_seconds() // 60)


def within_hour(visit: MobileAttendance) -> bool | None:
    """Whether the client was served within the hour of SOP 13."""
    minutes = visit_minutes(visit)
    return None if minutes is None else minutes <= PER_CLIENT.total_seconds() // 60
