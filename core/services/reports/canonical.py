"""The canonical JSON of a report's content: what is archived, hashed and signed (by digest)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal

from core.domain import ReportContent


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def content_document(content: ReportContent) -> dict:
    """Everything the report says, as plain JSON values."""
    doc = _plain(asdict(content))
    # The 565号 record kinds appear only when there is something to say: a report without them
    # keeps the document (and digest) it had before they existed.
    for key in ("enforcements", "listings", "criminal", "unsourced"):
        if not doc.get(key):
            doc.pop(key, None)
    # Likewise a violation without an objection to show: reports issued before objections were
    # printed keep their canonical JSON, and so does every record nobody objected to.
    for v in doc["violations"]:
        if v.get("objection") is None:
            v.pop("objection", None)
    for d, conclusion in zip(doc["domains"], content.domains):
        d["conclusion"] = conclusion.conclusion
    return doc


def canonical_json(content: ReportContent) -> bytes:
    """Sorted keys, no spaces, UTF-8: the same content always gives the same bytes."""
    return json.dumps(
        content_document(content), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
