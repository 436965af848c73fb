"""Running creditdesk-web: security headers, rate limits per client, the health probe, the access
log without payloads — the real server on a real database."""
from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys

import pytest

from tests.web.conftest import ROOT, free_port, make_codes, start_server, stop_server

HEADERS = {"x-content-type-options": "nosniff", "referrer-policy": "no-referrer", "x-frame-options": "DENY",
           "cache-control": "no-store"}


@pytest.fixture
def codes(db, profile, tmp_path):
    return make_codes(db, profile, tmp_path)


@pytest.fixture
def served(db, tmp_path):
    started = []

    def start(*args: str):
        started.append(start_server(db.url, tmp_path, *args))
        return started[-1]

    yield start
    for server in started:
        stop_server(server)


def test_security_headers_on_every_answer(db, codes, served):
    server = served()
    page, pdf, missing = (server.get(f"/v/{codes.valid}"), server.get(f"/v/{codes.valid}/pdf"),
                          server.get("/nothing"))
    for reply in (page, pdf, missing, server.get("/healthz")):
        for name, value in HEADERS.items():
            assert reply.headers.get(name) == value, (name, reply.status)
        assert "frame-ancestors 'none'" in reply.headers["content-security-policy"]
        assert "strict-transport-security" not in reply.headers  # not declared behind TLS
        assert "server" not in reply.headers  # no product banner
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy and "unsafe-inline" not in policy
    # the one inline style sheet is allowed by its hash, nothing else
    css = re.search(r"<style>(.*?)</style>", page.text, flags=re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in policy

    behind_tls = served("--https")
    assert behind_tls.get(f"/v/{codes.valid}").headers["strict-transport-security"] == "max-age=31536000"


def test_rate_limit_per_client(db, codes, served):
    server = served("--rate", "6", "--burst", "3")
    assert [server.get(f"/v/{codes.valid}").status for _ in range(3)] == [200, 200, 200]
    refused = server.get(f"/v/{codes.valid}")
    assert refused.status == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 10  # one token every 10 s
    assert "请求过于频繁" in refused.text and "秒后再试" in refused.text
    assert refused.headers["cache-control"] == "no-store"
    # a client that is not a trusted proxy cannot pose as another by X-Forwarded-For
    assert server.get(f"/v/{codes.valid}", {"X-Forwarded-For": "203.0.113.9"}).status == 429
    assert server.get("/healthz").status == 200  # the probe is never limited
    assert server.get("/").status == 429  # 404s count too: no free scanning

    proxied = served("--rate", "6", "--burst", "1", "--trusted-proxy", "127.0.0.1")
    assert proxied.get(f"/v/{codes.valid}", {"X-Forwarded-For": "198.51.100.7"}).status == 200
    assert proxied.get(f"/v/{codes.valid}", {"X-Forwarded-For": "198.51.100.7"}).status == 429
    assert proxied.get(f"/v/{codes.valid}", {"X-Forwarded-For": "198.51.100.8"}).status == 200
    # an IPv6 client counts by its /64: another address of the same network gets no fresh bucket
    assert proxied.get(f"/v/{codes.valid}", {"X-Forwarded-For": "2001:db8:7:7::1"}).status == 200
    assert proxied.get(f"/v/{codes.valid}", {"X-Forwarded-For": "2001:db8:7:7::2"}).status == 429
    assert proxied.get(f"/v/{codes.valid}", {"X-Forwarded-For": "2001:db8:7:8::1"}).status == 200
    clients = [json.loads(line)["client"] for line in proxied.access_lines(at_least=7)]
    assert clients[-6:] == ["198.51.100.7", "198.51.100.7", "198.51.100.8",
                            "2001:db8:7:7::1", "2001:db8:7:7::2", "2001:db8:7:8::1"]  # logged as they came


def test_access_log_has_one_json_line_per_request_and_no_payload(db, codes, served):
    server = served()
    server.get(f"/v/{codes.valid}")
    server.get(f"/V/{codes.misread}/pdf?download=1")
    server.get("/nowhere")
    lines = [json.loads(line) for line in server.access_lines(at_least=4) if '"/healthz"' not in line]
    assert [(e["method"], e["status"]) for e in lines] == [("GET", 200), ("GET", 404), ("GET", 404)]
    for entry in lines:
        assert set(entry) == {"time", "method", "path", "status", "ms", "client"}
        assert entry["client"] == "127.0.0.1" and entry["ms"] >= 0
    short = hashlib.sha256(codes.valid.encode()).hexdigest()[:12]
    assert lines[0]["path"] == f"/v/#{short}"
    assert re.fullmatch(r"/V/#[0-9a-f]{12}/pdf", lines[1]["path"])
    log = server.log.read_text(encoding="utf-8")
    assert codes.valid[:40] not in log and codes.misread[:40] not in log and "download" not in log


def test_health_probe_and_pages_answer_503_when_the_embedded_file_is_gone(tmp_path, profile):
    from core.db import schema
    from core.db.engine import Database

    db = Database(f"sqlite:///{tmp_path / 'creditdesk.sqlite3'}")
    schema.upgrade(db)
    codes = make_codes(db, profile, tmp_path)
    server = start_server(db.url, tmp_path)
    try:
        health = server.get("/healthz")
        assert health.status == 200 and json.loads(health.body) == {"status": "ok", "database": "正常"}
        moved = db.file.with_name("away.sqlite3")
        db.file.rename(moved)
        try:
            down = server.get("/healthz")
            assert down.status == 503 and json.loads(down.body)["database"] == "无法连接数据库"
            assert_unavailable(server.get(f"/v/{codes.valid}"))
        finally:
            moved.rename(db.file)
        assert server.get("/healthz").status == 200
        assert server.get(f"/v/{codes.valid}").status == 200
    finally:
        stop_server(server)
        db.dispose()


def test_refuses_to_start_on_a_missing_file_or_an_old_schema(tmp_path):
    """Exit 1 with one Chinese sentence, nothing created, nothing migrated: the web never sets up
    or upgrades a database (creditdesk-admin init does)."""
    from alembic.script import ScriptDirectory
    from sqlalchemy import text

    from core.db import schema
    from core.db.engine import Database

    def start(url: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "web", "--db", url, "--port", str(free_port())],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)

    missing = tmp_path / "gone" / "creditdesk.sqlite3"
    refused = start(f"sqlite:///{missing}")
    assert refused.returncode == 1 and "数据库文件不见了" in refused.stderr, refused.stderr
    assert not missing.exists()

    db = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    schema.upgrade(db)
    older = ScriptDirectory.from_config(schema._config()).get_revision(schema.head_revision()).down_revision
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": older})
    refused = start(db.url)
    assert refused.returncode == 1 and "数据库结构不是最新版本" in refused.stderr, refused.stderr
    assert "creditdesk-admin init" in refused.stderr
    assert schema.current_revision(db) == older  # left as it was
    db.dispose()


def test_starts_without_a_reachable_postgresql_and_says_503(tmp_path, codes_text="1" * 293):
    nobody = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test"  # nothing listens there
    server = start_server(nobody, tmp_path, health=503)
    try:
        assert json.loads(server.get("/healthz").body) == {"status": "unavailable", "database": "无法连接数据库"}
        assert_unavailable(server.get(f"/v/{codes_text}"))
    finally:
        stop_server(server)


def assert_unavailable(page) -> None:
    """No verdict at all while the archive cannot be read: a signature alone is not enough here."""
    assert page.status == 503 and page.headers["retry-after"] == "30"
    body = page.text.split("<body>")[1]
    assert "暂时无法核验" in body and "有效" not in body and "伪造" not in body
