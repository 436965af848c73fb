"""Start-up side by side with bare baselines, measured in the same run (run by hand, not in the suite).

(a) A bare PySide6 process that shows a QDialog (a QLineEdit and a button) against the real
    `desktop.app.main()` until its LoginDialog is on screen; both timed from process start (/proc).
(b) A bare Python CLI start (`import argparse, sqlite3, json`) against cold `creditdesk-admin`
    commands on a prepared embedded database: `--help`, `uscc`, `verify`, `report content`,
    `report issue`; timed as wall time of the whole process.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_start.py [--runs 7] [--before DIR]

Prints the median of each and its ratio to the baseline, plus the load average. `--before DIR`
(an older tree, e.g. `git archive HEAD | tar -x -C DIR`) times the same commands from that
tree as well, interleaved with the others, so a before/after pair sees the same load.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SINCE_START = r"""
import os
def since_start():
    ticks = os.sysconf("SC_CLK_TCK")
    start = int(open("/proc/self/stat").read().rsplit(")", 1)[1].split()[19]) / ticks
    return float(open("/proc/uptime").read().split()[0]) - start
"""

BARE_DIALOG = SINCE_START + r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QPushButton, QVBoxLayout
app = QApplication(sys.argv[:1])
dialog = QDialog()
layout = QVBoxLayout(dialog)
layout.addWidget(QLineEdit())
layout.addWidget(QPushButton("登录"))
def poll():
    w = QApplication.activeModalWidget()
    if w is not None and w.isVisible():
        print(f"{since_start():.3f}", flush=True)
        w.reject()
    else:
        QTimer.singleShot(5, poll)
QTimer.singleShot(0, poll)
dialog.exec()
"""

APP_LOGIN = SINCE_START + r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import desktop.app
def poll():
    w = QApplication.activeModalWidget()
    if w is not None and w.isVisible() and type(w).__name__ == "LoginDialog":
        print(f"{since_start():.3f}", flush=True)
        heavy = [m for m in ("reportlab", "alembic", "pypinyin", "openpyxl") if m in sys.modules]
        print("heavy-at-login:" + ",".join(heavy), flush=True)
        w.reject()
    else:
        QTimer.singleShot(5, poll)
