"""transfer: clients transferred between offices; permits seen by the office of their destination

Revision ID: 0011_transfer
Revises: 0009_audit
Create Date: 2026-11-29 06:00:00.000000

A client's transfer (pindah wilayah) keeps its summary in client_transfer. A travel permit names the
office of its destination city (which then sees it) and the office that signed its letter (whose
number and letterhead the letter keeps); the client's report on arrival there is arrival_report.
"""
from alembic import op
import sqlalchemy as sa


revision = '0011_transfer'
down_revision = '0009_audit'
branch_labels = None
depends_on = None

PLACE_WORDS = {'kota', 'kabupaten', 'kab', 'kotamadya', 'administrasi'}


def _city_key(name):
    """As app.offices.city_key (a migration does not import the app)."""
    words = ''.join(c if c.isalnum() else ' ' for c in (name or '').lower()).split()
    while words and words[0] in PLACE_WORDS:
        words.pop(0)
    return ' '.join(words)


def upgrade():
    op.create_table(
        'client_transfer',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('pending_client_id', sa.Integer(), nullable=True),
        sa.Column('section', sa.String(length=3), nullable=False),
        sa.Column('origin_office_id', sa.Integer(), nullable=False),
        sa.Column('destination_office_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('new_address', sa.String(length=500), nullable=False),
        sa.Column('origin_register_number', sa.String(length=30), nullable=False),
        sa.Column('destination_register_number', sa.String(length=30), nullable=True),
        sa.Column('proposed_by_id', sa.Integer(), nullable=False),
        sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('approved_by_id', sa.Integer(), nullable=True),
        sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('letter_number', sa.String(length=80), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decision_reasons', sa.Text(), nullable=True),
        sa.Column('officer_id', sa.Integer(), nullable=True),
        sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('moved', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['instance_id'], ['service_instance.id']),
        sa.ForeignKeyConstraint(['client_id'], ['client.id']),
        sa.ForeignKeyConstraint(['origin_office_id'], ['office.id']),
        sa.ForeignKeyConstraint(['destination_office_id'], ['office.id']),
        sa.ForeignKeyConstraint(['proposed_by_id'], ['ab_user.id']),
        sa.ForeignKeyConstraint(['approved_by_id'], ['ab_user.id']),
        sa.ForeignKeyConstraint(['decided_by_id'], ['ab_user.id']),
        sa.ForeignKeyConstraint(['officer_id'], ['ab_user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('instance_id'),
        sa.UniqueConstraint('pending_client_id'),
    )
    op.create_index('ix_client_transfer_client_id', 'client_transfer', ['client_id'])
    op.create_index('ix_client_transfer_origin_office_id', 'client_transfer', ['origin_office_id'])
    op.create_index('ix_client_transfer_destination_office_id', 'client_transfer', ['destination_office_id'])
    op.create_index('ix_client_transfer_status', 'client_transfer', ['status'])

    op.add_column('travel_permit', sa.Column('destination_office_id', sa.Integer(), nullable=True))
    op.add_column('travel_permit', sa.Column('letter_office_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('travel_permit') as batch:
        batch.create_foreign_key('fk_travel_permit_destination_office', 'office', ['destination_office_id'], ['id'])
        batch.create_foreign_key('fk_travel_permit_letter_office', 'office', ['letter_office_id'], ['id'])
        batch.create_index('ix_travel_permit_destination_office_id', ['destination_office_id'])
    # A signed letter keeps the number and letterhead of the office that signed it.
    op.execute(
        "UPDATE travel_permit SET letter_office_id = (SELECT office_id FROM service_instance"
        " WHERE service_instance.id = travel_permit.instance_id) WHERE letter_seq IS NOT NULL"
    )
    # Permits already made to the city of another office are seen by that office.
    bind = op.get_bind()
    offices = bind.execute(sa.text("SELECT id, city FROM office")).all()
    by_city = {}
    for office_id, city in offices:
        by_city.setdefault(_city_key(city), []).append(office_id)
    permits = bind.execute(
        sa.text(
            "SELECT travel_permit.id, travel_permit.destination_city, client.office_id FROM travel_permit"
            " JOIN client ON client.id = travel_permit.client_id"
        )
    ).all()
    for permit_id, city, home in permits:
        found = by_city.get(_city_key(city), [])
        if len(found) == 1 and found[0] != home:
            bind.execute(
                sa.text("UPDATE travel_permit SET destination_office_id = :o WHERE id = :p"),
                {"o": found[0], "p": permit_id},
            )

    op.create_table(
        'arrival_report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('permit_id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('place', sa.String(length=200), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['permit_id'], ['travel_permit.id']),
        sa.ForeignKeyConstraint(['office_id'], ['office.id']),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['ab_user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('permit_id'),
    )


def downgrade():
    op.drop_table('arrival_report')
    with op.batch_alter_table('travel_permit') as batch:
        batch.drop_index('ix_travel_permit_destination_office_id')
        batch.drop_constraint('fk_travel_permit_letter_office', type_='foreignkey')
        batch.drop_constraint('fk_travel_permit_destination_office', type_='foreignkey')
        batch.drop_column('letter_office_id')
        batch.drop_column('destination_office_id')
    op.drop_table('client_transfer')
