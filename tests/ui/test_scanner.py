"""The scanner filter tells scans from typing; the scan bar and sounds answer every scan.

Key presses are simulated as the platform would deliver them: QKeyEvent
objects with explicit timestamps (ms), sent to the focused widget (or to its
window). A scanner types ~10 ms apart and ends with Enter or Tab; a person
types 150 ms apart.
"""

from __future__ import annotations

import wave

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit, QVBoxLayout, QWidget

from app.config import Settings
from app.services.codes import format_tag
from app.services.scanmap import to_azerty
from app.ui.feedback import BAD, COLOURS, GOOD, NEUTRAL, SOUNDS, ScanBar, ScanFeedback
from app.ui.scanner import ScannerFilter, ScannerSettings

from simkeys import (  # noqa: E402  (tests/ui is on the path)
    ENTER, PERSON_GAP, SCANNER_GAP, SHIFT, TAB, Keyboard, key_event, terminator_event,
)

@pytest.fixture
def scanner(qapp):
    scanner = ScannerFilter().install(qapp)
    yield scanner
    scanner.uninstall(qapp)


@pytest.fixture
def scans(scanner):
    received: list[str] = []
    scanner.scanned.connect(received.append)
    return received


@pytest.fixture
def form(qtbot):
    window = QWidget()
    layout = QVBoxLayout(window)
    first, second = QLineEdit(objectName="first"), QLineEdit(objectName="second")
    layout.addWidget(first)
    layout.addWidget(second)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    first.setFocus()
    return window, first, second


@pytest.fixture
def edit(form):
    return form[1]


def return_presses(edit: QLineEdit) -> list[str]:
    pressed: list[str] = []
    edit.returnPressed.connect(lambda: pressed.append(edit.text()))
    return pressed


# -- scans ------------------------------------------------------------------


def test_200_scans_at_scanner_speed_arrive_in_order(qtbot, edit, scans):
    codes = [format_tag(n) if n % 2 else f"5CG{n:06d}X" for n in range(1, 201)]
    keyboard = Keyboard(edit)
    for code in codes:
        keyboard.scan(code, pause_after=50)  # 20 scans a second
    qtbot.waitUntil(lambda: len(scans) >= 200)
    QApplication.processEvents()
    assert scans == codes
    assert edit.text() == ""


def test_scans_with_no_pause_between_them_stay_apart(qtbot, edit, scans):
    codes = ["CMD-DONE", format_tag(7), "LOC-A-01", "SN-12345"]
    keyboard = Keyboard(edit)
    for code in codes:
        keyboard.scan(code, pause_after=-SCANNER_GAP)  # next code's first key right after Enter
    qtbot.waitUntil(lambda: len(scans) == len(codes))
    assert scans == codes


def test_scan_in_a_focused_line_edit_leaves_no_characters_in_it(qtbot, edit, scans):
    pressed = return_presses(edit)
    keyboard = Keyboard(edit)
    keyboard.type("abc", PERSON_GAP, end=None)
    keyboard.pause(PERSON_GAP)
    keyboard.scan(format_tag(42))
    qtbot.waitUntil(lambda: scans == [format_tag(42)])
    assert edit.text() == "abc"
    assert pressed == []  # the scanner's Enter did not reach the field


def test_tab_ends_a_scan_and_does_not_move_the_focus(qtbot, form, scans):
    window, first, _second = form
    pressed_tab_reached_field: list[bool] = []
    first.textChanged.connect(lambda _: pressed_tab_reached_field.append(True))
    Keyboard(first).scan("LOC-B-07", end=TAB)
    qtbot.waitUntil(lambda: scans == ["LOC-B-07"])
    assert first.text() == "" and not pressed_tab_reached_field
    assert window.focusWidget() is first


