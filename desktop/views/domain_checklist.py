"""The profile's domains as a checklist: all chosen by default, 全选 / 全不选, a live count."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QWidget

from core.policy.model import Domain
from desktop.strings import counter as S

INFO, BAD = "#3c4043", "#b3261e"
# The box the keyboard is on must be plain to see (the style's dotted outline is too faint).
FOCUS_MARK = "#1a73e8"
FOCUS_STYLE = (f"QCheckBox {{ border: 2px solid transparent; border-radius: 3px; padding: 1px 3px; }}"
               f" QCheckBox:focus {{ border: 2px solid {FOCUS_MARK}; background: #e8f0fe; }}")


class DomainChecklist(QGroupBox):
    """The profile's domains as check boxes in two columns, all chosen by default."""

    changed = Signal()

    def __init__(self, domains: tuple[Domain, ...], parent: QWidget | None = None):
        super().__init__(S.DOMAINS_LABEL, parent)
        self.boxes: dict[int, QCheckBox] = {}
        grid = QGridLayout(self)
        grid.setVerticalSpacing(0)
        self.setStyleSheet(FOCUS_STYLE)
        half = (len(domains) + 1) // 2
        for i, d in enumerate(domains):
            box = QCheckBox(f"{d.code:02d} {d.name}", self)
            box.setToolTip(f"{d.name}（{d.responsible}）")
            box.setChecked(True)
            box.toggled.connect(self._toggled)
            self.boxes[d.code] = box
            grid.addWidget(box, 1 + i % half, i // half)
        self.count = QLabel(self)
        self.all_button = QPushButton(S.SELECT_ALL, self)
        self.none_button = QPushButton(S.SELECT_NONE, self)
        self.all_button.clicked.connect(self.select_all)
        self.none_button.clicked.connect(self.select_none)
        row = QHBoxLayout()
        row.addWidget(self.count, 1)
        row.addWidget(self.all_button)
        row.addWidget(self.none_button)
        grid.addLayout(row, 0, 0, 1, 2)
        self._toggled()

    def selected(self) -> tuple[int, ...]:
        return tuple(code for code, box in self.boxes.items() if box.isChecked())

    def set_selected(self, codes) -> None:
        wanted = set(codes)
        for code, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(code in wanted)
            box.blockSignals(False)
        self._toggled()

    def select_all(self) -> None:
        self.set_selected(self.boxes)

    def select_none(self) -> None:
        self.set_selected(())

    def _toggled(self) -> None:
        n = len(self.selected())
        self.count.setText(S.DOMAINS_CHOSEN.format(n=n, total=len(self.boxes)))
        self.count.setStyleSheet(f"QLabel {{ color: {BAD if n == 0 else INFO}; }}")
        self.changed.emit()
