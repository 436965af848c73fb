"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-27

Tables, plus the name-search indexes each database does in its own way
(SQLite: an FTS5 table kept in step by triggers; PostgreSQL: GIN over a tsvector).
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('import_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('unit', sa.String(length=120), nullable=True),
    sa.Column('total_rows', sa.Integer(), nullable=False),
    sa.Column('accepted', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('imported_by', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batches'))
    )
    op.create_table('arrears',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('amount', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('source_unit', sa.String(length=120), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_arrears_batch_id_import_batches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_arrears')),
    sa.UniqueConstraint('uscc', 'kind', 'period', 'source_unit', name=op.f('uq_arrears_uscc'))
    )
    with op.batch_alter_table('arrears', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_arrears_uscc'), ['uscc'], unique=False)

    op.create_table('credit_repairs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('decision_no', sa.String(length=120), nullable=False),
    sa.Column('repair_date', sa.Date(), nullable=False),
    sa.Column('organ', sa.String(length=120), nullable=False),
    sa.Column('document_no', sa.String(length=120), nullable=False),
    sa.Column('source_unit', sa.String(length=120), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_credit_repairs_batch_id_import_batches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_repairs')),
    sa.UniqueConstraint('decision_no', 'document_no', name=op.f('uq_credit_repairs_decision_no'))
    )
    with op.batch_alter_table('credit_repairs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credit_repairs_decision_no'), ['decision_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_credit_repairs_uscc'), ['uscc'], unique=False)

    op.create_table('enterprises',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('former_names', sa.Text(), nullable=True),
    sa.Column('legal_rep', sa.String(length=64), nullable=True),
    sa.Column('founded_on', sa.Date(), nullable=True),
    sa.Column('address', sa.String(length=255), nullable=True),
    sa.Column('division', sa.String(length=6), nullable=False),
    sa.Column('reg_authority', sa.String(length=120), nullable=True),
    sa.Column('reg_status', sa.String(length=32), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('source_unit', sa.String(length=120), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_enterprises_batch_id_import_batches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprises')),
    sa.UniqueConstraint('uscc', name=op.f('uq_enterprises_uscc'))
    )
    op.create_table('penalties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_no', sa.String(length=120), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('party_name', sa.String(length=200), nullable=False),
    sa.Column('party_kind', sa.String(length=32), nullable=True),
    sa.Column('reg_no', sa.String(length=32), nullable=True),
    sa.Column('org_code', sa.String(length=16), nullable=True),
    sa.Column('tax_no', sa.String(length=32), nullable=True),
    sa.Column('institution_no', sa.String(length=32), nullable=True),
    sa.Column('social_org_no', sa.String(length=32), nullable=True),
    sa.Column('legal_rep', sa.String(length=64), nullable=True),
    sa.Column('violation_type', sa.String(length=255), nullable=True),
    sa.Column('facts', sa.Text(), nullable=True),
    sa.Column('basis', sa.Text(), nullable=True),
    sa.Column('penalty_kind', sa.String(length=120), nullable=False),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('fine_amount', sa.Numeric(precision=16, scale=6), nullable=True),
    sa.Column('confiscated_amount', sa.Numeric(precision=16, scale=6), nullable=True),
    sa.Column('license_action', sa.String(length=255), nullable=True),
    sa.Column('decision_date', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('publish_until', sa.Date(), nullable=True),
    sa.Column('organ', sa.String(length=120), nullable=False),
    sa.Column('organ_code', sa.String(length=18), nullable=True),
    sa.Column('source_unit', sa.String(length=120), nullable=False),
    sa.Column('source_unit_code', sa.String(length=18), nullable=True),
    sa.Column('remark', sa.Text(), nullable=True),
    sa.Column('domain', sa.Integer(), nullable=False),
    sa.Column('procedure', sa.String(length=8), nullable=False),
    sa.Column('decision_kind', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_penalties_batch_id_import_batches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_penalties')),
    sa.UniqueConstraint('decision_no', name=op.f('uq_penalties_decision_no'))
    )
    with op.batch_alter_table('penalties', schema=None) as batch_op:
        batch_op.create_index('ix_penalties_uscc_date', ['uscc', 'decision_date'], unique=False)

    op.create_table('enterprise_names',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('initials', sa.String(length=200), nullable=False),
    sa.Column('grams', sa.Text(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_enterprise_names_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprise_names'))
    )
    with op.batch_alter_table('enterprise_names', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_names_enterprise_id'), ['enterprise_id'], unique=False)

    _create_name_search()


def _create_name_search() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute('CREATE INDEX ix_enterprise_names_name ON enterprise_names (name COLLATE "C")')
        op.execute('CREATE INDEX ix_enterprise_names_initials ON enterprise_names (initials COLLATE "C")')
        op.execute(
            "CREATE INDEX ix_enterprise_names_grams ON enterprise_names "
            "USING gin (to_tsvector('simple', grams))"
        )
        return
    op.create_index("ix_enterprise_names_name", "enterprise_names", ["name"])
    op.create_index("ix_enterprise_names_initials", "enterprise_names", ["initials"])
    op.execute(
        "CREATE VIRTUAL TABLE enterprise_names_fts USING fts5("
        "grams, content='enterprise_names', content_rowid='id', "
        "tokenize='ascii', detail='none')"
    )
    op.execute(
        "CREATE TRIGGER enterprise_names_ai AFTER INSERT ON enterprise_names BEGIN "
        "INSERT INTO enterprise_names_fts(rowid, grams) VALUES (new.id, new.grams); END"
    )
    op.execute(
        "CREATE TRIGGER enterprise_names_ad AFTER DELETE ON enterprise_names BEGIN "
        "INSERT INTO enterprise_names_fts(enterprise_names_fts, rowid, grams) "
        "VALUES ('delete', old.id, old.grams); END"
    )
    op.execute(
        "CREATE TRIGGER enterprise_names_au AFTER UPDATE ON enterprise_names BEGIN "
        "INSERT INTO enterprise_names_fts(enterprise_names_fts, rowid, grams) "
        "VALUES ('delete', old.id, old.grams); "
        "INSERT INTO enterprise_names_fts(rowid, grams) VALUES (new.id, new.grams); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS enterprise_names_fts")
    op.execute("DROP INDEX IF EXISTS ix_enterprise_names_name")
    op.execute("DROP INDEX IF EXISTS ix_enterprise_names_initials")
    op.execute("DROP INDEX IF EXISTS ix_enterprise_names_grams")
    with op.batch_alter_table('enterprise_names', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_names_enterprise_id'))

    op.drop_table('enterprise_names')
    with op.batch_alter_table('penalties', schema=None) as batch_op:
        batch_op.drop_index('ix_penalties_uscc_date')

    op.drop_table('penalties')
    op.drop_table('enterprises')
    with op.batch_alter_table('credit_repairs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credit_repairs_uscc'))
        batch_op.drop_index(batch_op.f('ix_credit_repairs_decision_no'))

    op.drop_table('credit_repairs')
    with op.batch_alter_table('arrears', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_arrears_uscc'))

    op.drop_table('arrears')
    op.drop_table('import_batches')
