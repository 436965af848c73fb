"""The HTML of the web service: phone first, no JavaScript, one small inline style sheet.

Every value from the database or the request goes through `html.escape`; the style sheet is
allowed by its SHA-256 in the Content-Security-Policy (web/headers.py), so no other style or
script runs even if markup were injected.
"""
from __future__ import annotations

import base64
import hashlib
from html import escape

from core.usecases.public import PublicCheck
from core.states import VerdictStatus as V
from web import strings as text

CSS = """
*{box-sizing:border-box}
body{margin:0;font-family:-apple-system,"PingFang SC","Noto Sans CJK SC","Source Han Sans SC",
"Microsoft YaHei",sans-serif;color:#1d1d1d;background:#f3f5f7;font-size:17px;line-height:1.55}
main{max-width:40rem;margin:0 auto;padding:12px}
header{font-size:15px;color:#5a6570;padding:4px 2px 10px}
.banner{border-radius:10px;padding:18px 18px 16px;color:#fff}
.banner .top{display:flex;align-items:center;gap:12px;margin-bottom:8px}
.banner .sym{font-size:40px;line-height:1;font-weight:700;flex:none}
.banner h1{font-size:clamp(26px,8.5vw,40px);line-height:1.2;margin:0}
.banner p{margin:0;font-size:17px}
.green{background:#17753a}.red{background:#c0231d}.amber{background:#f4b400;color:#1d1d1d}
.grey{background:#5f6b73}
.note{background:#fff4d6;color:#6b4a00;border:2px solid #f4b400;border-radius:8px;padding:10px 12px;
margin:12px 0;font-weight:700}
.hint{color:#5a6570;margin:14px 2px 6px}
dl{margin:0;background:#fff;border-radius:10px;padding:4px 14px}
dt{color:#5a6570;font-size:14px;margin-top:10px}
dd{margin:0 0 8px;font-size:20px;font-weight:700;word-break:break-all}
dd.red{background:none;color:#c0231d}
dd.list{font-size:16px;font-weight:400;word-break:normal}
.actions{margin:16px 0}
.button{display:block;text-align:center;background:#2a5d9f;color:#fff;text-decoration:none;
border-radius:8px;padding:14px;font-size:19px;margin:10px 0}
.button.plain{background:#fff;color:#2a5d9f;border:2px solid #2a5d9f}
footer{color:#5a6570;font-size:13px;margin:18px 2px}
""".strip()
CSS_HASH = "sha256-" + base64.b64encode(hashlib.sha256(CSS.encode("utf-8")).digest()).decode("ascii")

_COLOURS = {"valid": "green", "new_violations": "amber", "malformed": "amber", "forged": "red",
            "revoked": "red", "expired": "red"}


def page(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<meta name=\"robots\" content=\"noindex, nofollow\">"
            f"<title>{escape(title)} - {text.SITE_TITLE}</title><style>{CSS}</style></head>"
            f"<body><main><header>{text.SITE_TITLE}</header>{body}"
            f"<footer>{text.ISSUER_LINE}</footer></main></body></html>\n")


def _banner(state: str, headline: str, reason: str, colour: str | None = None) -> str:
    symbol = text.SYMBOLS.get(state, "⚠")
    return (f"<section class=\"banner {colour or _COLOURS.get(state, 'grey')}\" id=\"verdict\" "
            f"data-state=\"{escape(state)}\"><div class=\"top\"><div class=\"sym\" aria-hidden=\"true\">"
            f"{symbol}</div><h1>{escape(headline)}</h1></div><p>{escape(reason)}</p></section>")


def message_page(title: str, message: str) -> str:
    """404, 429, 503 and the like: a grey banner with one sentence."""
    return page(title, _banner("message", title, message, "grey"))


def display_state(check: PublicCheck) -> str:
    v = check.verdict
    if v.status == V.VALID and v.new_violations:
        return "new_violations"
    return str(v.status)


def verdict_page(check: PublicCheck, pdf_href: str) -> str:
    v = check.verdict
    state = display_state(check)
    reason = text.NEW_VIOLATIONS_REASON if state == "new_violations" else v.reason
    parts = [_banner(state, text.HEADLINES[state], reason)]
    notes = []
    if v.new_violations:
        notes.append(text.new_violations_note(v.new_violations))
    notes.extend(c.flag for c in v.corrections)
    notes.extend({"malformed": [text.MALFORMED_HINT], "forged": [text.FORGED_HINT],
                  "revoked": [text.REVOKED_HINT], "expired": [text.EXPIRED_HINT]}.get(state, []))
    parts.extend(f"<p class=\"note\">{escape(n)}</p>" for n in notes)
    if v.claims is not None and v.status not in (V.FORGED, V.MALFORMED):
        parts.append(_facts(check))
    if check.pdf_available:
        parts.append(
            f"<div class=\"actions\"><a class=\"button\" id=\"view-pdf\" href=\"{escape(pdf_href)}\">"
            f"{text.VIEW_PDF}</a><a class=\"button plain\" id=\"download-pdf\" "
            f"href=\"{escape(pdf_href)}?download=1\">{text.DOWNLOAD_PDF}</a>"
            f"<p class=\"hint\">{text.PDF_NOTE}</p></div>")
    parts.append(f"<p class=\"hint\">{escape(text.CHECKED_AT.format(at=f'{v.checked_at:%Y-%m-%d %H:%M:%S}'))}</p>")
    return page(text.HEADLINES[state], "".join(parts))


def _facts(check: PublicCheck) -> str:
    v, c, a = check.verdict, check.verdict.claims, check.verdict.archived
    rows = []
    if a is not None:
        rows.append((text.ENTERPRISE, a.enterprise_name, ""))
    rows += [(text.USCC, c.uscc, ""), (text.REPORT_NO, c.report_no, ""),
             (text.ISSUED_ON, text.day(c.issued_on), ""),
             (text.VALID_UNTIL, text.day(c.valid_until), "red" if v.status == V.EXPIRED else ""),
             (text.PERIOD, text.period_text(c.period_from, c.period_to), ""),
             (text.VIOLATIONS, text.violations_text(c.violations), ""),
             (text.ARREARS, text.yes_no(c.has_arrears), "")]
    if check.domain_names:
        rows.append((text.DOMAINS, "、".join(check.domain_names), "list"))
    if v.status == V.REVOKED and a is not None:
        rows += [(text.REVOKED_AT, text.day(a.revoked_at), "red"),
                 (text.REVOKE_REASON, a.revoke_reason or "—", "red")]
    items = "".join(f"<dt>{escape(caption)}</dt><dd class=\"{cls}\">{escape(str(value))}</dd>"
                    for caption, value, cls in rows)
    return f"<p class=\"hint\">{text.COMPARE_HINT}</p><dl id=\"facts\">{items}</dl>"
