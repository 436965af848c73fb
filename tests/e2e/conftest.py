"""Run creditdesk-admin as a real process, as an administrator or a script would.

`cli` is bound to one database — the default embedded file under CREDITDESK_HOME (no --db) or
`--db <PostgreSQL URL>` in the session's private schema — that already has its people: the first
administrator made by `init --admin admin`, and a clerk, a verifier and a supervisor added by
that administrator with `users add` (made once per kind of database by those commands and
copied into each test's database). `cli(...)` runs a command as nobody; `cli.admin(...)`,
`cli.clerk(...)`, `cli.verifier(...)`, `cli.supervisor(...)` (or `cli.as_user(name)`) run it as
that person: `--user NAME` and the password in CREDITDESK_PASSWORD, as a script would.

The commands a test is about run as `python -m core` in a fresh interpreter. Starting one costs
about a second (importing the report renderer, SQLAlchemy, ...), so the many commands that only
set the scene (the people, the role table of test_cli_roles.py) run through `Launcher`: a helper
process that imports creditdesk once and forks a child per command. The child is still a
process of its own — its own argv, environment, working directory, stdin (/dev/null),
stdout/stderr and exit code — calling the same `core.cli.main()` that `python -m core` does.
"""
from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.conftest import PG_BASE, TABLES
from tests.desks import TEST_EXTENSION

TIMEOUT = 120

# The people every `cli` has. Passwords are long enough for the password rule (8+).
ROLES = {"admin": "管理员", "clerk": "窗口人员", "verifier": "核验人员", "supervisor": "主管"}
PASSWORDS = {"admin": "admin-口令-2026", "clerk": "clerk-口令-2026", "verifier": "verifier-口令-2026",
             "supervisor": "supervisor-口令-2026"}
PASSWORD_ENV = "CREDITDESK_PASSWORD"
NEW_PASSWORD_ENV = "NEW_USER_PASSWORD"  # where `users add/reset --password-env` finds the new one
# Never inherited from the shell that runs the tests: each Cli says what it means.
_OWN_ENV = ("CREDITDESK_DB", "CREDITDESK_PROFILE", "CREDITDESK_HOME", "CREDITDESK_USER",
            PASSWORD_ENV, "CREDITDESK_KEY_PASSPHRASE")


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


# --- starting the tool ---------------------------------------------------------------------------

_RUNNER = r'''
import json, os, sys, traceback
import core.cli, core.commands, core.commands_admin, core.commands_reports, core.commands_users
import core.usecases, core.db.schema, core.services.people.setup
import argon2, core.services.people.users as users  # cheap test hashes, as tests/conftest.py says
users._hasher = argon2.PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
print("ready", flush=True)
for line in sys.stdin:
    req = json.loads(line)
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            os.chdir(req["cwd"])
            os.environ.clear()
            os.environ.update(req["env"])
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            for fd, path in ((1, req["out"]), (2, req["err"])):
                target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                os.dup2(target, fd)
                os.close(target)
            sys.argv = ["creditdesk-admin", *req["argv"]]
            try:
                code = core.cli.main()
            except SystemExit as exc:
                if exc.code is None or isinstance(exc.code, int):
                    code = exc.code or 0
                else:
                    print(exc.code, file=sys.stderr)
                    code = 1
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code if isinstance(code, int) else 1)
    _, status = os.waitpid(pid, 0)
    print(json.dumps({"code": os.waitstatus_to_exitcode(status)}), flush=True)
'''