def test_shift_presses_between_capitals_do_not_break_a_scan(qtbot, edit, scans):
    at = 1000
    for char in "SN4711":
        QApplication.sendEvent(edit, key_event(None, at, key=Qt.Key.Key_Shift, mods=SHIFT))
        QApplication.sendEvent(edit, key_event(char, at + 2, mods=SHIFT))
        at += SCANNER_GAP
    QApplication.sendEvent(edit, terminator_event(ENTER, at))
    qtbot.waitUntil(lambda: scans == ["SN4711"])
    assert edit.text() == ""


def test_keys_arriving_through_the_window_are_seen_once(qtbot, form, scans):
    window, first, _second = form
    keyboard = Keyboard(window.windowHandle())  # the path real key presses take
    keyboard.type("ok", PERSON_GAP, end=None)
    keyboard.pause(PERSON_GAP)
    keyboard.scan("CMD-CANCEL")
    qtbot.waitUntil(lambda: scans == ["CMD-CANCEL"])
    assert first.text() == "ok"


# -- typing stays typing ----------------------------------------------------


def test_a_person_typing_keeps_their_text_and_no_scan_is_emitted(qtbot, qapp, edit, scans):
    pressed = return_presses(edit)
    text = "Dell Latitude 5CG1234XYZ"
    Keyboard(edit).type(text, PERSON_GAP, end=ENTER)
    qapp.processEvents()
    assert edit.text() == text
    assert pressed == [text]
    assert scans == []


def test_a_single_typed_key_appears_after_a_moment_of_silence(qtbot, edit, scans):
    Keyboard(edit).type("x", PERSON_GAP, end=None)
    qtbot.waitUntil(lambda: edit.text() == "x")
    assert scans == []


def test_too_short_a_burst_is_typing(qtbot, qapp, edit, scans):
    pressed = return_presses(edit)
    Keyboard(edit).type("abc", SCANNER_GAP, end=ENTER)
    qapp.processEvents()
    assert edit.text() == "abc"
    assert pressed == ["abc"]
    assert scans == []


def test_held_keys_reach_the_field_before_the_key_that_ended_the_burst(qtbot, qapp, edit, scans):
    keyboard = Keyboard(edit)
    keyboard.type("abcd", SCANNER_GAP, end=None)
    keyboard.press(key_event(None, keyboard.now, key=Qt.Key.Key_Backspace))
    assert edit.text() == "abc"
    qapp.processEvents()
    assert scans == []


def test_a_burst_without_terminator_is_given_back_as_typing(qtbot, edit, scans):
    Keyboard(edit).type("CD00000013", SCANNER_GAP, end=None)
    qtbot.waitUntil(lambda: edit.text() == "CD00000013")
    assert scans == []


def test_tab_is_typing_when_the_desk_turned_it_off(qtbot, qapp, form):
    _window, first, _second = form
    scanner = ScannerFilter(ScannerSettings(terminators=("enter",))).install(qapp)
    received: list[str] = []
    scanner.scanned.connect(received.append)
    try:
        Keyboard(first).scan("LOC-B-07", end=TAB)
        qapp.processEvents()
        assert first.text() == "LOC-B-07"
        assert received == []
    finally:
        scanner.uninstall(qapp)


def test_a_quick_space_on_a_tick_box_ticks_it(qtbot, qapp, scanner):
    # The press is held back as a possible scan; its release, 50 ms later, must not overtake it.
    box = QCheckBox("labels removed")
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    box.setFocus()
    QApplication.sendEvent(box, key_event(" ", 10_000, key=Qt.Key.Key_Space))
    release = QKeyEvent(QEvent.Type.KeyRelease, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier, " ")
    release.setTimestamp(10_050)
    QApplication.sendEvent(box, release)
    qtbot.waitUntil(box.isChecked)
    assert not box.isDown()


def test_qtest_key_clicks_in_form_tests_are_typing(qtbot, qapp, edit, scans):
    qtbot.keyClicks(edit, "CD00000013")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qapp.processEvents()
    assert edit.text() == "CD00000013"
    assert scans == []


