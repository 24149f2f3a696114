"""The barcode scanner: one application-wide event filter that tells scans from typing.

A USB scanner is a keyboard wedge: it "types" a code and ends it with Enter
(or Tab), much faster than a person. `ScannerFilter` sits on the
QApplication, so it sees every key press wherever the focus is, and emits
`scanned(code)` for each burst that is fast (every gap between keys at most
`max_gap_ms`), long enough (`min_length`) and ends with a terminator.

Typing versus scanning — hold, then decide. A printable key is not delivered
at once: it is held back while it may still be the start of a scan. The
burst is decided by what comes next:

* a terminator within the gap, with enough characters: a scan. The held keys
  and the terminator are swallowed, so nothing of the code ever lands in the
  focused field and Enter does not press its dialog's default button.
* a key after a longer pause, a non-printable key (Backspace, arrows, Escape),
  a terminator after too few characters, or simply silence (a timer of
  2 × `max_gap_ms`): typing. The held keys are replayed, in order, to the
  object that was to receive them, before the key that decided it. A key's
  release that comes while keys are held is held with them, so it never
  arrives before its press (a Space on a tick box would otherwise do nothing).

Holding was chosen over letting the keys through and deleting them again:
removing text afterwards works only for widgets we know (a QLineEdit, not a
table's keyboard search, a spin box or a completer) and cannot undo what the
text already set off (textChanged handlers, filters, validators). The price
is that a typed character appears up to ~80 ms late, below what a typist
notices. A person would have to type four characters and Enter with less
than 40 ms between every key (300 words a minute) to be taken for a scanner.

Timing comes from the key event's timestamp (the window system's, in ms), so
keys that queued up while the GUI was busy still carry their real spacing;
only events without one (timestamp 0) use the injectable `clock`. If the
silence timer fires late — the GUI was blocked, keys may still be queued
behind it — it looks once more before calling the burst typing.

Where events are seen. A real key press reaches the filter first with the
window (QWindow) as receiver, then again for the focus widget and its
parents; only the window sighting counts (widget sightings of the same
spontaneous event are skipped). Events sent straight to a widget with
`QApplication.sendEvent` (not spontaneous) count too, which is how tests
simulate a scanner. QTest's key clicks on a widget are spontaneous without
passing a window, so form tests that type with `qtbot.keyClicks` are left
alone.

Delivery. Codes go into a queue and are emitted from the event loop, one at a
time and in order: a slot that is slow, or that runs the event loop itself
while more scans arrive, still gets every scan exactly once, never nested.

A US-configured scanner on a Belgian AZERTY keyboard is recognised
(`services.scanmap`): its codes are emitted as meant, and `layout_mismatch`
is emitted once per run, before the first such code, so the window can tell
the technician how to set the scanner right.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import Q_ARG, QEvent, QMetaObject, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QWindow
from PySide6.QtWidgets import QApplication, QWidget

from ..config import Settings
from ..services import scanmap

TERMINATOR_KEYS: dict[str, frozenset[int]] = {
    "enter": frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter}),
    "tab": frozenset({Qt.Key.Key_Tab}),
}

# Pressed on their own between the characters of a scan (Shift for capitals,
# Alt for ALT-code mode): they neither end nor break a burst.
_MODIFIER_KEYS = frozenset({
    Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_AltGr, Qt.Key.Key_Meta,
    Qt.Key.Key_CapsLock, Qt.Key.Key_NumLock, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R,
    Qt.Key.Key_Hyper_L, Qt.Key.Key_Hyper_R, Qt.Key.Key_Mode_switch,
})

_CHAR, _TERMINATOR, _MODIFIER, _OTHER = "char", "terminator", "modifier", "other"


@dataclass(frozen=True)
class ScannerSettings:
    """How this desk's scanner types; `Settings.extra["scanner"]` overrides the defaults."""

    max_gap_ms: int = 40  # scanners type a key every 1–20 ms; people rarely under 80 ms
    min_length: int = 4  # our shortest code (a serial) is longer than any rolled keys
    terminators: tuple[str, ...] = ("enter", "tab")

    @property
    def silence_ms(self) -> int:
        """After this long without a key, held keys are typing."""
        return 2 * self.max_gap_ms

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> ScannerSettings:
        """Read the desk's overrides; a missing or malformed value keeps its default."""
        raw = (settings or Settings.load()).extra.get("scanner") or {}
        if not isinstance(raw, dict):
            return cls()
        values: dict[str, object] = {}
        for name in ("max_gap_ms", "min_length"):
            value = raw.get(name)
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                values[name] = value
        terminators = raw.get("terminators")
        if (isinstance(terminators, list | tuple) and terminators
                and all(t in TERMINATOR_KEYS for t in terminators)):
            values["terminators"] = tuple(terminators)
        return cls(**values)


