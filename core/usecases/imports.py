"""数据导入 (管理员): look at a file before importing it, the batches so far, and the rejected rows
as a workbook for the providing unit. The import itself is `AdminUseCases.import_file`."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import InvalidRequest, OutputNotWritten
from core.services.people.roles import Permission
from core.services.people.sessions import UserSession
from core.services.records.ingest import batches
from core.services.records.ingest.batches import BatchHistory
from core.services.records.ingest.columns import KIND_NAMES as IMPORT_KINDS  # kind → 中文名, for the app
from core.services.records.ingest.preview import ImportPreview, count_rows, preview_file
from core.services.records.ingest.readers import UnreadableFile
from core.usecases.base import DeskBase, use_case

if TYPE_CHECKING:
    from core.services.records.ingest.importer import ImportResult


@dataclass(frozen=True)
class RejectionsExport:
    path: Path
    problems: int  # lines written (one per problem)
    with_originals: bool  # the rows' original cells are in the workbook
    note: str | None  # why they are not, when they are not


class ImportUseCases(DeskBase):
    @use_case(Permission.IMPORT, writes=False)
    def import_preview(self, session: UserSession, kind: str, path: Path) -> ImportPreview:
        """The first rows as the import would read them; nothing is written."""
        from core.services.records.ingest.importer import KINDS

        if kind not in KINDS:
            raise InvalidRequest(f"未知的导入类型：{kind}（应为 {'、'.join(KINDS)}）")
        return preview_file(kind, Path(path), self.profile)

    @use_case(Permission.IMPORT, writes=False)
    def import_row_count(self, session: UserSession, path: Path) -> int:
        """The file's data rows, read through to its end (a fault further down is raised now)."""
        return count_rows(Path(path))

    @use_case(Permission.IMPORT, writes=False)
    def import_history(self, session: UserSession, unit: str | None = None) -> BatchHistory:
        """The latest batches, newest first, of one providing unit ("": the unnamed ones) or of all."""
        with self.db.session() as s:
            return batches.history(s, unit)

    @use_case(Permission.IMPORT, writes=False)
    def export_rejections(self, session: UserSession, result: ImportResult, out_path: Path,
                          source: Path | None = None) -> RejectionsExport:
        """The result's rejected rows as an XLSX workbook; with each row's original cells when
        `source` is still the file that was imported (its checksum is the batch's)."""
        from core.services.records.ingest.importer import file_checksum
        from core.services.records.ingest.rejections_xlsx import original_rows, write_rejections

        with self.db.session() as s:
            batch = batches.batch(s, result.batch_id)
        if batch is None:
            raise InvalidRequest(f"找不到导入批次 {result.batch_id}")
        headers, originals, note = (), None, None
        if source is not None:
            try:
                if file_checksum(Path(source)) != batch.checksum:
                    note = "源文件在导入后已改动，未附原始内容"
                else:
                    headers, originals = original_rows(Path(source), {r.row for r in result.rejected})
            except (OSError, UnreadableFile):
                note = "源文件已无法读取，未附原始内容"
        try:
            path = write_rejections(Path(out_path), batch, result.rejected, result.warnings,
                                    rejected_rows=result.rejected_rows, listed=len({r.row for r in result.rejected}),
                                    headers=headers, originals=originals, note=note)
        except OSError as exc:
            raise OutputNotWritten(f"无法保存文件 {out_path}：{exc.strerror or type(exc).__name__}") from None
        return RejectionsExport(path, len(result.rejected), originals is not None, note)
