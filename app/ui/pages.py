"""The registry of workflow pages the main window shows, in navigation order.

One entry per workflow (key, title, purpose, factory). A workflow that is not
built yet has no factory and is shown as a `PlaceholderPage` that says so
plainly and what the page will do — no fake data that a technician could
mistake for the warehouse's real stock. Building a workflow means writing its
page (`ui/<key>_page.py`) and setting its factory here; the window, the
navigation and the Ctrl+1…8 shortcuts follow from this list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QLabel, QVBoxLayout, QWidget

from ..config import Settings
from ..db import Database
from ..i18n import N_, _
from ..models import User
from .page_frame import PageFrame
from .widgets import name_widget

PageFactory = Callable[[Database, User, Settings], QWidget]
READABLE_WIDTH = 900  # px: longer lines of large text are hard to read at arm's length


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str  # English source text, marked with N_(); translated when shown
    purpose: str  # one sentence: what the page is for (shown while it is a placeholder)
    factory: PageFactory | None = None

    def build(self, database: Database, user: User, settings: Settings) -> QWidget:
        page = self.factory(database, user, settings) if self.factory else PlaceholderPage(self)
        page.setObjectName(f"{self.key}Page")
        page.setAccessibleName(_(self.title))
        # Tab leaves a table for the next field or button; the arrow keys move inside it
        for view in page.findChildren(QAbstractItemView):
            view.setTabKeyNavigation(False)
        return page


def _page(module: str, name: str) -> PageFactory:
    """A factory that imports the page's module only when the page is built (light start-up)."""

    def build(database: Database, user: User, settings: Settings) -> QWidget:
        return getattr(import_module(f"{__package__}.{module}"), name)(database, user, settings)

    return build


PAGES: tuple[PageSpec, ...] = (
    PageSpec("intake", N_("Intake"), N_(
        "Receive the devices a service hands in: scan or type the serial number, record the "
        "device and print its asset label."), factory=_page("intake_page", "IntakePage")),
    PageSpec("inventory", N_("Inventory"), N_(
        "Find any device by tag, serial number, status or location, and see its full history."),
        factory=_page("inventory_page", "InventoryPage")),
    PageSpec("locations", N_("Locations"), N_(
        "Print the shelf labels, move devices by scanning a location and then the devices, and "
        "count what is physically on a shelf."),
        factory=_page("locations_page", "LocationsPage")),
    PageSpec("refurbishment", N_("Refurbishment"), N_(
        "Work through the checklist at the bench, record the data wiping and set the "
        "cosmetic grade."), factory=_page("refurbishment_page", "RefurbishmentPage")),
    PageSpec("handovers", N_("Handovers"), N_(
        "Reserve ready devices for a service, school or charity and print the handover "
        "certificate."), factory=_page("handovers_page", "HandoversPage")),
    PageSpec("sales", N_("Sales"), N_(
        "Run sales rounds for staff members and print the sales receipts."),
        factory=_page("sales_page", "SalesPage")),
    PageSpec("disposal", N_("Disposal"), N_(
        "Collect devices at the end of their life into batches for a certified recycler and "
        "print the end-of-life certificate."), factory=_page("disposal_page", "DisposalPage")),
    PageSpec("reports", N_("Reports"), N_(
        "Show reuse and disposal figures, CO2e savings and stock overviews for the province's "
        "sustainability goals."), factory=_page("dashboard_page", "DashboardPage")),
    PageSpec("settings", N_("Settings"), N_(
        "Set the site name, printers and language, and manage users and backups."),
        factory=_page("settings_page", "SettingsPage")),
)


class PlaceholderPage(QWidget):
    """A page whose workflow is not built yet: it says so, and what it will do."""

    def __init__(self, spec: PageSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        notice = QFrame()
        notice.setObjectName("placeholderNotice")
        notice.setMaximumWidth(READABLE_WIDTH)
        headline = QLabel(_("This part is not built yet."))
        name_widget(headline, "placeholderHeadline", _("This part is not built yet."))
        purpose = QLabel(_(spec.purpose))
        name_widget(purpose, "placeholderPurpose", purpose.text())
        purpose.setWordWrap(True)
        purpose.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        inner = QVBoxLayout(notice)
        inner.setContentsMargins(24, 20, 24, 24)
        inner.setSpacing(10)
        inner.addWidget(headline)
        inner.addWidget(purpose)

        frame = PageFrame(self, _(spec.title))
        frame.add(notice)
        frame.body.addStretch(1)
