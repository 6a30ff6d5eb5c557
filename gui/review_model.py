"""Photos to review as a Qt list model and the delegate that draws one cell: thumbnail, a right/wrong mark,
"given -> suggested" and the score. Any list of photos with a given and a suggested class and a score fits
(an evaluation's answers, a list of likely wrong labels); thousands of them are small records, a filter and
an order are a list of row numbers, and only the cells on screen ask for a thumbnail, made off the GUI thread
(gui.thumbnails)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate

from gui.review_menu import moved_text
from gui.thumbnails import ThumbnailCache

GRID_THUMBNAIL = 112
PHOTO_ROLE = Qt.ItemDataRole.UserRole + 2  # a row's GridPhoto

Order = Literal["surest", "least-sure", "folder"]


@dataclass
class GridPhoto:
    """A photo under review: the class its folder gives it, the class the model answers (or suggests) with
    its probability, and where it went once moved (a class, or gui.review_menu.TAKEN_OUT)."""

    path: str
    given: str
    suggested: str
    score: float
    moved: str | None = None
    # Instead of "given -> suggested", the score and a right/wrong mark: the class and this note (a look-alike's
    # group); None for a photo with an answer to judge.
    note: str | None = None

    @property
    def right(self) -> bool:
        return self.given == self.suggested


@dataclass(frozen=True)
class Shown:
    """Which photos the grid shows: mistakes only, one given class, one confusion-matrix cell (given and
    suggested); None is any."""

    mistakes: bool = False
    given: str | None = None
    suggested: str | None = None

    def accepts(self, photo: GridPhoto) -> bool:
        return ((not self.mistakes or not photo.right) and self.given in (None, photo.given)
                and self.suggested in (None, photo.suggested))


class ReviewModel(QAbstractListModel):
    """`photos` in the order given; the rows are those `shown` accepts, in `order`."""

    def __init__(self, parent=None, thumbnail_size: int = GRID_THUMBNAIL):
        super().__init__(parent)
        self.photos: list[GridPhoto] = []
        self.shown, self.order = Shown(), "surest"
        self._rows: list[int] = []  # indices into photos
        self._row_of: dict[str, int] = {}
        self.thumbnails = ThumbnailCache(self, thumbnail_size)
        self.thumbnails.ready.connect(self._thumbnail_ready)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def photo(self, row: int) -> GridPhoto:
        return self.photos[self._rows[row]]

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        photo = self.photo(index.row())
        if role == PHOTO_ROLE:
            return photo
        if role == Qt.ItemDataRole.DecorationRole:
            return self.thumbnails.get(photo.path)
        if role == Qt.ItemDataRole.DisplayRole:
            return Path(photo.path).name
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return "\n".join(_caption(photo) + [photo.path])
        return None

    def set_photos(self, photos: list[GridPhoto]) -> None:
        """Review these photos instead (thumbnails of the old ones are dropped)."""
        self.thumbnails.clear()
        self.photos = list(photos)
        self.show(self.shown, self.order)

    def show(self, shown: Shown, order: Order) -> None:
        """Show the photos `shown` accepts, surest or least sure first, or in folder order."""
        self.beginResetModel()
        self.shown, self.order = shown, order
        rows = [index for index, photo in enumerate(self.photos) if shown.accepts(photo)]
        if order == "folder":
            rows.sort(key=lambda index: self.photos[index].path)
        else:
            rows.sort(key=lambda index: self.photos[index].score, reverse=order == "surest")
        self._rows = rows
        self._row_of = {self.photos[index].path: row for row, index in enumerate(rows)}
        self.endResetModel()

    def mark_moved(self, row: int, moved: str) -> None:
        """Photo `row` went to class `moved` (or out): it stays, greyed, saying where."""
        self.photo(row).moved = moved
        index = self.index(row)
        self.dataChanged.emit(index, index)

    def _thumbnail_ready(self, path: str) -> None:
        row = self._row_of.get(path)
        if row is not None:
            index = self.index(row)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


def _caption(photo: GridPhoto) -> list[str]:
    """A cell's lines: "given -> suggested" (the class alone when they agree), the score, where it went."""
    moved = [moved_text(photo.moved)] if photo.moved is not None else []
    if photo.note is not None:
        return [f"{photo.given} · {photo.note}" if photo.note else photo.given] + moved
    classes = photo.given if photo.right else f"{photo.given} → {photo.suggested}"
    return [classes, f"{photo.score:.1%}"] + moved


class ReviewDelegate(QStyledItemDelegate):
    """Draws a cell: the thumbnail with a green tick or a red cross in its corner, then the caption; a photo
    that was moved is greyed and says where it went."""

    RIGHT = QColor("#2e7d32")
    WRONG = QColor("#c62828")
    MARK = 22

    def __init__(self, parent=None, thumbnail_size: int = GRID_THUMBNAIL):
        super().__init__(parent)
        self.thumbnail_size = thumbnail_size

    def sizeHint(self, option, index: QModelIndex) -> QSize:
        line = option.fontMetrics.height()
        return QSize(self.thumbnail_size + 16, self.thumbnail_size + 3 * line + 14)

    def paint(self, painter: QPainter, option, index: QModelIndex) -> None:
        photo: GridPhoto | None = index.data(PHOTO_ROLE)
        if photo is None:
            return super().paint(painter, option, index)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        if photo.moved is not None:
            painter.setOpacity(0.4)
        size = self.thumbnail_size
        frame = QRectF(option.rect.left() + (option.rect.width() - size) / 2, option.rect.top() + 6, size, size)
        image = index.data(Qt.ItemDataRole.DecorationRole)
        if image is not None and not image.isNull():
            scale = size / max(image.width(), image.height())  # a 28 px photo fills the frame too
            target = QRectF(0, 0, image.width() * scale, image.height() * scale)
            target.moveCenter(frame.center())
            painter.drawImage(target, image)
        else:
            painter.fillRect(frame, option.palette.mid())
        if photo.note is None:
            self._mark(painter, QRectF(frame.left() + 3, frame.top() + 3, self.MARK, self.MARK), photo.right)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(option.palette.highlightedText().color() if selected else option.palette.text().color())
        line = option.fontMetrics.height()
        top = frame.bottom() + 4
        for number, text in enumerate(_caption(photo)):
            rect = QRectF(option.rect.left() + 4, top + number * line, option.rect.width() - 8, line)
            shown = option.fontMetrics.elidedText(text, Qt.TextElideMode.ElideMiddle, int(rect.width()))
            painter.drawText(rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter, shown)
        painter.restore()

    def _mark(self, painter: QPainter, rect: QRectF, right: bool) -> None:
        """A tick or a cross drawn as lines, so it needs no glyph from the font."""
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.RIGHT if right else self.WRONG)
        painter.drawEllipse(rect)
        painter.setPen(QPen(QColor("white"), 2.4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        x, y, w = rect.left(), rect.top(), rect.width()
        path = QPainterPath()
        if right:
            path.moveTo(QPointF(x + 0.27 * w, y + 0.52 * w))
            path.lineTo(QPointF(x + 0.44 * w, y + 0.69 * w))
            path.lineTo(QPointF(x + 0.74 * w, y + 0.33 * w))
        else:
            path.moveTo(QPointF(x + 0.32 * w, y + 0.32 * w))
            path.lineTo(QPointF(x + 0.68 * w, y + 0.68 * w))
            path.moveTo(QPointF(x + 0.68 * w, y + 0.32 * w))
            path.lineTo(QPointF(x + 0.32 * w, y + 0.68 * w))
        painter.drawPath(path)
