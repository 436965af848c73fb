"""导入前预览: a file's first rows with its columns as recognised, the warnings the import would
give, and whether the import would run — or the Chinese reason it would refuse the file."""
from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QLabel, QVBoxLayout, QWidget

from desktop.strings import imports as S
from desktop.views.import_models import SampleModel
from desktop.views.table_view import read_only_table

RED, AMBER, GREEN = "#b3261e", "#8a5300", "#1a7f37"
PROBLEMS_WIDTH = 300  # the 问题 column; the whole reason is in its tooltip


def say(label: QLabel, text: str, colour: str) -> None:
    label.setText(text)
    label.setStyleSheet(f"QLabel {{ color: {colour}; font-weight: bold; }}")
    label.show()


class ImportPreviewPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.summary = QLabel(S.NO_FILE, self)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("QLabel { font-size: 12pt; }")
        self.verdict = QLabel(self)  # refused (red), or ready (green)
        self.verdict.setObjectName("importVerdict")
        self.verdict.setWordWrap(True)
        self.warnings = QLabel(self)
        self.warnings.setObjectName("importWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(f"QLabel {{ color: {AMBER}; }}")
        self.absent = QLabel(self)
        self.absent.setObjectName("importAbsent")
        self.absent.setWordWrap(True)
        self.absent.setStyleSheet("QLabel { color: #5f6368; }")
        self.model = SampleModel(self)
        self.table = read_only_table(self, self.model, "importSample", 0)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        for widget in (self.summary, self.verdict, self.warnings, self.absent):
            layout.addWidget(widget)
        layout.addWidget(self.table, 1)
        self.clear(S.NO_FILE)

    def clear(self, summary: str) -> None:
        self.model.set_preview(None)
        self.summary.setText(summary)
        for widget in (self.verdict, self.warnings, self.absent):
            widget.hide()

    def refused(self, name: str, reason: str) -> None:
        """The core refused the file before its header (type, encoding, size caps …)."""
        self.clear(name)
        say(self.verdict, S.REFUSED.format(reason=reason), RED)

    def show_preview(self, preview) -> None:
        """Show it; the verdict says whether the import would run."""
        self.model.set_preview(preview)
        header = self.table.horizontalHeader()  # sections exist now: 问题 gets a fixed width
        header.setSectionResizeMode(SampleModel.PROBLEMS, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(SampleModel.PROBLEMS, PROBLEMS_WIDTH)
        known = sum(1 for c in preview.columns if c.field)
        aside = len(preview.columns) - known
        self.summary.setText(S.PREVIEW_SUMMARY.format(
            file=preview.file_name, kind=preview.kind_name, known=known,
            unknown=S.PREVIEW_UNKNOWN.format(n=aside) if aside else "", shown=len(preview.rows),
            more=S.PREVIEW_MORE if preview.more_rows else "",
            bad=S.PREVIEW_BAD.format(n=preview.bad_rows) if preview.bad_rows else ""))
        self.warnings.setText("\n".join(f"• {reason}" for _column, reason in preview.warnings))
        self.warnings.setVisible(bool(preview.warnings))
        self.absent.setText(S.PREVIEW_ABSENT.format(n=len(preview.absent)))
        self.absent.setToolTip("、".join(preview.absent))
        self.absent.setVisible(bool(preview.absent))
        if preview.refusal:
            text = S.REFUSED.format(reason=preview.refusal)
            if preview.fits:
                text += "。" + S.WRONG_KIND.format(kinds="、".join(preview.fits))
            say(self.verdict, text, RED)
        else:
            say(self.verdict, S.READY, GREEN)
