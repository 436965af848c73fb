"""The real `creditdesk-web` (uvicorn) started as a process on a free loopback port, a plain HTTP
client, and a database holding one report of every verdict."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date, datetime, time as clock, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.services.people.roles import Role
from core.services.signing.keys import KeyService
from core.services.signing.payload import QrClaims, key_id_for, parse_payload, sign_payload
from tests.desks import make_desk
from tests.factories import add_enterprise, add_penalty

ROOT = Path(__file__).resolve().parents[2]
TODAY = date.today()


@dataclass
class Reply:
    status: int
    headers: dict  # lower-case names
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def get(url: str, headers: dict | None = None, method: str = "GET") -> Reply:
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return Reply(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read())
    except urllib.error.HTTPError as e:
        return Reply(e.code, {k.lower(): v for k, v in e.headers.items()}, e.read())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    base: str
    process: subprocess.Popen
    log: Path
    errors: Path

    def get(self, path: str, headers: dict | None = None, method: str = "GET") -> Reply:
        return get(self.base + path, headers, method)

    def access_lines(self, at_least: int = 0) -> list[str]:
        """The access log so far; waits a little for `at_least` lines (a line is written just
        after its response is sent)."""
        deadline = time.monotonic() + 5
        while True:
            lines = [line for line in self.log.read_text(encoding="utf-8").splitlines() if line.strip()]
            if len(lines) >= at_least or time.monotonic() > deadline:
                return lines
            time.sleep(0.05)


def start_server(db_url: str, folder: Path, *args: str, health: int = 200, port: int | None = None) -> Server:
    """`python -m web` (what the creditdesk-web script runs) until /healthz answers `health`."""
    port = port or free_port()
    log, errors = folder / f"web-{port}.out", folder / f"web-{port}.err"
    with log.open("wb") as out, errors.open("wb") as err:
        process = subprocess.Popen([sys.executable, "-m", "web", "--db", db_url, "--port", str(port), *args],
                                   cwd=ROOT, stdout=out, stderr=err, env=os.environ.copy())
    server = Server(f"http://127.0.0.1:{port}", process, log, errors)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"creditdesk-web exited {process.returncode}: {errors.read_text()}")
        try:
            if get(server.base + "/healthz").status == health:
                return server
        except OSError:
            pass
        time.sleep(0.1)
    stop_server(server)
    raise AssertionError(f"creditdesk-web did not answer: {errors.read_text()}")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@dataclass
class Codes:
    """One signed code per verdict, and what the test compares the pages against."""

    valid: str
    valid_no: str
    newer: str  # valid, with a penalty recorded after its issue
    newer_penalty: str
    revoked: str
    revoked_no: str
    expired: str
    forged: str
    misread: str
    pdf: dict = field(default_factory=dict)  # report number -> archived PDF bytes


CLEAN, DIRTY, OLD = "吴中区绿源环保科技有限公司", "苏州恒达精密机械有限公司", "苏州华新纺织有限公司"


def make_codes(db, profile, tmp_path: Path) -> Codes:
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust.json")
    keys.create(user="admin", today=TODAY - timedelta(days=400))
    desk = make_desk(db, profile, keys)
    clean, dirty, old = add_enterprise(db, CLEAN), add_enterprise(db, DIRTY), add_enterprise(db, OLD)
    valid = desk.issue(clean, purpose="融资")
    newer = desk.issue(dirty, purpose="招投标")
    newer_penalty = add_penalty(db, dirty, TODAY)
    revoked = desk.issue(clean, purpose="其他")
    desk.desk.revoke(desk.as_(Role.SUPERVISOR), revoked.report_no, "企业名称有误，已重新出具")
    expired = desk.issue(old, now=datetime.combine(TODAY - timedelta(days=45), clock(10)))
    genuine = parse_payload(valid.issue.qr_digits).claims
    outsider = Ed25519PrivateKey.generate()  # signed with somebody else's key
    forged = sign_payload(QrClaims(**{**genuine.__dict__, "key_id": key_id_for(outsider.public_key())}), outsider)
    digits = valid.issue.qr_digits
    misread = digits[:100] + str((int(digits[100]) + 1) % 10) + digits[101:]  # one digit read wrong
    return Codes(valid.issue.qr_digits, valid.report_no, newer.issue.qr_digits, newer_penalty,
                 revoked.issue.qr_digits, revoked.report_no, expired.issue.qr_digits, forged, misread,
                 {r.report_no: r.pdf for r in (valid, revoked)})


def verifications(db) -> list[tuple[str, str, str, str | None]]:
    from sqlalchemy import select

    from core.db.models_reports import Verification

    with db.session() as s:
        return [(v.verified_by, v.counter, v.status, v.report_no)
                for v in s.scalars(select(Verification).order_by(Verification.id))]
