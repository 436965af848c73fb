"""Qt's own dialogs (file, print, message boxes, calendars) entirely in Simplified Chinese.

Qt's zh_CN catalogues (qtbase_zh_CN.qm, shipped with PySide6) are loaded first; they leave a few
of the file dialog's labels in English ("Look in:", "Files of type:"), which a supplement here
says in Chinese. The default locale becomes zh_CN, so Qt's calendars and dates read as Chinese.
"""
from __future__ import annotations

from PySide6.QtCore import QLocale, QTranslator

# (context, source text) → translation, for what Qt's own zh_CN catalogue leaves in English.
SUPPLEMENT: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Look in:"): "查找范围：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QFileDialog", "Files of type:"): "文件类型：",
}


class SupplementTranslator(QTranslator):
    """Answers only what it knows; anything else falls through to Qt's catalogues."""

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: D102 - Qt API
        return SUPPLEMENT.get((context, source_text))  # None: a null string, Qt asks the next one

    def isEmpty(self) -> bool:  # noqa: N802 - Qt API
        return False


def install_qt_chinese(app) -> list[QTranslator]:
    """Load Qt's zh_CN catalogues and the supplement into `app`; returns the translators installed
    (kept on the app so they live as long as it does)."""
    from desktop.services.fonts import install_translations

    install_translations(app)  # qtbase_zh_CN, qt_zh_CN and the zh_CN default locale
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    supplement = SupplementTranslator(app)
    app.installTranslator(supplement)  # the last installed is asked first
    installed = [*getattr(app, "_translators", []), supplement]
    app._translators = installed
    return installed


def uninstall_qt_chinese(app, translators: list[QTranslator]) -> None:
    """For tests: take the translators out again."""
    for translator in translators:
        app.removeTranslator(translator)
