"""bambang solah outreach, complaints, service instance teams

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 17:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('service_instance_member',
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['service_instance.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['ab_user.id'], ),
    sa.PrimaryKeyConstraint('instance_id', 'staff_id')
    )
    with op.batch_alter_table('service_instance_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_instance_member_staff_id'), ['staff_id'], unique=False)

    op.create_table('outreach',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_code', sa.String(length=32), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('letter_id', sa.Integer(), nullable=True),
    sa.Column('institution', sa.String(length=200), nullable=False),
    sa.Column('institution_kind', sa.String(length=8), nullable=False),
    sa.Column('contact_name', sa.String(length=120), nullable=False),
    sa.Column('contact_phone', sa.String(length=20), nullable=False),
    sa.Column('requested_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('audience', sa.String(length=300), nullable=False),
    sa.Column('topic', sa.String(length=300), nullable=False),
    sa.Column('request_file_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('participants_count', sa.Integer(), nullable=True),
    sa.Column('participants', sa.String(length=500), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['service_instance.id'], ),
    sa.ForeignKeyConstraint(['letter_id'], ['incoming_letter.id'], ),
    sa.ForeignKeyConstraint(['request_file_id'], ['stored_file.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('receipt_code')
    )
    with op.batch_alter_table('outreach', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outreach_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_letter_id'), ['letter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_requested_on'), ['requested_on'], unique=False)

    op.create_table('outreach_photo',
    sa.Column('outreach_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['stored_file.id'], ),
    sa.ForeignKeyConstraint(['outreach_id'], ['outreach.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('outreach_id', 'file_id')
    )
    op.create_table('complaint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_code', sa.String(length=32), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('category', sa.String(length=8), nullable=False),
    sa.Column('sop', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('staff_named', sa.String(length=120), nullable=True),
    sa.Column('subject_staff_id', sa.Integer(), nullable=True),
    sa.Column('complainant_name', sa.String(length=120), nullable=True),
    sa.Column('complainant_contact', sa.String(length=120), nullable=True),
    sa.Column('evidence_file_id', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recommendation', sa.Text(), nullable=True),
    sa.Column('direction', sa.Text(), nullable=True),
    sa.Column('responsible_id', sa.Integer(), nullable=True),
    sa.Column('fix', sa.Text(), nullable=True),
    sa.Column('clarification', sa.Text(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['evidence_file_id'], ['stored_file.id'], ),
    sa.ForeignKeyConstraint(['instance_id'], ['service_instance.id'], ),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['responsible_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['subject_staff_id'], ['ab_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('receipt_code')
    )
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_received', ['received_at', 'category'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_responsible_id'), ['responsible_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_subject_staff_id'), ['subject_staff_id'], unique=False)


def downgrade():
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_subject_staff_id'))
        batch_op.drop_index(batch_op.f('ix_complaint_responsible_id'))
        batch_op.drop_index(batch_op.f('ix_complaint_instance_id'))
        batch_op.drop_index('ix_complaint_received')

    op.drop_table('complaint')
    op.drop_table('outreach_photo')
    with op.batch_alter_table('outreach', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_requested_on'))
        batch_op.drop_index(batch_op.f('ix_outreach_letter_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_instance_id'))

    op.drop_table('outreach')
    with op.batch_alter_table('service_instance_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_instance_member_staff_id'))

    op.drop_table('service_instance_member')
