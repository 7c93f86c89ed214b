"""The lists between offices ("Klien pindah", "Klien dari Bapas lain") read a page with a fixed
number of queries, however many rows it shows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import event, select

from app.models.clients import Client
from app.models.staff import Staff
from tests.factories import client_with_period
from tests.workflow.test_visiting_permits import TUESDAY, _permit


@contextmanager
def _counting(app) -> Iterator[list[int]]:
    from app.extensions import db

    with app.app_context():
        engine = db.engine
    seen = [0]

    def count(*_args: object) -> None:
        seen[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _queries(app, session, url: str) -> int:
    session.get(url)  # warm: permissions, menus
    with _counting(app) as seen:
        assert session.get(url).status_code == 200
    return seen[0]


def _transfers(app, first: int, n: int) -> None:
    from app.extensions import db
    from app.workflow import transfers

    for i in range(first, first + n):
        client_id = client_with_period(app, f"BKA-97{i}/2026", "pk1", date(2026, 6, 1), date(2027, 5, 31),
                                       born=date(2012, 1, 1 + i))  # fmt: skip
        with app.app_context():
            pk1 = db.session.scalar(select(Staff).where(Staff.username == "pk1"))
            fields = {"destination_office_id": 2, "reason": "Ikut orang tua.", "new_address": "Semarang"}
            transfers.propose(pk1, db.session.get(Client, client_id), fields)
            db.session.commit()


def test_the_transfer_list_does_not_query_per_row(app, login_as):
    _transfers(app, 0, 1)
    session = login_as("kepala")
    url = "/clienttransferview/list/?psize_ClientTransferView=50"
    few = _queries(app, session, url)
    _transfers(app, 1, 4)
    assert _queries(app, session, url) == few


def test_the_visiting_list_does_not_query_per_row(app, login_as, clock):
    clock(TUESDAY)
    _permit(app, "BKD-980/2026", "pk2", "Semarang", born=date(1980, 1, 1))
    session = login_as("pk.smg")
    url = "/visitingpermitview/list/?psize_VisitingPermitView=50"
    few = _queries(app, session, url)
    for i in range(1, 5):
        permit_id = _permit(app, f"BKD-98{i}/2026", "pk2" if i % 2 else "pk4", "Kota Semarang",
                            born=date(1980, 1, 1 + i))  # fmt: skip
        if i % 2:
            _arrived(app, permit_id)
    assert _queries(app, session, url) == few


def _arrived(app, permit_id: int) -> None:
    from app.extensions import db
    from app.models.travel_permits import TravelPermit
    from app.workflow import travel_permits

    with app.app_context():
        pk = db.session.scalar(select(Staff).where(Staff.username == "pk.smg"))
        travel_permits.record_arrival(db.session.get(TravelPermit, permit_id), pk, TUESDAY, "Kantor", None)
        db.session.commit()
