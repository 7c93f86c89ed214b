"""Kinerja at scale: step records carry their service and office, and monthly roll-ups of closed
instances (fill them with `flask bapas rebuild-rollups` after upgrading)

Revision ID: k_rollups
Revises: c_inbox_deadline
Create Date: 2026-11-29 12:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'k_rollups'
down_revision = 'c_inbox_deadline'
branch_labels = None
depends_on = None

KEYS = {
    'kinerja_instance_month': [('section', 3), ('officer_id', None), ('subject_id', None)],
    'kinerja_step_month': [('step', 30), ('section', 3), ('step_section', 3), ('actor_role', 20),
                           ('officer_id', None), ('subject_id', None)],
    'kinerja_duration_month': [('step', 30), ('section', 3), ('step_section', 3), ('actor_role', 20),
                               ('subject_id', None), ('metric', 8), ('seconds', None)],
}
SUMS = {
    'kinerja_instance_month': ['started', 'finished', 'limit_met', 'limit_failed'],
    'kinerja_step_month': ['finished', 'within', 'missed'],
    'kinerja_duration_month': ['count'],
}


def _column(name, length):
    kind = sa.String(length=length) if length else sa.Integer()
    return sa.Column(name, kind, nullable=False)


def upgrade():
    with op.batch_alter_table('step_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('service', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('office_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_step_record_office_id_office', 'office', ['office_id'], ['id'])
    # One set-based UPDATE copies each instance's service and office onto its steps.
    op.execute(
        "UPDATE step_record SET"
        " service = (SELECT service FROM service_instance WHERE service_instance.id = step_record.instance_id),"
        " office_id = (SELECT office_id FROM service_instance WHERE service_instance.id = step_record.instance_id)"
    )
    with op.batch_alter_table('step_record', schema=None) as batch_op:
        batch_op.create_index('ix_step_record_office_finished', ['office_id', 'finished_at'], unique=False)
        batch_op.create_index('ix_step_record_instance_moments',
                              ['instance_id', 'finished_at', 'due_at', 'ready_at'], unique=False)
    for table, keys in KEYS.items():
        columns = [_column('month', None), _column('office_id', None), _column('service', 10)]
        columns[0] = sa.Column('month', sa.Date(), nullable=False)
        columns += [_column(name, length) for name, length in keys]
        columns += [sa.Column(name, sa.Integer(), nullable=True) for name in SUMS[table]]
        names = [c.name for c in columns if c.name not in SUMS[table]]
        op.create_table(table, *columns, sa.PrimaryKeyConstraint(*names))


def downgrade():
    for table in KEYS:
        op.drop_table(table)
    with op.batch_alter_table('step_record', schema=None) as batch_op:
        batch_op.drop_index('ix_step_record_instance_moments')
        batch_op.drop_index('ix_step_record_office_finished')
        batch_op.drop_constraint('fk_step_record_office_id_office', type_='foreignkey')
        batch_op.drop_column('office_id')
        batch_op.drop_column('service')