def _monotonic_ms() -> float:
    return time.monotonic() * 1000.0


@dataclass
class _HeldKey:
    receiver: QObject
    event: QKeyEvent  # a copy: Qt deletes the original once it is delivered
    text: str


class ScannerFilter(QObject):
    """Install on the QApplication; emits `scanned(code)` for each scan, wherever the focus is."""

    scanned = Signal(str)
    layout_mismatch = Signal()

    def __init__(self, settings: ScannerSettings | None = None, *,
                 clock: Callable[[], float] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or ScannerSettings()
        self._clock = clock or _monotonic_ms
        self._terminator_keys = frozenset().union(
            *(TERMINATOR_KEYS[t] for t in self.settings.terminators))
        self._held: list[_HeldKey] = []
        self._last_key_at = 0.0
        self._replaying = False
        self._queue: deque[tuple[str, bool]] = deque()
        self._delivering = False
        self._mismatch_told = False

        self._silence = QTimer(self)
        self._silence.setSingleShot(True)
        self._silence.timeout.connect(self._on_silence)
        self._silence_due = 0.0
        self._last_key_real = 0.0
        self._looked_again = False

        self._deliver = QTimer(self)
        self._deliver.setSingleShot(True)
        self._deliver.setInterval(0)
        self._deliver.timeout.connect(self._drain)

    # -- installing ---------------------------------------------------------

    def install(self, app: QApplication | None = None) -> ScannerFilter:
        (app or QApplication.instance()).installEventFilter(self)
        return self

    def uninstall(self, app: QApplication | None = None) -> None:
        self.release_held()
        (app or QApplication.instance()).removeEventFilter(self)

    # -- seeing keys --------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) or self._replaying:
            return False
        if isinstance(obj, QWidget):
            if event.spontaneous():
                return False  # seen already with the window as receiver (or QTest typing)
        elif not isinstance(obj, QWindow):
            return False
        if kind == QEvent.Type.KeyRelease:
            return self._key_release(obj, event)
        return self._key_press(obj, event)

    def _key_release(self, receiver: QObject, event: QKeyEvent) -> bool:
        # While a press is held back, so are the releases after it: a quick Space on a tick box
        # or a button was otherwise released before it was pressed, and nothing happened.
        if not self._held:
            return False
        self._held.append(_HeldKey(receiver, QKeyEvent(event), ""))
        return True

    def _key_press(self, receiver: QObject, event: QKeyEvent) -> bool:
        kind = self._kind(event)
        if kind == _MODIFIER:
            return False
        at = event.timestamp() or self._clock()
        if kind == _CHAR:
            if self._held and not self._within_gap(at):
                self.release_held()  # the pause says: that was typing
            self._held.append(_HeldKey(receiver, QKeyEvent(event), event.text()))
            self._last_key_at = at
            self._arm_silence()
            return True
        if kind == _TERMINATOR and self._is_scan(at):
            code = "".join(key.text for key in self._held)
            self._held.clear()  # the silence timer finds nothing held and stops
            self._enqueue(code)
            return True
        self.release_held()
        return False

    def _kind(self, event: QKeyEvent) -> str:
        key = event.key()
        if key in _MODIFIER_KEYS:
            return _MODIFIER
        if event.isAutoRepeat():
            return _OTHER  # a held-down key is a person
        mods = event.modifiers()
        if key in self._terminator_keys and not mods & (Qt.KeyboardModifier.ControlModifier
                                                        | Qt.KeyboardModifier.AltModifier):
            return _TERMINATOR
        text = event.text()
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        if text and text.isprintable():
            # Ctrl+key is a shortcut; Ctrl+Alt is AltGr on Windows and still types.
            if (mods & Qt.KeyboardModifier.MetaModifier
                    or (mods & Qt.KeyboardModifier.ControlModifier and not alt)):
                return _OTHER
            return _CHAR
        if not text and alt:
            return _MODIFIER  # keypad digits of an ALT code: the character follows
        return _OTHER

    def _within_gap(self, at: float) -> bool:
        gap = at - self._last_key_at
        return 0 <= gap <= self.settings.max_gap_ms  # negative: clocks wrapped or mixed

    def _is_scan(self, at: float) -> bool:
        length = sum(len(key.text) for key in self._held)
        return length >= self.settings.min_length and self._within_gap(at)

    # -- typing: giving held keys back --------------------------------------

    def _arm_silence(self) -> None:
        # Started once per burst, not per key: `_on_silence` measures the
        # quiet itself and waits longer while keys keep coming.
        self._last_key_real = _monotonic_ms()
        self._looked_again = False
        if not self._silence.isActive():
            self._start_silence(self.settings.silence_ms)

    def _start_silence(self, ms: float) -> None:
        self._silence_due = _monotonic_ms() + ms
        self._silence.start(max(1, round(ms)))

    def _on_silence(self) -> None:
        if not self._held:
            return
        now = _monotonic_ms()
        quiet_for = now - self._last_key_real
        if quiet_for < self.settings.silence_ms:
            self._start_silence(self.settings.silence_ms - quiet_for)
            return
        if now - self._silence_due > self.settings.max_gap_ms and not self._looked_again:
            # The timer is late, so the GUI was busy: the rest of a scan may
            # be waiting in the queue behind it. Let it be handled first.
            self._looked_again = True
            self._start_silence(self.settings.silence_ms)
            return
        self.release_held()

    def release_held(self) -> None:
        """Deliver the held keys as typing, in order, to where they were going."""
        held, self._held = self._held, []
        self._replaying = True
        try:
            for key in held:
                if shiboken6.isValid(key.receiver):
                    QApplication.sendEvent(key.receiver, key.event)
        finally:
            self._replaying = False

    # -- scans: queue and deliver -------------------------------------------

    def _enqueue(self, code: str) -> None:
        self._queue.append(scanmap.recover(code))
        if not self._deliver.isActive():
            self._deliver.start()

    def _drain(self) -> None:
        if self._delivering:
            return  # a slot ran the event loop; the outer loop below delivers the rest in order
        self._delivering = True
        try:
            while self._queue:
                code, mapped = self._queue.popleft()
                if mapped and not self._mismatch_told:
                    self._mismatch_told = True
                    _emit(self, "layout_mismatch")
                _emit(self, "scanned", code)
        finally:
            self._delivering = False


def _emit(sender: QObject, signal: str, *args: str) -> None:
    """Emit through Qt's meta-object system rather than `SignalInstance.emit`.

    PySide6 6.12.0's `emit()` returns Python's `True` without taking a
    reference to it: every call lowers True's reference count by one, and
    after about a thousand emissions the interpreter aborts ("bool_dealloc:
    deallocating True or False"). A scan desk emits a signal per scan all day,
    so the scanner must not use it. `invokeMethod` on the signal is the same
    emission (every connection type behaves as with emit) without the leak.
    """
    QMetaObject.invokeMethod(sender, signal, Qt.ConnectionType.DirectConnection,
                             *(Q_ARG(str, arg) for arg in args))


def install_scanner(app: QApplication, settings: Settings | None = None) -> ScannerFilter:
    """Create the app's one scanner filter, configured from this desk's settings."""
    return ScannerFilter(ScannerSettings.from_settings(settings), parent=app).install(app)
