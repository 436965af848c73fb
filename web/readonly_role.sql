-- The PostgreSQL role of creditdesk-web: reads what a check reads, writes one row per check.
--
-- Run as the database owner (or a superuser), with psql:
--
--   psql "postgresql://owner@db-host/creditdesk" -v ON_ERROR_STOP=1 \
--        -v role=creditdesk_web -v password='a long random secret' -v schema=public \
--        -f web/readonly_role.sql
--
-- then start the service with that role:
--   creditdesk-web --db 'postgresql+psycopg://creditdesk_web:SECRET@db-host/creditdesk'
--
-- What the role may do (docs/web.md explains why):
--   SELECT on the tables a check and the archived PDF read;
--   INSERT into verifications only (the record of each check), nothing else;
--   no UPDATE, no DELETE, no TRUNCATE, no DDL anywhere; no access to users or objections.
-- Re-running it after `creditdesk-admin init` upgraded the schema grants the same again.

\set ON_ERROR_STOP on

SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') AS role_is_new \gset
\if :role_is_new
CREATE ROLE :"role" LOGIN PASSWORD :'password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOINHERIT;
\else
ALTER ROLE :"role" LOGIN PASSWORD :'password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOINHERIT;
\endif

-- Its statements find the tables without a schema prefix, as the program writes them.
ALTER ROLE :"role" SET search_path = :"schema";

GRANT USAGE ON SCHEMA :"schema" TO :"role";

-- What one check reads: the schema version, the trust list, the archive, the audit chain's
-- issue/revoke/correction events, penalties since issue, corrections, the deployment settings.
GRANT SELECT ON
    :"schema".alembic_version,
    :"schema".signing_keys,
    :"schema".reports,
    :"schema".report_files,
    :"schema".audit_events,
    :"schema".penalties,
    :"schema".record_corrections,
    :"schema".deployment_settings
TO :"role";

-- What one check writes: one row in verifications. RETURNING id needs SELECT on that column,
-- and the id comes from its sequence.
GRANT INSERT (report_no, status, offline, reason, verified_by, counter, verified_at)
    ON :"schema".verifications TO :"role";
GRANT SELECT (id) ON :"schema".verifications TO :"role";
GRANT USAGE ON SEQUENCE :"schema".verifications_id_seq TO :"role";
