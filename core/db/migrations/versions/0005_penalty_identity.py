"""penalty identity

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27

A penalty is identified by its deciding organ and decision number: the unique constraint on
decision_no alone becomes one on (organ, decision_no); decision_no keeps a plain index for the
repair and report lookups by number.
"""
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('penalties', schema=None) as batch_op:
        batch_op.drop_constraint('uq_penalties_decision_no', type_='unique')
        batch_op.create_unique_constraint('uq_penalties_organ_decision_no', ['organ', 'decision_no'])
        batch_op.create_index('ix_penalties_decision_no', ['decision_no'], unique=False)


def downgrade() -> None:
    # Fails (as it must) when two organs share a decision number: that data has no older form.
    with op.batch_alter_table('penalties', schema=None) as batch_op:
        batch_op.drop_index('ix_penalties_decision_no')
        batch_op.drop_constraint('uq_penalties_organ_decision_no', type_='unique')
        batch_op.create_unique_constraint('uq_penalties_decision_no', ['decision_no'])
