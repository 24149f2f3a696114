"""One frame for every page: the title (with the page's tools at its right), the scan bar, the
content, and one action bar with the page's keys.

Every page builds itself into a `PageFrame`, so the title starts at the same place on every page,
the scan bar is always right under it, full width, and the buttons that act on what the page
shows sit in one bar at the bottom with their keys written on them. A page that takes no scans
of its own still gets a (quiet) scan bar in the same place: the window answers a stray scan there,
in colour and with its sound, and the bar hides again when the person leaves the page.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLayout,
    QLayoutItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..config import Settings
from ..i18n import _
from .feedback import ScanBar, ScanFeedback
from .widgets import page_header

MARGINS = (32, 20, 32, 16)  # left, top, right, bottom: the same on every page
SPACING = 10


class FlowRow(QLayout):
    """Items side by side, wrapping onto the next line when the width runs out (Qt's flow layout
    example), so a long button text makes the bar taller, never the window wider. Items marked
    "right" keep to the right end of the line they land on."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 8) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._right: set[int] = set()  # ids of the items that keep to the right
        self._gap = spacing

    def add(self, widget: QWidget, *, right: bool = False) -> None:
        self.addWidget(widget)
        if right:
            self._right.add(id(self._items[-1]))

    # --- QLayout ------------------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt API)
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt API)
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt API)
        if 0 <= index < len(self._items):
            item = self._items.pop(index)
            self._right.discard(id(item))
            return item
        return None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 (Qt API)
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 (Qt API)
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt API)
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        lines: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._items:
            if item.widget() is not None and item.widget().isHidden():
                continue
            width = item.sizeHint().width()
            if lines[-1] and used + self._gap + width > area.width():
                lines.append([])
                used = 0
            used += width + (self._gap if lines[-1] else 0)
            lines[-1].append(item)
        y = area.y()
        for line in lines:
            if not line:
                continue
            height = max(item.sizeHint().height() for item in line)
            if move:
                left = [item for item in line if id(item) not in self._right]
                right = [item for item in line if id(item) in self._right]
                x = area.x()
                for item in left:
                    item.setGeometry(QRect(QPoint(x, y), QSize(item.sizeHint().width(), height)))
                    x += item.sizeHint().width() + self._gap
                x = area.right() + 1
                for item in reversed(right):
                    x -= item.sizeHint().width()
                    item.setGeometry(QRect(QPoint(x, y), QSize(item.sizeHint().width(), height)))
                    x -= self._gap
            y += height + self._gap
        return y - self._gap - rect.y() + margins.bottom() if y > area.y() else 0


class ActionBar(QFrame):
    """The bottom bar of a page: the actions on what the page shows, left; secondary ones right.

    The buttons wrap onto a second line rather than widen the window. The bar hides itself while
    it holds nothing, so a page without actions has no empty band.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actionBar")
        self.setAccessibleName(_("Actions"))
        self.row = FlowRow(self)
        self.row.setContentsMargins(0, 6, 0, 0)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.hide()

    def add(self, *widgets: QWidget, right: bool = False) -> None:
        for widget in widgets:
            if isinstance(widget, QPushButton):
                # Enter on a button reached with Tab presses it, as Space does (outside a dialog
                # Qt's buttons take only Space)
                widget.setAutoDefault(True)
            self.row.add(widget, right=right)
        self.show()


class PageFrame:
    """Builds a page's layout: title row, scan bar, body, action bar (in that order, always)."""

    def __init__(self, page: QWidget, title: str, *, scan_bar: ScanBar | None = None,
                 settings: Settings | None = None, tools: Iterable[QWidget] = ()) -> None:
        self.page = page
        layout = QVBoxLayout(page)
        layout.setContentsMargins(*MARGINS)
        layout.setSpacing(SPACING)
        self.header = page_header(title)
        self.tools = QHBoxLayout()
        self.tools.setSpacing(8)
        for tool in tools:
            self.add_tool(tool)
        title_row = QHBoxLayout()
        title_row.addWidget(self.header)
        title_row.addStretch(1)
        title_row.addLayout(self.tools)
        layout.addLayout(title_row)

        # A page without scans of its own gets a quiet bar: hidden until the window answers a scan.
        self.quiet = scan_bar is None
        if scan_bar is None:
            muted = bool((settings or Settings()).extra.get("sound_muted"))
            scan_bar = ScanBar(ScanFeedback(page, muted=muted))
            scan_bar.setObjectName("quietScanBar")
            scan_bar.hide()
        scan_bar.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.scan_bar = scan_bar
        layout.addWidget(scan_bar)

        self.body = QVBoxLayout()
        self.body.setSpacing(SPACING)
        layout.addLayout(self.body, 1)
        self.actions = ActionBar()
        layout.addWidget(self.actions)
        page.frame = self  # the window finds the quiet scan bar through this

    def add(self, item: QWidget | QLayout, stretch: int = 0) -> None:
        """Put a widget or a layout in the body, under what is there already."""
        add_to(self.body, item, stretch)

    def add_tool(self, widget: QWidget) -> None:
        if isinstance(widget, QPushButton):
            widget.setAutoDefault(True)  # Enter presses it when it has the keyboard
        self.tools.addWidget(widget)

    def answer(self, code: str, message: str, *, good: bool) -> None:
        """Green or red with its sound in this page's scan bar (shown if it was quiet)."""
        if good:
            self.scan_bar.show_good(code, message)
        else:
            self.scan_bar.show_bad(code, message)
        self.scan_bar.show()

    def leave(self) -> None:
        """The person left the page: a quiet bar goes again."""
        if self.quiet:
            self.scan_bar.hide()


def add_to(layout: QBoxLayout, item: QWidget | QLayout, stretch: int = 0) -> None:
    if isinstance(item, QLayout):
        layout.addLayout(item, stretch)
    else:
        layout.addWidget(item, stretch)
