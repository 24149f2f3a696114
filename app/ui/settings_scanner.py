"""Settings → Scanner and sound: how this desk tells a scanner from a person, and the scan sounds.

The scanner filter (app/ui/scanner.py) takes a burst of keys faster than a
person types, at least a few characters long, ended by Enter or Tab, as a scan.
A scanner that types slower than the default, or ends its codes with Tab only,
is set up here; so is muting the good / bad sounds. Both are read when the
window opens, so they apply from the next start of the app.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..config import Settings
from ..i18n import _
from .scanner import TERMINATOR_KEYS, ScannerSettings
from .settings_form import SettingsForm
from .widgets import name_widget

TERMINATOR_NAMES = {"enter": "Enter", "tab": "Tab"}  # key names, the same in every language


class ScannerSection(SettingsForm):
    """Scanner timing, shortest code, end keys; the sound switch (administrators)."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__("scannerSection", parent)
        self.settings = settings
        current = ScannerSettings.from_settings(settings)
        self.gap_spin = QSpinBox()
        name_widget(self.gap_spin, "scannerGapSpin", _("Longest pause between a scanner's keys"))
        self.gap_spin.setRange(5, 200)
        self.gap_spin.setSuffix(" ms")
        self.gap_spin.setValue(current.max_gap_ms)
        self.length_spin = QSpinBox()
        name_widget(self.length_spin, "scannerLengthSpin", _("Shortest code"))
        self.length_spin.setRange(1, 40)
        self.length_spin.setSuffix(" " + _("characters"))
        self.length_spin.setValue(current.min_length)
        self.terminator_boxes: dict[str, QCheckBox] = {}
        ends = QHBoxLayout()
        for key in TERMINATOR_KEYS:
            box = QCheckBox(TERMINATOR_NAMES[key])
            name_widget(box, f"scannerEnds_{key}",
                        _("A scan ends with {key}", key=TERMINATOR_NAMES[key]))
            box.setChecked(key in current.terminators)
            self.terminator_boxes[key] = box
            ends.addWidget(box)
        ends.addStretch(1)
        scanner_form = QFormLayout()
        scanner_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        scanner_form.addRow(_("Longest pause between keys"), self.gap_spin)
        scanner_form.addRow(_("Shortest code"), self.length_spin)
        scanner_form.addRow(_("A scan ends with"), ends)
        hint = QLabel(_("A scanner types a key every few milliseconds, a person rarely faster than "
                        "every 80 ms. Raise the pause only when scans arrive as typed text."))
        hint.setWordWrap(True)
        scanner_form.addRow(hint)
        scanner_box = QGroupBox(_("Scanner"))
        name_widget(scanner_box, "scannerBox", _("Scanner"))
        scanner_box.setLayout(scanner_form)

        self.mute_box = QCheckBox(_("Mute the scan sounds (good and bad)"))
        name_widget(self.mute_box, "muteSounds", self.mute_box.text())
        self.mute_box.setChecked(bool(settings.extra.get("sound_muted")))
        sound_box = QGroupBox(_("Sound"))
        name_widget(sound_box, "soundBox", _("Sound"))
        QVBoxLayout(sound_box).addWidget(self.mute_box)

        layout = QVBoxLayout(self)
        layout.addWidget(scanner_box)
        layout.addWidget(sound_box)
        layout.addLayout(self.footer())
        layout.addWidget(self.error_label)
        layout.addWidget(self.done_label)
        layout.addStretch(1)

    def save(self) -> bool:
        ends = [key for key, box in self.terminator_boxes.items() if box.isChecked()]
        if not ends:
            return self.refuse(_("Tick at least one key that ends a scan (Enter or Tab): without "
                                 "one, no scan is ever recognised. Nothing was saved."))
        self.settings.extra["scanner"] = {"max_gap_ms": self.gap_spin.value(),
                                          "min_length": self.length_spin.value(),
                                          "terminators": ends}
        self.settings.extra["sound_muted"] = self.mute_box.isChecked()
        self.settings.save()
        return self.saved(_("Saved. The scanner and sound settings apply from the next start."))
