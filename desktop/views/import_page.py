"""数据导入 (管理员): choose a department file and its kind, look at its first rows with the columns
as recognised and the warnings, import it with a progress bar and a cancel that leaves nothing,
read the rejected rows (and export them for the unit), and see the batches so far.

The page only shows: the preview, the row count, the import and the export are use cases of the
desk run through `ctx.tasks`. The import is one transaction; 取消 asks it to stop at the next
chunk, which rolls it back.
"""
from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton,
                               QTabWidget, QVBoxLayout, QWidget)
from shiboken6 import isValid

from core.usecases.imports import IMPORT_KINDS
from desktop.services.errors import message_for
from desktop.strings import imports as S
from desktop.views.file_dialogs import open_file_name
from desktop.views.import_history import ImportHistory
from desktop.views.import_preview import AMBER, RED, ImportPreviewPanel, say
from desktop.views.import_result import ImportResultView

DEFAULT_KIND = "penalties"  # the file units send most often


class _Progress(QObject):
    """Carries the importer's progress from the writer thread to the page (a queued signal)."""

    rows = Signal(int)


def _reporter(progress: _Progress):
    def report(done: int) -> None:  # runs on the writer thread: never fail the import over a gone page
        try:
            if isValid(progress):
                progress.rows.emit(done)
        except RuntimeError:
            pass

    return report


