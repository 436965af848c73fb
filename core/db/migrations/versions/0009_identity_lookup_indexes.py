"""identity look-up indexes

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28

An import looks existing 行政强制 up by decision number and 刑事裁判 by case number (a record named
by another enterprise is refused, whatever the organ or court); the unique (organ, decision_no)
and (court, case_no) indexes lead with the organ and cannot serve that, so each chunk scanned the
whole table. Indexes of their own, as penalties have ix_penalties_decision_no.
"""
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_enforcements_decision_no', 'enforcements', ['decision_no'])
    op.create_index('ix_criminal_judgments_case_no', 'criminal_judgments', ['case_no'])


def downgrade() -> None:
    op.drop_index('ix_criminal_judgments_case_no', table_name='criminal_judgments')
    op.drop_index('ix_enforcements_decision_no', table_name='enforcements')