class Launcher:
    """One warm interpreter that forks a child per command (see the module docstring)."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._dir = tempfile.TemporaryDirectory(prefix="creditdesk-e2e-")

    def _start(self) -> subprocess.Popen:
        env = {k: v for k, v in os.environ.items() if k not in _OWN_ENV}
        env["PYTHONIOENCODING"] = "utf-8"
        proc = subprocess.Popen(  # a session of its own: no terminal for getpass, one group to stop
            [sys.executable, "-c", _RUNNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            env=env, cwd=Path(__file__).resolve().parents[2], text=True, encoding="utf-8",
            start_new_session=True,
        )
        if self._read(proc) != "ready":
            raise RuntimeError("the e2e launcher did not start")
        return proc

    def _read(self, proc: subprocess.Popen) -> str:
        ready, _, _ = select.select([proc.stdout], [], [], TIMEOUT)
        line = proc.stdout.readline() if ready else ""
        if not line:
            self._stop(proc)
            raise TimeoutError("creditdesk-admin (forked) did not finish in time")
        return line.strip()

    @staticmethod
    def _stop(proc: subprocess.Popen) -> None:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the launcher and the command it forked
        proc.wait()

    def run(self, argv: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._proc = self._start()
            out, err = Path(self._dir.name, "out"), Path(self._dir.name, "err")
            request = {"argv": argv, "env": env, "cwd": str(cwd), "out": str(out), "err": str(err)}
            self._proc.stdin.write(json.dumps(request) + "\n")
            self._proc.stdin.flush()
            try:
                code = json.loads(self._read(self._proc))["code"]
            except TimeoutError:
                self._proc = None
                raise
            return code, out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8")

    def close(self) -> None:
        if self._proc is not None:
            self._proc.stdin.close()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._stop(self._proc)
        self._dir.cleanup()


@dataclass
class Cli:
    """One person's view of the tool: a home folder, an environment, a database choice and who
    signs in (nobody by default)."""

    home: Path
    db_args: list[str] = field(default_factory=list)
    extra_env: dict[str, str] = field(default_factory=dict)
    user: str | None = None
    password: str | None = None
    launcher: Launcher | None = None  # None: `python -m core` in a fresh interpreter

    # -- who ------------------------------------------------------------------------------------

    def as_user(self, name: str, password: str | None = None) -> "Cli":
        """The same tool signed in as `name`: `--user name`, the password in CREDITDESK_PASSWORD
        (the person's own unless another is given)."""
        return replace(self, user=name, password=PASSWORDS.get(name) if password is None else password,
                       extra_env=dict(self.extra_env))

    @property
    def admin(self) -> "Cli":
        return self.as_user("admin")

    @property
    def clerk(self) -> "Cli":
        return self.as_user("clerk")

    @property
    def verifier(self) -> "Cli":
        return self.as_user("verifier")

    @property
    def supervisor(self) -> "Cli":
        return self.as_user("supervisor")

    def with_env(self, **env: str) -> "Cli":
        return replace(self, extra_env={**self.extra_env, **env})

    def fast(self, launcher: Launcher) -> "Cli":
        return replace(self, launcher=launcher, extra_env=dict(self.extra_env))

    @property
    def db_url(self) -> str:
        """The database this tool works on, for reading it directly as a DBA would."""
        if "--db" in self.db_args:
            return self.db_args[self.db_args.index("--db") + 1]
        if "CREDITDESK_DB" in self.extra_env:
            return self.extra_env["CREDITDESK_DB"]
        return f"sqlite:///{self.home / 'creditdesk.sqlite3'}"

    # -- running --------------------------------------------------------------------------------

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _OWN_ENV}
        env["CREDITDESK_HOME"] = str(self.home)
        env["PYTHONIOENCODING"] = "utf-8"
        if self.password is not None:
            env[PASSWORD_ENV] = self.password
        env.update(self.extra_env)
        return env

    def __call__(self, *args: str, db: bool = True) -> Run:
        who = ["--user", self.user] if self.user else []
        argv = [*(self.db_args if db else []), *who, *map(str, args)]
        if self.launcher is not None:
            code, out, err = self.launcher.run(argv, self.env(), self.home.parent)
            return Run(tuple(argv), code, out, err)
        proc = subprocess.run(
            [sys.executable, "-m", "core", *argv], env=self.env(), cwd=self.home.parent,
            stdin=subprocess.DEVNULL, capture_output=True, text=True, encoding="utf-8", timeout=TIMEOUT,
        )
        return Run(tuple(argv), proc.returncode, proc.stdout, proc.stderr)

    def ok(self, *args: str) -> Run:
        run = self(*args)
        assert run.code == 0, f"{run.args} exited {run.code}: {run.err}"
        assert "Traceback" not in run.err
        return run


def set_up_people(tool: Cli, launcher: Launcher | None = None, *, everyone: bool = True) -> Cli:
    """`init`, then `init --admin admin`, then (everyone) the clerk, verifier and supervisor
    added by the administrator with `users add --password-env`. Returns `tool` (nobody signed in)."""
    quick = tool.fast(launcher) if launcher else tool
    quick.ok("init")
    quick.with_env(**{PASSWORD_ENV: PASSWORDS["admin"]}).ok("init", "--admin", "admin", "--name", "管理员")
    if everyone:
        for name in ("clerk", "verifier", "supervisor"):
            quick.admin.with_env(**{NEW_PASSWORD_ENV: PASSWORDS[name]}).ok(
                "users", "add", name, "--role", ROLES[name], "--password-env", NEW_PASSWORD_ENV)
    # suzhou-2024 (the default) ended 2026-02-28; the tests issue "today", so the test
    # installation records an extension as a deployment's administrator would (see tests/desks.py)
    quick.admin.ok("profile", "use", "suzhou-2024", "--extended-by", TEST_EXTENSION[0],
                   "--until", TEST_EXTENSION[1].isoformat())
    return tool


# --- reading the database as a DBA would ----------------------------------------------------------

@dataclass(frozen=True)
class Event:
    seq: int
    actor: str
    action: str
    subject: str | None
    details: dict