def test_events_without_timestamp_use_the_injected_clock(qtbot, qapp, edit):
    clock = {"now": 0.0}
    scanner = ScannerFilter(clock=lambda: clock["now"]).install(qapp)
    received: list[str] = []
    scanner.scanned.connect(received.append)

    def press(char: str | None, advance: float, key: int | None = None) -> None:
        QApplication.sendEvent(edit, key_event(char, 0, key=key))
        clock["now"] += advance

    try:
        for char in "SN0001":
            press(char, 5)
        press("\r", 5, key=ENTER)
        qtbot.waitUntil(lambda: received == ["SN0001"])
        for char in "slow":
            press(char, 200)
        press("\r", 200, key=ENTER)
        qapp.processEvents()
        assert edit.text() == "slow"
        assert received == ["SN0001"]
    finally:
        scanner.uninstall(qapp)


# -- AZERTY -------------------------------------------------------------------


def test_azerty_scan_is_delivered_as_the_real_tag_and_the_mismatch_told_once(qtbot, edit, scanner):
    heard: list[str] = []
    scanner.layout_mismatch.connect(lambda: heard.append("mismatch"))
    scanner.scanned.connect(heard.append)
    keyboard = Keyboard(edit)
    keyboard.scan(to_azerty(format_tag(1)))
    keyboard.scan("CMD-DONE")  # a genuine code in between changes nothing
    keyboard.scan(to_azerty(format_tag(2)))
    qtbot.waitUntil(lambda: len(heard) == 4)
    assert heard == ["mismatch", format_tag(1), "CMD-DONE", format_tag(2)]
    assert edit.text() == ""


# -- delivery -----------------------------------------------------------------


def test_a_slow_handler_gets_every_scan_once_and_in_order(qtbot, edit, scanner):
    codes = [f"SERIAL{n:03d}" for n in range(30)]
    keyboard = Keyboard(edit)
    received: list[str] = []
    depth = {"now": 0, "max": 0}

    def slow_handler(code: str) -> None:
        depth["now"] += 1
        depth["max"] = max(depth["max"], depth["now"])
        received.append(code)
        if len(received) == 1:
            # More scans arrive while this slot is still busy.
            for later in codes[10:]:
                for char in later:
                    QApplication.postEvent(edit, key_event(char, keyboard.now))
                    keyboard.now += SCANNER_GAP
                QApplication.postEvent(edit, terminator_event(ENTER, keyboard.now))
                keyboard.now += 50
        QApplication.processEvents()  # the slot runs the event loop itself
        depth["now"] -= 1

    scanner.scanned.connect(slow_handler)
    for code in codes[:10]:
        keyboard.scan(code)
    qtbot.waitUntil(lambda: len(received) >= 30, timeout=5000)
    QApplication.processEvents()
    assert received == codes
    assert depth["max"] == 1
    assert edit.text() == ""


# -- settings -----------------------------------------------------------------


def test_scanner_settings_come_from_the_desk_settings():
    overrides = {"max_gap_ms": 60, "min_length": 6, "terminators": ["enter"]}
    settings = Settings(extra={"scanner": overrides})
    assert ScannerSettings.from_settings(settings) == ScannerSettings(60, 6, ("enter",))


def test_malformed_scanner_settings_keep_the_defaults():
    overrides = {"max_gap_ms": "fast", "min_length": -1, "terminators": ["space"]}
    settings = Settings(extra={"scanner": overrides})
    assert ScannerSettings.from_settings(settings) == ScannerSettings()
    assert ScannerSettings.from_settings(Settings()) == ScannerSettings()


# -- the scan bar and the sounds ------------------------------------------------


@pytest.fixture
def bar(qtbot):
    bar = ScanBar()
    qtbot.addWidget(bar)
    bar.resize(520, 56)
    bar.show()
    qtbot.waitExposed(bar)
    return bar


