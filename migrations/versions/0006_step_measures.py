"""measured waiting, handling and lead time on step records; indexes for the performance figures

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 16:00:00.000000

"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BATCH = 1000


def _backfill():
    """Measure the steps recorded before this revision, as the engine now does when they move."""
    from app.workflow.clock import WorkingCalendar
    from app.workflow.definitions import SERVICES
    from app.workflow.timing import stored_measures

    bind = op.get_bind()
    meta = sa.MetaData()
    steps = sa.Table("step_record", meta, autoload_with=bind)
    instances = sa.Table("service_instance", meta, autoload_with=bind)
    holidays = sa.Table("extra_holiday", meta, autoload_with=bind)
    extra = bind.execute(sa.select(holidays.c.day, holidays.c.is_holiday)).all()
    calendar = WorkingCalendar(
        extra_holidays=frozenset(day for day, is_holiday in extra if is_holiday),
        extra_working_days=frozenset(day for day, is_holiday in extra if not is_holiday),
    )
    rows = bind.execute(
        sa.select(
            steps.c.id,
            instances.c.service,
            steps.c.step,
            steps.c.ready_at,
            steps.c.opened_at,
            steps.c.finished_at,
            steps.c.due_at,
        )
        .join(instances, instances.c.id == steps.c.instance_id)
        .where(steps.c.opened_at.is_not(None))
        .order_by(steps.c.id)
    ).all()
    update = (
        steps.update()
        .where(steps.c.id == sa.bindparam("b_id"))
        .values(
            waiting_seconds=sa.bindparam("b_waiting"),
            handling_seconds=sa.bindparam("b_handling"),
            lead_seconds=sa.bindparam("b_lead"),
            within_standard=sa.bindparam("b_within"),
        )
    )
    batch = []
    for row in rows:
        service = SERVICES.get(row.service)
        if service is None or row.step not in service.steps_by_code:
            continue
        measured = stored_measures(
            service.step(row.step), calendar, row.ready_at, row.opened_at, row.finished_at, row.due_at
        )
        batch.append(
            {
                "b_id": row.id,
                "b_waiting": measured["waiting_seconds"],
                "b_handling": measured.get("handling_seconds"),
                "b_lead": measured.get("lead_seconds"),
                "b_within": measured.get("within_standard"),
            }
        )
        if len(batch) >= BATCH:
            bind.execute(update, batch)
            batch = []
    if batch:
        bind.execute(update, batch)


def upgrade():
    with op.batch_alter_table("step_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("waiting_seconds", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("handling_seconds", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("lead_seconds", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("within_standard", sa.Boolean(), nullable=True))
        batch_op.create_index("ix_step_record_step_finished", ["step", "finished_at"], unique=False)
        batch_op.create_index("ix_step_record_finished_by", ["finished_by_id", "finished_at"], unique=False)
        batch_op.create_index("ix_step_record_open", ["finished_at", "ready_at"], unique=False)
    with op.batch_alter_table("service_instance", schema=None) as batch_op:
        batch_op.create_index("ix_service_instance_started", ["started_at"], unique=False)
        batch_op.create_index("ix_service_instance_finished", ["finished_at"], unique=False)
    _backfill()


def downgrade():
    with op.batch_alter_table("service_instance", schema=None) as batch_op:
        batch_op.drop_index("ix_service_instance_finished")
        batch_op.drop_index("ix_service_instance_started")
    with op.batch_alter_table("step_record", schema=None) as batch_op:
        batch_op.drop_index("ix_step_record_open")
        batch_op.drop_index("ix_step_record_finished_by")
        batch_op.drop_index("ix_step_record_step_finished")
        batch_op.drop_column("within_standard")
        batch_op.drop_column("lead_seconds")
        batch_op.drop_column("handling_seconds")
        batch_op.drop_column("waiting_seconds")
