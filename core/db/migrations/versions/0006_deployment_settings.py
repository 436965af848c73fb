"""deployment settings

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27

Choices made for the whole deployment rather than one counter: which policy profile it issues
under and any extension an administrator recorded for it. On PostgreSQL the counter role may
read and change them (an administrator works through it); the read-only role may read them.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

COUNTER, READONLY = "creditdesk_counter", "creditdesk_readonly"


def _pg_grant(bind) -> None:
    for role, rights in ((COUNTER, "SELECT, INSERT, UPDATE"), (READONLY, "SELECT")):
        exists = bind.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
        if exists is not None:
            op.execute(f"GRANT {rights} ON deployment_settings TO {role}")


def upgrade() -> None:
    op.create_table('deployment_settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('changed_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_deployment_settings'))
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _pg_grant(bind)


def downgrade() -> None:
    op.drop_table('deployment_settings')
