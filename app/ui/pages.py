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

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from ..config import Settings
from ..db import Database
from ..i18n import N_, _
from ..models import User
from .widgets import name_widget, page_header

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
        return page


def _intake_page(database: Database, user: User, settings: Settings) -> QWidget:
    from .intake_page import IntakePage

    return IntakePage(database, user, settings)


def _inventory_page(database: Database, user: User, settings: Settings) -> QWidget:
    from .inventory_page import InventoryPage

    return InventoryPage(database, user, settings)


def _refurbishment_page(database: Database, user: User, settings: Settings) -> QWidget:
    from .refurbishment_page import RefurbishmentPage

    return RefurbishmentPage(database, user, settings)


def _locations_page(database: Database, user: User, settings: Settings) -> QWidget:
    from .locations_page import LocationsPage

    return LocationsPage(database, user, settings)


def _handovers_page(database: Database, user: User, settings: Settings) -> QWidget:
    from .handovers_page import HandoversPage

    return HandoversPage(database, user, settings)


def _disposal_page(database: Database, user: User, settings: Settings) -> QWidget:
    from .disposal_page import DisposalPage

    return DisposalPage(database, user, settings)


def _reports_page(database: Database, user: User, settings: Settings) -> QWidget:
    from .dashboard_page import DashboardPage

    return DashboardPage(database, user, settings)


def _settings_page(database: Database, user: User, settings: Settings) -> QWidget:
    from .settings_page import SettingsPage

    return SettingsPage(database, user, settings)


def _sales_page(database: Database, user: User, settings: Settings) -> QWidget:
    from .sales_page import SalesPage

    return SalesPage(database, user, settings)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("intake", N_("Intake"), N_(
        "Receive the devices a service hands in: scan or type the serial number, record the "
        "device and print its asset label."), factory=_intake_page),
    PageSpec("inventory", N_("Inventory"), N_(
        "Find any device by tag, serial number, status or location, and see its full history."),
        factory=_inventory_page),
    PageSpec("locations", N_("Locations"), N_(
        "Print the shelf labels, move devices by scanning a location and then the devices, and "
        "count what is physically on a shelf."),
        factory=_locations_page),
    PageSpec("refurbishment", N_("Refurbishment"), N_(
        "Work through the checklist at the bench, record the data wiping and set the "
        "cosmetic grade."), factory=_refurbishment_page),
    PageSpec("handovers", N_("Handovers"), N_(
        "Reserve ready devices for a service, school or charity and print the handover "
        "certificate."), factory=_handovers_page),
    PageSpec("sales", N_("Sales"), N_(
        "Run sales rounds for staff members and print the sales receipts."), factory=_sales_page),
    PageSpec("disposal", N_("Disposal"), N_(
        "Collect devices at the end of their life into batches for a certified recycler and "
        "print the end-of-life certificate."), factory=_disposal_page),
    PageSpec("reports", N_("Reports"), N_(
        "Show reuse and disposal figures, CO2e savings and stock overviews for the province's "
        "sustainability goals."), factory=_reports_page),
    PageSpec("settings", N_("Settings"), N_(
        "Set the site name, printers and language, and manage users and backups."),
        factory=_settings_page),
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

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(16)
        layout.addWidget(page_header(_(spec.title)))
        layout.addWidget(notice)
        layout.addStretch(1)
