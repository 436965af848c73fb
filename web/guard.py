"""What wraps every request: the rate limit, the security headers and the access log line.

A plain ASGI middleware (no per-request task or body buffering). The access log is one JSON
line per request — time, method, path, status, duration, client — and never a payload: the
query string is left out and every run of digits in the path (the signed code) is replaced by a
short hash, enough to tell two requests for the same code apart and nothing more.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from datetime import datetime, timezone

from web import strings as text
from web.limits import TokenBuckets
from web.pages import CSS_HASH, message_page

ACCESS_LOG = logging.getLogger("creditdesk.web.access")
_DIGITS = re.compile(r"\d{6,}")
UNLIMITED = ("/healthz",)  # the proxy's and the supervisor's probe

HTML_POLICY = (f"default-src 'none'; style-src '{CSS_HASH}'; img-src 'none'; base-uri 'none'; "
               "form-action 'none'; frame-ancestors 'none'")
# The archived PDF is shown by the browser's own viewer, which a `default-src 'none'` may
# block; it may still never be framed by another site.
OTHER_POLICY = "frame-ancestors 'none'"
HSTS = "max-age=31536000"


def redact(path: str) -> str:
    """The path as logged: each run of 6+ digits becomes #<12 hex of its SHA-256>."""
    return _DIGITS.sub(lambda m: "#" + hashlib.sha256(m[0].encode()).hexdigest()[:12], path)[:200]


def security_headers(content_type: str, https: bool) -> list[tuple[bytes, bytes]]:
    policy = HTML_POLICY if content_type.startswith("text/html") else OTHER_POLICY
    headers = [("content-security-policy", policy), ("x-content-type-options", "nosniff"),
               ("referrer-policy", "no-referrer"), ("x-frame-options", "DENY"),
               ("cache-control", "no-store"), ("x-robots-tag", "noindex, nofollow"),
               ("cross-origin-resource-policy", "same-origin"),
               ("permissions-policy", "camera=(), microphone=(), geolocation=()")]
    if https:
        headers.append(("strict-transport-security", HSTS))
    return [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]


class Guard:
    def __init__(self, app, buckets: TokenBuckets, https: bool = False):
        self.app = app
        self.buckets = buckets
        self.https = https

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        client = (scope.get("client") or ("-", 0))[0]
        status = 500

        async def guarded_send(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                names = {k.lower() for k, _ in message.get("headers", [])}
                ctype = dict(message.get("headers", [])).get(b"content-type", b"").decode("latin-1")
                extra = [h for h in security_headers(ctype, self.https) if h[0] not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            wait = 0 if scope["path"] in UNLIMITED else self.buckets.take(client)
            if wait:
                await self._too_many(wait, guarded_send)
            else:
                await self.app(scope, receive, guarded_send)
        finally:
            ACCESS_LOG.info(json.dumps({
                "time": datetime.now(timezone.utc).astimezone().isoformat(timespec="milliseconds"),
                "method": scope.get("method", ""), "path": redact(scope.get("path", "")),
                "status": status, "ms": round((time.perf_counter() - started) * 1000, 1),
                "client": client,
            }, ensure_ascii=False))

    @staticmethod
    async def _too_many(wait: int, send) -> None:
        body = message_page(text.TOO_MANY_TITLE, text.too_many_text(wait)).encode("utf-8")
        await send({"type": "http.response.start", "status": 429, "headers": [
            (b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode()),
            (b"retry-after", str(wait).encode())]})
        await send({"type": "http.response.body", "body": body})
