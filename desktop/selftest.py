"""`creditdesk --self-test`: headless checks that this installation works, for people and packagers.

Runs on a throw-away embedded database in a temporary folder (the counter's own data is not
touched), then checks that the configured database can be opened. Prints one line per check and
exits 0 when all pass, 1 naming what failed.
"""
from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path


def _checks(work: Path) -> list[tuple[str, Callable[[dict], None]]]:
    def database(state: dict) -> None:
        from core.config import Settings
        from core.db import schema
        from core.db.engine import Database
        from core.policy import load_profile
        from core.services.demo.generate import generate_demo

        from core.services.profile_choice import default_choice

        # The profile a first run would choose today: the configured one if in force, else one that is.
        state["choice"] = choice = default_choice(load_profile(), datetime.now().date())
        state["settings"] = Settings(db_url=f"sqlite:///{work / 'selftest.sqlite3'}", profile_id=choice.profile_id,
                                     counter="自检")
        db = Database(state["settings"].db_url)
        schema.upgrade(db)
        state["db"], state["profile"] = db, choice.profile()
        generate_demo(db, state["profile"], enterprises=50, seed=7)

    def report(state: dict) -> None:
        from core.services.people.setup import Account, create_first_people
        from core.services.reports.request import ReportRequest
        from core.services.signing.keys import KeyService
        from core.usecases import CounterDesk

        keys = KeyService(state["db"], work / "keys", work / "trust.json")
        keys.create(user="selftest")
        desk = CounterDesk(state["db"], state["profile"], state["settings"], keys)
        password = "selftest-password"
        create_first_people(state["db"], "自检", Account("selftest-admin", "自检管理员", password),
                            Account("selftest", "自检", password))
        from core.services.profile_choice import record_choice

        with state["db"].session(write=True) as s:
            record_choice(s, state["choice"], actor="selftest-admin", counter="自检")
        actor = desk.login("selftest", password)  # a real log-in: the only way to a session
        uscc = desk.search(actor, "有限公司", 1)[0].uscc
        request = ReportRequest.default(state["profile"], uscc, datetime.now().date())
        state["desk"], state["actor"] = desk, actor
        state["issued"] = desk.issue(actor, request)
        if not state["issued"].pdf.startswith(b"%PDF"):
            raise RuntimeError("生成的文件不是 PDF")

    def code(state: dict) -> None:
        import pypdfium2

        from desktop.services.barcode_image import read_qr_codes
        from desktop.services.pdf_raster import PDFIUM_LOCK

        with PDFIUM_LOCK:  # pdfium on one thread at a time; nothing of it left to the collector
            image = pypdfium2.PdfDocument(state["issued"].pdf)[0].render(scale=150 / 72).to_pil().copy()
        found = read_qr_codes(image)
        from core.services.reports.render.qr import qr_text

        if found != [qr_text(state["issued"].issue)]:  # HTTPS://<HOST>/V/<digits>
            raise RuntimeError("未能从报告页面识别出二维码")
        verdict = state["desk"].verify(state["actor"], found[0])
        from core.states import VerdictStatus

        if verdict.status != VerdictStatus.VALID:
            raise RuntimeError(f"核验结果为 {verdict.status}：{verdict.reason}")

    def window(state: dict) -> None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication

        from desktop.services.context import DeskContext
        from desktop.services.events import AppEvents
        from desktop.services.fonts import install_fonts
        from desktop.services.settings import UiSettings
        from desktop.services.tasks import TaskRunner
        from desktop.views.main_window import MainWindow

        app = QApplication.instance() or QApplication([])
        if not install_fonts(app):
            raise RuntimeError("无法载入界面字体")
        events = AppEvents()
        tasks = TaskRunner(events)
        ctx = DeskContext(state["desk"], tasks, state["actor"], UiSettings(work / "ui.ini"), events)
        win = MainWindow(ctx)
        image = win.grab().toImage()
        tasks.wait()
        if image.isNull() or image.width() < 400:
            raise RuntimeError("主窗口未能绘制")
        win.close()

    def configured(state: dict) -> None:
        from core.config import Settings
        from core.db.engine import Database

        Database(Settings.from_env().db_url).ping()

    return [("数据库可以创建并写入", database), ("报告可以出具（PDF、签名、存档）", report),
            ("报告二维码可以识别并核验为有效", code), ("主窗口可以创建", window),
            ("配置的数据库可以连接", configured)]


def run_self_test() -> int:
    from desktop.services.errors import message_for

    failed = []
    with tempfile.TemporaryDirectory(prefix="creditdesk-selftest-") as tmp:
        state: dict = {}
        for name, check in _checks(Path(tmp)):
            try:
                check(state)
            except Exception as exc:  # noqa: BLE001 - every failure is reported by name
                failed.append(name)
                reason = str(exc) if isinstance(exc, RuntimeError) else message_for(exc)
                print(f"✗ {name}：{reason}", flush=True)
                if name != "配置的数据库可以连接":
                    break
            else:
                print(f"✓ {name}", flush=True)
        if "db" in state:
            state["db"].dispose()
    print("自检通过" if not failed else f"自检失败：{'、'.join(failed)}")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(run_self_test())
