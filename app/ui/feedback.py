"""Feedback on every scan, at once: a sound and a flash of the scan bar.

The technician's eyes are on the device and the label, not on the screen, so
a scan answers with a sound — one short high beep when it was taken, two low
ones when it was refused — and the scan bar flashes green or red for a moment
and then keeps showing the last code and what it was taken for. Colour is not
the only cue: a ✔ or ✖ and the words say the same for those who do not see
red and green apart, and screen readers get the same through accessible names.

The sounds are `resources/sounds/good.wav` (1200 Hz, 120 ms) and `bad.wav`
(400 Hz, 2 × 150 ms), 16-bit mono PCM made with Python's `wave` module. They
play through QtMultimedia when it is installed (the full PySide6, not
PySide6-Essentials) and the desk has an audio output; otherwise the system
beep stands in: once for good, twice for bad.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QToolButton, QWidget

from ..i18n import N_, _
from ..paths import RESOURCES
from ..services.codes import ScanKind, classify
from .widgets import ElidedLabel

SOUNDS = RESOURCES / "sounds"
FLASH_MS = 600
SECOND_BEEP_MS = 180  # apart enough to be heard as two

NEUTRAL, GOOD, BAD = "neutral", "good", "bad"
COLOURS = {  # background of the bar; tests read them from here
    NEUTRAL: "#f6f8fa",
    GOOD: "#1a7f37",
    BAD: "#a4161a",
}

# What a scan was taken for, when the page has nothing more precise to say.
KIND_MEANINGS = {
    ScanKind.TAG: N_("Asset tag"),
    ScanKind.INVALID_TAG: N_("Asset tag with a wrong check digit"),
    ScanKind.LOCATION: N_("Location"),
    ScanKind.COMMAND: N_("Command"),
    ScanKind.UNKNOWN_COMMAND: N_("Unknown command"),
    ScanKind.CERTIFICATE: N_("Certificate"),
    ScanKind.SERIAL: N_("Serial number"),
    ScanKind.UNREADABLE: N_("Unreadable"),
}
_GOOD_KINDS = {ScanKind.TAG, ScanKind.LOCATION, ScanKind.COMMAND, ScanKind.CERTIFICATE,
               ScanKind.SERIAL}

_STYLE = f"""
#scanBar {{
    /* Waiting for a scan: a plain band with a grey edge, not a box that looks like a field
       one could type in. It flashes green or red for a scan. */
    background: {COLOURS[NEUTRAL]};
    border: none;
    border-left: 6px solid #d0d7de;
    border-radius: 0;
}}
#scanBar[state="good"] {{ background: {COLOURS[GOOD]}; border-left-color: #116329; }}
#scanBar[state="bad"] {{ background: {COLOURS[BAD]}; border-left-color: #7d0f12; }}
QLabel {{ color: #1b1f23; background: transparent; }}
QLabel#scanBarCode {{ font-family: monospace; font-size: 16pt; font-weight: 600; }}
QLabel#scanBarMark {{ font-size: 16pt; font-weight: 700; }}
QLabel#scanBarMeaning {{ font-size: 13pt; color: #57606a; }}
#scanBar[state="neutral"] QLabel#scanBarMeaning {{ font-style: italic; }}
QLabel#scanBarMark[verdict="good"] {{ color: {COLOURS[GOOD]}; }}
QLabel#scanBarMark[verdict="bad"] {{ color: {COLOURS[BAD]}; }}
#scanBar[state="good"] QLabel, #scanBar[state="bad"] QLabel {{ color: white; }}
"""


def _load_sound_effects(folder: Path, parent: QObject) -> dict[str, object] | None:
    """The two sounds as QSoundEffects, or None when QtMultimedia or a sound card is missing."""
    try:
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
    except ImportError:
        return None
    if not QMediaDevices.audioOutputs():
        return None  # a desk without speakers, a remote session, a test run: the beep stands in
    effects = {}
    for name in (GOOD, BAD):
        effect = QSoundEffect(parent)
        effect.setSource(QUrl.fromLocalFile(str(folder / f"{name}.wav")))
        effects[name] = effect
    return effects


class ScanFeedback(QObject):
    """The good and bad sounds of the scan desk; `muted` silences both."""

    def __init__(self, parent: QObject | None = None, *, muted: bool = False, sounds: Path = SOUNDS,
                 beep: Callable[[], None] = QApplication.beep, use_multimedia: bool = True) -> None:
        super().__init__(parent)
        self._muted = muted
        self._beep = beep
        self._effects = _load_sound_effects(sounds, self) if use_multimedia else None
        self.backend = "qtmultimedia" if self._effects else "beep"

    @property
    def muted(self) -> bool:
        return self._muted

    @muted.setter
    def muted(self, value: bool) -> None:
        self._muted = bool(value)

    def good(self) -> None:
        self._play(GOOD)

    def bad(self) -> None:
        self._play(BAD)

    def _play(self, name: str) -> None:
        if self._muted:
            return
        effect = self._effects.get(name) if self._effects else None
        if effect is not None and effect.status() != effect.Status.Error:
            effect.play()
            return
        self._beep()
        if name == BAD:
            QTimer.singleShot(SECOND_BEEP_MS, self, self._second_beep)

    def _second_beep(self) -> None:
        if not self._muted:
            self._beep()


# The end of a file name the app writes (a label, a receipt, a report, a backup).
_FILE_END = re.compile(r"\.(?:pdf|zpl|csv|xlsx|json|sqlite|backup)\b")
_PATH_START = re.compile(r"(?:(?<=\s)|^)(?:[A-Za-z]:[\\/]|/)")


def shorten_paths(message: str) -> tuple[str, Path | None]:
    """The message with a saved file named by its name alone, and the folder it is in.

    A file counts when it exists: the longest existing path that ends the match, so a folder
    with spaces (C:\\Users\\Jan Peeters) is one path and "Dell / HP" in a message is none."""
    for end in _FILE_END.finditer(message):
        for start in _PATH_START.finditer(message, 0, end.start()):
            text = message[start.start():end.end()]
            path = Path(text)
            if path.is_file():
                return message[:start.start()] + path.name + message[end.end():], path.parent
    return message, None


class ScanBar(QWidget):
    """One line: the last code, what it was taken for; flashes green or red for a moment."""

    def __init__(self, feedback: ScanFeedback | None = None, parent: QWidget | None = None, *,
                 flash_ms: int = FLASH_MS) -> None:
        super().__init__(parent)
        self.feedback = feedback
        self._state = NEUTRAL
        self.setObjectName("scanBar")
        # A plain QWidget subclass paints no style-sheet background without this.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAccessibleName(_("Last scan"))
        self.setProperty("state", NEUTRAL)
        self.setStyleSheet(_STYLE)

        self._mark = QLabel()
        self._mark.setObjectName("scanBarMark")
        self._code = QLabel()
        self._code.setObjectName("scanBarCode")
        self._code.setAccessibleName(_("Code"))
        self._meaning = ElidedLabel(_("Scan a barcode"))  # a long message never widens the window
        self._meaning.setObjectName("scanBarMeaning")
        self._meaning.setAccessibleName(_("Taken for"))
        # A saved file is named short (its name, not its folders); the folder opens with a click.
        self.folder: Path | None = None
        self._open_folder = QToolButton()
        self._open_folder.setObjectName("scanBarOpenFolder")
        self._open_folder.setText(_("Open folder"))
        self._open_folder.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the keys
        self._open_folder.clicked.connect(self.open_folder)
        self._open_folder.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(12)
        layout.addWidget(self._mark)
        layout.addWidget(self._code)
        layout.addWidget(self._meaning, 1)
        layout.addWidget(self._open_folder)
        self._mark.hide()  # until the first scan
        self._code.hide()

        self._flash = QTimer(self)
        self._flash.setSingleShot(True)
        self._flash.setInterval(flash_ms)
        self._flash.timeout.connect(lambda: self._set_state(NEUTRAL))

    @property
    def state(self) -> str:
        """`"good"` or `"bad"` while flashing, `"neutral"` otherwise."""
        return self._state

    def code(self) -> str:
        return self._code.text()

    def meaning(self) -> str:
        return self._meaning.text()

    def show_good(self, code: str, meaning: str) -> None:
        self._show(code, meaning, GOOD)
        if self.feedback:
            self.feedback.good()

    def show_bad(self, code: str, meaning: str) -> None:
        self._show(code, meaning, BAD)
        if self.feedback:
            self.feedback.bad()

    def show_scan(self, raw: str) -> None:
        """Show a scan by its grammar alone: for pages that have nothing more precise to say."""
        scan = classify(raw)
        meaning = _(KIND_MEANINGS[scan.kind])
        if scan.kind in _GOOD_KINDS:
            self.show_good(scan.value, meaning)
        else:
            self.show_bad(scan.value or raw, meaning)

    def _show(self, code: str, meaning: str, state: str) -> None:
        self._mark.setText("✔" if state == GOOD else "✖")
        self._mark.setProperty("verdict", state)  # the mark keeps its colour after the flash
        self._mark.show()
        self._code.show()
        self._mark.setAccessibleName(_("Accepted") if state == GOOD else _("Refused"))
        self._code.setText(code)
        meaning, self.folder = shorten_paths(meaning)
        self._open_folder.setVisible(self.folder is not None)
        self._open_folder.setToolTip(str(self.folder or ""))
        self._meaning.setText(meaning)
        self.setAccessibleDescription(f"{self._mark.accessibleName()}: {code}, {meaning}")
        self._set_state(state)
        self._flash.start()  # a new scan restarts the flash

    def open_folder(self) -> None:
        if self.folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))

    def _set_state(self, state: str) -> None:
        self._state = state
        self.setProperty("state", state)
        # A dynamic property restyles only after a re-polish, the labels too.
        for widget in (self, self._mark, self._code, self._meaning):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        self.update()
