"""Window grabs of every page for every role, by hand (the README's pictures come from here).

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.shots --out /tmp/shots
    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.shots --out docs/screenshots --sizes 1366x768 \
        --only 主管:统计 --only 管理员:数据导入

A throw-away installation (its own CREDITDESK_HOME) made the way the first run makes one — demo
data, a signing key, the administrator and a clerk — plus a verifier and a supervisor, a fortnight
of reports at two counters, scans (genuine, forged, garbled) and objections. Each person's main
window is opened at each size and every page grabbed as `<role>-<page>-<W>x<H>.png` once its
data has arrived.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

PASSWORD = "shots-password-1"
COUNTER = "吴中区政务服务中心 3 号窗口"
PEOPLE = {"admin": ("管理员", "管理员"), "zhangsan": ("张三", "窗口人员"), "lisi": ("李四", "核验人员"),
          "wangwu": ("王五", "主管")}


def build_installation(home: Path):
    from core.config import Settings, key_dir, trust_cache_path
    from core.db import schema
    from core.db.engine import Database
    from core.policy import load_profile
    from core.services.people.roles import Role
    from core.services.people.setup import Account, first_run
    from core.services.signing.keys import KeyService
    from core.usecases import CounterDesk

    settings = Settings.from_env()
    db = Database(settings.db_url)
    schema.upgrade(db)
    keys = KeyService(db, key_dir(), trust_cache_path())
    profile = load_profile(settings.profile_id)
    # the key a fortnight of reports was signed with (first_run makes one dated today otherwise)
    keys.create(user="admin", counter=COUNTER, label="本窗口", today=date.today() - timedelta(days=30))
    setup = first_run(db, profile, keys, counter=COUNTER, admin=Account("admin", "管理员", PASSWORD),
                      clerk=Account("zhangsan", "张三", PASSWORD))
    settings = Settings.from_env()  # now with the counter's name the first run recorded
    desk = CounterDesk(db, load_profile(setup.profile_id), settings, keys)
    desk.refresh_profile()
    admin = desk.login("admin", PASSWORD)
    desk.add_user(admin, "lisi", PASSWORD, Role.VERIFIER, "李四")
    desk.add_user(admin, "wangwu", PASSWORD, Role.SUPERVISOR, "王五")
    _a_fortnight(desk, db)
    return desk


def _a_fortnight(desk, db) -> None:
    """Reports over the last 14 days, scans of them, and two objections."""
    from sqlalchemy import select

    from core.db.models import Enterprise, Penalty
    from core.services.objections.register import Filing
    from core.services.reports.request import ReportRequest

    clerk, verifier = desk.login("zhangsan", PASSWORD), desk.login("lisi", PASSWORD)
    with db.session() as s:
        codes = list(s.scalars(select(Enterprise.uscc).order_by(Enterprise.id).limit(40)))
        penalised = list(s.execute(select(Penalty.uscc, Penalty.decision_no).limit(2)))
    purposes = ("招投标", "融资", "招投标", "其他", "发行债券")
    today = date.today()
    issued = []
    for i, code in enumerate(codes):
        when = datetime.combine(today - timedelta(days=i % 14), time(9 + i % 8))
        request = ReportRequest(code, None, None, None, purposes[i % len(purposes)])
        try:
            issued.append(desk.issue(clerk, request, now=when))
        except Exception as exc:  # noqa: BLE001 - a 注销 demo enterprise is refused, as at the counter
            print(f"not issued for {code}: {exc}", file=sys.stderr)
    for result in issued[:12]:
        desk.verify(verifier, result.issue.qr_digits)
    desk.verify(verifier, "这不是报告二维码")
    digits = issued[0].issue.qr_digits
    desk.verify(verifier, digits[:-3] + ("000" if digits[-3:] != "000" else "111"))
    for code, decision in penalised:
        desk.file_objection(clerk, Filing(code, "penalty", decision, "信息错误", "张伟"))


def grab_all(desk, out: Path, sizes: list[tuple[int, int]], only: set[str]) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from desktop.services.context import DeskContext
    from desktop.services.events import AppEvents
    from desktop.services.fonts import install_fonts
    from desktop.services.settings import UiSettings
    from desktop.services.tasks import TaskRunner
    from desktop.views.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_fonts(app)
    written = []
    for username, (_name, role) in PEOPLE.items():
        for width, height in sizes:
            tasks = TaskRunner(AppEvents())
            ui = UiSettings(out / f".ui-{username}.ini")
            window = MainWindow(DeskContext(desk, tasks, desk.login(username, PASSWORD), ui, tasks.events))
            window.resize(width, height)
            window.show()
            for index, page in enumerate(window.page_names):
                if only and f"{role}:{page}" not in only:
                    continue
                window.show_page(index)
                _settle(app, tasks)
                if window.pages.currentWidget() is getattr(window, "import_page", None):
                    _preview_a_file(window.import_page, desk, out)
                    _settle(app, tasks)
                path = out / f"{role}-{page}-{width}x{height}.png"
                window.grab().save(str(path))
                written.append(path)
            window.close()
            tasks.wait()
            window.deleteLater()
            _settle(app, tasks)
    return written


def _preview_a_file(page, desk, out: Path) -> None:
    """The import page as an administrator sees it with a department's file chosen: a penalties
    CSV with an unknown column and three bad rows, previewed."""
    import csv

    from sqlalchemy import select

    from core.db.models import Enterprise
    from tests.import_files import mixed_penalties

    with desk.db.session() as s:
        code = s.scalars(select(Enterprise.uscc).order_by(Enterprise.id).limit(1)).one()
    path = Path(tempfile.mkdtemp(prefix="creditdesk-shots-file-")) / "生态环境局-行政处罚.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(mixed_penalties(code))
    page.path.setText(str(path))
    page.load_preview()


def _settle(app, tasks, rounds: int = 40) -> None:
    """Let the page's queries finish and their results arrive and draw."""
    import time as clock

    for _ in range(rounds):
        app.processEvents()
        clock.sleep(0.05)
    tasks.wait()
    for _ in range(10):
        app.processEvents()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--sizes", default="1024x768,1920x1080")
    parser.add_argument("--only", action="append", default=[], help="角色:页面, e.g. 主管:统计")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="creditdesk-shots-"))
    os.environ["CREDITDESK_HOME"] = str(home)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    desk = build_installation(home)
    sizes = [tuple(int(n) for n in size.split("x")) for size in args.sizes.split(",")]
    for path in grab_all(desk, args.out, sizes, set(args.only)):
        print(path)
    for stray in args.out.glob(".ui-*.ini"):
        stray.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
