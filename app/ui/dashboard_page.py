"""The Reports page: key figures and charts for the province's sustainability goals.

KPI tiles (received, second-life rate, days from intake to exit, kilograms to
the recycler, CO2e avoided, stock now), a bar chart of devices received per
month, a donut of where devices went, a stacked bar of the stock by status and
category, and the CO2e avoided per category with the published source of each
factor. A period selector chooses the figures; "Export…" writes exactly what is
on screen to Excel or CSV.

The figures come from `services.reports` in a worker thread (a few hundred
milliseconds on 100 000 devices, seconds on a million), so the window never
freezes; a newer request simply wins over an older one still running.
"""

from __future__ import annotations

import logging
import math
from decimal import Decimal

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import (
    QAbstractTableModel,
    QMargins,
    QModelIndex,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from ..config import Settings
from ..db import Database
from ..i18n import N_, _, n_
from ..models import Category, User
from ..services import inventory, reports
from ..services.documents.intake_receipt import category_name
from ..services.errors import DatabaseUnavailable, DomainError
from ..services.lifecycle import status_label
from ..timefmt import format_local
from .page_frame import PageFrame
from .widgets import ErrorLabel, name_widget

log = logging.getLogger(__name__)

ACCENT = "#1f5f8b"
GREY = "#8a8f98"
WARNING = "#b35900"  # stale stock: something to act on, not an alarm
DESTINATION_COLOURS = {"internal": ACCENT, "schools": "#3a9d5d", "charities": "#e0a030",
                       "staff": "#8e5ea2", "recycling": GREY, "other": "#c0c4ca"}
CATEGORY_COLOURS = {Category.LAPTOP: ACCENT, Category.DESKTOP: "#4f8fc0",
                    Category.MONITOR: "#9cc8e4", Category.SMARTPHONE: "#3a9d5d",
                    Category.TABLET: "#8fd19e", Category.PRINTER: "#e0a030",
                    Category.SERVER: "#8e5ea2", Category.NETWORK: "#c77c9e",
                    Category.OTHER: "#b0b4ba"}

PAGE_STYLE = f"""
QFrame[tile="true"] {{
    background: #f6f8fa;
    border: 1px solid #d0d7de;
    border-radius: 6px;
}}
QFrame[link="true"]:hover, QFrame[link="true"]:focus {{ border: 1px solid {ACCENT}; }}
QLabel[role="tileValue"] {{ font-size: 21pt; font-weight: 600; color: {ACCENT}; }}
QLabel[role="tileValue"][warning="true"] {{ color: {WARNING}; }}
QLabel[role="tileCaption"] {{ font-size: 9.5pt; color: #1b1f23; }}
QLabel[role="tileNote"] {{ font-size: 8.5pt; color: #57606a; }}
QLabel[role="panelTitle"] {{ font-size: 11pt; font-weight: 600; color: #1b1f23; }}
QLabel[role="source"] {{ font-size: 8.5pt; color: #57606a; }}
QLabel#reportStatus {{ color: #57606a; }}
"""
# The legend is narrow: "Internal" there; the export spells out "(services, public bodies)".
SHORT_DESTINATION_LABELS = {"internal": N_("Internal")}
MAX_BARS = 36  # more months than this are shown per quarter, then per year


def _locale():
    from PySide6.QtCore import QLocale

    return QLocale()


def number(value: float | Decimal, decimals: int = 0) -> str:
    """A number as the screen's language writes it (1.234,5 in Dutch)."""
    if decimals == 0:
        return _locale().toString(round(value))
    return _locale().toString(float(value), "f", decimals)


def kg_text(kg: Decimal) -> str:
    if kg >= 10_000:
        return _("{value} t", value=number(kg / 1000, 1))
    return _("{value} kg", value=number(kg, 1 if kg < 100 else 0))


def chart_buckets(months: list[reports.MonthCount]) -> list[tuple[str, int]]:
    """Bars for the received chart: per month, or per quarter or year for long periods.

    Up to a year the bars carry the month's name alone (the status line gives the
    dates); longer periods carry the year too, and the labels are turned.
    """
    loc = _locale()

    def month_name(month: int) -> str:
        return loc.standaloneMonthName(month, loc.FormatType.ShortFormat).rstrip(".")

    split = [(int(m.month[:4]), int(m.month[5:]), m.count) for m in months]
    if len(split) <= 12:
        return [(month_name(month), n) for _year, month, n in split]
    if len(split) <= MAX_BARS:
        return [(f"{month_name(month)} {year % 100:02d}", n) for year, month, n in split]
    quarters: dict[str, int] = {}
    for year, month, n in split:
        key = _("Q{quarter} {year}", quarter=(month - 1) // 3 + 1, year=f"{year % 100:02d}")
        quarters[key] = quarters.get(key, 0) + n
    if len(quarters) <= MAX_BARS:
        return list(quarters.items())
    years: dict[str, int] = {}
    for year, _month, n in split:
        years[str(year)] = years.get(str(year), 0) + n
    return list(years.items())


def nice_axis(axis: QValueAxis, largest: float) -> None:
    """0 to a round number just above `largest`, with round steps (Qt's own rounding
    jumps to 150 for 105)."""
    largest = max(largest, 1)
    magnitude = 10 ** math.floor(math.log10(largest / 4)) if largest >= 4 else 1
    # device counts: whole steps only (2.5 only from 25 up)
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10)
                if float(m * magnitude).is_integer() and largest / (m * magnitude) <= 5)
    top = math.ceil(largest / step) * step
    axis.setRange(0, top)
    axis.setTickCount(round(top / step) + 1)
    axis.setLabelFormat("%d")


