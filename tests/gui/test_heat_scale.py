"""The heatmap's colour scale: the bar shows the very colours blended over photos, blue (little) to red (most)."""

import numpy as np

from gui.heat_scale import HeatScale, heat_colours


def test_the_scale_runs_from_blue_for_little_to_red_for_most_in_the_heatmap_colours(qtbot):
    assert heat_colours(np.array([0.0, 0.5, 1.0])).tolist() == [[0, 0, 255], [127.5, 255, 127.5], [255, 0, 0]]
    scale = HeatScale()
    qtbot.addWidget(scale)
    scale.resize(scale.sizeHint())
    image = scale.grab().toImage()
    middle = image.height() // 2
    row = [image.pixelColor(x, middle) for x in range(image.width())]
    reddest = max(range(len(row)), key=lambda x: row[x].red() - row[x].blue())
    bluest = max(range(len(row)), key=lambda x: row[x].blue() - row[x].red())
    assert bluest < reddest  # little on the left, most on the right, as the words say
    assert row[reddest].red() > 240 and row[bluest].blue() > 240
    metrics = scale.fontMetrics()
    assert scale.sizeHint().width() >= metrics.horizontalAdvance(scale.little + scale.most)  # both words fit
