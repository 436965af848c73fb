"""creditdesk-admin handlers for issuing, verifying and signing keys."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from core.commands import _json, _open, parse_domains
from core.config import key_dir, trust_cache_path
from core.errors import CreditDeskError, DatabaseUnavailable, InvalidRequest
from core.policy import load_profile


def _keys(db):
    from core.services.signing.keys import KeyService

    return KeyService(db, key_dir(), trust_cache_path())


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise CreditDeskError(f"无法写入文件 {path}：{exc.strerror or exc}") from None


def cmd_issue(args) -> int:
    from core.services.reports.issuing import ReportIssuer

    db, settings = _open(args)
    issuer = ReportIssuer(db, load_profile(settings.profile_id), _keys(db), settings)
    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise InvalidRequest(f"输出文件应以 .pdf 结尾：{out}")
    result = issuer.issue(args.uscc, parse_domains(args.domains), args.date_from, args.date_to,
                          args.purpose, user=args.user)
    _write(out, result.pdf)
    if args.json:
        _json({**result.to_json(), "pdf": str(out.resolve())})
    else:
        print(f"已出具报告 {result.report_no}：{result.content.enterprise.name}，"
              f"有效期至 {result.issue.valid_until}，PDF 已保存到 {out}")
    return 0


def cmd_show(args) -> int:
    from core.services.reports.archive import ReportArchive

    db, _ = _open(args)
    archive = ReportArchive(db)
    report = archive.get(args.report_no)
    if args.pdf:
        _write(Path(args.pdf), archive.pdf(report.report_no))
    if args.json:
        _json(report.to_json())
        return 0
    state = f"已撤销（{report.revoked_at:%Y-%m-%d}：{report.revoke_reason}）" if report.revoked else "有效"
    print(f"报告 {report.report_no}  {report.enterprise_name}（{report.uscc}）  状态：{state}")
    print(f"出具：{report.issued_at:%Y-%m-%d %H:%M} {report.issued_by}@{report.counter}  有效期至 {report.valid_until}")
    print(f"范围：领域 {','.join(map(str, report.domains))}  期间 {report.period_from} 至 {report.period_to}  用途 {report.purpose}")
    print(f"违法记录 {report.violations} 条  欠缴：{'有' if report.has_arrears else '无'}  打印 {report.print_count} 次")
    return 0


def cmd_revoke(args) -> int:
    from core.services.reports.archive import ReportArchive

    db, _ = _open(args)
    report = ReportArchive(db).revoke(args.report_no, args.reason, user=args.user)
    print(f"报告 {report.report_no} 已撤销：{report.revoke_reason}")
    return 0


VERDICT_WORDS = {"valid": "有效", "malformed": "请重新扫描", "forged": "伪造",
                 "revoked": "已撤销", "expired": "已过期"}


def cmd_verify(args) -> int:
    from core.db.engine import Database
    from core.config import Settings
    from core.services.reports.verify import VerificationService

    settings = Settings.from_env(args.db, args.profile)
    db = Database(settings.db_url)
    try:
        from core.db import schema

        schema.ensure_ready(db)
    except DatabaseUnavailable:
        pass  # verification falls back to the cached trust list and says so
    verdict = VerificationService(db, _keys(db)).verify(args.text, user=args.user, counter=settings.counter)
    if args.json:
        _json(verdict.to_json())
    else:
        print(f"{VERDICT_WORDS[verdict.status]}：{verdict.reason}")
        if verdict.claims:
            c = verdict.claims
            name = verdict.archived.enterprise_name + " " if verdict.archived else ""
            print(f"报告编号 {c.report_no}  企业 {name}{c.uscc}  出具 {c.issued_on}  有效期至 {c.valid_until}")
            print(f"领域 {','.join(map(str, c.domains))}  期间 {c.period_from} 至 {c.period_to}  "
                  f"违法记录 {c.violations} 条  欠缴：{'有' if c.has_arrears else '无'}")
    return 0 if verdict.status == "valid" else 1


def cmd_keys_init(args) -> int:
    passphrase = None
    if args.passphrase_env:
        passphrase = os.environ.get(args.passphrase_env)
        if not passphrase:
            raise InvalidRequest(f"环境变量 {args.passphrase_env} 未设置口令")
    db, _ = _open(args)
    keys = _keys(db)
    key = keys.create(user=args.user, label=args.label, passphrase=passphrase, valid_until=args.valid_until)
    print(f"已生成签名密钥 {key.key_id}，私钥保存在 {keys.private_path(key.key_id)}（仅本人可读）")
    return 0


def cmd_keys_list(args) -> int:
    db, _ = _open(args)
    keys = _keys(db)
    trust = keys.trust_list()
    if args.json:
        _json([{**k.to_json(), "status": "retired" if k.retired_at else "active",
                "private_key_here": keys.private_path(k.key_id).exists()} for k in trust])
        return 0
    if not trust:
        print("信任列表为空，请运行：creditdesk-admin keys init")
    for k in trust:
        here = "（本机持有私钥）" if keys.private_path(k.key_id).exists() else ""
        print(f"{k.key_id}  {k.status}  自 {k.valid_from} 起  {k.label or ''}{here}")
    return 0


def cmd_keys_export(args) -> int:
    db, _ = _open(args)
    text = json.dumps(_keys(db).export_public(), ensure_ascii=False, indent=2)
    if args.out:
        _write(Path(args.out), text.encode("utf-8"))
        print(f"信任列表已导出到 {args.out}", file=sys.stderr)
    else:
        print(text)
    return 0


def cmd_keys_retire(args) -> int:
    db, _ = _open(args)
    key = _keys(db).retire(args.key_id, user=args.user)
    print(f"密钥 {key.key_id} 已停用（{key.retired_at:%Y-%m-%d %H:%M}）；它签发的报告在有效期内仍可核验")
    return 0


HANDLERS = {
    "report issue": cmd_issue, "report show": cmd_show, "report revoke": cmd_revoke,
    "verify": cmd_verify, "keys init": cmd_keys_init, "keys list": cmd_keys_list,
    "keys export-public": cmd_keys_export, "keys retire": cmd_keys_retire,
}
