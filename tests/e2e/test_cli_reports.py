"""creditdesk-admin report commands end to end: keys, issue, scan the printed code, verify, revoke.

Real processes, real files, the embedded database and PostgreSQL; nothing is stubbed. The
administrator makes keys and imports, the clerk issues, the supervisor looks at the archive and
revokes, and codes are verified anonymously, as a script at the door would. The forged codes are
built here with the payload module and a key the system has never seen; the hostile DBA of the
last tests changes the database with plain SQL.
"""
from __future__ import annotations

import json
import random
import re
import stat
from datetime import date, timedelta
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from core import uscc
from core.services.signing import payload_codec
from core.services.signing.payload import QrClaims, digest_content, encode_claims, key_id_for, sign_payload
from tests.e2e.conftest import Cli, Run, audit_events

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/x"
KEY_ID = re.compile(r"\b[0-9a-f]{8}\b")
TODAY = date.today()
PENALTY_DAY = TODAY - timedelta(days=100)
DECISION_NO = f"苏环行罚〔{PENALTY_DAY.year}〕9001号"
PASS_ENV = "CREDITDESK_KEY_PASSPHRASE"
CJK = re.compile(r"[\u4e00-\u9fff]")
ANY_USCC = uscc.generate(random.Random(5), division="320506")


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    path.write_text("\n".join(",".join(map(str, row)) for row in rows) + "\n", encoding="utf-8")
    return path


def assert_one_line_error(result: Run) -> None:
    assert result.code != 0, f"{result.args} succeeded: {result.out}"
    assert "Traceback" not in result.err
    assert len(result.err_lines) == 1, result.err
    assert CJK.search(result.err_lines[0]), result.err


def run(cli: Cli, *args: str) -> Run:
    """Any outcome is allowed, except a traceback."""
    result = cli(*args)
    assert "Traceback" not in result.err, result.err
    return result


def verdict(cli: Cli, text: str) -> tuple[int, dict]:
    result = run(cli, "verify", text, "--json")
    return result.code, json.loads(result.out)


def init_key(cli: Cli, *extra: str) -> str:
    """The administrator makes a signing key (as `cli.admin` unless someone is signed in)."""
    out = (cli if cli.user else cli.admin).ok("keys", "init", *extra).out
    (key_id,) = set(KEY_ID.findall(out))
    return key_id