def audit_events(url: str, after: int = 0) -> list[Event]:
    """The rows of the audit chain after `after`, oldest first, read straight from the table."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT seq, actor, action, subject, details FROM audit_events "
                                     "WHERE seq > :after ORDER BY seq"), {"after": after}).all()
    finally:
        engine.dispose()
    return [Event(r.seq, r.actor, r.action, r.subject, json.loads(r.details)) for r in rows]


def last_seq(url: str) -> int:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT COALESCE(MAX(seq), 0) FROM audit_events")).scalar()
    finally:
        engine.dispose()


# --- databases ------------------------------------------------------------------------------------

def _truncate(url: str) -> None:
    """Empty every table (as tests/conftest.py's `db` does) and restart report numbering."""
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        # replica: the append-only triggers (audit_events refuses TRUNCATE) stay silent here
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        tables = TABLES if "deployment_settings" in TABLES else (*TABLES, "deployment_settings")
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        conn.execute(text("UPDATE report_counters SET value = 0 WHERE name = 'report'"))
        conn.execute(text("ALTER SEQUENCE report_serial_seq RESTART"))
    engine.dispose()


@contextmanager
def private_pg_schema() -> Iterator[tuple[str, str]]:
    """A PostgreSQL schema of its own that nobody has initialised yet: (URL, schema name)."""
    name = f"cde2e_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_BASE, poolclass=NullPool)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    sep = "&" if "?" in PG_BASE else "?"
    try:
        yield f"{PG_BASE}{sep}options=-csearch_path%3D{name}", name
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


PEOPLE_TABLES = ("users", "audit_events", "deployment_settings")  # what set_up_people writes


def _copy_people(url: str, template_schema: str) -> None:
    """Into an emptied schema: the rows set_up_people made in the template schema (users and
    their audit events, byte for byte), the users' id sequence moved past them."""
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        for table in PEOPLE_TABLES:
            conn.execute(text(f'INSERT INTO {table} SELECT * FROM "{template_schema}".{table}'))
        conn.execute(text("SELECT setval(pg_get_serial_sequence('users', 'id'), "
                          "(SELECT MAX(id) FROM users))"))
    engine.dispose()


@pytest.fixture(scope="session")
def launcher() -> Iterator[Launcher]:
    fast = Launcher()
    yield fast
    fast.close()


@pytest.fixture
def people(launcher):
    """`people(tool)`: give an uninitialised tool its schema and its people (see set_up_people)."""
    return lambda tool, everyone=True: set_up_people(tool, launcher, everyone=everyone)


@pytest.fixture(scope="session")
def people_template_sqlite(tmp_path_factory, launcher) -> Path:
    """An embedded database file with the four people, made once by the commands themselves."""
    home = tmp_path_factory.mktemp("people-template") / "home"
    set_up_people(Cli(home), launcher)
    return home / "creditdesk.sqlite3"


@pytest.fixture(scope="session")
def people_template_pg(pg_url, tmp_path_factory, launcher) -> Iterator[str]:
    """A schema with the four people, made once by the commands themselves; its name."""
    with private_pg_schema() as (url, name):
        set_up_people(Cli(tmp_path_factory.mktemp("people-template-pg") / "home", ["--db", url]), launcher)
        yield name


@pytest.fixture
def clean_pg_url(pg_url) -> str:
    """The session's migrated PostgreSQL schema, emptied for this test."""
    _truncate(pg_url)
    return pg_url


@pytest.fixture
def fresh_pg_url(pg_url) -> Iterator[str]:
    """A PostgreSQL schema of its own that nobody has initialised yet (pg_url: skip or fail
    the same way when the server is missing)."""
    with private_pg_schema() as (url, _):
        yield url


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path / "home"


@pytest.fixture(params=["embedded", "postgresql"])
def cli(request, home) -> Cli:
    """The tool on each kind of database: schema ready, its four people and nothing else.

    The people are made once per kind by `init`, `init --admin admin` and `users add` (see
    set_up_people) and copied into each test's database: the embedded file into this test's
    CREDITDESK_HOME, the rows into the session's PostgreSQL schema after emptying it.
    "embedded" is the default SQLite file under CREDITDESK_HOME (no --db); an explicit
    `--db sqlite:///...` is exercised by the init and demo tests.
    """
    if request.param == "embedded":
        template = request.getfixturevalue("people_template_sqlite")
        home.mkdir(parents=True)
        for part in template.parent.glob(f"{template.name}*"):  # the file (and any -wal/-shm)
            shutil.copy2(part, home / part.name)
        return Cli(home)
    template_schema = request.getfixturevalue("people_template_pg")
    url = request.getfixturevalue("clean_pg_url")
    _copy_people(url, template_schema)
    return Cli(home, ["--db", url])
