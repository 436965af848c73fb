"""creditdesk-admin profile: list the policy profiles, choose the deployment's, record an extension.

`profile list` is open to every signed-in person; `profile use` is an administrator's act.
"""
from __future__ import annotations

from core.commands import _json


def _line(p) -> str:
    mark = "*" if p.in_use else " "
    period = p.period_text
    if p.extended_by:
        period += f"（经{p.extended_by}延长至 {p.extended_until}）"
    state = "有效" if p.in_force else "不在有效期内"
    used = ("（使用中" + ("" if p.recorded else "，默认配置，尚未选定") + "）") if p.in_use else ""
    return f"{mark} {p.id}  {p.name}  {p.document}  {period}  今日{state}{used}"


def cmd_profile_list(args, desk, session) -> int:
    profiles = desk.profiles(session)
    if args.json:
        _json([p.to_json() for p in profiles])
        return 0
    for p in profiles:
        print(_line(p))
    return 0


def cmd_profile_use(args, desk, session) -> int:
    p = desk.use_profile(session, args.profile_id, args.extended_by, args.until)
    if p.extended_by:
        print(f"本部署改用政策配置 {p.id}（{p.document}），已登记延长：{p.extended_by}，"
              f"有效期至 {p.extended_until}")
    else:
        print(f"本部署改用政策配置 {p.id}（{p.document}），有效期 {p.period_text}（按公布的有效期）")
    if p.reason:
        print(f"注意：{p.reason}")
    return 0


HANDLERS = {"profile list": cmd_profile_list, "profile use": cmd_profile_use}
