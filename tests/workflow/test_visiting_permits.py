"""Travel permits across offices: a Magelang client travelling to Semarang is seen there, once the
permit is signed, and a Semarang PK records the client's report on arrival for the Magelang PK."""

from __future__ import annotations

from datetime import date, datetime
from html import unescape

from sqlalchemy import select

from app.forms.ranges import RECEIVED
from app.models.clients import Client
from app.models.staff import Staff
from app.models.travel_permits import ArrivalReport, TravelPermit
from app.timeutil import WIB
from tests.conftest import expected, indonesian
from tests.factories import client_with_period
from tests.views.test_clients import PNG_1PX

TUESDAY = datetime(2026, 11, 24, 10, 0, tzinfo=WIB)
TRIP = {"depart_on": date(2026, 11, 23), "return_on": date(2026, 11, 27)}


def _permit(app, register_number: str, officer: str, city: str, *, born: date, sign: bool = True) -> int:
    """A permit of a new client of `officer` to `city`, through the SOP 11 steps up to the signature."""
    from app.extensions import db
    from app.workflow import engine, travel_permits
    from app.workflow.definitions import APPROVE

    client_id = client_with_period(
        app, register_number, officer, date(2026, 6, 1), date(2027, 5, 31), born=born
    )
    with app.app_context():
        users = {u.username: u for u in db.session.scalars(select(Staff))}
        client = db.session.get(Client, client_id)
        trip = {f: "x" for f in travel_permits.FIELDS} | TRIP | {
            "destination_city": city, "destination_address": "Jl. Pemuda No. 1",
            "applicant_relation": "klien",
        }  # fmt: skip
        permit = travel_permits.submit(client, trip, ("image/png", PNG_1PX, "ttd.png"))
        db.session.flush()
        kepala = users["kepala"]
        moves = [(users[officer], "done"), (kepala, APPROVE), (users[officer], "done")]
        if sign:
            moves.append((kepala, APPROVE))
        for user, outcome in moves:
            engine.complete(travel_permits.open_step(permit), user, outcome=outcome, note="Wajib lapor diri.")
        db.session.commit()
        return permit.id


def _page(session, url: str) -> str:
    return unescape(session.get(url).get_data(as_text=True))


def test_semarang_sees_a_signed_permit_to_its_city_and_records_the_arrival(app, login_as, db_session, clock):
    clock(TUESDAY)
    pending = _permit(app, "BKD-960/2026", "pk2", "Kab. Semarang", born=date(1985, 1, 1), sign=False)
    permit_id = _permit(app, "BKD-961/2026", "pk2", "Kota Semarang", born=date(1985, 1, 1))
    child = _permit(app, "BKA-962/2026", "pk1", "SEMARANG", born=date(2012, 5, 5))
    elsewhere = _permit(app, "BKD-963/2026", "pk2", "Yogyakarta", born=date(1985, 1, 1))
    db_session.rollback()
    assert db_session.get(TravelPermit, pending).destination_office_id == 2
    assert db_session.get(TravelPermit, elsewhere).destination_office_id is None

    for who in ("pk.smg", "kepala.smg", "kasubsi.smg"):
        listing = _page(login_as(who), "/visitingpermitview/list/")
        assert "BKD-961/2026 — Klien BKD-961/2026" in listing, who
        assert "Bapas Kelas II Magelang" in listing
        assert "BKD-960/2026" not in listing and "BKD-963/2026" not in listing  # not signed; elsewhere
        # A child is named by initials only.
        assert "BKA-962/2026 — K. B." in listing and "Klien BKA-962/2026" not in listing
    for who in ("pk1", "kepala", "pk2"):
        assert "BKD-961/2026" not in _page(login_as(who), "/visitingpermitview/list/")
        assert login_as(who).get(f"/visitingpermitview/show/{permit_id}").status_code == 404

    pk = login_as("pk.smg")
    show = _page(pk, f"/visitingpermitview/show/{permit_id}")
    assert "Wajib lapor diri." in show and indonesian("Not reported yet") in show
    assert "081" not in show and "ttd.png" not in show  # no applicant, no signature
    for url in (f"/travelpermitview/show/{permit_id}", f"/travelpermitview/signature/{permit_id}",
                f"/travelpermitview/letter/{permit_id}"):  # fmt: skip
        assert pk.get(url).status_code == 404, url

    url = f"/visitingpermitview/arrival/{permit_id}"
    form_url = f"/visitingpermitview/show/{permit_id}"
    bad = [
        ({"reported_at": "2026-11-25T09:00"}, RECEIVED),
        ({"reported_at": "2026-11-22T09:00"}, "The report on arrival falls within the dates of the trip."),
    ]
    for changes, message in bad:
        data = {"reported_at": "2026-11-24T09:30", "place": "Kantor Bapas Semarang", "note": "", **changes}
        answer = unescape(pk.post_form(url, data, form_url=form_url).get_data(as_text=True))
        assert expected(message) in answer + _page(pk, form_url), message
    response = pk.post_form(
        url, {"reported_at": "2026-11-24T09:30", "place": "", "note": ""}, form_url=form_url
    )
    assert indonesian("This field is required.") in unescape(response.get_data(as_text=True))
    assert db_session.scalar(select(ArrivalReport.id).where(ArrivalReport.permit_id == permit_id)) is None

    # The Kepala of Semarang reads but does not record; its PK does, once.
    kepala = login_as("kepala.smg")
    data = {"reported_at": "2026-11-24T09:30", "place": "Kantor Bapas Semarang", "note": "Tiba sehat."}
    assert kepala.post_form(url, data, form_url=form_url).status_code == 403
    assert pk.post_form(url, data, form_url=form_url).status_code == 302
    assert "Kantor Bapas Semarang" in _page(pk, form_url)
    pk.post_form(url, {**data, "place": "Terminal"}, form_url=form_url)
    assert indonesian("The client's report on arrival has already been recorded.") in _page(pk, form_url)
    db_session.rollback()
    report = db_session.scalar(select(ArrivalReport).where(ArrivalReport.permit_id == permit_id))
    assert (report.place, report.office_id, report.note) == ("Kantor Bapas Semarang", 2, "Tiba sehat.")

    # The origin's PK reads the report on its permit; another PK of Magelang does not reach it.
    origin = _page(login_as("pk2"), f"/travelpermitview/show/{permit_id}")
    assert "Kantor Bapas Semarang" in origin and "Tiba sehat." in origin
    assert login_as("pk1").get(f"/travelpermitview/show/{permit_id}").status_code == 404
    assert child and "Kantor Bapas Semarang" not in _page(login_as("pk1"), f"/travelpermitview/show/{child}")
