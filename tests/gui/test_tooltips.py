"""Every setting a user can change says, in its tooltip, what it does and when to change it, in English and in
Korean: each input widget of every tab and dialog, walked as the window has them."""

import re

import pytest
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QRadioButton,
    QSlider,
    QWidget,
)

from gui.export_dialog import ExportDialog
from gui.label_problems import LabelProblemsDialog
from tests.gui.helpers import drop_files
from tests.image_files import make_class_folders

INPUTS = (QComboBox, QAbstractSpinBox, QCheckBox, QRadioButton, QSlider, QLineEdit)
HANGUL = re.compile(r"[\uac00-\ud7a3]")
SHORTEST_TIP = 40  # characters: a tooltip that only repeats the setting's name says nothing new


def _inputs(root: QWidget) -> list[QWidget]:
    """The input widgets under `root`, less the text fields that are part of a combo or spin box."""
    return [widget for widget in root.findChildren(QWidget) if isinstance(widget, INPUTS)
            and not isinstance(widget.parentWidget(), (QComboBox, QAbstractSpinBox))]


def _name(widget: QWidget) -> str:
    return f"{type(widget).__name__} {widget.accessibleName() or getattr(widget, 'text', lambda: '')()!r}"


def _without_tips(roots: list[QWidget], language: str) -> list[str]:
    missing = []
    for root in roots:
        for widget in _inputs(root):
            tip = widget.toolTip()
            if len(tip) < SHORTEST_TIP or (language == "ko" and not HANGUL.search(tip)):
                missing.append(f"{type(root).__name__}: {_name(widget)}: {tip!r}")
    return missing


@pytest.mark.parametrize("language", ["en", "ko"])
def test_every_setting_has_a_tooltip_that_explains_it(qtbot, window, tmp_path, language):
    folder = make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=3, size=32)
    assert drop_files(window.sort_tab, [folder / "cat"])  # the Sort tab with its class fields
    window.sort_tab.add_class("kittens")
    export, labels = ExportDialog(window.settings, window), LabelProblemsDialog(window.dataset_edits, window)
    window.set_language(language)
    export.retranslate()
    labels.retranslate()
    roots = [window.classify_tab, window.train_tab, window.architecture_tab, window.sort_tab, export, labels]
    assert sum(len(_inputs(root)) for root in roots) >= 20
    missing = _without_tips(roots, language)
    assert not missing, missing
