"""Classification results as a Qt table model (one row a photo), so 5,000 photos are 5,000 small records,
not 5,000 widgets; the confidence bars are painted by a delegate only for the rows on screen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate

from gui.engine_text import photo_reason
from gui.thumbnails import ThumbnailCache

PHOTO, PREDICTION = range(2)
TOP_SHOWN = 3
RESULT_ROLE = Qt.ItemDataRole.UserRole + 1


class ResultsModel(QAbstractTableModel):
    """Rows (engine.inference.classifier.Classification: path, top, error) appended in batches as the worker streams."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []
        self.thumbnails = ThumbnailCache(self)
        self.thumbnails.ready.connect(self._thumbnail_ready)
        self._row_of: dict[str, int] = {}

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 2

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Photo"), self.tr("Top classes"))[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == RESULT_ROLE:
            return row
        if index.column() == PHOTO:
            if role == Qt.ItemDataRole.DisplayRole:
                return Path(row.path).name
            if role == Qt.ItemDataRole.DecorationRole:
                return self.thumbnails.get(row.path)
            if role == Qt.ItemDataRole.ToolTipRole:
                return row.path
        elif index.column() == PREDICTION:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                if row.error:
                    return photo_reason(row.error)
                return ", ".join(f"{label} {probability:.0%}" for label, probability in row.top)
            if role == Qt.ItemDataRole.ToolTipRole and row.error:
                return photo_reason(row.error)
        return None

    def append(self, rows: list) -> None:
        if not rows:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        for offset, row in enumerate(rows):
            self._row_of[row.path] = first + offset
        self.rows.extend(rows)
        self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self.rows.clear()
        self._row_of.clear()
        self.thumbnails.clear()
        self.endResetModel()

    def _thumbnail_ready(self, path: str) -> None:
        row = self._row_of.get(path)
        if row is not None:
            index = self.index(row, PHOTO)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


class ConfidenceDelegate(QStyledItemDelegate):
    """Paints up to three labelled confidence bars, or the row's error in red. It asks for the width its class
    names and percentages need (sizeHint), so the column that shows them is never narrower than its words."""

    BAR_COLOUR = QColor("#4a90d9")
    ERROR_COLOUR = QColor("#b00020")
    MARGIN, GAP, SHORTEST_BAR = 4, 6, 40  # px
    ERROR_WIDTH = 240  # px; an error's reason wraps within its row

    def sizeHint(self, option, index: QModelIndex) -> QSize:  # noqa: N802  (Qt's name)
        row = index.data(RESULT_ROLE)
        if row is None:
            return super().sizeHint(option, index)
        height = super().sizeHint(option, index).height()
        metrics = QFontMetrics(option.font)
        if row.error:
            return QSize(min(self.ERROR_WIDTH, metrics.horizontalAdvance(photo_reason(row.error)) + 2 * self.MARGIN),
                         height)
        return QSize(self._label_width(metrics, row) + self._percent_width(metrics) + self.SHORTEST_BAR
                     + 2 * self.MARGIN + 2 * self.GAP, height)

    @staticmethod
    def _label_width(metrics: QFontMetrics, row) -> int:
        """The widest class name's width, rounded up: an advance rounded down elides a name drawn in it."""
        return max((metrics.horizontalAdvance(label) for label, _ in row.top[:TOP_SHOWN]), default=0) + 2

    @staticmethod
    def _percent_width(metrics: QFontMetrics) -> int:
        return metrics.horizontalAdvance("100.0%")

    def paint(self, painter: QPainter, option, index: QModelIndex) -> None:
        row = index.data(RESULT_ROLE)
        if row is None:
            return super().paint(painter, option, index)
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        rect = option.rect.adjusted(self.MARGIN, 2, -self.MARGIN, -2)
        if row.error:
            painter.setPen(self.ERROR_COLOUR)
            painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap, photo_reason(row.error))
            painter.restore()
            return
        metrics = QFontMetrics(option.font)
        percent_width = self._percent_width(metrics)
        line = rect.height() / TOP_SHOWN
        # the names get their width first; only a column narrower than sizeHint (dragged by hand) elides them
        label_width = min(self._label_width(metrics, row), max(0, rect.width() - percent_width - 2 * self.GAP))
        bar_room = max(0, rect.width() - label_width - percent_width - 2 * self.GAP)
        painter.setFont(option.font)
        for number, (label, probability) in enumerate(row.top[:TOP_SHOWN]):
            top = rect.top() + number * line
            bar = QRectF(rect.left() + label_width + self.GAP, top + 3, bar_room * probability, line - 6)
            painter.setPen(option.palette.text().color())
            painter.drawText(QRectF(rect.left(), top, label_width, line),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                             metrics.elidedText(label, Qt.TextElideMode.ElideMiddle, label_width))
            painter.fillRect(bar, self.BAR_COLOUR)
            painter.drawText(QRectF(bar.right() + self.GAP, top, percent_width, line), Qt.AlignmentFlag.AlignVCenter,
                             f"{probability:.1%}")
        painter.restore()
