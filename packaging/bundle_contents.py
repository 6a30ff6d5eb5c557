"""What goes into the installed app and what stays out, as data the PyInstaller spec reads.

PyInstaller's TensorFlow hook collects every TensorFlow and Keras submodule (their API is lazy, so static
analysis alone misses modules). On top of that we add our own packages and shipped files, and exclude what
a CPU desktop app never runs: test modules, other Keras backends, CUDA wheels, TensorBoard, and the Qt
modules the GUI does not use (each would drag in tens of MB of Qt libraries and plugins).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

# Qt modules the GUI does not import (it uses QtCore, QtGui, QtWidgets, QtSvg; pyqtgraph tries
# QtOpenGLWidgets). Excluding the Python module keeps PyInstaller's Qt hooks from collecting its libraries.
UNUSED_QT = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender", "QtBluetooth",
    "QtCharts", "QtConcurrent", "QtDataVisualization", "QtDesigner", "QtGraphs", "QtGraphsWidgets", "QtHelp",
    "QtHttpServer", "QtLocation", "QtMultimedia", "QtMultimediaWidgets", "QtNetworkAuth", "QtNfc", "QtPdf",
    "QtPdfWidgets", "QtPositioning", "QtQml", "QtQuick", "QtQuick3D", "QtQuickControls2", "QtQuickTest",
    "QtQuickWidgets", "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus", "QtSerialPort",
    "QtSpatialAudio", "QtSql", "QtStateMachine", "QtTest", "QtTextToSpeech", "QtUiTools", "QtWebChannel",
    "QtWebEngineCore", "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets", "QtWebView",
)

UNUSED_PACKAGES = (
    "tests",  # this repository's tests
    "setuptools", "pkg_resources", "distutils",  # build tools; their runtime hooks would cost start-up time
    "pytest", "_pytest", "pytestqt", "IPython", "tkinter", "_tkinter", "matplotlib",
    "tensorboard", "tensorboard_data_server",  # TensorBoard is not installed, but never bundle it
    "nvidia",  # CUDA wheels of tensorflow[and-cuda]: this is a CPU build
    "clang",  # libclang, a TensorFlow build-time dependency (62 MB)
    "jax", "jaxlib", "torch", "openvino",
    "keras.src.backend.jax", "keras.src.backend.torch", "keras.src.backend.openvino",
    "tensorflow.compiler.mlir.stablehlo",  # 25 MB extension TensorFlow never imports for Keras models
)


def keras_test_modules() -> list[str]:
    """Keras ships its unit tests (`*_test.py`, 277 in Keras 3.15) inside the package; none belong in the app."""
    package = Path(importlib.util.find_spec("keras").origin).parent  # found without importing Keras
    return sorted(
        ".".join(path.relative_to(package.parent).with_suffix("").parts) for path in package.rglob("*_test.py")
    )


def excluded_modules() -> list[str]:
    return [f"PySide6.{name}" for name in UNUSED_QT] + list(UNUSED_PACKAGES) + keras_test_modules()


def hidden_imports() -> list[str]:
    """Our packages in full: CLI subcommands and GUI tabs are imported by name lists, not only statically;
    and tf2onnx, whose package imports its submodules by name (the ONNX route converts with it)."""
    from PyInstaller.utils.hooks import collect_submodules

    return collect_submodules("engine") + collect_submodules("gui") + collect_submodules("tf2onnx")


def data_files(root: Path, staging: Path) -> list[tuple[str, str]]:
    """(source, folder in the bundle) pairs: resources/ as is, plus what build.py generated into staging/.

    Generated: icon PNGs (from the SVG), compiled translations (.qm) and, when the Keras cache had them at
    build time, ImageNet weights; they land in the same resources/ folders the source tree uses.
    """
    pairs = [(str(root / "resources"), "resources")]
    for generated, target in (("icons", "resources/icons"), ("translations", "resources/translations"),
                              ("weights", "resources/weights")):
        pairs += [(str(path), target) for path in sorted((staging / generated).glob("*")) if path.is_file()]
    return pairs
