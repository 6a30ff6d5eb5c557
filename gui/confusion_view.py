"""The evaluation of a trained model: the confusion matrix (click a cell to show its photos in the review
grid and list them with their confidences; right-click a photo to move it to another class or take it out of
the folder), precision/recall/F1 per class, every scored photo in the review grid (gui.review_grid), and a
button to review any folder with the model in use (gui.review_folder)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from engine.inference.report import EvaluationReport, NoScore
from gui.dataset_edits import DatasetEdits
from gui.engine_text import ending, error_text, score_check
from gui.model_state import ModelState
from gui.review_folder import FolderReview
from gui.review_grid import ReviewGrid
from gui.review_menu import moved_text, photo_menu
from gui.status_line import describe


def _read_only(text: str, align_right: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


PHOTO_ROLE = Qt.ItemDataRole.UserRole  # a listed photo's ScoredPhoto entry
SMALLEST_MATRIX_WIDTH = 300  # px: a 3x3 matrix with class names of 15 letters or so


class ConfusionView(QWidget):
    """Shows an evaluation (engine.inference.report), or why there is none."""

    def __init__(self, models: ModelState | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.report: EvaluationReport | NoScore | None = None
        self._edits: DatasetEdits | None = None
        # Why the training ended (engine.training.events.ENDINGS key, facts).
        self.ending: tuple[str, dict] | None = None
        self.source = ""  # the evaluated model
        self.reviewed = ""  # the folder reviewed with Review a folder, when that made the report
        self._matrix_fitted = False  # see showEvent
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.folder_review = FolderReview(models)
        self.folder_review.reviewed.connect(lambda report, source, folder: self.show_report(report, None, source,
                                                                                            folder))
        self.folder_review.failed.connect(lambda error: self._say(describe(error)[0]))
        self.folder_review.said.connect(self._say)
        self.grid = ReviewGrid(models)
        self.grid.moved.connect(self._grid_moved)
        self.matrix = QTableWidget()
        self.matrix.cellClicked.connect(self.show_cell)
        # Arrow keys move through the cells; the current cell Qt sets by itself on focus (none before) shows nothing.
        self.matrix.currentCellChanged.connect(
            lambda row, column, before, _: before >= 0 and self.show_cell(row, column))
        self.cell_photos = QListWidget()
        self.cell_photos.setWordWrap(True)  # long paths and the hint wrap instead of running off the side
        self.cell_photos.setResizeMode(QListView.ResizeMode.Adjust)
        self.cell_photos.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.cell_photos.customContextMenuRequested.connect(self._photo_menu)
        self.metrics = QTableWidget(0, 4)
        self.metrics.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.photo_tabs = QTabWidget()
        for page in (self.grid, self.cell_photos, self.metrics):
            self.photo_tabs.addTab(page, "")
        self.top = top = QSplitter()
        top.setChildrenCollapsible(False)
        top.addWidget(self.matrix)
        top.addWidget(self.photo_tabs)
        top.setStretchFactor(0, 0)  # the matrix gets the width its columns need (_fit_matrix), the photos the rest
        top.setStretchFactor(1, 1)
        # self.folder_review is placed by the owner, in a row with room (the Train tab: beside Log and Results)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(top, 1)
        self.retranslate()

    @property
    def dataset_edits(self) -> DatasetEdits | None:
        """The window's: moves in the Train tab's folder, from the list and the grid alike."""
        return self._edits

    @dataset_edits.setter
    def dataset_edits(self, edits: DatasetEdits | None) -> None:
        self._edits = self.grid.dataset_edits = self.folder_review.dataset_edits = edits

    def retranslate(self) -> None:
        self.matrix.setAccessibleName(self.tr("Confusion matrix"))
        self.matrix.setToolTip(self.tr("Rows: true class. Columns: predicted class. Click a cell to list its photos."))
        self.cell_photos.setAccessibleName(self.tr("Photos in the selected cell"))
        self.metrics.setAccessibleName(self.tr("Per-class metrics"))
        self.metrics.setHorizontalHeaderLabels([self.tr("Precision"), self.tr("Recall"), self.tr("F1"),
                                                self.tr("Photos")])
        self.photo_tabs.setTabText(0, self.tr("Photos", "the tab of thumbnails"))
        self.photo_tabs.setTabText(1, self.tr("List"))
        self.photo_tabs.setTabText(2, self.tr("Scores by class"))
        self.folder_review.retranslate()
        self.grid.retranslate()
        if self.report is not None:
            self._show_scores()
        else:
            self.clear()

    def clear(self) -> None:
        """Back to the empty view, as before any training."""
        self.report = self.ending = None
        self.source = self.reviewed = ""
        self._clear_tables()
        self.grid.clear()
        self.summary.setText(self.tr("The confusion matrix appears here when training ends, or when you review a "
                                     "folder with the model in use."))

    def _say(self, text: str) -> None:
        """A line about a folder review (started, cancelled, failed) over what the view shows."""
        self.summary.setText(text)

    def show_report(self, report: EvaluationReport | NoScore, training_end: tuple[str, dict] | None = None,
                    source: str = "", reviewed: str = "") -> None:
        """Show a report of the model in `source`, or why there is none, under why the training ended (an
        engine.training.events.ENDINGS key and its facts) or the folder `reviewed` when given; either replaces
        what was shown."""
        self.report, self.ending, self.source, self.reviewed = report, training_end, source, reviewed
        self._show_scores()
        if isinstance(report, EvaluationReport):
            self.grid.show_report(report, source)
            self.photo_tabs.setCurrentWidget(self.grid)
        else:
            self.grid.clear()

    def _show_scores(self) -> None:
        """The summary, matrix and per-class scores of the report shown, in the current language."""
        report, training_end = self.report, self.ending
        said = "" if training_end is None or not training_end[0] else ending(*training_end) + "\n"
        if self.reviewed:
            said = self.tr("{0} reviewed with {1}.").format(self.reviewed, self._model_name()) + "\n"
        if isinstance(report, NoScore):
            self._clear_tables()
            self.summary.setText(said + self.tr("No score: {0}").format(error_text(report.error)))
            return
        labels, matrix = list(report.labels), report.confusion_matrix
        self.summary.setText(said + self.tr("Accuracy {0:.1%} on {1} photos the model did not train on (the {2} "
                                            "photos it trained on are not scored). Rows: true class; columns: "
                                            "predicted.").format(
            report.accuracy, report.images, report.excluded) + "\n" + score_check(report.check))
        self.matrix.setRowCount(len(labels))
        self.matrix.setColumnCount(len(labels))
        # Columns by number (the class's row, and its key 1-9 in the grid) so that a 3x3 matrix fits beside the
        # photos; a column's header names its class in its tooltip.
        self.matrix.setVerticalHeaderLabels([f"{number}  {label}" for number, label in enumerate(labels, 1)])
        for column, label in enumerate(labels):
            header = QTableWidgetItem(str(column + 1))
            header.setToolTip(self.tr("Predicted: {0}").format(label))
            self.matrix.setHorizontalHeaderItem(column, header)
        for row, counts in enumerate(matrix):
            total = max(1, sum(counts))
            for column, count in enumerate(counts):
                item = _read_only(str(count))
                share = count / total
                base = (60, 160, 80) if row == column else (220, 70, 60)
                if count:
                    item.setBackground(QColor(*base, int(40 + 180 * share)))
                self.matrix.setItem(row, column, item)
        self.matrix.resizeColumnsToContents()
        self._fit_matrix()
        self.metrics.setRowCount(len(labels))
        self.metrics.setVerticalHeaderLabels(labels)
        for row, label in enumerate(labels):
            scores = report.per_class[label]
            for column, value in enumerate((scores.precision, scores.recall, scores.f1)):
                self.metrics.setItem(row, column, _read_only(f"{value:.3f}"))
            self.metrics.setItem(row, 3, _read_only(str(scores.support)))
        self._show_list_hint(self.tr("Click a cell of the matrix to list its photos here."))

    def _fit_matrix(self) -> None:
        """Give the matrix the width its columns need, as far as the photos beside it leave room: the splitter
        otherwise shares the width by ratio and hid all but one column at 1024 px."""
        matrix = self.matrix
        wanted = (matrix.verticalHeader().sizeHint().width() + matrix.horizontalHeader().length()
                  + 2 * matrix.frameWidth() + matrix.verticalScrollBar().sizeHint().width())
        # never narrower than a small matrix needs, so the window's smallest size still shows a 3x3 one whole
        matrix.setMinimumWidth(min(wanted, SMALLEST_MATRIX_WIDTH))
        total = sum(self.top.sizes())
        if total > 0:
            self.top.setSizes([wanted, max(0, total - wanted)])
        self._matrix_fitted = total > 0

    def showEvent(self, event) -> None:  # noqa: N802  (Qt's name)
        """A report shown while this view was hidden has its matrix fitted once it has a width to share; after
        that the handle beside the matrix is the user's (dragged wider, it stays so)."""
        super().showEvent(event)
        if not self._matrix_fitted and self.matrix.columnCount():
            self._fit_matrix()

    def _clear_tables(self) -> None:
        for table in (self.matrix, self.metrics):
            table.setRowCount(0)
        self.matrix.setColumnCount(0)
        self._show_list_hint("")

    def _show_list_hint(self, text: str) -> None:
        """An empty photo list says what fills it (a grey line that cannot be selected)."""
        self.cell_photos.clear()
        if text:
            self.cell_photos.addItem(text)
            self.cell_photos.item(0).setFlags(Qt.ItemFlag.NoItemFlags)

    def _model_name(self) -> str:
        models = self.grid.models
        return models.name_of(self.source) if models is not None else self.source

    def show_cell(self, row: int, column: int) -> None:
        """Show the photos of true class `row` predicted as `column` in the grid, and list them with their
        confidence."""
        if not isinstance(self.report, EvaluationReport) or row < 0 or column < 0:
            return
        labels = self.report.labels
        true, predicted = labels[row], labels[column]
        self.grid.show_cell(true, predicted)
        self.cell_photos.clear()
        entries = [entry for entry in self.report.scored if entry.true == true and entry.predicted == predicted]
        moved = {photo.path: photo.moved for photo in self.grid.model.photos if photo.moved is not None}
        for entry in sorted(entries, key=lambda entry: -entry.confidence):
            item = QListWidgetItem(f"{entry.confidence:.1%}  {entry.path}")
            item.setData(PHOTO_ROLE, entry)
            self.cell_photos.addItem(item)
            if entry.path in moved:  # moved from the grid
                self._grey(item, moved[entry.path])
        if not entries:
            count = self.report.confusion_matrix[row][column]
            self.cell_photos.addItem(self.tr("{0} photo(s) of {1} predicted as {2}").format(count, true, predicted))

    def _photo_menu(self, position) -> None:
        item = self.cell_photos.itemAt(position)
        menu = self.photo_menu(item) if item is not None else None
        if menu is not None:
            menu.exec(self.cell_photos.viewport().mapToGlobal(position))

    def photo_menu(self, item: QListWidgetItem) -> QMenu | None:
        """A listed photo's menu: move it to the class it was taken for (first) or any other, or take it out;
        None for a line that is no photo, or one moved already."""
        entry = item.data(PHOTO_ROLE)
        if entry is None or self.dataset_edits is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        return photo_menu(self, self.dataset_edits, entry.path, entry.true, entry.predicted, self.report.labels,
                          lambda moved: self._moved(item, moved))

    def _moved(self, item: QListWidgetItem, moved: str) -> None:
        """A photo that moved stays listed, greyed, with where it went (the scores describe the folder as it
        was), in the grid too."""
        self._grey(item, moved)
        self.grid.mark_moved(item.data(PHOTO_ROLE).path, moved)

    def _grey(self, item: QListWidgetItem, moved: str) -> None:
        item.setText(f"{item.text()}  ({moved_text(moved)})")
        item.setFlags(Qt.ItemFlag.NoItemFlags)

    def _grid_moved(self, path: str, moved: str) -> None:
        """A photo moved from the grid is greyed in the list as well, when listed."""
        for row in range(self.cell_photos.count()):
            item = self.cell_photos.item(row)
            entry = item.data(PHOTO_ROLE)
            if entry is not None and entry.path == path and item.flags() & Qt.ItemFlag.ItemIsEnabled:
                self._grey(item, moved)