def scan(pdf: Path) -> str:
    """What a scanner at the counter reads off page 1 printed at 150 dpi."""
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=150 / 72).to_pil()
    (barcode,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return barcode.text


def a_company(cli: Cli) -> dict:
    cli.admin.ok("demo", "--enterprises", "300", "--seed", "3")
    hits = cli.clerk.ok("lookup", "公司", "--json", "--limit", "5").json()
    assert hits, "demo data should contain companies"
    return hits[0]


def issue(cli: Cli, out: Path, code: str, *extra: str) -> dict:
    """The clerk issues (as `cli.clerk` unless someone is signed in)."""
    return (cli if cli.user else cli.clerk).ok("report", "issue", "--uscc", code, "--out", out, "--json",
                                               *extra).json()


def flip_digit(text: str, at: int) -> str:
    return text[:at] + str((int(text[at]) + 1) % 10) + text[at + 1:]


def foreign_code(code: str, claimed_key_id: str | None = None) -> str:
    """A well-formed, correctly check-digited code signed by a key the system never trusted."""
    foreign = Ed25519PrivateKey.generate()
    claims = QrClaims(
        key_id=claimed_key_id or key_id_for(foreign.public_key()), report_no=f"SZ-{TODAY.year}-00000001",
        uscc=code, issued_on=TODAY, valid_until=TODAY + timedelta(days=30), domains=tuple(range(1, 21)),
        period_from=TODAY - timedelta(days=3 * 365), period_to=TODAY, violations=0, has_arrears=False,
        content_digest=digest_content(b"{}"),
    )
    if claimed_key_id is None:
        return sign_payload(claims, foreign)
    signed = encode_claims(claims)  # impersonating a trusted key: sign_payload refuses, so by hand
    return payload_codec.to_text(signed + foreign.sign(signed))


# --- keys ------------------------------------------------------------------------------------


def test_keys_init_list_export_and_retire(cli, home, tmp_path):
    admin = cli.admin
    assert admin.ok("keys", "list", "--json").json() == []
    key_id = init_key(cli, "--label", "一号窗口")
    private = home / "keys" / f"{key_id}.pem"
    assert private.is_file()
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(private.parent.stat().st_mode) == 0o700

    (listed,) = admin.ok("keys", "list", "--json").json()
    assert (listed["key_id"], listed["label"], listed["status"]) == (key_id, "一号窗口", "active")
    assert listed["private_key_here"] is True and listed["retired_at"] is None
    assert re.fullmatch(r"[0-9a-f]{64}", listed["public_key"])

    exported = tmp_path / "trust.json"
    admin.ok("keys", "export-public", "--out", exported)
    text = exported.read_text(encoding="utf-8")
    assert [(k["key_id"], k["public_key"]) for k in json.loads(text)["keys"]] == [(key_id, listed["public_key"])]
    assert "PRIVATE" not in text.upper()
    secret_lines = [line for line in private.read_text().splitlines() if not line.startswith("-----")]
    assert secret_lines and not any(line in text for line in secret_lines)

    assert key_id in admin.ok("keys", "retire", key_id).out
    (retired,) = admin.ok("keys", "list", "--json").json()
    assert retired["status"] == "retired" and retired["retired_at"]
    enterprises = [["统一社会信用代码", "企业名称"], [ANY_USCC, "苏州恒达精密机械有限公司"]]
    admin.ok("import", "enterprises", write_csv(tmp_path / "e.csv", enterprises))
    no_key = run(cli.clerk, "report", "issue", "--uscc", ANY_USCC, "--out", tmp_path / "r.pdf")
    assert_one_line_error(no_key)  # the only key is retired: nothing may sign
    assert "keys init" in no_key.err and not (tmp_path / "r.pdf").exists()
    unknown = run(admin, "keys", "retire", "deadbeef")
    assert_one_line_error(unknown)
    assert "deadbeef" in unknown.err


# --- issue, scan, verify, revoke -------------------------------------------------------------


def test_issue_scan_verify_revoke_and_show(cli, home, tmp_path):
    company = a_company(cli)
    code = company["uscc"]
    penalties = [["行政相对人名称", "统一社会信用代码", "行政处罚决定书文号", "处罚类别", "处罚决定日期",
                  "处罚机关", "数据来源单位", "领域", "程序类型"],
                 [company["name"], code, DECISION_NO, "罚款", PENALTY_DAY.isoformat(),
                  "苏州市生态环境局", "苏州市生态环境局", "4", "普通程序"]]
    cli.admin.ok("import", "penalties", write_csv(tmp_path / "p.csv", penalties))
    init_key(cli)
    scope = ["--domains", "1,4,15", "--from", (TODAY - timedelta(days=365)).isoformat(),
             "--to", TODAY.isoformat()]
    pdf = tmp_path / "out" / "报告.pdf"
    pdf.parent.mkdir()  # the folder must exist: a missing one is refused before anything is numbered
    issued = issue(cli, pdf, code, *scope, "--purpose", "融资")

    expected = cli.clerk.ok("report", "content", "--uscc", code, *scope, "--json").json()
    fields = ("uscc", "enterprise_name", "period", "domains", "violations", "arrears", "repairs")
    assert {k: issued[k] for k in fields} == {k: expected[k] for k in fields}
    assert (issued["uscc"], issued["enterprise_name"], issued["domains"]) == (code, company["name"], [1, 4, 15])
    assert [v["decision_no"] for v in issued["violations"]] == [DECISION_NO]
    assert re.fullmatch(rf"SZ-{TODAY.year}-\d{{8}}", issued["report_no"])
    digits = issued["qr_payload"]
    assert digits.isascii() and digits.isdigit() and len(digits) <= 400
    assert Path(issued["pdf"]) == pdf.resolve() and pdf.read_bytes().startswith(b"%PDF")

    scanned = scan(pdf)  # the printed code is the verification URL around the signed digits
    assert scanned == issued["qr_text"] == f"HTTPS://CREDITDESK.EXAMPLE/V/{digits}"
    status, answer = verdict(cli, scanned)  # anonymously, as a script at the door
    assert (status, answer["status"], answer["report_no"]) == (0, "valid", issued["report_no"])
    assert (answer["uscc"], answer["violations"], answer["offline"]) == (code, 1, False)
    assert answer["enterprise_name"] == company["name"]
    assert verdict(cli.verifier, scanned) == (status, answer)  # and by the verifier, signed in

    prefix = len(payload_codec.PREFIX) + 2
    body = flip_digit(digits[prefix:], len(digits) // 3)  # a tampering that passes the check digits
    for text in (*(flip_digit(digits, at) for at in (10, len(digits) // 2, len(digits) - 1)),
                 payload_codec.PREFIX + payload_codec.check_digits(body) + body):
        status, answer = verdict(cli, text)
        assert status != 0 and answer["status"] in ("malformed", "forged"), answer

    offline = Cli(home, ["--db", UNREACHABLE])  # same home: the trust-list cache is there
    status, answer = verdict(offline, scanned)
    assert (status, answer["status"], answer["offline"]) == (3, "valid", True)  # offline: signature only, exit 3
    assert answer["report_no"] == issued["report_no"]

    clerk, supervisor = cli.clerk, cli.supervisor
    for refused in (["report", "show", issued["report_no"]], ["report", "list"],
                    ["report", "revoke", issued["report_no"], "--reason", "作废"]):
        by_clerk = run(clerk, *refused)  # the archive is the supervisor's
        assert_one_line_error(by_clerk)
        assert by_clerk.code == 2 and "主管" in by_clerk.err and by_clerk.out == ""
    listed = supervisor.ok("report", "list", "--json").json()
    assert listed == [{"report_no": issued["report_no"], "uscc": code, "enterprise_name": company["name"],
                       "issued_at": listed[0]["issued_at"], "issued_by": "clerk",
                       "counter": listed[0]["counter"], "status": "issued"}]
    assert listed[0]["issued_at"].startswith(TODAY.isoformat())
    saved = tmp_path / "again.pdf"  # the clerk may save again what they issued
    clerk.ok("report", "save", issued["report_no"], "--out", saved)
    assert saved.read_bytes() == pdf.read_bytes()
    shown = supervisor.ok("report", "show", issued["report_no"], "--json").json()
    assert (shown["status"], shown["purpose"], shown["qr_payload"]) == ("issued", "融资", digits)
    assert supervisor.ok("report", "revoke", issued["report_no"], "--reason", "作废").code == 0
    status, answer = verdict(cli, scanned)
    assert (status, answer["status"], answer["report_no"]) == (1, "revoked", issued["report_no"])
    assert answer["revoke_reason"] == "作废"
    copy = tmp_path / "copy.pdf"
    shown = supervisor.ok("report", "show", issued["report_no"].lower(), "--json", "--pdf", copy).json()
    assert (shown["status"], shown["revoke_reason"], shown["revoked_at"] is not None) == ("revoked", "作废", True)
    assert copy.read_bytes() == pdf.read_bytes()
    assert [r["status"] for r in supervisor.ok("report", "list", "--json").json()] == ["revoked"]
    again = run(supervisor, "report", "revoke", issued["report_no"], "--reason", "重复")
    assert_one_line_error(again)
    assert issued["report_no"] in again.err


def test_unknown_report_number_is_one_line(cli, tmp_path):
    missing = f"SZ-{TODAY.year}-99999999"
    for args in (["report", "show", missing], ["report", "show", missing, "--json"],
                 ["report", "show", missing, "--pdf", tmp_path / "x.pdf"],
                 ["report", "revoke", missing, "--reason", "作废"]):
        result = run(cli.supervisor, *args)
        assert_one_line_error(result)
        assert missing in result.err and result.out == ""
    assert not (tmp_path / "x.pdf").exists()


# --- codes that are not ours -----------------------------------------------------------------


@pytest.mark.parametrize("cli", ["embedded"], indirect=True)
def test_foreign_signature_and_garbage(cli):
    trusted = init_key(cli)
    code = ANY_USCC
    for text in (foreign_code(code), foreign_code(code, claimed_key_id=trusted)):
        status, answer = verdict(cli, text)
        assert (status, answer["status"]) == (1, "forged"), answer
        assert answer["report_no"] == f"SZ-{TODAY.year}-00000001"
    for text in ("garbage", "3205", "１２３"):
        status, answer = verdict(cli, text)
        assert (status, answer["status"]) == (1, "malformed"), answer
        assert CJK.search(answer["reason"])


# --- issuing errors --------------------------------------------------------------------------


@pytest.mark.parametrize("cli", ["embedded"], indirect=True)
def test_issue_refusals_are_one_line_and_use_no_number(cli, tmp_path):
    code = a_company(cli)["uscc"]
    out = tmp_path / "r.pdf"
    clerk = cli.clerk
    no_key = run(clerk, "report", "issue", "--uscc", code, "--out", out)
    assert_one_line_error(no_key)
    assert "keys init" in no_key.err
    init_key(cli)
    bad_purpose = run(clerk, "report", "issue", "--uscc", code, "--purpose", "吃饭", "--out", out)
    assert_one_line_error(bad_purpose)
    assert "吃饭" in bad_purpose.err and "融资" in bad_purpose.err
    not_pdf = run(clerk, "report", "issue", "--uscc", code, "--out", tmp_path / "r.txt")
    assert_one_line_error(not_pdf)
    assert not out.exists() and not (tmp_path / "r.txt").exists()
    first = issue(cli, out, code)
    assert first["report_no"] == f"SZ-{TODAY.year}-00000001"  # refusals leave no gap


@pytest.mark.parametrize("cli", ["embedded"], indirect=True)
def test_passphrase_protected_key(cli, home, tmp_path):
    code = a_company(cli)["uscc"]
    unset = run(cli.admin, "keys", "init", "--passphrase-env", "MYPASS")
    assert_one_line_error(unset)
    assert "MYPASS" in unset.err and not (home / "keys").exists()
    with_pass = cli.admin.with_env(MYPASS="柜台口令-2026")
    key_id = init_key(with_pass, "--passphrase-env", "MYPASS")
    assert b"ENCRYPTED" in (home / "keys" / f"{key_id}.pem").read_bytes()

    out = tmp_path / "r.pdf"
    for env in ({PASS_ENV: ""}, {PASS_ENV: "不对的口令-1234"}):  # "": unset even if the shell has it
        refused = run(cli.clerk.with_env(**env), "report", "issue", "--uscc", code, "--out", out)
        assert_one_line_error(refused)
        assert key_id in refused.err and not out.exists()
    issued = issue(cli.clerk.with_env(**{PASS_ENV: "柜台口令-2026"}), out, code)
    assert issued["key_id"] == key_id
    assert verdict(cli, scan(out))[1]["status"] == "valid"


def test_offline_verify_without_trust_cache_is_one_line(home):
    offline = Cli(home, ["--db", UNREACHABLE])
    result = run(offline, "verify", foreign_code(ANY_USCC), "--json")
    assert_one_line_error(result)
    assert result.out == ""


# --- nothing issued by halves; the archive against a hostile DBA -----------------------------


def an_enterprise(cli: Cli, tmp_path: Path) -> str:
    enterprises = [["统一社会信用代码", "企业名称"], [ANY_USCC, "苏州恒达精密机械有限公司"]]
    cli.admin.ok("import", "enterprises", write_csv(tmp_path / "e.csv", enterprises))
    return ANY_USCC


def audit_check(cli: Cli) -> tuple[int, dict]:
    result = run(cli.admin, "audit", "verify", "--json")
    return result.code, json.loads(result.out)


def as_dba(cli: Cli, *statements: str, **params) -> None:
    """Plain SQL on the tool's database, in one transaction, as someone with the database
    password and no business changing the records would."""
    engine = create_engine(cli.db_url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement), params)
    finally:
        engine.dispose()


def test_issue_to_a_missing_folder_issues_nothing(cli, tmp_path):
    code = an_enterprise(cli, tmp_path)
    init_key(cli)
    missing = tmp_path / "no-such-folder" / "x.pdf"
    refused = run(cli.clerk, "report", "issue", "--uscc", code, "--out", missing, "--json")
    assert refused.code == 2 and refused.out == ""
    assert_one_line_error(refused)
    assert "no-such-folder" in refused.err
    assert not missing.parent.exists()
    assert cli.supervisor.ok("report", "list", "--json").json() == []  # nothing archived
    assert [e for e in audit_events(cli.db_url) if e.action == "issue"] == []
    assert audit_check(cli)[1]["ok"] is True
    first = issue(cli, tmp_path / "x.pdf", code)
    assert first["report_no"] == f"SZ-{TODAY.year}-00000001"  # the refusal used no number

    # An existing file is never overwritten silently: refused before numbering, unless --force.
    before = (tmp_path / "x.pdf").read_bytes()
    kept = run(cli.clerk, "report", "issue", "--uscc", code, "--out", tmp_path / "x.pdf")
    assert kept.code == 2 and "已存在" in kept.err and "--force" in kept.err
    assert (tmp_path / "x.pdf").read_bytes() == before
    second = issue(cli, tmp_path / "x.pdf", code, "--force")
    assert second["report_no"] == f"SZ-{TODAY.year}-00000002"
    assert (tmp_path / "x.pdf").read_bytes() != before


def test_audit_verify_names_a_report_unrevoked_by_plain_sql(cli, tmp_path):
    code = an_enterprise(cli, tmp_path)
    init_key(cli)
    kept = issue(cli, tmp_path / "kept.pdf", code)["report_no"]
    revoked = issue(cli, tmp_path / "revoked.pdf", code)["report_no"]
    cli.supervisor.ok("report", "revoke", revoked, "--reason", "企业申请作废")
    status, result = audit_check(cli)
    assert (status, result["ok"], result["problem"]) == (0, True, None)

    as_dba(cli, "UPDATE reports SET status = '有效', revoked_at = NULL, revoked_by = NULL, "
                "revoke_reason = NULL WHERE report_no = :no", no=revoked)
    assert [r["status"] for r in cli.supervisor.ok("report", "list", "--json").json()] == ["issued", "issued"]
    status, result = audit_check(cli)
    assert (status, result["ok"], result["report_no"]) == (1, False, revoked), result
    assert revoked in result["problem"] and kept not in result["problem"]
    plain = run(cli.admin, "audit", "verify")
    assert plain.code == 1 and revoked in plain.out


def _swap_pdfs(cli: Cli, first: str, second: str) -> None:
    """Give each archived report the other's PDF bytes. The append-only trigger refuses a plain
    UPDATE; the hostile DBA then removes it (SQLite: DROP TRIGGER, on this test's own file;
    PostgreSQL: disabled inside the same transaction, as the schema is shared by the session)."""
    engine = create_engine(cli.db_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            rows = dict(conn.execute(text(
                "SELECT r.report_no, f.pdf FROM report_files f JOIN reports r ON r.id = f.report_id "
                "WHERE r.report_no IN (:a, :b)"), {"a": first, "b": second}).all())
        swap = ("UPDATE report_files SET pdf = :pdf "
                "WHERE report_id = (SELECT id FROM reports WHERE report_no = :no)")
        with pytest.raises(DBAPIError, match="append-only"):
            with engine.begin() as conn:
                conn.execute(text(swap), {"pdf": bytes(rows[second]), "no": first})
        postgres = engine.dialect.name == "postgresql"
        with engine.begin() as conn:
            if postgres:
                conn.execute(text("ALTER TABLE report_files DISABLE TRIGGER report_files_no_update_delete"))
            else:
                conn.execute(text("DROP TRIGGER report_files_no_update"))
            conn.execute(text(swap), {"pdf": bytes(rows[second]), "no": first})
            conn.execute(text(swap), {"pdf": bytes(rows[first]), "no": second})
            if postgres:
                conn.execute(text("ALTER TABLE report_files ENABLE TRIGGER report_files_no_update_delete"))
    finally:
        engine.dispose()


def test_swapped_archive_pdfs_are_refused_and_break_the_audit(cli, tmp_path):
    code = an_enterprise(cli, tmp_path)
    init_key(cli)
    first = issue(cli, tmp_path / "first.pdf", code)["report_no"]
    second = issue(cli, tmp_path / "second.pdf", code, "--domains", "1,4,15")["report_no"]
    _swap_pdfs(cli, first, second)

    out = tmp_path / "shown.pdf"
    shown = run(cli.supervisor, "report", "show", first, "--pdf", out, "--json")
    assert shown.code == 2 and shown.out == ""
    assert_one_line_error(shown)
    assert first in shown.err and "PDF" in shown.err
    assert not out.exists()
    saved = run(cli.clerk, "report", "save", second, "--out", tmp_path / "saved.pdf")
    assert saved.code == 2 and second in saved.err and not (tmp_path / "saved.pdf").exists()
    status, result = audit_check(cli)
    assert (status, result["ok"], result["report_no"]) == (1, False, first), result
    assert first in result["problem"] and "PDF" in result["problem"]
