"""Files that must be refused as a whole, whatever is further down in them: XLSX size caps checked
from the zip directory (a "zip bomb" is refused before a byte of it is inflated), over-long cells,
and CSV files that go bad after the first megabyte the encoding is decided from.

Every refusal is ``UnreadableFile`` whose text is one Chinese line starting "无法读取文件 <name>：".
Each case comes with a control file built the same way that is *not* refused, so a case can only
pass because of the cap it is about, never because the builder made a broken file.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from core.services.records.ingest import readers
from core.services.records.ingest.readers import MAX_CELL_CHARS, UnreadableFile, open_table

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")

# --- building XLSX files by hand (streamed, so the test itself stays small) -------------------

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _cell(value: str) -> str:
    return f'<c t="inlineStr"><is><t>{value}</t></is></c>'


def _row(*values: str) -> bytes:
    return f"<row>{''.join(_cell(v) for v in values)}</row>".encode()


HEADER_ROW = _row("统一社会信用代码", "企业名称")
DATA_ROW = _row("91350100M000100Y43", "苏州测试有限公司")


def write_xlsx(path: Path, rows: Iterable[bytes], *, shared: Iterable[str] | None = None,
               extra_parts: int = 0) -> Path:
    """A minimal valid workbook: one sheet whose <sheetData> is ``rows`` (written piece by piece
    through ``ZipFile.open(..., "w", force_zip64=True)``), optionally a shared-strings part and
    ``extra_parts`` tiny customXml parts."""
    overrides = (f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
                 f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>')
    links = f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    if shared is not None:
        overrides += f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
        links += f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
    xml = '<?xml version="1.0" encoding="UTF-8"?>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", (
            f'{xml}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'))
        z.writestr("_rels/.rels", f'{xml}<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
                                  f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'{xml}<workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets>'
                                      f'<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'{xml}<Relationships xmlns="{_PKG}">{links}</Relationships>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f'{xml}<worksheet xmlns="{_NS}"><sheetData>'.encode())
            for piece in rows:
                part.write(piece)
            part.write(b"</sheetData></worksheet>")
        if shared is not None:
            with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
                part.write(f'{xml}<sst xmlns="{_NS}">'.encode())
                for text in shared:
                    part.write(f"<si><t>{text}</t></si>".encode())
                part.write(b"</sst>")
        for i in range(extra_parts):
            z.writestr(f"customXml/item{i}.xml", "<a/>")
    return path


def read_all(path: Path) -> int:
    """Open the file and read every row, as an import does; the number of data rows."""
    with open_table(path) as table:
        return sum(1 for _ in table.rows)


def refusal(path: Path) -> str:
    with pytest.raises(UnreadableFile) as caught:
        read_all(path)
    message = str(caught.value)
    # What a clerk sees: one line, in Chinese, naming the file.
    assert "\n" not in message and "\r" not in message, message
    assert message.startswith(f"无法读取文件 {path.name}："), message
    assert CJK.search(message.split("：", 1)[1]), message
    return message


# --- the zip bomb: refused at once, in bounded memory ----------------------------------------

BOMB_BYTES = 300_000_000  # sheet1.xml inflated; about 1 MB on disk


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    pieces = BOMB_BYTES // (len(DATA_ROW) * 1000)
    path = tmp_path_factory.mktemp("bomb") / "处罚信息.xlsx"
    write_xlsx(path, [HEADER_ROW, *(DATA_ROW * 1000 for _ in range(pieces))])
    (sheet,) = [p for p in zipfile.ZipFile(path).infolist() if p.filename.endswith("sheet1.xml")]
    assert sheet.file_size > 250_000_000 and path.stat().st_size < 2_000_000  # really a bomb
    return path


_PROBE = textwrap.dedent("""
    import json, resource, sys, time
    from pathlib import Path
    import openpyxl, openpyxl.reader.excel  # loaded before measuring: not the file's doing
    from core.services.records.ingest.readers import UnreadableFile, open_table
    def peak():  # KiB. VmHWM is this process's own peak; ru_maxrss would start at the parent's
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    before, t0, message = peak(), time.perf_counter(), None
    try:
        with open_table(Path(sys.argv[1])) as table:
            for _ in table.rows:
                pass
    except UnreadableFile as exc:
        message = str(exc)
    print(json.dumps({"seconds": time.perf_counter() - t0, "grew_mb": (peak() - before) / 1024,
                      "message": message}, ensure_ascii=False))
