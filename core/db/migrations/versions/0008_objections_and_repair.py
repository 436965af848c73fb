"""objections, corrections, repair applications, calendar

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27

The supervisor's workflow (issue 10): objections with their timeline and attachments, the
corrections an upheld objection makes, credit-repair applications, the days of the State
Council's holiday notices an administrator imports, and each penalty's 失信 severity (一般 /
严重; 未注明 for the rows already stored). On PostgreSQL the counter role reads and writes them;
the read-only role reads them.
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

COUNTER, READONLY = "creditdesk_counter", "creditdesk_readonly"
TABLES = ("objections", "objection_events", "objection_attachments", "record_corrections",
          "repair_applications", "calendar_days")
SERIAL = TABLES[:-1]  # calendar_days is keyed by its date


def _pg_grant(bind) -> None:
    for role, rights in ((COUNTER, "SELECT, INSERT, UPDATE"), (READONLY, "SELECT")):
        exists = bind.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
        if exists is None:
            continue
        op.execute(f"GRANT {rights} ON {', '.join(TABLES)} TO {role}")
        if role == COUNTER:
            op.execute(f"GRANT DELETE ON calendar_days TO {role}")
            for table in SERIAL:
                sequence = bind.execute(
                    sa.text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table}).scalar()
                op.execute(f"GRANT USAGE, SELECT, UPDATE ON SEQUENCE {sequence} TO {role}")


def upgrade() -> None:
    op.create_table('calendar_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('workday', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=64), nullable=True),
    sa.Column('imported_by', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_days'))
    )
    op.create_table('objections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('enterprise_name', sa.String(length=200), nullable=False),
    sa.Column('record_kind', sa.String(length=16), nullable=False),
    sa.Column('record_ref', sa.String(length=120), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('report_no', sa.String(length=24), nullable=True),
    sa.Column('grounds', sa.String(length=16), nullable=False),
    sa.Column('grounds_text', sa.Text(), nullable=True),
    sa.Column('filed_by', sa.String(length=64), nullable=False),
    sa.Column('filed_as', sa.String(length=16), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('checked_on', sa.Date(), nullable=True),
    sa.Column('referred_on', sa.Date(), nullable=True),
    sa.Column('outcome', sa.String(length=8), nullable=True),
    sa.Column('outcome_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('registered_by', sa.String(length=64), nullable=False),
    sa.Column('counter', sa.String(length=64), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objections'))
    )
    op.create_index('ix_objections_record', 'objections', ['record_kind', 'record_ref'], unique=False)
    op.create_index('ix_objections_status', 'objections', ['status'], unique=False)
    op.create_index('ix_objections_uscc', 'objections', ['uscc'], unique=False)
    op.create_table('objection_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('objection_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('media_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('added_by', sa.String(length=64), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['objection_id'], ['objections.id'], name=op.f('fk_objection_attachments_objection_id_objections')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objection_attachments'))
    )
    op.create_index(op.f('ix_objection_attachments_objection_id'), 'objection_attachments', ['objection_id'], unique=False)
    op.create_table('objection_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('objection_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=8), nullable=True),
    sa.Column('to_status', sa.String(length=8), nullable=False),
    sa.Column('acted_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('counter', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('backdated', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['objection_id'], ['objections.id'], name=op.f('fk_objection_events_objection_id_objections')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objection_events'))
    )
    op.create_index(op.f('ix_objection_events_objection_id'), 'objection_events', ['objection_id'], unique=False)
    op.create_table('record_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('objection_id', sa.Integer(), nullable=False),
    sa.Column('record_kind', sa.String(length=16), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('record_ref', sa.String(length=120), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('changes', sa.Text(), nullable=False),
    sa.Column('removed', sa.Boolean(), nullable=False),
    sa.Column('corrected_on', sa.Date(), nullable=False),
    sa.Column('corrected_by', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['objection_id'], ['objections.id'], name=op.f('fk_record_corrections_objection_id_objections')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_corrections'))
    )
    op.create_index(op.f('ix_record_corrections_objection_id'), 'record_corrections', ['objection_id'], unique=False)
    op.create_index('ix_record_corrections_record', 'record_corrections', ['record_kind', 'record_id'], unique=False)
    op.create_index(op.f('ix_record_corrections_uscc'), 'record_corrections', ['uscc'], unique=False)
    op.create_table('repair_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('penalty_id', sa.Integer(), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('decision_no', sa.String(length=120), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('earliest', sa.Date(), nullable=True),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('consulted_on', sa.Date(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('synced_on', sa.Date(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('repair_id', sa.Integer(), nullable=True),
    sa.Column('registered_by', sa.String(length=64), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['penalty_id'], ['penalties.id'], name=op.f('fk_repair_applications_penalty_id_penalties')),
    sa.ForeignKeyConstraint(['repair_id'], ['credit_repairs.id'], name=op.f('fk_repair_applications_repair_id_credit_repairs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_repair_applications'))
    )
    op.create_index(op.f('ix_repair_applications_penalty_id'), 'repair_applications', ['penalty_id'], unique=False)
    op.create_index(op.f('ix_repair_applications_uscc'), 'repair_applications', ['uscc'], unique=False)
    op.add_column('penalties', sa.Column('severity', sa.String(length=8), server_default='未注明', nullable=False))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _pg_grant(bind)


def downgrade() -> None:
    with op.batch_alter_table('penalties') as batch:
        batch.drop_column('severity')
    for table in ('repair_applications', 'record_corrections', 'objection_events',
                  'objection_attachments', 'objections', 'calendar_days'):
        op.drop_table(table)
