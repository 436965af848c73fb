"""Run creditdesk-admin as a real process, as an administrator or a script would.

`cli` is bound to one database: the default embedded file under CREDITDESK_HOME (no --db)
or `--db <PostgreSQL URL>` in the session's private schema.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_BASE, TABLES

TIMEOUT = 120


@dataclass(frozen=True)
class Run:
    args: tuple[str, ...]
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]

    def json(self):
        assert self.code == 0, f"{self.args} exited {self.code}: {self.err}"
        return json.loads(self.out)


@dataclass
class Cli:
    """One user's view of the tool: a home folder, an environment and a database choice."""

    home: Path
    db_args: list[str] = field(default_factory=list)
    extra_env: dict[str, str] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in ("CREDITDESK_DB", "CREDITDESK_PROFILE", "CREDITDESK_HOME")}
        env["CREDITDESK_HOME"] = str(self.home)
        env["PYTHONIOENCODING"] = "utf-8"
        env.update(self.extra_env)
        return env

    def __call__(self, *args: str, db: bool = True) -> Run:
        argv = [*(self.db_args if db else []), *map(str, args)]
        proc = subprocess.run(
            [sys.executable, "-m", "core", *argv], env=self.env(), cwd=self.home.parent,
            capture_output=True, text=True, encoding="utf-8", timeout=TIMEOUT,
        )
        return Run(tuple(argv), proc.returncode, proc.stdout, proc.stderr)

    def ok(self, *args: str) -> Run:
        run = self(*args)
        assert run.code == 0, f"{run.args} exited {run.code}: {run.err}"
        assert "Traceback" not in run.err
        return run


def _truncate(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def clean_pg_url(pg_url) -> str:
    """The session's migrated PostgreSQL schema, emptied for this test."""
    _truncate(pg_url)
    return pg_url


@pytest.fixture
def fresh_pg_url(pg_url):
    """A PostgreSQL schema of its own that nobody has initialised yet."""
    name = f"cde2e_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_BASE)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    sep = "&" if "?" in PG_BASE else "?"
    yield f"{PG_BASE}{sep}options=-csearch_path%3D{name}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
    admin.dispose()


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path / "home"


@pytest.fixture(params=["embedded", "postgresql"])
def cli(request, home) -> Cli:
    """The tool on each kind of database, schema ready and empty.

    "embedded" is the default SQLite file under CREDITDESK_HOME (no --db); an explicit
    `--db sqlite:///...` is exercised by the init and demo tests.
    """
    if request.param == "embedded":
        tool = Cli(home)
    else:
        tool = Cli(home, ["--db", request.getfixturevalue("clean_pg_url")])
    tool.ok("init")
    return tool
