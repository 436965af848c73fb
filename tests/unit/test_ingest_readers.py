"""Reading department files: CSV in the encodings departments use, and XLSX."""
from __future__ import annotations

from datetime import datetime

import pytest
from openpyxl import Workbook

from core.services.records.ingest.readers import Table, UnreadableFile, read_table

HEADER = "统一社会信用代码,企业名称,成立日期"
LINES = [
    HEADER,
    "91350100M000100Y43,苏州测试有限公司,2020-01-02",
    "",
    "92320505MA1XXXXX00,吴中区张三小吃店,2021/3/4",
]


def _write(path, text: str, encoding: str) -> None:
    path.write_bytes(text.encode(encoding))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_in_every_accepted_encoding_reads_the_same(tmp_path, encoding):
    path = tmp_path / "enterprises.csv"
    _write(path, "\r\n".join(LINES) + "\r\n", encoding)

    table = read_table(path)

    assert table.name == "enterprises.csv"
    assert table.headers == ("统一社会信用代码", "企业名称", "成立日期")
    # The blank line 3 is skipped, but the next row keeps the number Excel shows.
    assert [n for n, _ in table.rows] == [2, 4]
    assert table.rows[0][1] == ("91350100M000100Y43", "苏州测试有限公司", "2020-01-02")
    assert table.rows[1][1][1] == "吴中区张三小吃店"


def test_csv_headers_are_stripped_and_trailing_blank_headers_dropped(tmp_path):
    path = tmp_path / "a.csv"
    _write(path, " 统一社会信用代码 ,\u3000企业名称\u3000,,\n91350100M000100Y43,甲公司,,\n", "utf-8")

    table = read_table(path)

    assert table.headers == ("统一社会信用代码", "企业名称")
    assert table.rows == ((2, ("91350100M000100Y43", "甲公司")),)


def test_short_csv_rows_are_padded_to_the_header_width(tmp_path):
    path = tmp_path / "a.csv"
    _write(path, "甲,乙,丙\n1\n", "utf-8")

    assert read_table(path).rows == ((2, ("1", None, None)),)


def test_rows_of_only_spaces_and_commas_count_as_empty(tmp_path):
    path = tmp_path / "a.csv"
    _write(path, "甲,乙\n , \n,\nx,y\n", "utf-8")

    assert read_table(path).rows == ((4, ("x", "y")),)


def test_tab_separated_text_is_recognised(tmp_path):
    path = tmp_path / "a.csv"
    _write(path, "统一社会信用代码\t企业名称\n91350100M000100Y43\t甲公司, 分公司\n", "utf-8")

    table = read_table(path)

    assert table.headers == ("统一社会信用代码", "企业名称")
    assert table.rows[0][1] == ("91350100M000100Y43", "甲公司, 分公司")


def test_quoted_csv_cells_keep_commas_and_newlines(tmp_path):
    path = tmp_path / "a.csv"
    _write(path, '甲,乙\n"a,b","第一行\n第二行"\nc,d\n', "utf-8")

    table = read_table(path)

    assert table.rows[0] == (2, ("a,b", "第一行\n第二行"))
    # Excel shows the quoted two-line cell in a single row, so "c,d" is row 3.
    assert [n for n, _ in table.rows] == [2, 3]


def _xlsx(path, rows):
    book = Workbook()
    sheet = book.active
    for number, row in rows:
        for column, value in enumerate(row, start=1):
            sheet.cell(row=number, column=column, value=value)
    book.create_sheet("第二页")["A1"] = "不读"
    book.save(path)


