"""A PK's client records are scoped by the set of its clients (app/security/sqlsets.py), written for
the planner: the rule must hold exactly the records of the PK's own clients in its office, no more
and no fewer, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from app.extensions import db
from app.models.clients import Client
from app.models.guidance import GuidanceLog, ProgressReport, StagePlan, SupervisionPeriod
from app.models.staff import Staff
from app.security import scope
from app.timeutil import utcnow
from tests import scope_records


@pytest.mark.parametrize("model", [ProgressReport, StagePlan, SupervisionPeriod])
def test_a_pks_client_records_are_those_of_its_own_clients(app, model):
    with app.app_context():
        scope_records.build()
        pks = db.session.scalars(select(Staff).where(Staff.username.in_(("pk1", "pk2")))).all()
        assert len(pks) == 2
        seen = set()
        for pk in pks:
            reached = set(db.session.scalars(select(model.id).where(scope.clause(model, pk))))
            own = select(Client.id).where(Client.officer_id == pk.id, Client.office_id == pk.office_id)
            expected = set(db.session.scalars(select(model.id).where(model.client_id.in_(own))))
            assert reached == expected, pk.username
            seen |= reached
        assert seen, "no record of either PK's clients to compare"


def test_a_pk_reads_its_own_guidance_and_its_clients(app):
    with app.app_context():
        scope_records.build()
        pk = db.session.scalar(select(Staff).where(Staff.username == "pk1"))
        reached = set(db.session.scalars(select(GuidanceLog.id).where(scope.clause(GuidanceLog, pk))))
        own = select(Client.id).where(Client.officer_id == pk.id)
        expected = set(
            db.session.scalars(
                select(GuidanceLog.id).where(
                    (GuidanceLog.officer_id == pk.id) | GuidanceLog.client_id.in_(own),
                    GuidanceLog.office_id == pk.office_id,
                )
            )
        )
        assert reached == expected and reached


def test_a_pks_travel_permits_are_those_of_its_own_services(app):
    """RULES[TravelPermit][PK] reads the PK's services as a set: exactly the permits whose service
    instance is the PK's, in its office."""
    from app.models.travel_permits import TravelPermit
    from app.models.workflow import ServiceInstance

    with app.app_context():
        scope_records.build()
        seen = set()
        for pk in db.session.scalars(select(Staff).where(Staff.username.in_(("pk1", "pk2", "pk3")))):
            reached = set(db.session.scalars(select(TravelPermit.id).where(scope.clause(TravelPermit, pk))))
            mine = select(ServiceInstance.id).where(
                ServiceInstance.officer_id == pk.id, ServiceInstance.office_id == pk.office_id
            )
            expected = set(
                db.session.scalars(select(TravelPermit.id).where(TravelPermit.instance_id.in_(mine)))
            )
            assert reached == expected, pk.username
            seen |= reached
        assert seen, "no permit of these PKs to compare"


def test_a_pks_services_and_steps_are_those_it_leads_or_sits_on(app):
    """RULES[ServiceInstance][PK] and RULES[StepRecord][PK] read the PK's services and teams as sets:
    exactly the instances it is responsible for or on the team of, and their steps, in its office."""
    from app.models.workflow import ServiceInstance, StepRecord, instance_member

    with app.app_context():
        scope_records.build()
        users = {u.username: u for u in db.session.scalars(select(Staff).where(Staff.office_id == 1))}
        team = ServiceInstance(
            service="BASOL", subject="Tim uji himpunan", section="BKA", office_id=1, current_step="carry_out",
            officer_id=users["pk1"].id, members=[users["pk3"]],
        )  # fmt: skip
        step = StepRecord(
            instance=team, step="carry_out", service="BASOL", office_id=1, actor_role="PK", section="BKA",
            ready_at=utcnow(),
        )  # fmt: skip
        db.session.add(step)
        db.session.commit()
        seen = set()
        for pk in db.session.scalars(select(Staff).where(Staff.username.in_(("pk1", "pk2", "pk3")))):
            teams = select(instance_member.c.instance_id).where(instance_member.c.staff_id == pk.id)
            mine = select(ServiceInstance.id).where(
                (ServiceInstance.officer_id == pk.id) | ServiceInstance.id.in_(teams),
                ServiceInstance.office_id == pk.office_id,
            )
            instances = set(
                db.session.scalars(select(ServiceInstance.id).where(scope.clause(ServiceInstance, pk)))
            )
            assert instances == set(db.session.scalars(mine)), pk.username
            steps = set(db.session.scalars(select(StepRecord.id).where(scope.clause(StepRecord, pk))))
            expected = select(StepRecord.id).where(StepRecord.instance_id.in_(mine))
            assert steps == set(db.session.scalars(expected)), pk.username
            seen |= steps
        assert team.id in set(
            db.session.scalars(select(ServiceInstance.id).where(scope.clause(ServiceInstance, users["pk3"])))
        )
        assert seen, "no step of these PKs to compare"
        db.session.execute(delete(StepRecord).where(StepRecord.instance_id == team.id))
        db.session.delete(team)
        db.session.commit()


def test_membership_alone_is_one_condition_that_statements_cache(app):
    """A set with no "own" alternative is one `= ANY(ARRAY(…))` on PostgreSQL: a second `IN` of the
    same set made the planner probe the client of every report it read. The condition keys the
    statement cache by its column and set, so two rules never share a compiled statement."""
    from sqlalchemy.dialects import postgresql

    from app.models.travel_permits import TravelPermit

    with app.app_context():
        pk = db.session.scalar(select(Staff).where(Staff.username == "pk1"))
        for model in (ProgressReport, TravelPermit):
            sql = str(select(model.id).where(scope.clause(model, pk)).compile(dialect=postgresql.dialect()))
            assert sql.count("= ANY(ARRAY(") == 1 and " IN (" not in sql, sql
        reports, permits = (select(m.id).where(scope.clause(m, pk)) for m in (ProgressReport, TravelPermit))
        assert reports._generate_cache_key() is not None
        assert reports._generate_cache_key().key != permits._generate_cache_key().key
