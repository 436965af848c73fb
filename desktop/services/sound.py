"""A short, distinct tone per verdict, so a verifier hears the result while looking at the paper.

Off unless the VERDICT_SOUND setting is on. Plays the WAV files in resources/sounds through
QtMultimedia's QSoundEffect when that module loads (it needs the platform's audio libraries);
otherwise falls back to QApplication.beep(). A missing audio device never raises.
`write_tones(folder)` regenerates the WAV files with the standard library alone.
"""
from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtWidgets import QApplication

from core.states import VerdictStatus
from desktop.services.settings import VERDICT_SOUND, UiSettings

try:  # QtMultimedia needs e.g. libpulse on Linux; the program must run without it
    from PySide6.QtMultimedia import QSoundEffect
except Exception:  # noqa: BLE001 - ImportError, or a native library failing to load
    QSoundEffect = None

SOUNDS = Path(__file__).resolve().parents[2] / "resources" / "sounds"
RATE = 22050

# (frequency Hz, milliseconds) per note; 0 Hz is a rest
TONES: dict[str, tuple[tuple[int, int], ...]] = {
    "ok": ((880, 90), (0, 30), (1320, 140)),  # rising double chime: valid
    "bad": ((330, 160), (0, 60), (220, 320)),  # falling low tones: forged, revoked, expired
    "again": ((660, 80), (0, 60), (660, 80)),  # two short equal beeps: rescan / offline
}


def tone_for(status: str, offline: bool = False) -> str:
    if status == VerdictStatus.VALID:
        return "again" if offline else "ok"
    if status == VerdictStatus.MALFORMED:
        return "again"
    return "bad"


def write_tones(folder: Path = SOUNDS) -> list[Path]:
    """Write one small 16-bit mono WAV per tone into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, notes in TONES.items():
        frames = bytearray()
        for freq, ms in notes:
            count = RATE * ms // 1000
            fade = max(1, min(count // 4, RATE // 200))  # 5 ms ramps: no clicks
            for i in range(count):
                envelope = min(1.0, i / fade, (count - i) / fade)
                value = math.sin(2 * math.pi * freq * i / RATE) * envelope * 0.5 if freq else 0.0
                frames += struct.pack("<h", int(value * 32767))
        path = folder / f"{name}.wav"
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(bytes(frames))
        written.append(path)
    return written


class VerdictSound(QObject):
    def __init__(self, settings: UiSettings, parent: QObject | None = None, folder: Path = SOUNDS):
        super().__init__(parent)
        self._settings = settings
        self._folder = folder
        self._effects: dict[str, object] = {}
        self.last_played: str | None = None  # for tests and diagnostics

    @property
    def enabled(self) -> bool:
        return bool(self._settings.get(VERDICT_SOUND))

    def _effect(self, name: str):
        if QSoundEffect is None:
            return None
        if name not in self._effects:
            path = self._folder / f"{name}.wav"
            effect = None
            if path.is_file():
                try:
                    effect = QSoundEffect(self)
                    effect.setSource(QUrl.fromLocalFile(str(path)))
                    effect.setVolume(0.8)
                except Exception:  # noqa: BLE001 - no audio backend: fall back to the beep
                    effect = None
            self._effects[name] = effect
        return self._effects[name]

    def play(self, status: str, offline: bool = False) -> None:
        if not self.enabled:
            return
        name = tone_for(status, offline)
        self.last_played = name
        try:
            effect = self._effect(name)
            if effect is not None and effect.status() != QSoundEffect.Status.Error:
                effect.play()
            else:
                QApplication.beep()
        except Exception:  # noqa: BLE001 - a sound is a courtesy; the verdict is on screen
            pass


__all__ = ["VerdictSound", "tone_for", "write_tones"]
