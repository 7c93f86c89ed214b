"""offices: every record of one Bapas, under its regional office (national instance)

Revision ID: 0009_offices
Revises: 0008
Create Date: 2026-11-29 02:30:00.000000

An existing database is one office's: it becomes the office Bapas Kelas II Magelang under Kanwil
Jawa Tengah, and every record is given to it. Numbers (register, guidance card, case, agenda) become
unique per office, and the numbering counters count per office.
"""
from alembic import op
import sqlalchemy as sa


revision = '0009_offices'
down_revision = '0008'
branch_labels = None
depends_on = None

OWNED = ('client', 'legal_case', 'incoming_letter', 'service_instance', 'tpp_session', 'mobile_service',
         'group_session', 'outreach', 'complaint')
# Unnamed single-column unique constraints of 0001/0002 that become unique per office.
PER_OFFICE = {
    'client': (('register_number',), ('guidance_card_number',)),
    'legal_case': (('number',),),
}
NEW_UNIQUE = {
    'client': (('uq_client_office_register', ['office_id', 'register_number']),
               ('uq_client_office_card', ['office_id', 'guidance_card_number'])),
    'legal_case': (('uq_legal_case_office_number', ['office_id', 'number']),),
}
CONVENTION = {'uq': '%(table_name)s_%(column_0_name)s_key'}  # PostgreSQL's own names, given to SQLite's too


def upgrade():
    op.create_table(
        'region',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=10), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code'),
    )
    op.create_table(
        'office',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=10), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('short_name', sa.String(length=80), nullable=False),
        sa.Column('office_class', sa.String(length=2), nullable=False),
        sa.Column('city', sa.String(length=80), nullable=False),
        sa.Column('address', sa.String(length=200), nullable=False),
        sa.Column('phone', sa.String(length=40), nullable=True),
        sa.Column('email', sa.String(length=120), nullable=True),
        sa.Column('letter_prefix', sa.String(length=40), nullable=False),
        sa.Column('region_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['region_id'], ['region.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code'),
    )
    op.create_index('ix_office_region_id', 'office', ['region_id'])
    op.execute("INSERT INTO region (id, code, name) VALUES (1, 'W13', 'Kantor Wilayah Jawa Tengah')")
    op.execute(
        "INSERT INTO office (id, code, name, short_name, office_class, city, address, phone, email, letter_prefix,"
        " region_id) VALUES (1, 'MGL', 'Balai Pemasyarakatan Kelas II Magelang', 'Bapas Kelas II Magelang', 'II',"
        " 'Magelang', 'Jl. Pahlawan No. 2, Magelang', '(0293) 362 512', 'bapasmagelang@kemenimipas.go.id',"
        " 'W13.PAS.PAS.49', 1)"
    )
    if op.get_bind().dialect.name == 'postgresql':
        for table in ('region', 'office'):
            op.execute(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")

    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table in OWNED:
        op.add_column(table, sa.Column('office_id', sa.Integer(), nullable=True))
        op.execute(f"UPDATE {table} SET office_id = 1")
        with op.batch_alter_table(table, naming_convention=CONVENTION) as batch:
            batch.alter_column('office_id', existing_type=sa.Integer(), nullable=False)
            batch.create_foreign_key(f'fk_{table}_office', 'office', ['office_id'], ['id'])
            batch.create_index(f'ix_{table}_office_id', ['office_id'])
            for (column,) in PER_OFFICE.get(table, ()):
                batch.drop_constraint(f'{table}_{column}_key', type_='unique')
            for name, columns in NEW_UNIQUE.get(table, ()):
                batch.create_unique_constraint(name, columns)
            if table == 'incoming_letter':
                batch.drop_constraint('uq_incoming_letter_agenda', type_='unique')
                batch.create_unique_constraint(
                    'uq_incoming_letter_agenda', ['office_id', 'agenda_year', 'agenda_seq']
                )

    for table in ('ab_user', 'extra_holiday'):
        op.add_column(table, sa.Column('office_id', sa.Integer(), nullable=True))
        with op.batch_alter_table(table, naming_convention=CONVENTION) as batch:
            batch.create_foreign_key(f'fk_{table}_office', 'office', ['office_id'], ['id'])
            batch.create_index(f'ix_{table}_office_id', ['office_id'])
            if table == 'extra_holiday':
                batch.drop_constraint('extra_holiday_day_key', type_='unique')
                batch.create_unique_constraint('uq_extra_holiday_office_day', ['office_id', 'day'])
    op.add_column('ab_user', sa.Column('region_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('ab_user') as batch:
        batch.create_foreign_key('fk_ab_user_region', 'region', ['region_id'], ['id'])
        batch.create_index('ix_ab_user_region_id', ['region_id'])
    # Every existing account works in the one office.
    op.execute("UPDATE ab_user SET office_id = 1")

    # The audit trail is append-only (triggers on SQLite and PostgreSQL): a plain added column.
    op.add_column('audit_log', sa.Column('office_id', sa.Integer(), nullable=True))
    op.create_index('ix_audit_log_office_at', 'audit_log', ['office_id', 'at'])
    # Its rows so far are the one office's; the append-only guard is lifted for this one UPDATE.
    if sqlite:
        for event in ('update', 'delete'):
            op.execute(f"DROP TRIGGER IF EXISTS audit_log_no_{event}")
        op.execute("UPDATE audit_log SET office_id = 1")
        for event in ('UPDATE', 'DELETE'):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            )
    else:
        op.execute("ALTER TABLE audit_log DISABLE TRIGGER USER")
        op.execute("UPDATE audit_log SET office_id = 1")
        op.execute("ALTER TABLE audit_log ENABLE TRIGGER USER")

    # The counters count per office: rebuilt with the office in the key (as 0003 did for the kind).
    op.rename_table('agenda_counter', 'agenda_counter_old')
    op.create_table(
        'agenda_counter',
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['office_id'], ['office.id']),
        sa.PrimaryKeyConstraint('office_id', 'kind', 'year', name='pk_agenda_counter_office_kind_year'),
    )
    op.execute(
        "INSERT INTO agenda_counter (office_id, kind, year, last) SELECT 1, kind, year, last FROM agenda_counter_old"
    )
    op.drop_table('agenda_counter_old')


def downgrade():
    raise NotImplementedError("An instance with several offices cannot be split back into one.")
