"""The Sort tab's classes: one button each (its key 1-9, its name, its photos so far) that sorts the photo
shown into it when pressed and takes a thumbnail dropped on it; a field to add a class, and renaming."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui.sort_strip import PHOTO_MIME

KEYED_CLASSES = 9  # keys 1-9


class ClassButton(QPushButton):
    """A class: pressed, it takes the photo shown; a thumbnail dropped on it, that photo."""

    photo_dropped = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setStyleSheet("text-align: left; padding: 4px 8px")

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasFormat(PHOTO_MIME):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        if event.mimeData().hasFormat(PHOTO_MIME):
            event.acceptProposedAction()
            self.photo_dropped.emit(bytes(event.mimeData().data(PHOTO_MIME)).decode("utf-8"))


class NameField(QLineEdit):
    """The new class's name: Enter adds it (the tab's Enter, accepting a suggestion, waits meanwhile)."""

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return True
        return super().event(event)


class SortClasses(QWidget):
    """`chosen(class)` when a class button is pressed, `dropped(path, class)` when a thumbnail is dropped on
    one, `added(name)` and `renamed(class, name)` when the user names one."""

    chosen = Signal(int)
    dropped = Signal(str, int)
    added = Signal(str)
    renamed = Signal(int, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.buttons: list[ClassButton] = []
        self.rename_buttons: list[QToolButton] = []
        self.names: list[str] = []
        self.rows = QVBoxLayout()
        self.rows.setSpacing(4)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self.rows)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.new_name = NameField()
        self.new_name.returnPressed.connect(self._add)
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self._add)
        adding = QHBoxLayout()
        adding.addWidget(self.new_name, 1)
        adding.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addLayout(adding)
        self.retranslate()

    def retranslate(self) -> None:
        self.new_name.setPlaceholderText(self.tr("New class name"))
        self.new_name.setAccessibleName(self.tr("New class name"))
        self.add_button.setText(self.tr("Add class"))
        for button in self.rename_buttons:
            button.setText(self.tr("Rename"))

    def show_classes(self, names: list[str], counts: list[int]) -> None:
        """One button per class, in order: "1  cat  (12)"."""
        while len(self.buttons) < len(names):
            self._add_row()
        for index, (button, rename) in enumerate(zip(self.buttons, self.rename_buttons)):
            shown = index < len(names)
            button.setVisible(shown)
            rename.setVisible(shown)
            if not shown:
                continue
            key = f"{index + 1}  " if index < KEYED_CLASSES else ""
            button.setText(f"{key}{names[index]}  ({counts[index]})")
            button.setAccessibleName(self.tr("Sort into {0}").format(names[index]))
            button.setToolTip(self.tr("Press {0}, click, or drop a thumbnail here to sort the photo into {1}")
                              .format(index + 1, names[index]) if index < KEYED_CLASSES else
                              self.tr("Click, or drop a thumbnail here, to sort the photo into {0}").format(names[index]))
            rename.setAccessibleName(self.tr("Rename {0}").format(names[index]))
        self.names = list(names)

    def _add_row(self) -> None:
        index = len(self.buttons)
        button = ClassButton()
        button.clicked.connect(lambda: self.chosen.emit(index))
        button.photo_dropped.connect(lambda path: self.dropped.emit(path, index))
        rename = QToolButton()
        rename.setText(self.tr("Rename"))
        rename.clicked.connect(lambda: self._rename(index))
        row = QHBoxLayout()
        row.addWidget(button, 1)
        row.addWidget(rename)
        self.rows.addLayout(row)
        self.buttons.append(button)
        self.rename_buttons.append(rename)

    def _add(self) -> None:
        name = self.new_name.text().strip()
        if name:
            self.new_name.clear()
            self.added.emit(name)

    def _rename(self, index: int) -> None:
        name, accepted = QInputDialog.getText(self, self.tr("Rename class"), self.tr("New name of {0}:").format(
            self.names[index]), QLineEdit.EchoMode.Normal, self.names[index])
        if accepted and name.strip() and name.strip() != self.names[index]:
            self.renamed.emit(index, name.strip())