# --- pieces of the page ------------------------------------------------------------------

class KpiTile(QFrame):
    """A large number with a caption under it and a small note (a source, a base)."""

    def __init__(self, object_name: str, caption: str) -> None:
        super().__init__()
        name_widget(self, object_name, caption)
        self.setProperty("tile", True)  # styled by PAGE_STYLE
        self.value = QLabel("–")
        name_widget(self.value, f"{object_name}Value", caption)
        self.value.setProperty("role", "tileValue")
        self.caption = QLabel(caption)
        self.caption.setProperty("role", "tileCaption")
        self.caption.setWordWrap(True)
        self.note = QLabel("")
        self.note.setProperty("role", "tileNote")
        self.note.setWordWrap(True)
        name_widget(self.note, f"{object_name}Note", caption)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        layout.addWidget(self.note)
        layout.addStretch(1)
        # equal widths whatever the text: the layout, not the content, sizes a tile
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(124)

    def show_value(self, value: str, note: str = "", tooltip: str = "") -> None:
        self.value.setText(value)
        self.value.setAccessibleName(f"{self.caption.text()}: {value}")
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.setToolTip(tooltip)


class LinkTile(KpiTile):
    """A tile that leads somewhere: click it, or Enter / Space when it has the focus."""

    activated = Signal()

    def __init__(self, object_name: str, caption: str) -> None:
        super().__init__(object_name, caption)
        self.setProperty("link", True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.activated.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit()
            return
        super().keyPressEvent(event)


def _chart(title: str) -> tuple[QChart, QChartView]:
    chart = QChart()
    chart.setTitle(title)
    font = QFont(chart.titleFont())
    font.setPointSize(11)
    font.setBold(True)
    chart.setTitleFont(font)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.layout().setContentsMargins(0, 0, 0, 0)
    chart.setBackgroundRoundness(6)
    chart.setBackgroundBrush(QColor("#ffffff"))
    chart.setBackgroundPen(QColor("#d0d7de"))
    legend_font = QFont(chart.legend().font())
    legend_font.setPointSize(9)
    chart.legend().setFont(legend_font)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setStyleSheet("background: transparent; border: none;")
    view.setMinimumHeight(220)
    return chart, view


class Co2eTableModel(QAbstractTableModel):
    """CO2e avoided per category: devices reused, the factor, the result; tooltip: the source."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lines: list[reports.Co2eLine] = []
        self.headers = [_("Category"), _("Reused"), _("kg per device"), _("kg CO2e")]

    def set_lines(self, lines: list[reports.Co2eLine]) -> None:
        self.beginResetModel()
        self.lines = list(lines)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        line = self.lines[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            factor = line.factor.kg_co2e
            return [category_name(line.category), number(line.devices),
                    number(factor, 1) if factor is not None else _("no factor"),
                    number(line.kg, 0) if line.kg is not None else "–"][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return line.factor.citation() or _("No published factor chosen yet: not counted.")
        return None


class _Signals(QObject):
    done = Signal(int, object)
    failed = Signal(int, str)


class _FiguresJob(QRunnable):
    """Reads the figures in its own session, on a pool thread."""

    def __init__(self, generation: int, database: Database, user: User,
                 period: reports.Period, stale_days: int) -> None:
        super().__init__()
        self.generation, self.database, self.user, self.period = generation, database, user, period
        self.stale_days = stale_days
        self.signals = _Signals()

    def run(self) -> None:
        try:
            with self.database.session() as session:
                data = reports.figures(session, self.user, self.period, self.stale_days)
        except DomainError as err:
            self.signals.failed.emit(self.generation, str(err))
        except SQLAlchemyError as err:
            log.exception("the report figures could not be read")
            detail = str(getattr(err, "orig", None) or err).splitlines()[0][:200]
            self.signals.failed.emit(self.generation, str(DatabaseUnavailable(detail=detail)))
        else:
            self.signals.done.emit(self.generation, data)


# --- the page ------------------------------------------------------------------------------

class DashboardPage(QWidget):
    """Page key "reports". `reload()` reads the figures again; `figures` holds the last ones."""

    loaded = Signal()
    stale_stock_requested = Signal()  # show the stale stock in the inventory

    def __init__(self, database: Database, user: User, settings: Settings | None = None) -> None:
        super().__init__()
        self.database = database
        self.user = user
        self.settings = settings
        self.stale_days = inventory.stale_days(settings.extra if settings else None)
        self.figures: reports.Figures | None = None
        self._generation = 0
        self._loading = False
        self._jobs: dict[int, _FiguresJob] = {}
        self.setStyleSheet(PAGE_STYLE)

        # --- header: title, period, export --------------------------------------------------
        self.period = QComboBox()
        name_widget(self.period, "reportPeriod", _("Period"))
        for key in reports.PRESETS:
            self.period.addItem(_(reports.PRESET_LABELS[key]), key)
        self.period.setCurrentIndex(reports.PRESETS.index("last_12_months"))
        self.period.currentIndexChanged.connect(lambda _i: self.reload())
        self.export_button = QPushButton(_("Export…"))
        name_widget(self.export_button, "exportFigures", _("Export the figures"))
        self.export_button.clicked.connect(self.choose_export_file)
        self.export_button.setEnabled(False)
        period_label = QLabel(_("Period"))
        period_label.setBuddy(self.period)

        self.status = QLabel(_("The figures are read when the page opens."))
        name_widget(self.status, "reportStatus", _("Report status"))
        self.status.setObjectName("reportStatus")
        self.error = ErrorLabel("reportError")

        # --- KPI tiles -------------------------------------------------------------------------
        self.tiles = {
            "received": KpiTile("tileReceived", _("devices received")),
            "second_life": KpiTile("tileSecondLife", _("got a second life")),
            "days": KpiTile("tileDaysToExit", _("days in the warehouse, on average")),
            "recycling": KpiTile("tileRecycling", _("sent to recycling")),
            "co2e": KpiTile("tileCo2e", _("CO2e avoided by reuse")),
            "stock": KpiTile("tileStock", _("devices in stock now")),
            "stale": LinkTile("tileStale", _("stale stock")),
        }
        self.tiles["stale"].activated.connect(self.stale_stock_requested)
        tiles = QHBoxLayout()
        tiles.setSpacing(10)
        for tile in self.tiles.values():
            tiles.addWidget(tile, 1)

        # --- charts ----------------------------------------------------------------------------
        self.received_chart, self.received_view = _chart(_("Devices received per month"))
        name_widget(self.received_view, "receivedChart", _("Devices received per month"))
        self.destinations_chart, self.destinations_view = _chart(_("Where the devices went"))
        name_widget(self.destinations_view, "destinationsChart", _("Where the devices went"))
        self.stock_chart, self.stock_view = _chart(_("Stock now by status and category"))
        name_widget(self.stock_view, "stockChart", _("Stock now by status and category"))

        # --- CO2e per category, with the sources --------------------------------------------
        self.co2e_model = Co2eTableModel(self)
        self.co2e_table = QTableView()
        name_widget(self.co2e_table, "co2eTable", _("CO2e avoided per category"))
        self.co2e_table.setModel(self.co2e_model)
        self.co2e_table.verticalHeader().hide()
        columns = self.co2e_table.horizontalHeader()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        columns.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.co2e_table.verticalHeader().setMinimumSectionSize(18)
        self.co2e_table.verticalHeader().setDefaultSectionSize(19)
        self.co2e_table.setStyleSheet("QTableView, QHeaderView { font-size: 9pt; }")
        self.co2e_table.setSelectionMode(QTableView.SelectionMode.NoSelection)
        self.co2e_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.co2e_table.setAlternatingRowColors(True)
        co2e_title = QLabel(_("CO2e avoided per category"))
        co2e_title.setProperty("role", "panelTitle")
        self.co2e_source = QLabel()
        name_widget(self.co2e_source, "co2eSource", _("Source of the CO2e factors"))
        self.co2e_source.setProperty("role", "source")
        self.co2e_source.setWordWrap(True)
        self.co2e_source.setOpenExternalLinks(True)
        self.co2e_source.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        co2e_panel = QFrame()
        co2e_panel.setObjectName("co2ePanel")
        co2e_panel.setStyleSheet("QFrame#co2ePanel { background: white; border: 1px solid #d0d7de;"
                                 " border-radius: 6px; }")
        co2e_layout = QVBoxLayout(co2e_panel)
        co2e_layout.setContentsMargins(10, 8, 10, 8)
        co2e_layout.addWidget(co2e_title)
        co2e_layout.addWidget(self.co2e_table, 1)
        co2e_layout.addWidget(self.co2e_source)

        grid = QGridLayout()
        grid.setSpacing(10)
        grid.addWidget(self.received_view, 0, 0)
        grid.addWidget(self.destinations_view, 0, 1)
        grid.addWidget(self.stock_view, 1, 0)
        grid.addWidget(co2e_panel, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        self.frame = PageFrame(self, _("Reports"), settings=settings,
                               tools=[period_label, self.period, self.export_button])
        self.frame.add(self.status)
        self.frame.add(self.error)
        self.frame.add(tiles)
        self.frame.add(grid, 1)

    # --- loading ---------------------------------------------------------------------------

    def current_period(self) -> reports.Period:
        return reports.Period.of(self.period.currentData())

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._loading:
            self.reload()  # other desks may have handed devices over since the last look

    def reload(self) -> None:
        """Read the figures for the chosen period in a worker; the newest request wins."""
        self._generation += 1
        self._loading = True
        self.export_button.setEnabled(False)
        self.status.setText(_("Calculating the figures…"))
        job = _FiguresJob(self._generation, self.database, self.user, self.current_period(),
                          self.stale_days)
        job.signals.done.connect(self._show_figures)
        job.signals.failed.connect(self._show_failure)
        self._jobs[self._generation] = job  # keep the signals alive until they fire
        QThreadPool.globalInstance().start(job)

    def is_loading(self) -> bool:
        return self._loading

    def _show_failure(self, generation: int, message: str) -> None:
        self._jobs.pop(generation, None)
        if generation != self._generation:
            return
        self._loading = False
        self.status.setText("")
        self.error.show_message(message)

    def _show_figures(self, generation: int, data: reports.Figures) -> None:
        self._jobs.pop(generation, None)
        if generation != self._generation:
            return  # an older period, overtaken by the one now chosen
        self._loading = False
        self.error.clear_message()
        self.figures = data
        self.status.setText(_("{period} ({dates}) — figures read at {time}.",
                              period=data.period.label(), dates=data.period.dates_label(),
                              time=format_local(data.generated_at)))
        self._fill_tiles(data)
        self._fill_received(data)
        self._fill_destinations(data)
        self._fill_stock(data)
        self._fill_co2e(data)
        self.export_button.setEnabled(True)
        self.loaded.emit()

    # --- filling in --------------------------------------------------------------------------

    def _fill_tiles(self, data: reports.Figures) -> None:
        t = self.tiles
        t["received"].show_value(number(data.received_total), data.period.label())
        sl = data.second_life
        t["second_life"].show_value(
            _("{value} %", value=number(sl.rate * 100, 0)) if sl.rate is not None else "–",
            _("{reused} of {exits} devices that left", reused=number(sl.reused),
              exits=number(sl.exits)),
            _("Handed over or sold, against disposed of without a second life."))
        days = data.days_to_exit
        t["days"].show_value(number(days.average_days, 1) if days.average_days is not None else "–",
                             n_(days.devices, "over {n} device", "over {n} devices"),
                             _("From the receipt to the handover, sale or disposal."))
        rw = data.recycling
        note = n_(rw.devices, "{n} device", "{n} devices")
        if rw.after_second_life:
            note = _("{n} devices, {m} after a second life", n=number(rw.devices),
                     m=number(rw.after_second_life))
        tip = _("{n} of them without a recorded weight.", n=number(rw.without_weight)) \
            if rw.without_weight else ""
        t["recycling"].show_value(kg_text(rw.kg), note, tip)
        co2e = data.co2e
        t["co2e"].show_value(kg_text(co2e.kg), self._source_line(co2e, short=True),
                             self._sources_tooltip(co2e))
        t["stock"].show_value(number(data.stock_total), _("now, whatever the period"))
        stale = data.stale
        t["stale"].value.setProperty("warning", stale.devices > 0)
        t["stale"].value.style().polish(t["stale"].value)
        t["stale"].show_value(
            number(stale.devices),
            _("ready or received > {days} days", days=stale.days),
            _("{received} received, {ready} ready for more than {days} days.\n"
              "Click to show them in the inventory.", received=number(stale.received),
              ready=number(stale.ready), days=stale.days))

    def _source_line(self, co2e: reports.Co2eAvoided, short: bool = False) -> str:
        text = _("source: {publishers}", publishers=co2e.factors.publishers())
        if co2e.factors.indicative:
            text += " — " + (_("indicative") if short else _(
                "indicative, to be confirmed by the province's sustainability officer"))
        return text

    def _sources_tooltip(self, co2e: reports.Co2eAvoided) -> str:
        lines = [_("kg CO2e avoided per reused device:")]
        for category, factor in co2e.factors.by_category.items():
            if factor.kg_co2e is None:
                lines.append(_("{category}: no factor (not counted)", category=category_name(category)))
            else:
                lines.append(f"{category_name(category)}: {number(factor.kg_co2e, 1)} — "
                             f"{factor.citation()}")
        if co2e.factors.indicative:
            lines.append(_("Indicative factors, to be confirmed by the province's "
                           "sustainability officer."))
        return "\n".join(lines)

    def _fill_received(self, data: reports.Figures) -> None:
        chart = self.received_chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        buckets = chart_buckets(data.received)
        bars = QBarSet(_("Received"))
        bars.setColor(QColor(ACCENT))
        bars.append([float(n) for _label, n in buckets])
        series = QBarSeries()
        series.append(bars)
        series.setBarWidth(0.7)
        chart.addSeries(series)
        x = QBarCategoryAxis()
        x.append([label for label, _n in buckets] or [" "])
        x.setGridLineVisible(False)
        if len(buckets) > 12:
            x.setLabelsAngle(-60)
        y = QValueAxis()
        nice_axis(y, max([n for _l, n in buckets] + [1]))
        small = QFont(x.labelsFont())
        small.setPointSize(8)
        x.setLabelsFont(small)
        y.setLabelsFont(small)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)
        chart.legend().hide()

    def _fill_destinations(self, data: reports.Figures) -> None:
        chart = self.destinations_chart
        chart.removeAllSeries()
        series = QPieSeries()
        series.setHoleSize(0.45)
        series.setPieSize(0.85)
        total = sum(d.count for d in data.destinations)
        for d in data.destinations:
            if not d.count:
                continue
            share = number(100 * d.count / total, 0)
            label = _(SHORT_DESTINATION_LABELS[d.key]) if d.key in SHORT_DESTINATION_LABELS else d.label
            piece = series.append(f"{label}: {number(d.count)} ({share} %)", d.count)
            piece.setColor(QColor(DESTINATION_COLOURS[d.key]))
            piece.setBorderColor(QColor("white"))
        if not total:
            piece = series.append(_("No devices left in this period"), 1)
            piece.setColor(QColor("#e6e9ed"))
        chart.addSeries(series)
        legend = chart.legend()
        legend.show()
        legend.setAlignment(Qt.AlignmentFlag.AlignRight)

    def _fill_stock(self, data: reports.Figures) -> None:
        chart = self.stock_chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        statuses = list(reports.STOCK_STATUSES)
        counts = {(c.status, c.category): c.count for c in data.stock}
        series = QHorizontalStackedBarSeries()
        series.setBarWidth(0.65)
        for category in Category:
            values = [counts.get((s, category), 0) for s in statuses]
            if not any(values):
                continue
            bar = QBarSet(category_name(category))
            bar.setColor(QColor(CATEGORY_COLOURS[category]))
            bar.setBorderColor(QColor(CATEGORY_COLOURS[category]))
            bar.append([float(v) for v in values])
            series.append(bar)
        chart.addSeries(series)
        y = QBarCategoryAxis()
        y.append([status_label(s) for s in statuses])
        y.setGridLineVisible(False)
        x = QValueAxis()
        per_status = [sum(counts.get((s, c), 0) for c in Category) for s in statuses]
        nice_axis(x, max(per_status + [1]))
        small = QFont(x.labelsFont())
        small.setPointSize(8)
        x.setLabelsFont(small)
        y.setLabelsFont(small)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(x)
        series.attachAxis(y)
        legend = chart.legend()
        legend.show()
        legend.setAlignment(Qt.AlignmentFlag.AlignRight)

    def _fill_co2e(self, data: reports.Figures) -> None:
        co2e = data.co2e
        self.co2e_model.set_lines(co2e.lines)
        self.co2e_source.setText(self._source_line(co2e))
        tooltip = self._sources_tooltip(co2e)
        if co2e.uncounted:
            tooltip = _("{n} reused devices without a factor are not counted.",
                        n=number(co2e.uncounted)) + "\n\n" + tooltip
        self.co2e_source.setToolTip(tooltip)

    # --- export ------------------------------------------------------------------------------

    def choose_export_file(self) -> None:
        if self.figures is None:
            return
        suggested = _("figures") + f"-{self.figures.period.preset or 'period'}.xlsx"
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export the figures"), suggested,
            _("Excel workbook (*.xlsx);;CSV, semicolon-separated (*.csv)"))
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> bool:
        """Write the figures on screen to `path` (.xlsx or .csv); say where, or why not."""
        if self.figures is None:
            self.error.show_message(_("The figures are not read yet."))
            return False
        try:
            written = reports.write_export(self.figures, path)
        except DomainError as err:
            self.error.show_message(str(err))
            return False
        self.error.clear_message()
        self.status.setText(_("Exported to {path}.", path=str(written)))
        return True

