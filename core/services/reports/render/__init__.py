"""Rendering an issued report: the A4 PDF, its fonts and its QR code.

The names load when first used: importing `render.font_files` (the Qt app's font list) must not
pull reportlab and its font parsing in with it."""
from __future__ import annotations

import importlib

_WHERE = {
    "font_paths": "core.services.reports.render.fonts",
    "render_pdf": "core.services.reports.render.pdf",
    "qr_matrix": "core.services.reports.render.qr",
}

__all__ = ["font_paths", "qr_matrix", "render_pdf"]


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
