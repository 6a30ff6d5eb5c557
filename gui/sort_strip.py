"""The Sort tab's strip of photos still to sort: a Qt list model (thumbnails from gui.thumbnails, made off the
GUI thread) showing each photo's suggested class and confidence, and a thumbnail dragged out of it names
its photo for a class button to take."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QMimeData, QModelIndex, QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from gui.thumbnails import THUMBNAIL_SIZE, ThumbnailCache

PHOTO_MIME = "application/x-densenet-studio-photo"  # a dragged photo's path, UTF-8
PATH_ROLE = Qt.ItemDataRole.UserRole + 1


class SortStripModel(QAbstractListModel):
    """`paths` in the order shown; `suggestions[path]` = (class name, confidence) once the suggestions come."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.paths: list[str] = []
        self.suggestions: dict[str, tuple[str, float]] = {}
        self.thumbnails = ThumbnailCache(self)
        self.thumbnails.ready.connect(self._thumbnail_ready)
        self.placeholder = QImage(THUMBNAIL_SIZE, THUMBNAIL_SIZE, QImage.Format.Format_ARGB32)
        self.placeholder.fill(Qt.GlobalColor.transparent)  # a thumbnail's room before it comes: no relayout

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.paths)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        path = self.paths[index.row()]
        suggestion = self.suggestions.get(path)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{suggestion[0]} {suggestion[1]:.0%}" if suggestion else Path(path).name
        if role == Qt.ItemDataRole.DecorationRole:
            return self.thumbnails.get(path) or self.placeholder
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            name = Path(path).name
            if suggestion is None:
                return name
            return self.tr("{0}: suggested {1}, {2:.0%} sure").format(name, *suggestion)
        if role == PATH_ROLE:
            return path
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsDragEnabled

    def mimeTypes(self) -> list[str]:
        return [PHOTO_MIME]

    def mimeData(self, indexes) -> QMimeData:
        mime = QMimeData()
        if indexes:
            mime.setData(PHOTO_MIME, self.paths[indexes[0].row()].encode("utf-8"))
        return mime

    def show(self, paths: list[str], suggestions: dict[str, tuple[str, float]]) -> None:
        """Show `paths`, in this order, with their suggestions."""
        self.beginResetModel()
        self.paths = list(paths)
        self.suggestions = suggestions
        self.endResetModel()

    def row_of(self, path: str) -> int:
        return self.paths.index(path) if path in self.paths else -1

    def _thumbnail_ready(self, path: str) -> None:
        row = self.row_of(path)
        if row >= 0:
            self.dataChanged.emit(self.index(row), self.index(row), [Qt.ItemDataRole.DecorationRole])


def strip_view(model: SortStripModel, parent: QWidget | None = None) -> QListView:
    """One row of thumbnails, scrolled sideways; arrow keys move between photos, a drag carries one photo."""
    view = QListView(parent)
    view.setModel(model)
    view.setViewMode(QListView.ViewMode.IconMode)
    view.setFlow(QListView.Flow.LeftToRight)
    view.setWrapping(False)
    view.setMovement(QListView.Movement.Static)
    view.setIconSize(QSize(THUMBNAIL_SIZE, THUMBNAIL_SIZE))
    view.setGridSize(QSize(THUMBNAIL_SIZE + 48, THUMBNAIL_SIZE + 30))
    view.setUniformItemSizes(True)
    view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setDragEnabled(True)
    view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
    view.setFixedHeight(THUMBNAIL_SIZE + 30 + view.horizontalScrollBar().sizeHint().height() + 8)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    return view
