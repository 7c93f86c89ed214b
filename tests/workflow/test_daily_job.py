"""The daily job is set-based: the same few statements for 10 clients as for 200, and a second run
on the same day adds nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, event, func, select

from app.extensions import db
from app.models.clients import ACTIVE, Client
from app.models.guidance import EARLY, ProgressReport, StagePlan, SupervisionPeriod
from app.models.staff import Staff
from app.models.workflow import ServiceInstance, StepRecord
from app.workflow.supervision import open_due_work

PREFIX = "HARIAN-"


def _add_clients(first: int, count: int) -> None:
    pk = db.session.scalar(select(Staff).where(Staff.username == "pk2"))
    for n in range(first, first + count):
        db.session.add(
            Client(
                register_number=f"{PREFIX}{n:04d}", name=f"Klien Harian {n}", birth_date=date(1980, 1, 1),
                sex="L", address="Jl. Ujian", category="dewasa", legal_basis="PB", status=ACTIVE,
                supervision_start=date(2040, 1, 1), supervision_end=date(2041, 12, 31), officer=pk,
                office_id=pk.office_id,
            )
        )  # fmt: skip
    db.session.commit()


def _run(day: date) -> tuple[dict[str, int], int]:
    statements = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        opened = open_due_work(day)
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    return opened, len(statements)


def _mine() -> list[int]:
    return list(db.session.scalars(select(Client.id).where(Client.register_number.like(f"{PREFIX}%"))))


@pytest.fixture()
def clean(app):
    yield
    with app.app_context():
        ids = _mine()
        instances = select(ServiceInstance.id).where(ServiceInstance.client_id.in_(ids))
        for statement in (
            delete(ProgressReport).where(ProgressReport.client_id.in_(ids)),
            delete(StagePlan).where(StagePlan.client_id.in_(ids)),
            delete(StepRecord).where(StepRecord.instance_id.in_(instances)),
            delete(ServiceInstance).where(ServiceInstance.client_id.in_(ids)),
            delete(SupervisionPeriod).where(SupervisionPeriod.client_id.in_(ids)),
            delete(Client).where(Client.id.in_(ids)),
        ):
            db.session.execute(statement)
        db.session.commit()


def test_statements_do_not_grow_with_clients_and_a_second_run_adds_nothing(app, clean):
    with app.app_context():
        _add_clients(0, 10)
        few, few_statements = _run(date(2040, 3, 5))
        assert few["reports"] >= 10 and few["plans"] >= 10
        again, _ = _run(date(2040, 3, 5))
        assert again == {"reports": 0, "plans": 0, "missed": 0}
        _add_clients(10, 190)
        many, many_statements = _run(date(2040, 4, 2))
        assert many["reports"] >= 200 and many["plans"] >= 190
        assert many_statements == few_statements
        assert _run(date(2040, 4, 2))[0] == {"reports": 0, "plans": 0, "missed": 0}

        ids = _mine()
        reports = select(func.count()).select_from(ProgressReport).where(ProgressReport.client_id.in_(ids))
        assert db.session.scalar(reports) == 10 + 200  # March for the first ten, April for all
        plans = db.session.scalars(select(StagePlan).where(StagePlan.client_id.in_(ids))).all()
        assert len(plans) == 200 and {p.stage for p in plans} == {EARLY}
        report = db.session.scalar(
            select(ProgressReport).where(
                ProgressReport.client_id == ids[0], ProgressReport.month == date(2040, 4, 1)
            )
        )
        step = db.session.scalar(select(StepRecord).where(StepRecord.instance_id == report.instance_id))
        assert report.stage == EARLY and step.assignee_id == report.officer_id and step.office_id is not None
        assert report.instance.data["due"] == "2040-04-30T17:00:00+00:00"
        plan = plans[0].instance
        # Due 14 days into the stage (docs/decisions.md), the stage ending on 30 June.
        assert plan.data == {
            "stage": EARLY,
            "stage_ends": "2040-06-30T17:00:00+00:00",
            "plan_due": "2040-03-18T17:00:00+00:00",
        }
        assert plan.steps[0].due_at is not None and plan.current_step == "plan"