QTimer.singleShot(0, poll)
desktop.app.main([])
"""

PASSWORDS = {"admin": "admin-口令-2026", "clerk": "clerk-口令-2026"}


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _env(home: str, user: str | None = None, tree: Path = ROOT) -> dict[str, str]:
    env = {**os.environ, "CREDITDESK_HOME": home, "XDG_CONFIG_HOME": home, "PYTHONPATH": str(tree)}
    for name in ("CREDITDESK_DB", "CREDITDESK_PROFILE", "CREDITDESK_USER"):
        env.pop(name, None)
    if user:
        env["CREDITDESK_PASSWORD"] = PASSWORDS[user]
    return env


def _admin(home: str, *args: str, user: str | None = None, extra: dict | None = None) -> str:
    cmd = [sys.executable, "-m", "core", *(["--user", user] if user else []), *args]
    out = subprocess.run(cmd, env={**_env(home, user), **(extra or {})}, capture_output=True, text=True,
                         timeout=300, cwd=ROOT)
    if out.returncode:
        raise SystemExit(f"{' '.join(args)}: {out.stderr.strip()}")
    return out.stdout


def prepare(home: str) -> dict[str, str]:
    """An embedded database with demo data, an administrator, a clerk, a signing key and one report."""
    _admin(home, "init", "--admin", "admin", user="admin")
    _admin(home, "demo", "--enterprises", "300", user="admin")
    _admin(home, "users", "add", "clerk", "--role", "窗口人员", "--password-env", "NEW_PW", user="admin",
           extra={"NEW_PW": PASSWORDS["clerk"]})
    _admin(home, "keys", "init", "--label", "bench", user="admin")
    _admin(home, "profile", "use", "national-2025", user="admin")
    uscc = json.loads(_admin(home, "lookup", "公司", "--limit", "1", "--json", user="clerk"))[0]["uscc"]
    issued = json.loads(_admin(home, "report", "issue", "--uscc", uscc, "--out", f"{home}/first.pdf",
                               "--json", user="clerk"))
    return {"uscc": uscc, "qr": issued["qr_text"]}


def time_process(cmd: list[str], env: dict[str, str], runs: int, expect: int = 0) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, cwd=env["PYTHONPATH"])
        times.append((time.perf_counter() - start) * 1000)
        if out.returncode != expect:
            raise SystemExit(f"{cmd}: exit {out.returncode}: {out.stderr.strip()}")
    return times


def time_shown(script: str, env: dict[str, str], runs: int) -> tuple[list[float], str]:
    times, note = [], ""
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                             timeout=120, cwd=env["PYTHONPATH"])
        lines = out.stdout.strip().splitlines()
        if not lines:
            raise SystemExit(f"no window shown: {out.stderr.strip()}")
        times.append(float(lines[0]) * 1000)
        note = lines[1] if len(lines) > 1 else note
    return times, note


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--before", type=Path, help="an older tree to time side by side")
    args = parser.parse_args()
    trees = [("", ROOT)] + ([(" [before]", args.before.resolve())] if args.before else [])
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    print(f"load average before: {open('/proc/loadavg').read().strip()}")
    with tempfile.TemporaryDirectory() as home:
        facts = prepare(home)
        env = _env(home)
        rows: list[tuple[str, list[float], str]] = []
        # (a) launch: interleave the bare dialog and the app so both see the same load
        bare = []
        apps = {tag: ([], [""]) for tag, _ in trees}
        for _ in range(args.runs):
            bare += time_shown(BARE_DIALOG, env, 1)[0]
            for tag, tree in trees:
                shown, note = time_shown(APP_LOGIN, _env(home, tree=tree), 1)
                apps[tag][0].extend(shown)
                apps[tag][1][0] = note
        rows.append(("bare PySide6 QDialog shown", bare, "baseline"))
        rows += [(f"creditdesk LoginDialog shown{tag}", times, note[0]) for tag, (times, note) in apps.items()]
        # (b) cold CLI
        py = [sys.executable]
        bare_cli = py + ["-c", "import argparse, sqlite3, json, getpass"]
        admin = py + ["-m", "core"]
        commands = [("bare python: import argparse, sqlite3, json", bare_cli, env, 0)]
        for tag, tree in trees:
            env, clerk_env = _env(home, tree=tree), _env(home, "clerk", tree=tree)
            commands += [
                (f"creditdesk-admin --help{tag}", admin + ["--help"], env, 0),
                (f"creditdesk-admin uscc CODE{tag}", admin + ["uscc", facts["uscc"]], env, 0),
                (f"creditdesk-admin verify QR{tag}", admin + ["verify", facts["qr"]], env, 0),
                (f"creditdesk-admin report content{tag}", admin + ["--user", "clerk", "report", "content",
                                                                   "--uscc", facts["uscc"], "--json"], clerk_env, 0),
                (f"creditdesk-admin report issue{tag}", admin + ["--user", "clerk", "report", "issue", "--uscc",
                                                                 facts["uscc"], "--out", f"{home}/bench.pdf",
                                                                 "--force"], clerk_env, 0),
            ]
        cli_rows = []
        for label, cmd, cmd_env, expect in commands:
            cli_rows.append((label, [], "" if cli_rows else "baseline", cmd, cmd_env, expect))
        for _ in range(args.runs):  # interleaved, one of each per round
            for label, times, _note, cmd, cmd_env, expect in cli_rows:
                times += time_process(cmd, cmd_env, 1, expect)
        rows += [(label, times, note) for label, times, note, *_ in cli_rows]
    print(f"load average after: {open('/proc/loadavg').read().strip()}")
    print(f"{'what':48} {'median ms':>10} {'min':>7} {'max':>7} {'ratio':>6}")
    base = None
    for label, times, note in rows:
        if note == "baseline":
            base = _median(times)
        ratio = _median(times) / base if base else float("nan")
        print(f"{label:48} {_median(times):10.0f} {min(times):7.0f} {max(times):7.0f} {ratio:6.2f}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
