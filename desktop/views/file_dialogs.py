"""File dialogs that speak Chinese everywhere and start where people keep their files.

Qt's own (non-native) dialog is used: it is translated by the qtbase_zh_CN catalogue the app
loads (desktop/services/qt_chinese.install_qt_chinese), looks the same on every machine, and shows
sizes and modification dates as 12 字节 / 2026-11-27 14:05 instead of the system locale's
"12 bytes" / "27 11 2026". Saving starts
in the person's documents folder (its home folder when there is none), never in the program's.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDateTime, QIdentityProxyModel, QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QSplitter, QTreeView, QWidget

DATE_TIME_FORMAT = "yyyy-MM-dd HH:mm"
SIZE_COLUMN, MODIFIED_COLUMN = 1, 3  # QFileSystemModel: name, size, type, date modified


def documents_folder() -> Path:
    """The person's documents folder, or their home folder when the system names none."""
    for location in (QStandardPaths.StandardLocation.DocumentsLocation,
                     QStandardPaths.StandardLocation.HomeLocation):
        folder = QStandardPaths.writableLocation(location)
        if folder and Path(folder).is_dir():
            return Path(folder)
    return Path.home()


class ChineseColumns(QIdentityProxyModel):
    """The file list's 大小 and 修改日期 columns in Chinese: 1.5 MB / 12 字节, 2026-11-27 14:05.

    Qt formats them with the system locale, which on a machine set to English (or to nothing)
    gives "12 bytes" and "27 11 2026"."""

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and index.column() in (SIZE_COLUMN, MODIFIED_COLUMN):
            files = self.sourceModel()
            source = self.mapToSource(index)
            if index.column() == MODIFIED_COLUMN and hasattr(files, "lastModified"):
                modified = files.lastModified(source)
                if isinstance(modified, QDateTime) and modified.isValid():
                    return modified.toString(DATE_TIME_FORMAT)
            elif index.column() == SIZE_COLUMN and hasattr(files, "isDir") and not files.isDir(source):
                return _size(files.size(source))
        return super().data(index, role)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt API
        return self.sourceModel().headerData(section, orientation, role)


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} 字节"
    for unit in ("KB", "MB", "GB", "TB"):
        n /= 1024
        if n < 1024 or unit == "TB":
            return f"{n:.1f} {unit}"
    return f"{n:.1f} TB"


def file_dialog(parent: QWidget | None, title: str, name: str, name_filter: str, *,
                save: bool) -> QFileDialog:
    """Qt's own file dialog in the person's documents folder, Chinese labels and dates."""
    dialog = QFileDialog(parent, title, str(documents_folder() / name) if name else str(documents_folder()),
                         name_filter)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile if save else QFileDialog.FileMode.ExistingFile)
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    dialog.setProxyModel(ChineseColumns(dialog))
    dialog.resize(860, 520)
    _widen_columns(dialog)
    if save and name:
        dialog.selectFile(name)
        suffix = Path(name).suffix.lstrip(".")
        if suffix:
            dialog.setDefaultSuffix(suffix)
    return dialog


def _widen_columns(dialog: QFileDialog) -> None:
    """Whole words in the list and the places on the left (Qt's defaults cut 修改日期 and 计算机)."""
    tree = dialog.findChild(QTreeView, "treeView")
    if tree is not None:
        metrics = tree.fontMetrics()
        header = tree.header()
        for column, sample in ((SIZE_COLUMN, "1023.9 KB__"), (2, "PDF 文档文档__"),
                               (MODIFIED_COLUMN, "2026-11-27 14:05__")):
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 16)
        header.resizeSection(0, 320)
    splitter = dialog.findChild(QSplitter, "splitter")
    if splitter is not None and splitter.count() == 2:
        splitter.setSizes([150, 700])


def save_file_name(parent: QWidget | None, title: str, name: str, name_filter: str) -> str:
    """Ask where to save `name`; '' when the person cancels."""
    dialog = file_dialog(parent, title, name, name_filter, save=True)
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return ""
    return dialog.selectedFiles()[0]


def open_file_name(parent: QWidget | None, title: str, name_filter: str) -> str:
    """Ask which file to open; '' when the person cancels."""
    dialog = file_dialog(parent, title, "", name_filter, save=False)
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return ""
    return dialog.selectedFiles()[0]


def open_file_names(parent: QWidget | None, title: str, name_filter: str) -> list[str]:
    """Ask which files to open (several may be chosen); [] when the person cancels."""
    dialog = file_dialog(parent, title, "", name_filter, save=False)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    if dialog.exec() != QFileDialog.DialogCode.Accepted:
        return []
    return dialog.selectedFiles()
