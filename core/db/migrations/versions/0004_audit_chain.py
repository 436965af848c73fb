"""audit chain

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28

The plain audit_log becomes audit_events, a hash chain (its rows are carried over in order).
Triggers refuse UPDATE and DELETE on audit_events, verifications and report_files on both
databases (and TRUNCATE of audit_events on PostgreSQL). PostgreSQL also gets the report-number
counter row (numbers move from the sequence into the issuing transaction) and two
least-privilege roles, creditdesk_counter and creditdesk_readonly, granted on this schema.
"""
import hashlib
import json

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

GENESIS = "0" * 64
GUARDED = ("audit_events", "verifications", "report_files")  # append-only tables
COUNTER, READONLY = "creditdesk_counter", "creditdesk_readonly"
# What the counters write (core/services): INSERT and UPDATE; DELETE only on enterprise_names,
# which an enterprise import replaces.
COUNTER_WRITES = ("enterprises", "enterprise_names", "penalties", "arrears", "credit_repairs",
                  "import_batches", "reports", "report_counters", "users", "signing_keys")
COUNTER_DELETES = ("enterprise_names",)


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _event_hash(seq, at, actor, counter, action, subject, details, prev) -> str:
    """Frozen copy of core.services.people.audit_chain.event_hash (a migration must not change
    when the application code does)."""
    document = {"seq": seq, "at": at.isoformat(timespec="seconds"), "actor": actor,
                "counter": counter, "action": action, "subject": subject, "details": details,
                "prev": prev}
    return hashlib.sha256(_canonical(document).encode("utf-8")).hexdigest()


def upgrade() -> None:
    bind = op.get_bind()
    events = op.create_table('audit_events',
    sa.Column('seq', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('counter', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=True),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_action_subject', ['action', 'subject'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_actor'), ['actor'], unique=False)

    _copy_audit_log(bind, events)
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_username'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))
    op.drop_table('audit_log')

    if bind.dialect.name == "postgresql":
        _pg_triggers()
        _pg_seed_report_counter(bind)
        _pg_roles(bind)
    else:
        _sqlite_triggers()


def _copy_audit_log(bind, events: sa.Table) -> None:
    log = sa.table('audit_log', sa.column('id'), sa.column('at', sa.DateTime()),
                   sa.column('username'), sa.column('counter'), sa.column('action'),
                   sa.column('subject'), sa.column('detail'))
    rows = bind.execute(sa.select(log).order_by(log.c.id))
    prev, seq, chunk = GENESIS, 0, []
    for row in rows.mappings():
        seq += 1
        at = row["at"].replace(microsecond=0)
        details = {"detail": row["detail"]} if row["detail"] is not None else {}
        subject = row["subject"] or None
        digest = _event_hash(seq, at, row["username"], row["counter"], row["action"], subject,
                             details, prev)
        chunk.append(dict(seq=seq, at=at, actor=row["username"], counter=row["counter"],
                          action=row["action"], subject=subject, details=_canonical(details),
                          prev_hash=prev, hash=digest))
        prev = digest
        if len(chunk) >= 1000:
            op.bulk_insert(events, chunk)
            chunk = []
    if chunk:
        op.bulk_insert(events, chunk)


# -- append-only triggers --------------------------------------------------------------------

def _sqlite_triggers() -> None:
    for table in GUARDED:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )


def _pg_triggers() -> None:
    op.execute(
        "CREATE FUNCTION creditdesk_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP "
        "USING ERRCODE = 'insufficient_privilege'; END $$"
    )
    for table in GUARDED:
        op.execute(
            f"CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION creditdesk_refuse_change()"
        )
    op.execute(
        "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION creditdesk_refuse_change()"
    )


def _drop_triggers(dialect: str) -> None:
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
        for table in GUARDED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update_delete ON {table}")
        op.execute("DROP FUNCTION IF EXISTS creditdesk_refuse_change()")
        return
    for table in GUARDED:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")


# -- PostgreSQL: the report counter row and the roles -----------------------------------------

def _pg_seed_report_counter(bind) -> None:
    bind.execute(sa.text(
        "INSERT INTO report_counters (name, value) "
        "SELECT 'report', CASE WHEN is_called THEN last_value ELSE 0 END FROM report_serial_seq "
        "WHERE NOT EXISTS (SELECT 1 FROM report_counters WHERE name = 'report')"
    ))


def _pg_create_role(role: str) -> None:
    # Roles are cluster-wide: another schema (or a concurrent migration) may have made it, and
    # an owner without CREATEROLE leaves it to the DBA (see docs/deployment-postgresql.md).
    op.execute(
        "DO $$ BEGIN "
        f"IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN "
        f"CREATE ROLE {role} NOLOGIN; "
        "END IF; "
        "EXCEPTION "
        "WHEN duplicate_object OR unique_violation THEN NULL; "
        f"WHEN insufficient_privilege THEN RAISE WARNING 'cannot create role {role}: "
        "create it as a superuser and run the migration again'; "
        "END $$"
    )


