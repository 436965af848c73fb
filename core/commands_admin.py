"""creditdesk-admin keys and audit (管理员)."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from core.commands import _json
from core.commands_reports import check_writable, write_file
from core.errors import InvalidRequest


def cmd_keys_init(args, desk, session) -> int:
    passphrase = None
    if args.passphrase_env:
        passphrase = os.environ.get(args.passphrase_env)
        if not passphrase:
            raise InvalidRequest(f"环境变量 {args.passphrase_env} 未设置口令")
    key = desk.create_key(session, label=args.label, passphrase=passphrase, valid_until=args.valid_until)
    print(f"已生成签名密钥 {key.key_id}，私钥保存在 {desk.keys.private_path(key.key_id)}（仅本人可读）")
    return 0


def cmd_keys_list(args, desk, session) -> int:
    trust = desk.trust_list(session)
    here = lambda k: desk.keys.private_path(k.key_id).exists()  # noqa: E731
    if args.json:
        _json([{**k.to_json(), "status": "retired" if k.retired_at else "active",
                "private_key_here": here(k)} for k in trust])
        return 0
    if not trust:
        print("信任列表为空，请运行：creditdesk-admin keys init")
    for k in trust:
        print(f"{k.key_id}  {k.status}  自 {k.valid_from} 起  {k.label or ''}{'（本机持有私钥）' if here(k) else ''}")
    return 0


def cmd_keys_export(args, desk, session) -> int:
    out = check_writable(Path(args.out), ".json", force=args.force) if args.out else None
    text = json.dumps(desk.export_trust_list(session), ensure_ascii=False, indent=2)
    if out:
        write_file(out, text.encode("utf-8"))
        print(f"信任列表已导出到 {args.out}", file=sys.stderr)
    else:
        print(text)
    return 0


def cmd_keys_retire(args, desk, session) -> int:
    key = desk.retire_key(session, args.key_id)
    print(f"密钥 {key.key_id} 已停用（{key.retired_at:%Y-%m-%d %H:%M}）；它签发的报告在有效期内仍可核验")
    private = desk.keys.private_path(key.key_id)
    if not private.exists():
        return 0
    if not args.yes and sys.stdin.isatty():
        try:
            answer = input(f"删除本机的私钥文件 {private}？删除后无法恢复 [y/N] ")
        except EOFError:
            answer = ""
        args.yes = answer.strip().lower() in ("y", "yes", "是")
    if args.yes:
        desk.keys.remove_private(key.key_id)
        print(f"已删除本机的私钥文件 {private}")
    else:
        print(f"私钥文件仍在 {private}；加 --yes 可删除", file=sys.stderr)
    return 0


def cmd_audit_verify(args, desk, session) -> int:
    check = desk.audit_verify(session)
    if check.ok and args.checkpoint:
        try:
            data = json.loads(Path(args.checkpoint).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise InvalidRequest(f"无法读取检查点文件 {args.checkpoint}（不存在或不是 JSON）") from None
        if not isinstance(data, dict):
            raise InvalidRequest(f"检查点文件 {args.checkpoint} 格式不对")
        check = desk.audit_check_checkpoint(session, data)
    if args.json:
        _json(check.to_json())
    elif check.ok:
        print(f"审计链完好：共 {check.count} 条事件，报告档案与之一致；链头散列 {check.head_hash}")
    else:
        print(f"审计链检查未通过：{check.problem}")
    return 0 if check.ok else 1


def cmd_audit_checkpoint(args, desk, session) -> int:
    out = check_writable(Path(args.out), ".json", force=args.force)
    data = desk.audit_checkpoint(session)
    write_file(out, json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))
    print(f"检查点已写入 {out}：{data['count']} 条事件，链头散列 {data['head_hash']}（请另处保存）")
    return 0


HANDLERS = {
    "keys init": cmd_keys_init, "keys list": cmd_keys_list, "keys export-public": cmd_keys_export,
    "keys retire": cmd_keys_retire, "audit verify": cmd_audit_verify,
    "audit checkpoint": cmd_audit_checkpoint,
}
