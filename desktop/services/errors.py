"""Any exception as one plain Chinese sentence for a dialog or a status line — never a traceback.

The translation itself is core's one table (`core.errors.explain`); an unexpected error is logged
with a reference in the data directory and the person sees the sentence with that reference.
"""
from __future__ import annotations

from core.errors import explain


def message_for(exc: BaseException) -> str:
    return explain(exc).message
