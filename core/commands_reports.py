"""creditdesk-admin handlers for issuing, the archive and verifying."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from core.commands import _json, open_ready_desk, request_from, sign_in
from core.errors import InvalidRequest, OutputNotWritten
from core.states import VerdictStatus
from core.terminal import safe


def check_writable(path: Path, suffix: str = ".pdf", *, force: bool = False) -> Path:
    """Refuse an output file that cannot be written, or one that exists without --force —
    before any work is done."""
    if path.suffix.lower() != suffix:
        raise InvalidRequest(f"输出文件应以 {suffix} 结尾：{path}")
    if path.is_file() and not force:
        raise InvalidRequest(f"文件 {path} 已存在；如要覆盖，请加 --force")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InvalidRequest(f"无法写入文件 {path}：目录 {folder} 不存在")
    if path.is_dir():
        raise InvalidRequest(f"无法写入文件 {path}：这是一个目录")
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".creditdesk-", delete=True):
            pass
        if path.exists() and not os.access(path, os.W_OK):
            raise PermissionError(path)
    except OSError as exc:
        raise InvalidRequest(f"无法写入文件 {path}：{exc.strerror or '没有写入权限'}") from None
    return path


def write_file(path: Path, data: bytes) -> None:
    """Whole or not at all: a temporary file beside the target, then renamed over it."""
    tmp = path.with_name(f".{path.name}.part")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def cmd_issue(args, desk, session) -> int:
    out = check_writable(Path(args.out), force=args.force)
    return _deliver(args, out, desk.issue(session, request_from(args)), session)


def cmd_reissue(args, desk, session) -> int:
    """A corrected report for one whose records were corrected after issue: same request."""
    out = check_writable(Path(args.out), force=args.force)
    result = desk.reissue_corrected(session, args.report_no)
    if not args.json:
        print(f"原报告 {archive_no(args.report_no)} 的记录已经异议更正，现出具更正后的报告：")
    return _deliver(args, out, result, session, corrects=archive_no(args.report_no))


def archive_no(report_no: str) -> str:
    return "".join(report_no.split()).upper()


def _deliver(args, out: Path, result, session, corrects: str | None = None) -> int:
    """Write the issued report's PDF; say where it is (or how to save it again)."""
    extra = {"corrects": corrects} if corrects else {}
    try:
        write_file(out, result.pdf)
    except OSError as exc:
        if args.json:
            _json({**result.to_json(), **extra, "pdf": None})
        raise OutputNotWritten(
            f"报告 {result.report_no} 已出具并存档，但无法写入文件 {out}：{exc.strerror or exc}。"
            f"请运行 creditdesk-admin --user {session.username} report save {result.report_no} "
            "--out 文件名.pdf 重新保存") from None
    if args.json:
        _json({**result.to_json(), **extra, "pdf": str(out.resolve())})
    else:
        print(f"已出具报告 {result.report_no}：{safe(result.content.enterprise.name)}，"
              f"有效期至 {result.issue.valid_until}，PDF 已保存到 {out}")
    return 0


def cmd_save(args, desk, session) -> int:
    out = check_writable(Path(args.out), force=args.force)
    write_file(out, desk.pdf_to_save(session, args.report_no, str(out.resolve())))
    print(f"报告 {args.report_no.strip().upper()} 的存档 PDF 已保存到 {out}")
    return 0


def cmd_show(args, desk, session) -> int:
    out = check_writable(Path(args.pdf), force=args.force) if args.pdf else None
    report = desk.show_report(session, args.report_no)
    if out:
        write_file(out, desk.report_pdf(session, report.report_no))
        desk.record_save(session, report.report_no, str(out.resolve()))
    if args.json:
        _json(report.to_json())
        return 0
    state = f"已撤销（{report.revoked_at:%Y-%m-%d}：{report.revoke_reason}）" if report.revoked else "有效"
    print(f"报告 {report.report_no}  {safe(report.enterprise_name)}（{report.uscc}）  状态：{safe(state)}")
    print(f"出具：{report.issued_at:%Y-%m-%d %H:%M} {safe(report.issued_by)}@{safe(report.counter)}  有效期至 {report.valid_until}")
    print(f"范围：领域 {','.join(map(str, report.domains))}  期间 {report.period_from} 至 {report.period_to}  用途 {safe(report.purpose)}")
    print(f"违法记录 {report.violations} 条  欠缴：{'有' if report.has_arrears else '无'}  打印 {report.print_count} 次")
    return 0


