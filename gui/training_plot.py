"""The live loss/accuracy plot of a training run (pyqtgraph).

The key to the two curves is a line of text above the plots, not a legend inside them: a legend drawn over a
plot covered the newest validation points (accuracy climbs to the top right corner, where legends sit).

Per-batch points are appended to plain lists as they arrive; the curves are redrawn by a timer at most
`REDRAW_HZ` times a second from the latest data, so a fast training never floods the event loop.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

REDRAW_HZ = 10
TRAINING_COLOUR, VALIDATION_COLOUR = "#1f77b4", "#d62728"


class Series:
    """One curve's points (x: fractional epoch)."""

    def __init__(self) -> None:
        self.x: list[float] = []
        self.y: list[float] = []

    def add(self, x: float, y: float) -> None:
        self.x.append(x)
        self.y.append(y)


class TrainingPlot(QWidget):
    """Two plots side by side: loss and accuracy, training (per batch) and validation (per epoch)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        import pyqtgraph  # about a second to import: only when the Train tab first shows

        pyqtgraph.setConfigOptions(antialias=True, background="w", foreground="k")
        self.series = {name: Series() for name in ("train_loss", "val_loss", "train_accuracy", "val_accuracy")}
        self.loss_plot = pyqtgraph.PlotWidget()
        self.accuracy_plot = pyqtgraph.PlotWidget()
        self.accuracy_plot.setYRange(0, 1)
        self.curves = {}
        for plot, kind in ((self.loss_plot, "loss"), (self.accuracy_plot, "accuracy")):
            plot.showGrid(x=True, y=True, alpha=0.3)
            self.curves[f"train_{kind}"] = plot.plot(pen=pyqtgraph.mkPen(TRAINING_COLOUR, width=1.5))
            self.curves[f"val_{kind}"] = plot.plot(pen=pyqtgraph.mkPen(VALIDATION_COLOUR, width=2), symbol="o",
                                                   symbolSize=6, symbolBrush=VALIDATION_COLOUR)
        self.key = QLabel()  # which curve is which, in the curves' colours
        self.key.setTextFormat(Qt.TextFormat.RichText)
        self.key.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.key.setWordWrap(True)
        plots = QHBoxLayout()
        plots.addWidget(self.loss_plot)
        plots.addWidget(self.accuracy_plot)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.key)
        layout.addLayout(plots, 1)
        self.redraws = 0
        self._dirty = False
        self._timer = QTimer(self)
        self._timer.setInterval(1000 // REDRAW_HZ)
        self._timer.timeout.connect(self._redraw)
        self._timer.start()
        self.retranslate()

    def retranslate(self) -> None:
        for plot, title, axis in ((self.loss_plot, self.tr("Loss"), self.tr("loss")),
                                  (self.accuracy_plot, self.tr("Accuracy"), self.tr("accuracy"))):
            plot.setTitle(title)
            plot.setLabel("bottom", self.tr("epoch"))
            plot.setLabel("left", axis)
        training = html.escape(self.tr("training, each batch"))
        validation = html.escape(self.tr("validation, each epoch (photos it does not train on)"))
        self.key.setText(f'<span style="color:{TRAINING_COLOUR}"><b>━━</b></span> {training}&nbsp;&nbsp;&nbsp; '
                         f'<span style="color:{VALIDATION_COLOUR}"><b>━●━</b></span> {validation}')
        self.loss_plot.setAccessibleName(self.tr("Loss plot"))
        self.accuracy_plot.setAccessibleName(self.tr("Accuracy plot"))

    def add_point(self, name: str, x: float, y: float) -> None:
        """Record a point of series `name` (train_loss, val_loss, train_accuracy, val_accuracy)."""
        self.series[name].add(x, y)
        self._dirty = True

    def clear(self) -> None:
        for series in self.series.values():
            series.x.clear()
            series.y.clear()
        self._dirty = True

    def points(self, name: str) -> int:
        """How many points the curve `name` shows now (what a test or a screenshot sees)."""
        x, _ = self.curves[name].getData()
        return 0 if x is None else len(x)

    def _redraw(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        self.redraws += 1
        for name, series in self.series.items():
            self.curves[name].setData(series.x, series.y)
