"""The CJK fonts from resources/ registered with Qt at start-up: every machine shows the same glyphs."""
from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

from core.services.render.font_files import HEI, font_files

UI_POINT_SIZE = 11


def install_fonts(app) -> str:
    """Register the shipped fonts and make the sans one the application font; returns its family."""
    family = ""
    for name, path in sorted(font_files().items()):
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if name == HEI and families:
            family = families[0]
    if family:
        font = QFont(family, UI_POINT_SIZE)
        font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
        app.setFont(font)
    return family
