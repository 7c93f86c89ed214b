"""The minutes of a Sidang TPP load their agenda in a fixed number of statements (issue #13)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

from sqlalchemy import delete, event, select

from app.extensions import db
from app.models.clients import Client
from app.models.staff import Staff
from app.models.tpp import TppItem, TppSession
from app.models.workflow import ServiceInstance, StepRecord
from app.timeutil import utcnow

MARK = "Ruang uji jumlah statement"


@contextmanager
def counted(app):
    """Collect the SQL statements run while the block runs."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _add_items(db_session, session: TppSession, n: int, client: Client | None) -> None:
    """Put n matters (an ABH Litmas each, about `client`) on the session's agenda."""
    for i in range(n):
        instance = ServiceInstance(
            service="ABH", subject=f"Litmas {client.name if client else 'uji'} {i}", section="BKA",
            client=client, office_id=1, current_step="tpp",
        )  # fmt: skip
        record = StepRecord(
            instance=instance, step="tpp", service="ABH", office_id=1, actor_role="Kepala",
            section="BKA", ready_at=utcnow(),
        )  # fmt: skip
        db_session.add(TppItem(session=session, step_record=record, decision="approve" if i % 2 else None))
    db_session.commit()


def test_minutes_statements_do_not_grow_with_the_agenda(app, login_as, db_session):
    users = {u.username: u for u in db_session.scalars(select(Staff).where(Staff.office_id == 1))}
    child = db_session.scalar(select(Client).where(Client.office_id == 1, Client.category == "anak"))
    session = TppSession(
        held_on=date(2026, 11, 25), place=MARK, chair=users["kepala"], secretary=users["kasubsi.bka"],
        members=[users["pk1"], users["pk2"]], office_id=1,
    )  # fmt: skip
    db_session.add(session)
    _add_items(db_session, session, 1, child)
    session_id = session.id
    url = f"/tppsessionview/minutes/{session_id}"
    try:
        counts = {}
        for role in ("Kepala", "kasubsi.bka", "kasubsi.bkd"):
            reader = login_as(role)
            with counted(app) as few:
                assert reader.get(url).mimetype == "application/pdf"
            counts[role] = [len(few)]
        _add_items(db_session, session, 12, child)
        _add_items(db_session, session, 12, None)
        for role in counts:
            reader = login_as(role)
            with counted(app) as many:
                assert reader.get(url).mimetype == "application/pdf"
            counts[role].append(len(many))
        for role, (one, twenty_five) in counts.items():
            assert one == twenty_five <= 8, (role, counts)
    finally:
        db_session.rollback()
        records = select(TppItem.step_record_id).where(TppItem.session_id == session_id)
        instances = select(StepRecord.instance_id).where(StepRecord.id.in_(records))
        ids = list(db_session.scalars(instances))
        db_session.execute(delete(TppItem).where(TppItem.session_id == session_id))
        db_session.execute(delete(StepRecord).where(StepRecord.instance_id.in_(ids)))
        db_session.execute(delete(ServiceInstance).where(ServiceInstance.id.in_(ids)))
        db_session.delete(db_session.get(TppSession, session_id))
        db_session.commit()