def test_xlsx_keeps_date_cells_and_numbers_and_true_row_numbers(tmp_path):
    path = tmp_path / "penalties.xlsx"
    _xlsx(path, [
        (1, ["行政处罚决定书文号", " 罚款金额（万元） ", "处罚决定日期", None]),
        (2, ["苏市监罚〔2024〕1号", 0.5, datetime(2024, 3, 1), None]),
        (4, ["苏市监罚〔2024〕2号", 3, datetime(2024, 4, 2), "多余的"]),
    ])

    table = read_table(path)

    assert table.name == "penalties.xlsx"
    assert table.headers == ("行政处罚决定书文号", "罚款金额（万元）", "处罚决定日期")
    assert [n for n, _ in table.rows] == [2, 4]
    assert table.rows[0][1] == ("苏市监罚〔2024〕1号", 0.5, datetime(2024, 3, 1))
    # Cells under no header are dropped; numbers stay numbers.
    assert table.rows[1][1] == ("苏市监罚〔2024〕2号", 3, datetime(2024, 4, 2))


def test_xlsx_with_only_a_header_has_no_rows(tmp_path):
    path = tmp_path / "a.xlsx"
    _xlsx(path, [(1, ["统一社会信用代码", "企业名称"])])

    assert read_table(path) == Table("a.xlsx", ("统一社会信用代码", "企业名称"), ())


def test_upper_case_extension_is_accepted(tmp_path):
    path = tmp_path / "A.CSV"
    _write(path, "甲\n1\n", "utf-8")

    assert read_table(path).rows == ((2, ("1",)),)


@pytest.mark.parametrize(
    "file_name, content, message",
    [
        ("garbage.csv", bytes(range(256)) * 4,
         "无法读取文件 garbage.csv：文件含有 NUL 字节，可能是 UTF-16 或二进制文件"),
        ("empty.csv", b"", "无法读取文件 empty.csv：文件为空"),
        ("blank.csv", b"\r\n  \r\n,,\r\n", "无法读取文件 blank.csv：文件为空"),
        ("bom-only.csv", b"\xef\xbb\xbf", "无法读取文件 bom-only.csv：文件为空"),
        ("garbage.xlsx", b"PK\x03\x04 not really a zip file" * 10,
         "无法读取文件 garbage.xlsx：不是有效的 XLSX 文件"),
        ("text.xlsx", "统一社会信用代码,企业名称\n".encode(),
         "无法读取文件 text.xlsx：不是有效的 XLSX 文件"),
        ("old.xls", b"\xd0\xcf\x11\xe0",
         "无法读取文件 old.xls：不支持的文件类型 .xls，请使用 CSV 或 XLSX"),
        ("notes.txt", b"abc", "不支持的文件类型 .txt，请使用 CSV 或 XLSX"),
    ],
)
def test_unreadable_files_say_why_in_one_chinese_line(tmp_path, file_name, content, message):
    path = tmp_path / file_name
    path.write_bytes(content)

    with pytest.raises(UnreadableFile) as caught:
        read_table(path)

    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(UnreadableFile, match="找不到文件"):
        read_table(tmp_path / "nowhere.csv")


def test_empty_xlsx_sheet_is_reported_as_empty(tmp_path):
    path = tmp_path / "empty.xlsx"
    Workbook().save(path)

    with pytest.raises(UnreadableFile, match="文件为空"):
        read_table(path)


@pytest.mark.parametrize("content, message", [
    (b"a,b\n1,\x002\n", "文件含有 NUL 字节，可能是 UTF-16 或二进制文件"),
    ("统一社会信用代码,企业名称\n91350100M000100Y43,x\n".encode("utf-16-le"), "文件疑似没有 BOM 的 UTF-16 编码"),
    ("统一社会信用代码,企业名称\n".encode("utf-16"), "文件是 UTF-16 编码"),
    ("統一社會信用代碼,企業名稱\n91350100M000100Y43,台灣積體電路製造股份有限公司\n".encode("big5"),
     "文件疑似 Big5 编码，请另存为 UTF-8 或 GB18030"),
])
def test_unclear_encodings_say_what_was_found(tmp_path, content, message):
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile) as info:
        read_table(path)
    assert message in str(info.value)
