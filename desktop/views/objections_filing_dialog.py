"""登记异议: the record, the grounds, who files it (and as what), the documents; filed off the GUI
thread, then the new objection's number and deadlines shown in the same dialog."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QPushButton, QRadioButton, QVBoxLayout, QWidget)

from core.domain import ReportContent
from core.services.objections.register import FILERS
from core.states import ObjectionGrounds
from core.usecases import Filing, ObjectionView
from desktop.services.context import DeskContext
from desktop.strings import objections as S
from desktop.views.case_dialog_base import BAD, CaseRegisterDialog, paper_date_row
from desktop.views.file_dialogs import open_file_names


def records_of(content: ReportContent) -> list[tuple[str, str]]:
    """(record_kind, record_ref) of everything on the overview one may object to."""
    items = [("enterprise", "基本信息")]
    items += [("penalty", v.decision_no) for v in content.violations]
    items += [("arrear", f"{a.kind} {a.period}") for a in content.arrears]
    items += [("repair", r.document_no) for r in content.repairs]
    return items


def record_label(kind: str, ref: str) -> str:
    return S.RECORD_LABELS[kind] if kind == "enterprise" else S.RECORD_TEXT.format(
        kind=S.RECORD_LABELS[kind], ref=ref)


class FilingDialog(CaseRegisterDialog):
    deadline_names, done_text = S.DEADLINE_NAMES, S.FILE_DONE

    def __init__(self, ctx: DeskContext, content: ReportContent, record: tuple[str, str] | None = None,
                 parent: QWidget | None = None):
        super().__init__(ctx, "file", S.FILE_TITLE.format(name=content.enterprise.name), parent)
        self.content = content
        self.result_view: ObjectionView | None = None

        self.record = QComboBox(self)
        self.record.setObjectName("filingRecord")
        for kind, ref in records_of(content):
            self.record.addItem(record_label(kind, ref), (kind, ref))
        if record is not None:
            found = [i for i in range(self.record.count()) if tuple(self.record.itemData(i)) == tuple(record)]
            self.record.setCurrentIndex(found[0] if found else 0)
        self.grounds = QComboBox(self)
        self.grounds.setObjectName("filingGrounds")
        self.grounds.addItems([g.value for g in ObjectionGrounds])
        self.text = QLineEdit(self)
        self.text.setObjectName("filingText")
        self.text.setPlaceholderText(S.FILE_TEXT_HINT)
        self.filer = QLineEdit(self)
        self.filer.setObjectName("filingFiler")
        if content.enterprise.legal_rep:
            self.filer.setText(content.enterprise.legal_rep)
        self.filed_as = QButtonGroup(self)
        as_row = QHBoxLayout()
        self.as_buttons: dict[str, QRadioButton] = {}
        for n, role in enumerate(FILERS):
            button = QRadioButton(role, self)
            self.filed_as.addButton(button, n)
            self.as_buttons[role] = button
            as_row.addWidget(button)
        self.as_buttons[FILERS[0]].setChecked(True)
        self.agent_note = QLabel(S.FILE_AGENT_NOTE, self)
        self.agent_note.setStyleSheet("QLabel { color: #8a5300; }")
        self.agent_note.setWordWrap(True)
        self.agent_note.setVisible(False)
        as_row.addStretch(1)
        self.filed_as.idToggled.connect(self._filer_role_changed)
        self.report_no = QLineEdit(self)
        self.report_no.setObjectName("filingReportNo")
        self.report_no.setPlaceholderText(S.FILE_REPORT_HINT)

        self.files = QListWidget(self)
        self.files.setObjectName("filingFiles")
        self.files.setMaximumHeight(70)
        self.add_button = QPushButton(S.FILE_ADD, self)
        self.remove_button = QPushButton(S.FILE_REMOVE, self)
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button.clicked.connect(self._remove_file)
        file_buttons = QVBoxLayout()
        file_buttons.addWidget(self.add_button)
        file_buttons.addWidget(self.remove_button)
        file_buttons.addStretch(1)
        files_row = QHBoxLayout()
        files_row.addWidget(self.files, 1)
        files_row.addLayout(file_buttons)

        self.paper, self.filed_on, paper_row = paper_date_row(self, S.FILE_PAPER, "filingDate")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, widget in ((S.FILE_RECORD, self.record), (S.FILE_GROUNDS, self.grounds),
                             (S.FILE_TEXT, self.text), (S.FILE_FILER, self.filer)):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow(S.FILE_FILED_AS, as_row)
        form.addRow("", self.agent_note)
        label = QLabel(S.FILE_REPORT, self)
        label.setBuddy(self.report_no)
        form.addRow(label, self.report_no)
        form.addRow(S.FILE_ATTACH, files_row)
        form.addRow(paper_row)
        self.form = QWidget(self)
        self.form.setLayout(form)

        self.add_register_buttons("filingMessage", S.FILE_OK, selectable=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.grounds.setFocus()

    # -- input -------------------------------------------------------------------------------

    def attachments(self) -> list[Path]:
        return [Path(self.files.item(i).toolTip()) for i in range(self.files.count())]

    def add_files(self, paths: list[str | Path]) -> None:
        known = {str(p) for p in self.attachments()}
        for path in map(Path, paths):
            if str(path) not in known:
                self.files.addItem(path.name)
                self.files.item(self.files.count() - 1).setToolTip(str(path))
        if self.files.count() and self.message.text() == S.FILE_NEED_MANDATE:
            self._say("", BAD)  # the missing document is there now

    def choose_files(self) -> None:
        paths = open_file_names(self, S.FILE_ATTACH_TITLE, S.FILE_ATTACH_FILTER)
        self.add_files(paths)

    def _remove_file(self) -> None:
        row = self.files.currentRow()
        if row >= 0:
            self.files.takeItem(row)

    def _filer_role_changed(self, _id: int, _checked: bool) -> None:
        self.agent_note.setVisible(self.as_buttons[FILERS[1]].isChecked())

    def filing(self) -> Filing | None:
        """The filing as entered, or None with the reason shown in the dialog."""
        kind, ref = tuple(self.record.currentData())
        grounds, text = self.grounds.currentText(), self.text.text().strip()
        filed_as = next(role for role, b in self.as_buttons.items() if b.isChecked())
        problem = (S.FILE_NEED_TEXT if grounds == ObjectionGrounds.OTHER and not text
                   else S.FILE_NEED_FILER if not self.filer.text().strip()
                   else S.FILE_NEED_MANDATE if filed_as == FILERS[1] and not self.files.count() else None)
        if problem:
            self._say(problem, BAD)
            focus = {S.FILE_NEED_TEXT: self.text, S.FILE_NEED_FILER: self.filer}.get(problem, self.add_button)
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        return Filing(self.content.enterprise.uscc, kind, ref, grounds, self.filer.text().strip(),
                      filed_as=filed_as, grounds_text=text or None,
                      report_no=self.report_no.text().strip() or None,
                      attachments=tuple(self.attachments()),
                      filed_on=self.filed_on.date().toPython() if self.paper.isChecked() else None)

    # -- filing (Enter files or, once filed, closes) -----------------------------------------

    def request(self):
        filing = self.filing()
        return None if filing is None else (self.ctx.desk.file_objection, (filing,), {})
