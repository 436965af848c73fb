"""Printing and saving the report just issued: the print dialog, a print off the GUI thread
counted afterwards, and 另存为 into the person's documents folder. A part of ReportPanel."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrintDialog, QPrinter

from desktop.services.printing import print_pdf
from desktop.strings import counter as S
from desktop.views.file_dialogs import save_file_name

GOOD = "#137333"


class PrintAndSave:
    """Mixed into ReportPanel: uses its `result`, `ctx`, `busy`, `print_button`, `_start`, `_done`."""

    def print_current(self) -> bool:
        """Ctrl+P: the print dialog for the issued report; False when there is nothing to print."""
        if self.result is None or self.busy or not self.print_button.isEnabled():
            return False
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.result.report_no)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return False
        self.print_with(printer)
        return True

    def print_with(self, printer: QPrinter) -> None:
        """Print the issued report on a configured printer off the GUI thread, then count it."""
        if self.result is None:
            return
        report_no, pdf, desk, actor = self.result.report_no, self.result.pdf, self.ctx.desk, self.ctx.actor
        self._printer = printer  # alive until the job ends

        # Printing is slow and writes nothing: it runs as a query, so look-ups and verifications
        # never queue behind a printer; counting the print is the write that follows.
        self._start(S.PRINTING, self.ctx.tasks.query, print_pdf, pdf, printer, failure=S.PRINT_FAILED,
                    on_done=lambda pages: self._count_print(desk, actor, report_no, pages))

    def _count_print(self, desk, actor, report_no: str, pages: int) -> None:
        self._start(S.PRINTING, self.ctx.tasks.write, desk.record_print, actor, report_no, pages,
                    key=report_no, failure=S.PRINT_FAILED,
                    on_done=lambda count: self._done(S.PRINTED.format(pages=pages, count=count), GOOD))

    def save_as(self) -> None:
        if self.result is None:
            return
        path = save_file_name(self, S.SAVE_TITLE, f"{self.result.report_no}.pdf", S.SAVE_FILTER)
        if path:
            self.save_to(path)

    def save_to(self, path: str) -> None:
        if self.result is None:
            return
        report_no, pdf, desk, actor = self.result.report_no, self.result.pdf, self.ctx.desk, self.ctx.actor

        def job() -> None:
            Path(path).write_bytes(pdf)
            desk.record_save(actor, report_no, path)

        self._start(S.WORKING, self.ctx.tasks.write, job,
                    on_done=lambda _: self._done(S.SAVED.format(path=path)))
