"""The review grid: an evaluation's photos as thumbnails, each marked right or wrong with its given and
predicted class and confidence; shown all, mistakes only, one class or one confusion-matrix cell, surest or
least sure first. Double-click or Enter opens a photo large with its Grad-CAM; the right-click menu, Delete
and the keys 1-9 move it to another class or out of the folder (Edit > Undo takes a move back), also from
the large view, where Left and Right go through the photos; a moved photo stays shown, greyed, saying where it
went."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QVBoxLayout,
    QWidget,
)

from engine.inference.report import EvaluationReport
from gui.dataset_edits import DatasetEdits
from gui.model_state import ModelState
from gui.review_menu import TAKEN_OUT, move_photo, photo_menu
from gui.review_model import GridPhoto, Order, ReviewDelegate, ReviewModel, Shown
from gui.review_photo import ReviewPhotoDialog

ORDERS: tuple[Order, ...] = ("surest", "least-sure", "folder")


class ReviewView(QListView):
    """The grid itself: thumbnails that flow into rows and scroll; Enter opens, Delete and 1-9 move."""

    def __init__(self, grid: ReviewGrid):
        super().__init__()
        self.grid = grid
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)  # one cell's size lays out all of them: thousands stay quick
        self.setWrapping(True)
        self.setSpacing(4)
        self.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def keyPressEvent(self, event) -> None:
        row, key = self.currentIndex().row(), event.key()
        if row >= 0 and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.grid.open_photo(row)
        elif row < 0 or not self.grid.move_by_key(row, key):
            super().keyPressEvent(event)


class ReviewGrid(QWidget):
    """Shows an EvaluationReport's scored photos (show_report), or any GridPhoto list (show_photos). `moved`
    carries (path, where it went) for each photo moved from here."""

    moved = Signal(str, str)

    def __init__(self, models: ModelState | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.models = models
        self.dataset_edits: DatasetEdits | None = None  # the window's: moves in the Train tab's folder
        self.labels: tuple[str, ...] = ()
        self.source = ""  # the evaluated model, for the Grad-CAM view
        self.dialog: ReviewPhotoDialog | None = None
        self.cell: tuple[str, str] | None = None  # the confusion-matrix cell offered in the filter
        self.model = ReviewModel(self)
        self.view = ReviewView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(ReviewDelegate(self.view))
        self.view.doubleClicked.connect(lambda index: self.open_photo(index.row()))
        self.view.customContextMenuRequested.connect(self._menu)
        self.show_box = QComboBox()
        # a long filter ("Class stripes-green taken for circle-red") elides in the box, whole in its list, so
        # that the grid fits beside the confusion matrix
        self.show_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.show_box.setMinimumContentsLength(12)
        self.show_box.activated.connect(self._refilter)
        self.order_box = QComboBox()
        self.order_box.activated.connect(self._refilter)
        self.count = QLabel()
        self.count.setWordWrap(True)  # under the boxes, so the grid fits beside the matrix at 1024 px
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.show_box)
        bar.addWidget(self.order_box)
        bar.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.count)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hint)
        self.retranslate()

    def retranslate(self) -> None:
        self.view.setAccessibleName(self.tr("Reviewed photos"))
        self.show_box.setAccessibleName(self.tr("Which photos to show"))
        self.order_box.setAccessibleName(self.tr("Order of the photos"))
        self.show_box.setToolTip(self.tr("Which photos the grid shows: all, only the wrong answers, one class, or "
                                         "the cell of the confusion matrix you clicked."))
        self.order_box.setToolTip(self.tr("Least sure first puts the photos the model doubts at the top: wrongly "
                                          "labelled and hard photos are found there. Surest first shows what it "
                                          "knows best; folder order, the photos as they lie in the folder."))
        self.hint.setText(self.tr("Double-click or Enter: the photo large, with where the model looked. "
                                  "Right-click, Delete or 1-9: move it to another class or out of the folder."))
        orders = {"surest": self.tr("Surest first"), "least-sure": self.tr("Least sure first"),
                  "folder": self.tr("Folder order")}
        current = self.order_box.currentIndex()
        self.order_box.clear()
        self.order_box.addItems([orders[order] for order in ORDERS])
        self.order_box.setCurrentIndex(max(0, current))
        self._fill_show_box(self.model.shown)
        self._count()

    def show_report(self, report: EvaluationReport, source: str) -> None:
        """Every photo `report` scored, by the model in `source` (a .keras file or an "imagenet:" source)."""
        self.show_photos([GridPhoto(photo.path, photo.true, photo.predicted, photo.confidence)
                          for photo in report.scored], report.labels, source)

    def show_photos(self, photos: list[GridPhoto], labels: tuple[str, ...], source: str) -> None:
        """Review `photos`, of the folder's classes `labels`, as the model in `source` answered them."""
        self.labels, self.source, self.cell = tuple(labels), source, None
        self.model.set_photos(photos)
        self.show_only(Shown())

    def clear(self) -> None:
        self.show_photos([], (), "")

    def show_cell(self, given: str, predicted: str) -> None:
        """Only the photos of class `given` that the model took for `predicted` (a confusion-matrix cell)."""
        self.cell = (given, predicted)
        self.show_only(Shown(given=given, suggested=predicted))

    def show_only(self, shown: Shown) -> None:
        self._fill_show_box(shown)
        self.model.show(shown, ORDERS[self.order_box.currentIndex()])
        self._count()
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0))

    def _filters(self) -> list[tuple[str, Shown]]:
        """The show box's entries: all, mistakes, each class, and the clicked matrix cell."""
        entries = [(self.tr("All photos"), Shown()), (self.tr("Mistakes only"), Shown(mistakes=True))]
        entries += [(self.tr("Class {0}").format(label), Shown(given=label)) for label in self.labels]
        if self.cell is not None:
            given, predicted = self.cell
            text = (self.tr("Class {0} answered right").format(given) if given == predicted
                    else self.tr("Class {0} taken for {1}").format(given, predicted))
            entries.append((text, Shown(given=given, suggested=predicted)))
        return entries

    def _fill_show_box(self, shown: Shown) -> None:
        self.show_box.clear()
        for text, entry in self._filters():
            self.show_box.addItem(text, entry)
            if entry == shown:
                self.show_box.setCurrentIndex(self.show_box.count() - 1)

    def _refilter(self) -> None:
        self.show_only(self.show_box.currentData() or Shown())

    def _count(self) -> None:
        shown, total = self.model.rowCount(), len(self.model.photos)
        judged = [photo for photo in self.model.photos if photo.note is None]
        wrong = sum(not photo.right for photo in judged)
        if not total:
            self.count.setText("")
        elif judged:
            self.count.setText(self.tr("{0} of {1} photos shown; {2} wrong in all").format(shown, total, wrong))
        else:  # photos with a note (look-alikes, outliers) have no answer to be wrong
            self.count.setText(self.tr("{0} of {1} photos shown").format(shown, total))

    def open_photo(self, row: int) -> None:
        """Photo `row` large, with the Grad-CAM of the class the model answered."""
        if self.models is None or not self.source:
            return
        if self.dialog is None or self.dialog.source != self.source:
            self.dialog = ReviewPhotoDialog(self.models, self.source, self)
            self.dialog.key_pressed.connect(self._dialog_key)
        self.dialog.show_photo(self.model.photo(row))

    def move_by_key(self, row: int, key: int) -> bool:
        """Delete or Backspace takes photo `row` out, 1-9 moves it to that class; whether `key` is one of those."""
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.move(row, TAKEN_OUT)
        elif Qt.Key.Key_1 <= key <= Qt.Key.Key_9 and key - Qt.Key.Key_1 < len(self.labels):
            self.move(row, self.labels[key - Qt.Key.Key_1])
        else:
            return False
        return True

    def _dialog_key(self, key: int) -> None:
        """A key pressed in the large view: Left and Right show the previous or next photo, the move keys act on
        the photo shown, as in the grid."""
        row = self.view.currentIndex().row()
        if row < 0:
            return
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            row = min(max(0, row + (1 if key == Qt.Key.Key_Right else -1)), self.model.rowCount() - 1)
            self.view.setCurrentIndex(self.model.index(row))
            self.open_photo(row)
        elif self.move_by_key(row, key):
            self.dialog.refresh()

    def move(self, row: int, moved: str) -> None:
        """Move photo `row` to class `moved` or out of the folder (TAKEN_OUT), unless it moved already."""
        photo = self.model.photo(row)
        if self.dataset_edits is None or photo.moved is not None or moved == photo.given:
            return
        if move_photo(self.dataset_edits, photo.path, moved):
            self._moved(row, moved)

    def _moved(self, row: int, moved: str) -> None:
        self.model.mark_moved(row, moved)
        self.moved.emit(self.model.photo(row).path, moved)

    def mark_moved(self, path: str, moved: str) -> None:
        """Photo `path` was moved from elsewhere (the matrix's list): here too it shows where it went."""
        for photo in self.model.photos:
            if photo.path == path:
                photo.moved = moved
        self.model.layoutChanged.emit()  # repaints the cells on screen

    def _menu(self, position: QPoint) -> None:
        index: QModelIndex = self.view.indexAt(position)
        if not index.isValid() or self.dataset_edits is None:
            return
        photo = self.model.photo(index.row())
        if photo.moved is not None:
            return
        menu = photo_menu(self, self.dataset_edits, photo.path, photo.given, photo.suggested, self.labels,
                          lambda moved: self._moved(index.row(), moved))
        menu.exec(self.view.viewport().mapToGlobal(position))

    def sizeHint(self) -> QSize:
        return QSize(520, 360)
