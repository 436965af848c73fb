"""Issue 11 part 5: Qt's own dialogs are Chinese throughout, and saving starts in 文档.

The app loads Qt's zh_CN catalogue (shipped with PySide6) plus a supplement for the labels the
catalogue leaves in English; the file dialog is Qt's own, with Chinese sizes and dates; the
report is saved, by default, in the person's documents folder (else their home folder).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTimer
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QFileDialog, QLabel,
                               QLineEdit, QTreeView, QWidget)

from desktop.services.qt_chinese import install_qt_chinese, uninstall_qt_chinese
from desktop.views.file_dialogs import file_dialog
from tests.gui.test_counter_edges import open_panel
from tests.gui.test_counter_pages import WAIT, shot

ENGLISH = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture
def chinese_qt(qapp):
    """The app's start-up step: Qt's catalogues and the supplement (taken out afterwards)."""
    before = QLocale()
    installed = install_qt_chinese(qapp)
    yield installed
    uninstall_qt_chinese(qapp, installed)
    qapp._translators = []
    QLocale.setDefault(before)


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    return folder


def words_shown(root: QWidget) -> list[str]:
    """Every label, button, tooltip, list entry and column title of a dialog."""
    shown: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, (QLabel, QAbstractButton)) and widget.isVisible():
            shown.append(widget.text())
        if widget.isVisible() and widget.toolTip():
            shown.append(widget.toolTip())
    tree = root.findChild(QTreeView, "treeView")
    model = tree.model()
    shown += [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return [text for text in shown if text]


def test_qt_ships_its_chinese_catalogue():
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    assert (folder / "qtbase_zh_CN.qm").is_file()


def test_the_file_dialog_speaks_chinese_with_chinese_dates(qtbot, chinese_qt, home, screenshot_dir):
    documents = home / "Documents"
    documents.mkdir()
    earlier = documents / "SZ-2026-00000001.pdf"
    earlier.write_bytes(b"%PDF-1.4 " + b"x" * 2000)
    os.utime(earlier, (1795760700, 1795760700))  # 2026-11-27 in local time (TZ aside, a date)
    dialog = file_dialog(None, "另存报告为 PDF", "SZ-2026-00000002.pdf", "PDF 文件 (*.pdf)", save=True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own dialog
    assert Path(dialog.directory().absolutePath()) == documents

    tree = dialog.findChild(QTreeView, "treeView")
    model = tree.model()
    qtbot.waitUntil(lambda: model.rowCount(tree.rootIndex()) == 1, timeout=WAIT)
    row = [model.index(0, column, tree.rootIndex()).data() for column in range(4)]
    assert row[0] == earlier.name
    assert re.fullmatch(r"\d+(\.\d)? (字节|KB)", row[1]), row
    assert re.fullmatch(r"2026-11-2[6-8] \d{2}:\d{2}", row[3]), row  # not "27 11 2026"

    shown = words_shown(dialog)
    assert "查找范围(&L)：" in shown and "文件类型(&T)：" in shown and "保存(&S)" in shown
    english = [text for text in shown if ENGLISH.search(text.replace("PDF", "").replace("KB", ""))
               and not text.startswith("/")]
    assert not english, english
    assert dialog.findChild(QLineEdit).text() == "SZ-2026-00000002.pdf"
    qtbot.wait(200)
    shot(dialog, screenshot_dir, "qt_chinese_save_dialog")


def test_saving_a_report_starts_in_documents_and_lands_there(qtbot, make_ctx, desk_env, chinese_qt,
                                                             home):
    documents = home / "Documents"
    documents.mkdir()
    panel = open_panel(qtbot, make_ctx(), desk_env, "苏州工业园区星海电子科技有限公司")
    qtbot.mouseClick(panel.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.result is not None and not panel.busy, timeout=WAIT)
    seen: dict[str, str] = {}

    def answer() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, QFileDialog) and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(20, answer)
            return
        seen["folder"] = dialog.directory().absolutePath()
        seen["look_in"] = dialog.findChild(QLabel, "lookInLabel").text()
        seen["types"] = [dialog.findChild(QComboBox, "fileTypeCombo").itemText(0)]
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        seen["name"] = name.text()
        qtbot.keyClick(name, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    saved = documents / f"{panel.result.report_no}.pdf"
    qtbot.waitUntil(lambda: saved.is_file() and not panel.busy, timeout=WAIT)
    assert Path(seen["folder"]) == documents and seen["name"] == saved.name
    assert seen["look_in"] == "查找范围(&L)：" and seen["types"] == ["PDF 文件 (*.pdf)"]
    assert saved.read_bytes() == panel.result.pdf
    assert panel.status.text() == f"已保存到 {saved}"


def test_without_a_documents_folder_saving_starts_at_home(qtbot, chinese_qt, home):
    dialog = file_dialog(None, "另存报告为 PDF", "a.pdf", "PDF 文件 (*.pdf)", save=True)
    qtbot.addWidget(dialog)
    assert Path(dialog.directory().absolutePath()) == home
    assert Path.cwd() != home  # not the program's folder