class ImportPage(QWidget):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.preview = None  # the last ImportPreview shown
        self.total: int | None = None  # the file's data rows, once counted
        self.done_rows = 0  # rows the running import has read
        self._ready = False  # a preview of the file and kind now chosen says the import may run
        self._cancel: threading.Event | None = None
        self._progress = _Progress(self)
        self._progress.rows.connect(self._on_progress)

        self.path = QLineEdit(self)
        self.path.setObjectName("importPath")
        self.path.setPlaceholderText(S.FILE_HINT)
        self.path.setMinimumHeight(32)
        self.path.textEdited.connect(lambda _t: self._invalidate())
        self.path.returnPressed.connect(self.load_preview)
        self.browse_button = QPushButton(S.BROWSE, self)
        self.browse_button.clicked.connect(self.browse)
        self.kind = QComboBox(self)
        self.kind.setObjectName("importKind")
        for key, name in IMPORT_KINDS.items():
            self.kind.addItem(name, key)
        self.kind.setCurrentIndex(self.kind.findData(DEFAULT_KIND))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.unit = QLineEdit(self)
        self.unit.setObjectName("importUnit")
        self.unit.setPlaceholderText(S.UNIT_HINT)
        self.unit.setMinimumHeight(32)
        self.preview_button = QPushButton(S.PREVIEW, self)
        self.preview_button.setToolTip(S.PREVIEW_TIP)
        self.preview_button.clicked.connect(self.load_preview)
        for button in (self.browse_button, self.preview_button):
            button.setMinimumHeight(32)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("importTabs")
        self.panel = ImportPreviewPanel(self)
        # what a person reads on the preview tab, by name
        self.summary, self.verdict, self.warnings = self.panel.summary, self.panel.verdict, self.panel.warnings
        self.absent, self.sample_model, self.sample = self.panel.absent, self.panel.model, self.panel.table
        self.tabs.addTab(self.panel, S.TAB_PREVIEW)
        self.result_view = ImportResultView(ctx, self)
        self.tabs.addTab(self.result_view, S.TAB_RESULT)
        self.history = ImportHistory(ctx, self)
        self.tabs.addTab(self.history, S.TAB_HISTORY)

        self.import_button = QPushButton(S.IMPORT, self)
        self.import_button.setObjectName("importStart")
        self.import_button.setToolTip(S.IMPORT_TIP)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button = QPushButton(S.CANCEL, self)
        self.cancel_button.setObjectName("importCancel")
        self.cancel_button.setToolTip(S.CANCEL_TIP)
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_import)
        for button in (self.import_button, self.cancel_button):
            button.setMinimumHeight(36)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("importProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setMinimumWidth(220)
        self.status = QLabel(self)
        self.status.setObjectName("importStatus")
        self.status.setWordWrap(True)

        self.setLayout(self._arrange())

    # -- layout -------------------------------------------------------------------------------

    def _labelled(self, row: QHBoxLayout, text: str, widget: QWidget, stretch: int = 0) -> None:
        label = QLabel(text, self)
        label.setBuddy(widget)
        row.addWidget(label)
        row.addWidget(widget, stretch)

    def _arrange(self) -> QVBoxLayout:
        first = QHBoxLayout()
        self._labelled(first, S.FILE, self.path, 1)
        first.addWidget(self.browse_button)
        second = QHBoxLayout()
        self._labelled(second, S.KIND, self.kind)
        second.addSpacing(16)
        self._labelled(second, S.UNIT, self.unit, 1)
        second.addWidget(self.preview_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.progress, 1)
        layout = QVBoxLayout()
        layout.addLayout(first)
        layout.addLayout(second)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.status)
        return layout

    # -- choosing and previewing ----------------------------------------------------------------

    def chosen(self) -> tuple[str, Path | None]:
        text = self.path.text().strip().strip('"')
        return self.kind.currentData(), (Path(text).expanduser() if text else None)

    def browse(self) -> None:
        path = open_file_name(self, S.BROWSE_TITLE, S.BROWSE_FILTER)  # Chinese, starts in 文档
        if path:
            self.path.setText(path)
            self.load_preview()

    def _kind_changed(self, _index: int) -> None:
        self._invalidate()
        if self.chosen()[1] is not None and not self.importing():
            self.load_preview()

    def _invalidate(self) -> None:
        """The choice changed: the shown preview no longer speaks for it."""
        if self.importing():
            return
        self._ready = False
        self.import_button.setEnabled(False)
        if self.preview is not None:
            self.status.setText(S.NEED_PREVIEW)

    def load_preview(self) -> None:
        if self.importing():
            return
        kind, path = self.chosen()
        self._invalidate()
        self.ctx.tasks.drop((self, "count"))
        if path is None:
            self.status.setText(S.NO_FILE)
            return
        self.preview, self.total = None, None
        self.panel.clear(S.PREVIEWING)
        self.tabs.setCurrentIndex(0)
        self.status.setText(S.PREVIEWING)
        self.ctx.tasks.query(self.ctx.desk.import_preview, self.ctx.actor, kind, path,
                             on_done=self._show_preview, on_message=self._refused, lane=(self, "preview"))

    def _refused(self, reason: str) -> None:
        """The core refused the file before its header (type, encoding, size caps …)."""
        self.preview = None
        path = self.chosen()[1]
        self.panel.refused(path.name if path else S.NO_FILE, reason)
        self.status.setText(S.REFUSED_SEE_ABOVE)

    def _show_preview(self, preview) -> None:
        self.preview = preview
        self.panel.show_preview(preview)
        self.unit.setPlaceholderText(S.UNIT_HINT_FOUND.format(unit=preview.units[0]) if preview.units
                                     else S.UNIT_HINT)
        if preview.refusal:
            self.status.setText(S.REFUSED_SEE_ABOVE)
            return
        self._ready = True
        self.import_button.setEnabled(True)
        self.status.setText(S.COUNTING)
        self.ctx.tasks.query(self.ctx.desk.import_row_count, self.ctx.actor, self.chosen()[1],
                             on_done=self._counted, on_message=self._count_failed, lane=(self, "count"))

    def _counted(self, n: int) -> None:
        self.total = n
        if self.importing():
            self.progress.setRange(0, max(n, 1))
            self._on_progress(self.done_rows)
        else:
            self.status.setText(S.COUNTED.format(n=n))

    def _count_failed(self, reason: str) -> None:
        """A fault further down the file: the import would refuse it as well."""
        if not self.importing():
            self._ready = False
            self.import_button.setEnabled(False)
        say(self.verdict, S.REFUSED.format(reason=reason), RED)
        self.status.setText(S.REFUSED_SEE_ABOVE)

    # -- importing ------------------------------------------------------------------------------

    def importing(self) -> bool:
        return self._cancel is not None

    def start_import(self) -> None:
        kind, path = self.chosen()
        if not self._ready or self.importing() or path is None:
            return
        self._cancel = threading.Event()
        self.done_rows = 0
        self.progress.setRange(0, max(self.total, 1) if self.total is not None else 0)  # 0, 0: busy
        self.progress.setValue(0)
        self._set_running(True)
        self.status.setText(S.IMPORTING.format(done=0))
        self.ctx.tasks.write(self.ctx.desk.import_file, self.ctx.actor, kind, path, self.unit.text().strip() or None,
                             progress=_reporter(self._progress), cancel=self._cancel.is_set,
                             on_done=self._imported, on_error=self._import_failed, lane=(self, "import"))

    def cancel_import(self) -> None:
        if self._cancel is not None and not self._cancel.is_set():
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.status.setText(S.CANCELLING)

    def _set_running(self, running: bool) -> None:
        for widget in (self.path, self.browse_button, self.kind, self.unit, self.preview_button):
            widget.setEnabled(not running)
        self.import_button.setEnabled(not running and self._ready)
        self.cancel_button.setEnabled(running)

    def _on_progress(self, done: int) -> None:
        if not self.importing():
            return
        self.done_rows = done
        if self.total is not None:
            self.progress.setValue(min(done, self.progress.maximum()))
            self.status.setText(S.IMPORTING_OF.format(done=done, total=self.total))
        else:
            self.status.setText(S.IMPORTING.format(done=done))

    def _finish(self) -> None:
        self._cancel = None
        self._set_running(False)

    def _imported(self, result) -> None:
        read = result.accepted + result.rejected_rows
        self.progress.setRange(0, max(read, 1))
        self.progress.setValue(max(read, 1))
        self._finish()
        self.result_view.show_result(result, self.chosen()[1])
        self.tabs.setCurrentWidget(self.result_view)
        self.status.setText(self.result_view.summary.text())

    def _import_failed(self, exc: BaseException) -> None:
        cancelled = self._cancel is not None and self._cancel.is_set()
        self._finish()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        reason = message_for(exc)
        self.status.setText(reason if cancelled else S.FAILED.format(reason=reason))
        say(self.verdict, self.status.text(), RED if not cancelled else AMBER)