def _pg_role_exists(bind, role: str) -> bool:
    return bind.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first() is not None


def _pg_schema(bind) -> str:
    name = bind.execute(sa.text("SELECT current_schema()")).scalar()
    return bind.dialect.identifier_preparer.quote(name)


def _pg_roles(bind) -> None:
    for role in (COUNTER, READONLY):
        _pg_create_role(role)
    schema = _pg_schema(bind)
    if _pg_role_exists(bind, COUNTER):
        for statement in (
            f"GRANT USAGE ON SCHEMA {schema} TO {COUNTER}",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {COUNTER}",
            f"GRANT INSERT, UPDATE ON {', '.join(COUNTER_WRITES)} TO {COUNTER}",
            f"GRANT DELETE ON {', '.join(COUNTER_DELETES)} TO {COUNTER}",
            f"GRANT INSERT ON {', '.join(GUARDED)} TO {COUNTER}",
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {COUNTER}",
        ):
            op.execute(statement)
    if _pg_role_exists(bind, READONLY):
        sequence = bind.execute(sa.text("SELECT pg_get_serial_sequence('verifications', 'id')")).scalar()
        for statement in (
            f"GRANT USAGE ON SCHEMA {schema} TO {READONLY}",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {READONLY}",
            f"GRANT INSERT ON verifications, audit_events TO {READONLY}",
            f"GRANT USAGE ON SEQUENCE {sequence} TO {READONLY}",
        ):
            op.execute(statement)


def _pg_drop_roles(bind) -> None:
    """Revoke in this schema; drop a role only when nothing else (another schema, a member
    login) still depends on it."""
    schema = _pg_schema(bind)
    for role in (COUNTER, READONLY):
        if not _pg_role_exists(bind, role):
            continue
        op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}")
        op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}")
        op.execute(f"REVOKE ALL ON SCHEMA {schema} FROM {role}")
        op.execute(
            "DO $$ BEGIN "
            "IF NOT EXISTS (SELECT FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
            f"WHERE r.rolname = '{role}') THEN DROP ROLE {role}; END IF; "
            "EXCEPTION WHEN dependent_objects_still_exist OR insufficient_privilege "
            "OR undefined_object THEN NULL; "
            "END $$"
        )


def _pg_restore_report_sequence(bind) -> None:
    """Numbers go back to the sequence: it continues after the last number the counter gave."""
    value = bind.execute(sa.text("SELECT value FROM report_counters WHERE name = 'report'")).scalar()
    if value is not None:
        bind.execute(sa.text("SELECT setval('report_serial_seq', :v, :called)"),
                     {"v": max(int(value), 1), "called": int(value) > 0})
    bind.execute(sa.text("DELETE FROM report_counters WHERE name = 'report'"))


# -- downgrade -----------------------------------------------------------------------------

def downgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    if dialect == "postgresql":
        _pg_drop_roles(bind)
        _pg_restore_report_sequence(bind)
    _drop_triggers(dialect)

    log = op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('counter', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_username'), ['username'], unique=False)
    _copy_events_back(bind, log)
    if dialect == "postgresql":
        # audit_log.id is a serial: continue after the rows carried back
        op.execute("SELECT setval(pg_get_serial_sequence('audit_log', 'id'), "
                   "COALESCE((SELECT max(id) FROM audit_log), 1), "
                   "(SELECT count(*) > 0 FROM audit_log))")

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_actor'))
        batch_op.drop_index('ix_audit_events_action_subject')
    op.drop_table('audit_events')


def _copy_events_back(bind, log: sa.Table) -> None:
    events = sa.table('audit_events', sa.column('seq'), sa.column('at', sa.DateTime()),
                      sa.column('actor'), sa.column('counter'), sa.column('action'),
                      sa.column('subject'), sa.column('details'))
    chunk = []
    for row in bind.execute(sa.select(events).order_by(events.c.seq)).mappings():
        details = json.loads(row["details"] or "{}")
        if not details:
            detail = None
        elif set(details) == {"detail"} and isinstance(details["detail"], str):
            detail = details["detail"]
        else:
            detail = row["details"]
        chunk.append(dict(id=row["seq"], at=row["at"], username=row["actor"],
                          counter=row["counter"], action=row["action"], subject=row["subject"],
                          detail=detail))
        if len(chunk) >= 1000:
            op.bulk_insert(log, chunk)
            chunk = []
    if chunk:
        op.bulk_insert(log, chunk)
