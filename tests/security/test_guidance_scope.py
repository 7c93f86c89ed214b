"""A PK's guidance logs: those it gave and those of its clients, the same rows on SQLite and
PostgreSQL however the rule is written for the planner (app/security/sqlsets.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.models.clients import Client
from app.models.guidance import GuidanceLog
from app.models.staff import Staff
from app.security import scope


def test_a_pk_reads_the_logs_it_gave_and_those_of_its_clients(app, db_session):
    pks = {s.username: s for s in db_session.scalars(select(Staff).where(Staff.username.in_(["pk1", "pk2"])))}
    other_client = db_session.scalar(select(Client).where(Client.officer_id == pks["pk2"].id).limit(1))
    # pk1 guides pk2's client (a BATAKO visit): pk1 and pk2 both read it, nobody else's PK.
    log = GuidanceLog(
        client=other_client, officer_id=pks["pk1"].id, held_on=date(2026, 11, 2),
        kind="kepribadian", place="kantor", notes="Kunjungan BATAKO.",
    )  # fmt: skip
    db_session.add(log)
    db_session.commit()
    every = db_session.execute(
        select(GuidanceLog.id, GuidanceLog.officer_id, Client.officer_id).join(Client)
    ).all()
    for pk in pks.values():
        expected = {i for i, giver, holder in every if pk.id in (giver, holder)}
        with app.test_request_context():
            got = set(db_session.scalars(select(GuidanceLog.id).where(scope.clause(GuidanceLog, pk))))
        assert got == expected and log.id in got
    db_session.delete(log)
    db_session.commit()


def test_the_rule_lets_postgresql_use_both_indexes(app):
    from sqlalchemy.dialects import postgresql, sqlite

    from app.extensions import db

    with app.app_context():
        pk = db.session.scalar(select(Staff).where(Staff.username == "pk1"))
        rule = scope.RULES[GuidanceLog]["PK"](pk)
        assert "= ANY(ARRAY(SELECT client.id" in str(rule.compile(dialect=postgresql.dialect()))
        assert "ANY" not in str(rule.compile(dialect=sqlite.dialect()))
