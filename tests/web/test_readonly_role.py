"""On PostgreSQL the web service runs as the role web/readonly_role.sql creates (through psql, as
docs/web.md tells an administrator): it verifies and serves the PDF, records each check, and the
database refuses it anything else."""
from __future__ import annotations

import secrets
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.conftest import PG_BASE
from tests.web.conftest import CLEAN, make_codes, start_server, stop_server, verifications

SCRIPT = Path(__file__).resolve().parents[2] / "web" / "readonly_role.sql"


def libpq(url: str) -> str:
    """The SQLAlchemy URL as psql and psycopg take it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def web_role(db):
    with db.engine.connect() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    role, password = f"cdweb_{secrets.token_hex(5)}", secrets.token_urlsafe(16)
    psql = shutil.which("psql")
    assert psql, "psql (postgresql-client) runs the documented role script"
    run = subprocess.run([psql, libpq(PG_BASE), "-q", "-v", "ON_ERROR_STOP=1", "-v", f"role={role}",
                          "-v", f"password={password}", "-v", f"schema={schema}", "-f", str(SCRIPT)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    again = subprocess.run([psql, libpq(PG_BASE), "-q", "-v", "ON_ERROR_STOP=1", "-v", f"role={role}",
                            "-v", f"password={password}", "-v", f"schema={schema}", "-f", str(SCRIPT)],
                           capture_output=True, text=True)
    assert again.returncode == 0, again.stderr  # re-run after an upgrade: same grants, no error
    base = make_url(PG_BASE)
    url = base.set(username=role, password=password, query={}).render_as_string(hide_password=False)
    yield url
    with db.engine.begin() as conn:
        conn.execute(text(f'DROP OWNED BY "{role}"'))
        conn.execute(text(f'DROP ROLE "{role}"'))


@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_the_web_role_verifies_records_and_can_change_nothing(db, profile, tmp_path, web_role):
    codes = make_codes(db, profile, tmp_path)
    server = start_server(web_role, tmp_path)
    try:
        page = server.get(f"/v/{codes.valid}")
        assert page.status == 200 and "<h1>有效</h1>" in page.text and CLEAN in page.text
        assert "<h1>无效 · 已撤销</h1>" in server.get(f"/v/{codes.revoked}").text
        assert "<h1>无效 · 伪造</h1>" in server.get(f"/v/{codes.forged}").text
        assert server.get(f"/v/{codes.valid}/pdf").body == codes.pdf[codes.valid_no]
    finally:
        stop_server(server)
    assert [(who, status) for who, _, status, _ in verifications(db)] == [
        ("网页核验", "valid"), ("网页核验", "revoked"), ("网页核验", "forged")]

    refused = {
        "UPDATE verifications SET status = 'valid'": "verifications",
        "DELETE FROM verifications": "verifications",
        "UPDATE reports SET status = 'issued'": "reports",
        "DELETE FROM reports": "reports",
        "DELETE FROM report_files": "report_files",
        "UPDATE signing_keys SET retired_at = NULL": "signing_keys",
        "INSERT INTO signing_keys (key_id) VALUES ('deadbeef')": "signing_keys",
        "INSERT INTO audit_events (seq) VALUES (999999)": "audit_events",
        "SELECT username, password_hash FROM users": "users",
        "SELECT * FROM objections": "objections",
        "TRUNCATE verifications": "verifications",
        "CREATE TABLE mine (x int)": None,
    }
    with psycopg.connect(libpq(web_role), autocommit=True) as conn:
        for statement, table in refused.items():
            with pytest.raises(psycopg.errors.InsufficientPrivilege) as denied:
                conn.execute(statement)
            assert "permission denied" in str(denied.value), statement
            if table:
                assert table in str(denied.value), statement
        # what it may do: read the archive, add one check
        assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 4
        conn.execute("INSERT INTO verifications (status, offline, verified_by, counter, verified_at) "
                     "VALUES ('malformed', false, '网页核验', '网页', now())")
