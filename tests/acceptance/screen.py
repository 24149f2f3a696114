"""Reading the window the way the person at the desk reads it: by what is on screen."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QLabel, QWidget

# DEPOT_SCREENSHOTS=docs/screenshots renews the pictures in the repository; a plain test run
# writes them to a temporary folder.
SHOTS = Path(os.environ.get("DEPOT_SCREENSHOTS") or Path(tempfile.gettempdir()) / "depot-screenshots")


def screenshot(window, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    window.grab().save(str(path))
    return path


def keep(picture: Path, name: str) -> Path:
    """A rendered page (a certificate as PNG) beside the screenshots, to look at after the run."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(picture, SHOTS / f"{name}.png"))


def page(window) -> QWidget:
    return window.stack.currentWidget()


def scan_bar(window) -> tuple[str, str]:
    """(verdict, message) of the scan bar on the page on screen: "good"/"bad"/None and its text."""
    bar = page(window).findChild(QWidget, "scanBar")
    assert bar is not None and bar.isVisible(), "this page shows no scan bar"
    mark = bar.findChild(QLabel, "scanBarMark")
    meaning = bar.findChild(QLabel, "scanBarMeaning")
    return (mark.property("verdict") if mark.isVisible() else None), meaning.text()


def label(window, name: str) -> str:
    found = page(window).findChild(QLabel, name)
    assert found is not None and found.isVisible(), f"no {name} on screen"
    return found.text()


def visible(window, name: str) -> bool:
    found = page(window).findChild(QWidget, name)
    return found is not None and found.isVisible()