def background(bar: ScanBar) -> str:
    return bar.grab().toImage().pixelColor(12, bar.height() // 2).name()  # past the left edge band


def test_scan_bar_is_named_for_tests_and_screen_readers(bar, english):
    assert bar.objectName() == "scanBar"
    assert bar.accessibleName() == "Last scan"
    assert bar.state == NEUTRAL
    assert background(bar) == QColor(COLOURS[NEUTRAL]).name()


def test_scan_bar_flashes_green_then_returns_to_neutral(qtbot, bar, english):
    bar.show_good(format_tag(1), "Asset tag")
    assert bar.state == GOOD
    assert background(bar) == QColor(COLOURS[GOOD]).name()
    assert (bar.code(), bar.meaning()) == (format_tag(1), "Asset tag")
    qtbot.waitUntil(lambda: bar.state == NEUTRAL, timeout=3000)
    assert background(bar) == QColor(COLOURS[NEUTRAL]).name()
    assert bar.code() == format_tag(1)  # the last code stays readable


def test_scan_bar_flashes_red_then_returns_to_neutral(qtbot, bar, english):
    bar.show_bad("CD00000012", "Asset tag with a wrong check digit")
    assert bar.state == BAD
    assert background(bar) == QColor(COLOURS[BAD]).name()
    assert "Refused" in bar.accessibleDescription()
    qtbot.waitUntil(lambda: bar.state == NEUTRAL, timeout=3000)
    assert background(bar) == QColor(COLOURS[NEUTRAL]).name()


def test_scan_bar_names_what_a_scan_was_taken_for(bar, english):
    bar.show_scan("loc-a-01")
    assert (bar.state, bar.code(), bar.meaning()) == (GOOD, "LOC-A-01", "Location")
    bar.show_scan("CD00000012")
    assert (bar.state, bar.meaning()) == (BAD, "Asset tag with a wrong check digit")


def test_scan_bar_plays_the_matching_sound(qtbot, bar):
    sounds: list[str] = []
    feedback = ScanFeedback(beep=lambda: sounds.append("beep"), use_multimedia=False)
    bar.feedback = feedback
    bar.show_good(format_tag(1), "Asset tag")
    assert sounds == ["beep"]
    bar.show_bad("??", "Unreadable")
    qtbot.waitUntil(lambda: len(sounds) == 3)  # bad: two beeps


def test_muted_feedback_stays_silent(qapp):
    sounds: list[str] = []
    feedback = ScanFeedback(beep=lambda: sounds.append("beep"), use_multimedia=False, muted=True)
    feedback.good()
    feedback.bad()
    qapp.processEvents()
    assert sounds == []
    feedback.muted = False
    feedback.good()
    assert sounds == ["beep"]


@pytest.mark.parametrize(("name", "beeps", "frequency"), [("good", 1, 1200), ("bad", 2, 400)])
def test_sounds_are_small_wav_files(name, beeps, frequency):
    path = SOUNDS / f"{name}.wav"
    assert path.stat().st_size < 30_000
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        frames = wav.readframes(wav.getnframes())
        rate = wav.getframerate()
    samples = memoryview(frames).cast("h")
    loud = [abs(s) > 1000 for s in samples]
    bursts = sum(1 for i in range(1, len(loud)) if loud[i] and not any(loud[max(0, i - 200):i]))
    assert bursts == beeps
    crossings = sum(1 for i in range(1, len(samples)) if samples[i - 1] < 0 <= samples[i])
    duration = sum(loud) / rate
    assert abs(crossings / duration - frequency) < frequency * 0.15


def test_feedback_plays_on_this_desk_whatever_its_audio(qtbot):
    sounds: list[str] = []
    feedback = ScanFeedback(beep=lambda: sounds.append("beep"))
    assert feedback.backend in ("qtmultimedia", "beep")
    feedback.good()
    feedback.bad()
    if feedback.backend == "beep":  # no QtMultimedia or no audio output here
        qtbot.waitUntil(lambda: len(sounds) == 3)
