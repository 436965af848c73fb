"""national record kinds

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27

The record kinds 发改财金〔2025〕565号 adds to a report, each imported from a file of its own:
行政强制 (enforcements: identified by organ and decision number), 严重失信主体名单 (dishonest_lists:
one entry per enterprise, 认定部门, 名单名称 and 列入日期) and 刑事裁判 (criminal_judgments: court and
case number). On PostgreSQL the counter role reads and writes them as it does penalties; the
read-only role reads them.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

COUNTER, READONLY = "creditdesk_counter", "creditdesk_readonly"
TABLES = ("enforcements", "dishonest_lists", "criminal_judgments")


def _pg_grant(bind) -> None:
    for role, rights in ((COUNTER, "SELECT, INSERT, UPDATE"), (READONLY, "SELECT")):
        exists = bind.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
        if exists is None:
            continue
        op.execute(f"GRANT {rights} ON {', '.join(TABLES)} TO {role}")
        if role == COUNTER:  # inserting takes the next id from each table's sequence
            for table in TABLES:
                sequence = bind.execute(
                    sa.text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table}).scalar()
                op.execute(f"GRANT USAGE, SELECT, UPDATE ON SEQUENCE {sequence} TO {role}")


def upgrade() -> None:
    op.create_table('enforcements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_no', sa.String(length=120), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('party_name', sa.String(length=200), nullable=False),
    sa.Column('measure', sa.String(length=120), nullable=False),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('basis', sa.Text(), nullable=True),
    sa.Column('decision_date', sa.Date(), nullable=False),
    sa.Column('organ', sa.String(length=120), nullable=False),
    sa.Column('source_unit', sa.String(length=120), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('remark', sa.Text(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_enforcements_batch_id_import_batches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enforcements')),
    sa.UniqueConstraint('organ', 'decision_no', name='uq_enforcements_organ_decision_no')
    )
    op.create_index('ix_enforcements_uscc_date', 'enforcements', ['uscc', 'decision_date'], unique=False)
    op.create_table('dishonest_lists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('party_name', sa.String(length=200), nullable=False),
    sa.Column('list_name', sa.String(length=120), nullable=False),
    sa.Column('authority', sa.String(length=120), nullable=False),
    sa.Column('listed_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('basis', sa.Text(), nullable=True),
    sa.Column('removed_on', sa.Date(), nullable=True),
    sa.Column('source_unit', sa.String(length=120), nullable=False),
    sa.Column('remark', sa.Text(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_dishonest_lists_batch_id_import_batches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dishonest_lists')),
    sa.UniqueConstraint('uscc', 'authority', 'list_name', 'listed_on', name='uq_dishonest_lists_entry')
    )
    op.create_index(op.f('ix_dishonest_lists_uscc'), 'dishonest_lists', ['uscc'], unique=False)
    op.create_table('criminal_judgments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_no', sa.String(length=120), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('party_name', sa.String(length=200), nullable=False),
    sa.Column('court', sa.String(length=120), nullable=False),
    sa.Column('judgment_date', sa.Date(), nullable=False),
    sa.Column('charge', sa.String(length=255), nullable=False),
    sa.Column('sentence', sa.Text(), nullable=True),
    sa.Column('source_unit', sa.String(length=120), nullable=False),
    sa.Column('remark', sa.Text(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_criminal_judgments_batch_id_import_batches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criminal_judgments')),
    sa.UniqueConstraint('court', 'case_no', name='uq_criminal_judgments_court_case_no')
    )
    op.create_index('ix_criminal_judgments_uscc_date', 'criminal_judgments', ['uscc', 'judgment_date'], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _pg_grant(bind)


def downgrade() -> None:
    op.drop_index('ix_criminal_judgments_uscc_date', table_name='criminal_judgments')
    op.drop_table('criminal_judgments')
    op.drop_index(op.f('ix_dishonest_lists_uscc'), table_name='dishonest_lists')
    op.drop_table('dishonest_lists')
    op.drop_index('ix_enforcements_uscc_date', table_name='enforcements')
    op.drop_table('enforcements')
