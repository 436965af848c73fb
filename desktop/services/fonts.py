"""The CJK fonts from resources/ registered with Qt at start-up: every machine shows the same glyphs."""
from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

from core.services.reports.render.font_files import FALLBACKS, HEI, font_files

UI_POINT_SIZE = 11


def install_fonts(app) -> str:
    """Register the shipped fonts and make the sans one the application font; returns its family.

    The HanaMin (花園明朝) and BabelStone Han fonts follow it as fallbacks, glyph by glyph, so rare
    characters in names and addresses (䶮, 𠀾, 𰻝 …) show on screen as they print instead of as empty boxes."""
    loaded: dict[str, str] = {}
    for name, path in sorted(font_files().items()):
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if families:
            loaded[name] = families[0]
    family = loaded.get(HEI, "")
    if family:
        font = QFont(family, UI_POINT_SIZE)
        font.setFamilies([family, *(loaded[name] for name in FALLBACKS if name in loaded)])
        font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
        app.setFont(font)
    return family


def install_translations(app) -> None:
    """Qt's own dialogs (file, print, message boxes) in Simplified Chinese."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    app._translators = []  # keep them alive as long as the app
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            app._translators.append(translator)