""")


def probe(path: Path) -> dict:
    """Read ``path`` in a fresh interpreter that reports its own time and peak-RSS growth.

    The peak is VmHWM from /proc/self/status, not ru_maxrss: on Linux a child's ru_maxrss
    starts at the peak of the process that spawned it (exec keeps it), so under a pytest process
    of a few hundred MB it would hide any growth."""
    proc = subprocess.run([sys.executable, "-c", _PROBE, str(path)], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_zip_bomb_is_refused_at_once_in_bounded_memory(bomb):
    seen = probe(bomb)
    message = seen["message"]
    assert message is not None, "a 300 MB sheet packed into 1 MB was read instead of refused"
    assert "压缩比" in message and "xl/worksheets/sheet1.xml" in message, message
    assert "\n" not in message
    assert seen["seconds"] < 2, seen
    assert seen["grew_mb"] < 200, seen


def test_zip_bomb_refusal_in_process_is_one_line(bomb):
    assert "压缩比异常" in refusal(bomb)


# --- the other caps: each refused file next to one just inside the cap ------------------------


def _many_strings(count: int) -> Iterator[str]:
    # Distinct, poorly compressible strings (sha-like hex), so the ratio check stays out of it.
    import hashlib

    for i in range(count):
        yield hashlib.sha256(str(i).encode()).hexdigest()


def _shared_xlsx(path: Path, count: int) -> Path:
    refs = b"".join(f'<row><c t="s"><v>{i}</v></c><c t="s"><v>{i}</v></c></row>'.encode()
                    for i in range(1, 4))
    return write_xlsx(path, [HEADER_ROW, refs], shared=_many_strings(count))


def _long_cell_xlsx(path: Path, length: int) -> Path:
    rows = [HEADER_ROW, DATA_ROW, _row("91350100M000100Y43", "甲" * length), DATA_ROW]
    return write_xlsx(path, rows)


def _wide_part_xlsx(path: Path, rows: int) -> Path:
    return write_xlsx(path, [HEADER_ROW, *(_row(s, s) for s in _many_strings(rows))])


CAP_CASES = [
    # (id, cap patched down for a small file or None, build(path, over: bool), words the message must have)
    pytest.param(
        # XLSX_MAX_SHARED is 48 MiB; patched to 1 MiB here so the file is ~2.6 MB, not 50.
        ("XLSX_MAX_SHARED", 1 << 20),
        lambda p, over: _shared_xlsx(p, 40_000 if over else 10_000),
        ["共享字符串", "超过上限 1,048,576 字节（1 MiB）", "拆分文件或另存为 CSV"],
        id="shared-strings-over-cap",
    ),
    pytest.param(
        # XLSX_MAX_PART is 1 GiB; patched to 2 MiB here so the sheet is ~5 MB, not 1 GB.
        ("XLSX_MAX_PART", 2 << 20),
        lambda p, over: _wide_part_xlsx(p, 40_000 if over else 5_000),
        ["部件 xl/worksheets/sheet1.xml 有", "超过上限 2,097,152 字节（2 MiB）"],
        id="sheet-part-over-cap",
    ),
    pytest.param(
        None,  # the real cap: 1000 parts (the workbook itself has 5)
        lambda p, over: write_xlsx(p, [HEADER_ROW, DATA_ROW], extra_parts=996 if over else 995),
        ["1,001 个部件", "超过上限 1,000"],
        id="too-many-parts",
    ),
    pytest.param(
        None,  # the real cap: 32,767 characters, Excel's own
        lambda p, over: _long_cell_xlsx(p, 40_000 if over else MAX_CELL_CHARS),
        ["第 3 行", "超过 32,767 个字符的单元格"],
        id="cell-of-40000-characters",
    ),
]


@pytest.mark.parametrize("cap, build, words", CAP_CASES)
def test_xlsx_over_a_cap_is_refused_and_just_inside_it_is_read(tmp_path, monkeypatch, cap, build, words):
    if cap is not None:
        monkeypatch.setattr(readers, *cap)
    inside = build(tmp_path / "inside.xlsx", False)
    assert read_all(inside) >= 1  # the same construction, inside the cap, reads

    message = refusal(build(tmp_path / "over.xlsx", True))
    for word in words:
        assert word in message, message


# --- CSV files that go bad after the first megabyte --------------------------------------------

PENALTY_HEADER = ("行政相对人名称,统一社会信用代码,行政处罚决定书文号,处罚类别,处罚决定日期,"
                  "处罚机关,数据来源单位,违法事实\n")


def _penalty_line(i: int) -> str:
    # A realistic department row, about 230 bytes in UTF-8.
    return (f"苏州基准{i % 997}号科技有限公司,91320506MA1XXXXX00,苏环行罚〔2025〕{i}号,罚款,2025-03-01,"
            f"苏州市生态环境局,苏州市生态环境局,经查，当事人于2024年未按规定报送有关材料，违反有关规定\n")


def _csv_with(path: Path, after: int, bad: bytes, tail_lines: int = 300) -> tuple[Path, int]:
    """A UTF-8 penalties CSV whose line ``n`` (returned) is ``bad`` and starts after ``after``
    bytes; good lines follow it."""
    with open(path, "wb") as fh:
        fh.write(PENALTY_HEADER.encode())
        line, size = 1, len(PENALTY_HEADER.encode())
        while size < after:
            data = _penalty_line(line).encode()
            fh.write(data)
            size += len(data)
            line += 1
        fh.write(bad)
        bad_line = line + 1
        for k in range(tail_lines):
            fh.write(_penalty_line(line + 1 + k).encode())
    return path, bad_line


def _reported_line(message: str) -> int:
    found = re.search(r"第 (\d+) 行", message)
    assert found, message
    return int(found.group(1))


GB18030_ROW = ("苏州恒达精密机械有限公司,91320506MA1XXXXX00,苏环行罚〔2025〕99999号,罚款,2025-03-01,"
               "苏州市生态环境局,苏州市生态环境局,超标排放\n").encode("gb18030")


def test_gb18030_bytes_after_two_megabytes_are_refused_near_their_line(tmp_path):
    path, bad_line = _csv_with(tmp_path / "处罚.csv", 2 * (1 << 20) + 10, GB18030_ROW)
    with pytest.raises(UnicodeDecodeError):
        GB18030_ROW.decode("utf-8")  # the planted row really is not UTF-8
    message = refusal(path)
    assert "不是 UTF-8 编码的字节" in message and "另存为 UTF-8 或 GB18030" in message, message
    reported = _reported_line(message)
    # "附近": the text is decoded 8 KiB at a time, so the line named may be a few lines before the
    # bad one, never after it; with rows of ~230 bytes that is at most ~36 lines.
    assert 0 <= bad_line - reported <= 40, (reported, bad_line)


def test_file_ending_bad_after_the_sample_is_not_taken_for_gb18030(tmp_path):
    """The control for the case above: without the planted row the same file reads whole."""
    path, _ = _csv_with(tmp_path / "处罚.csv", 2 * (1 << 20) + 10, _penalty_line(0).encode())
    assert read_all(path) > 9000


NUL_ROW = _penalty_line(0).replace("罚款", "罚\x00款").encode()


def test_nul_byte_after_the_first_megabyte_is_refused_naming_the_line(tmp_path):
    path, bad_line = _csv_with(tmp_path / "处罚.csv", (1 << 20) + 4096, NUL_ROW)
    message = refusal(path)
    assert "NUL 字节" in message, message
    assert _reported_line(message) == bad_line, message


def test_nul_byte_in_the_first_megabyte_is_refused(tmp_path):
    """The same row inside the sample is refused, so only the position differs above."""
    path, _ = _csv_with(tmp_path / "处罚.csv", 4096, NUL_ROW)
    assert "NUL 字节" in refusal(path)


def _unterminated_quote(path: Path) -> Path:
    # Line 3 opens a quote that is never closed: the rest of the file (~1.1 MB) becomes one cell.
    lines = [PENALTY_HEADER, _penalty_line(1), _penalty_line(2).replace(",经查", ',"经查', 1),
             *(_penalty_line(i) for i in range(3, 5000))]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_unterminated_quote_is_refused_with_a_clear_message(tmp_path):
    message = refusal(_unterminated_quote(tmp_path / "处罚.csv"))
    assert "超过 131,072 个字符的单元格" in message, message
    assert "可能缺少一个结束引号" in message, message


def test_unterminated_quote_refusal_names_the_line_where_the_quote_opens(tmp_path):
    message = refusal(_unterminated_quote(tmp_path / "处罚.csv"))
    assert _reported_line(message) == 3, message