def cmd_list(args, desk, session) -> int:
    if args.limit < 1:
        raise InvalidRequest("--limit 应为正整数")
    reports = desk.history(session, uscc=args.uscc, limit=args.limit, date_from=args.date_from,
                           date_to=args.date_to)
    if args.json:
        _json([{"report_no": r.report_no, "uscc": r.uscc, "enterprise_name": r.enterprise_name,
                "issued_at": r.issued_at.isoformat(timespec="seconds"), "issued_by": r.issued_by,
                "counter": r.counter, "status": "revoked" if r.revoked else "issued"}
               for r in reports])
        return 0
    if not reports:
        print("没有符合条件的报告")
    for r in reports:
        print(f"{r.report_no}  {r.uscc}  {safe(r.enterprise_name)}  {r.issued_at:%Y-%m-%d %H:%M}  "
              f"{safe(r.issued_by)}  {r.status}")
    return 0


def cmd_revoke(args, desk, session) -> int:
    report = desk.revoke(session, args.report_no, args.reason)
    print(f"报告 {report.report_no} 已撤销：{safe(report.revoke_reason)}")
    return 0


VERDICT_WORDS = {VerdictStatus.VALID: "有效", VerdictStatus.MALFORMED: "请重新扫描",
                 VerdictStatus.FORGED: "伪造", VerdictStatus.REVOKED: "已撤销",
                 VerdictStatus.EXPIRED: "已过期"}


def cmd_verify(args) -> int:
    """No person needed: without --user the check is recorded as anonymous."""
    desk = open_ready_desk(args, tolerate_unavailable=True)
    if args.user:
        verdict = desk.verify(sign_in(desk, args), args.text)
    else:
        verdict = desk.verify_anonymously(args.text)
    for key_id in verdict.dropped_keys:
        print(f"本机信任列表缓存中的密钥 {key_id} 不在数据库的信任列表中，已删除", file=sys.stderr)
    if args.json:
        _json(verdict.to_json())
    else:
        print(f"{VERDICT_WORDS[verdict.status]}：{safe(verdict.reason)}")
        if verdict.claims:
            c = verdict.claims
            name = safe(verdict.archived.enterprise_name) + " " if verdict.archived else ""
            print(f"报告编号 {c.report_no}  企业 {name}{c.uscc}  出具 {c.issued_on}  有效期至 {c.valid_until}")
            print(f"领域 {','.join(map(str, c.domains))}  期间 {c.period_from} 至 {c.period_to}  "
                  f"违法记录 {c.violations} 条  欠缴：{'有' if c.has_arrears else '无'}")
        for fixed in verdict.corrections:
            print(f"注意：{safe(fixed.flag)}")
        if verdict.offline and verdict.status == VerdictStatus.VALID:
            synced = verdict.trust_list_synced_at
            print(f"注意：未核对撤销状态；本机信任列表缓存最近同步于 "
                  f"{f'{synced:%Y-%m-%d %H:%M}' if synced else '未知时间'}，请联网后复核")
    return verdict_exit_code(verdict)


def verdict_exit_code(verdict) -> int:
    """0: valid, fully checked against the archive; 3: the signature is valid but the database
    was unreachable (revocation not checked); 1: anything else."""
    if verdict.status != VerdictStatus.VALID:
        return 1
    return EXIT_OFFLINE_VALID if verdict.offline else 0


EXIT_OFFLINE_VALID = 3


HANDLERS = {
    "report issue": cmd_issue, "report reissue": cmd_reissue, "report show": cmd_show, "report revoke": cmd_revoke,
    "report list": cmd_list, "report save": cmd_save,
}

