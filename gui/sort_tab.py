"""The Sort tab: a folder of unsorted photos becomes the folder-per-class layout the Train tab reads.

The user names the classes and sorts the photo shown with keys 1-9 (or a class button, or by dropping a
thumbnail on one); each answer is written at once, journaled (gui.sort_session says why), and Backspace or
Ctrl+Z takes it back. Once every class has two photos, a class is suggested for each photo left, the least
sure first, and Enter accepts it. Feature vectors (the loaded model's, else the offline ones) and each
refit of the suggestions run in workers, never on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QSettings, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from engine.data.photo_moves import MoveError
from engine.data.sort_folder import COPY, MOVE, ClassNameError, default_target, start_sorting
from gui import settings as keys
from gui.drop_highlight import DropHighlight
from gui.drops import dropped_folder
from gui.engine_text import photo_reason
from gui.model_state import ModelState
from gui.sort_classes import KEYED_CLASSES, SortClasses
from gui.sort_photo import SortPhoto
from gui.sort_session import SortSession
from gui.sort_strip import SortStripModel, strip_view
from gui.sort_suggester import SortSuggester
from gui.status_line import StatusLine

WRITE_MODE = "sort/write_mode"  # "copy" or "move", the user's last choice
SORT_FOLDER = "folders/sort"


class SortTab(QWidget):
    """`train_requested(folder)` asks the Train tab to check the sorted folder."""

    train_requested = Signal(str)

    def __init__(self, models: ModelState, settings: QSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.models = models
        self.settings = settings
        self.session: SortSession | None = None
        self.chosen_target = ""  # a target the user picked for this source; else the default
        self.suggester = SortSuggester(self)
        self.suggester.read.connect(self._features_read)
        self.suggester.done.connect(self._say_progress)
        self.suggester.suggested.connect(self._show_strip)
        self.suggester.failed.connect(lambda error: self.status.show_error(error))
        self._asked_next = True  # the photo shown was chosen by the app, not by the user: follow the order
        self.setAcceptDrops(True)
        self.drop_highlight = DropHighlight(self)

        self.choose_button = QPushButton()
        self.choose_button.clicked.connect(self.choose_folder)
        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        self.mode_box = QComboBox()
        self.mode_box.addItems(["", ""])
        self.mode_box.setCurrentIndex(1 if keys.recall(settings, WRITE_MODE, COPY) == MOVE else 0)
        self.mode_box.currentIndexChanged.connect(self._mode_changed)
        self.target_button = QPushButton()
        self.target_button.clicked.connect(self.choose_target)
        self.target_label = QLabel()
        self.target_label.setWordWrap(True)
        self.classes = SortClasses()
        self.classes.chosen.connect(self.sort_current)
        self.classes.dropped.connect(self._sort_dropped)
        self.classes.added.connect(self.add_class)
        self.classes.renamed.connect(self.rename_class)
        self.photo = SortPhoto()
        self.strip_model = SortStripModel(self)
        self.strip = strip_view(self.strip_model)
        self.strip.selectionModel().currentChanged.connect(self._current_changed)
        self.status = StatusLine()
        self.problems = QListWidget()
        self.problems.setMaximumHeight(70)
        self.problems.setWordWrap(True)
        self.problems.hide()
        self.train_button = QPushButton()
        self.train_button.clicked.connect(lambda: self.train_requested.emit(str(self.session.target)))
        self.train_button.setEnabled(False)
        self._build_layout()
        self._build_keys()
        models.ready.connect(self._model_ready)
        self.retranslate()

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.choose_button)
        top.addWidget(self.source_label, 1)
        top.addWidget(self.mode_box)
        into = QHBoxLayout()
        into.addWidget(self.target_button)
        into.addWidget(self.target_label, 1)
        into.addWidget(self.train_button)
        self.class_title = QLabel()
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.class_title)
        column.addWidget(self.classes, 1)
        left.setMinimumWidth(200)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.photo)
        split.setStretchFactor(1, 1)
        split.setSizes([240, 700])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(into)
        layout.addWidget(split, 1)
        layout.addWidget(self.strip)
        layout.addWidget(self.status)
        layout.addWidget(self.problems)

    def _build_keys(self) -> None:
        """Keys 1-9 sort into a class, Enter accepts the suggestion, Backspace undoes, Left/Right move: within
        the tab, except while a text field has the focus (it keeps its own keys)."""
        bindings = [(str(index + 1), lambda index=index: self.sort_current(index)) for index in range(KEYED_CLASSES)]
        bindings += [("Return", self.accept_suggestion), ("Enter", self.accept_suggestion),
                     ("Backspace", self.undo), ("Left", lambda: self.step(-1)), ("Right", lambda: self.step(1))]
        for key, slot in bindings:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def retranslate(self) -> None:
        self.choose_button.setText(self.tr("Choose a fol&der…"))
        self.choose_button.setAccessibleName(self.tr("Choose a folder of unsorted photos"))
        self.mode_box.setItemText(0, self.tr("Copy the photos"))
        self.mode_box.setItemText(1, self.tr("Move the photos"))
        self.mode_box.setAccessibleName(self.tr("Copy or move the photos into the sorted folder"))
        self.mode_box.setToolTip(self.tr("Copy leaves the unsorted folder as it is and puts a copy of each photo in "
                                         "its class; Move takes the photo out of it. Choose Move when you no longer "
                                         "need the unsorted folder, e.g. to save disk space."))
        self.target_button.setText(self.tr("Sorted &into…"))
        self.target_button.setAccessibleName(self.tr("Choose where the sorted photos go"))
        self.train_button.setText(self.tr("Train o&n this folder"))
        self.class_title.setText(self.tr("Classes (keys 1-9):"))
        self.strip.setAccessibleName(self.tr("Photos to sort"))
        self.photo.setAccessibleName(self.tr("Photo to sort"))
        self.problems.setAccessibleName(self.tr("Files skipped"))
        self.classes.retranslate()
        self.classes.new_name.setToolTip(self.tr("Type a class's name and press Enter: it becomes a folder in the "
                                                 "sorted folder, with the next free key 1-9 to sort photos into it."))
        self.status.retranslate()
        self._show_session()
        self._show_problems()

    # The folder and where it goes

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder of unsorted photos"),
                                                  keys.recall_folder(self.settings, SORT_FOLDER))
        if folder:
            self.open_folder(folder)

    def choose_target(self) -> None:
        if self.session is None:
            return
        folder = QFileDialog.getExistingDirectory(self, self.tr("Sorted folder"), str(self.session.target.parent))
        if folder:
            self.chosen_target = folder
            self.open_folder(str(self.session.source))

    def open_folder(self, folder: str) -> None:
        """Start (or go on with) sorting `folder` into the chosen target, or the default one; the classes
        named for it so far stay, with or without photos."""
        same = self.session is not None and Path(folder).resolve() == self.session.source
        named = self.session.classes if same else []
        if not same:
            self.chosen_target = ""
        self.settings.setValue(SORT_FOLDER, folder)
        target = self.chosen_target or default_target(folder, self.mode())
        try:
            start = start_sorting(folder, target)
        except MoveError as error:
            self.status.show_error(error)
            return
        self.session = SortSession(start, self.mode())
        self._show_problems()
        for name in named:
            if name not in self.session.classes:
                self.session.classes.append(name)
        self._asked_next = True
        self._show_session()
        self._read_features()
        self.strip.setFocus(Qt.FocusReason.OtherFocusReason)

    def mode(self) -> str:
        return MOVE if self.mode_box.currentIndex() == 1 else COPY

    def _mode_changed(self) -> None:
        self.settings.setValue(WRITE_MODE, self.mode())
        if self.session is not None:
            self.open_folder(str(self.session.source))  # the default target follows the mode

    # Features and suggestions, in workers (gui.sort_suggester)

    def _model_ready(self) -> None:
        if self.session is not None:
            self._read_features()  # the model's features beat the offline ones

    def _read_features(self) -> None:
        self.suggester.read_features(self.session, self.models.classifier)
        self._say_progress()

    def _features_read(self, unreadable: bool) -> None:
        if unreadable:
            self._show_problems()
            self._show_strip()
        self._say_progress()

    # Sorting

    def current_row(self) -> int | None:
        index = self.strip.currentIndex()
        if self.session is None or not index.isValid():
            return None
        return self.session.photos.index(self.strip_model.paths[index.row()])

    def sort_current(self, label: int) -> None:
        row = self.current_row()
        if row is not None and label < len(self.session.classes):
            self._sort(row, label)

    def accept_suggestion(self) -> None:
        row = self.current_row()
        if row is not None and row in self.session.suggested:
            self._sort(row, self.session.suggested[row][0])

    def _sort_dropped(self, path: str, label: int) -> None:
        if self.session is not None and path in self.session.photos:
            self._sort(self.session.photos.index(path), label)

    def _sort(self, row: int, label: int) -> None:
        session = self.session
        name = Path(session.photos[row]).name
        try:
            session.sort(row, label)
        except MoveError as error:
            self.status.show_error(error)
            return
        self._asked_next = True
        self._show_session()
        self.status.show_message(lambda: self.tr("{0} sorted into {1}; Backspace or Ctrl+Z takes it back.").format(
            name, session.classes[label]))
        self.suggester.refit()

    def undo(self) -> None:
        """Take back the last answer (the sorted folder's last journaled move, also one made before a restart)."""
        if self.session is None:
            self.status.show_message(self.tr("Nothing to undo: no folder is being sorted."))
            return
        try:
            move, row = self.session.undo()
        except MoveError as error:
            self.status.show_error(error)
            return
        name = Path(move.source).name
        self._show_session(first=self.session.photos[row] if row is not None else None)
        self.status.show_message(lambda: self.tr("Undone: {0} is back among the photos to sort.").format(name))
        self.suggester.refit()

    def step(self, offset: int) -> None:
        """Show the photo `offset` places along the strip."""
        index = self.strip.currentIndex()
        row = (index.row() if index.isValid() else 0) + offset
        if 0 <= row < self.strip_model.rowCount():
            self._asked_next = False
            self._select(row)

    def add_class(self, name: str) -> None:
        if self.session is None:
            self.status.show_message(self.tr("Choose a folder of unsorted photos first."))
            return
        try:
            self.session.add_class(name)
        except ClassNameError as error:
            self.status.show_error(error)
            return
        self._show_session()
        self.suggester.refit()

    def rename_class(self, label: int, name: str) -> None:
        session = self.session
        if session.counts()[label] or (session.target / session.classes[label]).exists():
            old = session.classes[label]
            self.status.show_error(lambda: self.tr("{0} already has a folder in {1}: rename it there, or add a new "
                                                   "class.").format(old, session.target))
            return
        try:
            session.rename_class(label, name)
        except ClassNameError as error:
            self.status.show_error(error)
            return
        self._show_session()

    # What is shown

    def _show_session(self, first: str | None = None) -> None:
        session = self.session
        if session is None:
            self.source_label.setText(self.tr("No folder chosen yet."))
            self.target_label.clear()
            self.photo.setText(self.tr("Drop a folder of unsorted photos here, or choose one. Its photos (not "
                                       "those in its subfolders) are sorted into one folder per class."))
            self.classes.show_classes([], [])
            return
        left = len(session.unsorted())
        self.source_label.setText(self.tr("{0}: {1} photos to sort").format(session.source, left))
        self.target_label.setText(self.tr("Sorted into {0}").format(session.target))
        counts = session.counts()
        self.classes.show_classes(session.classes, counts)
        self.train_button.setEnabled(sum(1 for count in counts if count) >= 2)
        self._show_strip(first)

    def _show_problems(self) -> None:
        """The files that cannot be read, each with why, in the window's language."""
        self.problems.clear()
        skipped = self.session.skipped if self.session is not None else {}
        for row, reason in sorted(skipped.items()):
            self.problems.addItem(self.tr("Skipped {0}: {1}").format(self.session.photos[row], photo_reason(reason)))
        self.problems.setVisible(bool(skipped))

    def _show_strip(self, first: str | None = None) -> None:
        """The strip in the order to ask; the photo shown stays, unless the app chose it (then the first)."""
        session = self.session
        index = self.strip.currentIndex()
        shown = self.strip_model.paths[index.row()] if index.isValid() else None
        names = session.classes
        rows = session.unsorted()
        suggestions = {session.photos[row]: (names[label], confidence)
                       for row, (label, confidence) in session.suggested.items()}
        self.strip_model.show([session.photos[row] for row in rows], suggestions)
        keep = first or (None if self._asked_next else shown)
        position = self.strip_model.row_of(keep) if keep else -1
        self._select(max(position, 0) if rows else -1)

    def _select(self, position: int) -> None:
        if position < 0:
            self.photo.show_photo("")
            self.photo.show_caption(self.tr("All photos are sorted.") if self.session is not None else "")
            return
        index = self.strip_model.index(position)
        self.strip.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.strip.scrollTo(index)
        self._current_changed()

    def _current_changed(self, *_args) -> None:
        row = self.current_row()
        if row is None:
            return
        session = self.session
        self.photo.show_photo(session.photos[row])
        if row in session.suggested:
            label, confidence = session.suggested[row]
            self.photo.show_caption(self.tr("{0}: suggested {1}, {2:.0%} sure. Enter accepts, 1-9 picks another.")
                                    .format(Path(session.photos[row]).name, session.classes[label], confidence))
        else:
            self.photo.show_caption(Path(session.photos[row]).name)

    def _say_progress(self) -> None:
        """Where the suggestions stand, unless the status line says something more recent."""
        session = self.session
        if session is None or self.status.is_error:
            return
        done, total = len(session.vectors) + len(session.skipped), len(session.photos)
        if done < total:
            self.status.show_message(lambda: self.tr("Reading the photos for suggestions: {0} of {1}…").format(
                done, total))
        elif not session.suggested:
            self.status.show_message(self.tr("Name the classes, then press 1-9 to sort the photo shown. "
                                             "Suggestions start once every class has 2 photos."))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.session is not None and not self.isAncestorOf(self.focusWidget()):
            self.strip.setFocus(Qt.FocusReason.OtherFocusReason)

    def dragEnterEvent(self, event) -> None:
        if dropped_folder(event.mimeData()) is not None:
            event.acceptProposedAction()
            self.drop_highlight.show_for(self.tr("Drop to sort the photos of this folder"))

    def dropEvent(self, event) -> None:
        folder = dropped_folder(event.mimeData())
        if folder is not None:
            event.acceptProposedAction()
            self.open_folder(folder)
