"""The live plot: its key sits above the plots, so no legend covers the newest validation points."""

from gui.training_plot import TrainingPlot


def test_the_key_to_the_curves_is_above_the_plots_not_drawn_over_them(qtbot):
    plot = TrainingPlot()
    qtbot.addWidget(plot)
    plot.resize(700, 300)
    plot.show()
    for epoch in range(1, 6):  # accuracy climbing to the top right corner, where a legend used to sit
        plot.add_point("train_accuracy", epoch, 0.2 * epoch - 0.05)
        plot.add_point("val_accuracy", epoch, 0.2 * epoch)
    qtbot.waitUntil(lambda: plot.points("val_accuracy") == 5, timeout=5000)
    assert plot.loss_plot.plotItem.legend is None and plot.accuracy_plot.plotItem.legend is None
    assert "training" in plot.key.text() and "validation" in plot.key.text()
    assert plot.key.geometry().bottom() < plot.accuracy_plot.geometry().top()
