"""What goes into the installed app and what stays out, as data the PyInstaller spec reads.

PyInstaller's TensorFlow hook collects every TensorFlow and Keras submodule (their API is lazy, so static
analysis alone misses modules). On top of that we add our own packages and shipped files, and exclude what
a CPU desktop app never runs: test modules, other Keras backends, CUDA wheels, TensorBoard, and the Qt
modules the GUI does not use (each would drag in tens of MB of Qt libraries and plugins). Some files the
hooks collect are never loaded either: `bundled()` drops them (UNUSED_FILES) from what the analysis found,
with the libraries that only they load (`orphans()`). Where LiteRT is bundled (Linux), TensorFlow's own TFLite
wrappers go too, and LiteRT's builds of the same wrappers stand in (`tflite_stand_ins()`).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from fnmatch import fnmatch
from functools import cache
from pathlib import Path, PurePath

# Qt modules the GUI does not import (it uses QtCore, QtGui, QtWidgets, QtSvg; pyqtgraph's plot items
# import QtOpenGL and QtOpenGLWidgets). Excluding the Python module keeps PyInstaller's Qt hooks from
# collecting its libraries and plugins.
UNUSED_QT = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender", "QtBluetooth", "QtCharts",
    "QtConcurrent", "QtDataVisualization", "QtDesigner", "QtGraphs", "QtGraphsWidgets", "QtHelp", "QtHttpServer",
    "QtLocation", "QtMultimedia", "QtMultimediaWidgets", "QtNetwork", "QtNetworkAuth", "QtNfc", "QtPdf",
    "QtPdfWidgets", "QtPositioning", "QtQml", "QtQuick", "QtQuick3D", "QtQuickControls2", "QtQuickTest",
    "QtQuickWidgets", "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus", "QtSerialPort", "QtSpatialAudio",
    "QtSql", "QtStateMachine", "QtTest", "QtTextToSpeech", "QtUiTools", "QtWebChannel", "QtWebEngineCore",
    "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets", "QtWebView",
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
    "grpc",  # 17 MB; only TensorFlow's remote debugger and RPC servers import it
    "PIL._avif",  # libavif (5 MB): AVIF is not among engine.data.images.IMAGE_SUFFIXES
    "PIL._imagingft",  # FreeType and HarfBuzz for ImageFont: the app draws no text with Pillow
    "pygments",  # only rich's syntax and traceback views import it; Keras' summaries use neither
)

# Qt plugins the app does without. Devices without a desktop (framebuffer, EGL full screen, VNC, Vulkan
# display, TUIO touch over the network): a desktop runs xcb or wayland, tests run offscreen. GTK's look for
# dialogs: it loads the desktop's own GTK 3, which the bundle does not carry, next to the build machine's
# Cairo and Pango, which it would (8 MB); without it Qt draws its own dialogs or asks the desktop portal.
UNUSED_QT_PLUGINS = ("platformthemes/libqgtk3.so", "platforms/libqeglfs.so", "platforms/libqlinuxfb.so",
                     "platforms/libqminimalegl.so", "platforms/libqvkkhrdisplay.so", "platforms/libqvnc.so",
                     "generic/libqtuiotouchplugin.so", "egldeviceintegrations/*")

# Files the hooks collect that the app never loads, as patterns on their path in the bundle.
UNUSED_FILES = (
    "tensorflow/compiler/tf2xla/ops/_xla_ops.so",  # 14 MB nothing loads: libtensorflow_cc registers XLA's ops
    "tensorflow/python/profiler/internal/_pywrap_profiler_plugin.so",  # 20 MB; PROFILER_STUB stands in
    # 4 MB of protobuf and Abseil that nothing loads: no library needs it, no module imports it, and no file
    # of the tensorflow-cpu wheel names it except its RECORD (`import tensorflow` leaves it unmapped)
    "tensorflow/python/framework/lib_native_proto_caster.so",
    "PySide6/Qt/translations/*",  # Qt's own texts in 40 languages; qtbase_* of ours are kept (qt_translations)
    *(f"PySide6/Qt/plugins/{plugin}" for plugin in UNUSED_QT_PLUGINS),
)
BINARY_KINDS = ("BINARY", "EXTENSION")  # the kinds of PyInstaller entries that load libraries

# `import tensorflow` imports the remote profiler client, whose extension is left out: a stub stands in.
PROFILER_STUB = ("tensorflow.python.profiler.internal._pywrap_profiler_plugin",
                 Path(__file__).resolve().parent / "stubs" / "_pywrap_profiler_plugin.py")

# TensorFlow's TFLite wrappers: nine 3 KB modules (eight importable) and libpywrap_tflite_common.so (11 MB),
# which holds their code and which only they load. Where the app bundles LiteRT, which carries the same eight
# wrappers built from the same sources, one stub module stands in under each of their names and becomes
# LiteRT's wrapper (stubs/tflite_wrappers.py says how). TensorFlow's converter (its extension is
# tensorflow/compiler/mlir/lite/python/_pywrap_converter_api.so) is not among them and stays.
TF_TFLITE_FILES = ("tensorflow/lite/python/*.so",)
TFLITE_STUB = Path(__file__).resolve().parent / "stubs" / "tflite_wrappers.py"


def _stub_mapping() -> dict[str, str]:
    spec = importlib.util.spec_from_file_location("_tflite_wrappers_stub", TFLITE_STUB)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # under its own name it only defines the mapping
    return dict(module.LITERT)


@cache
def tflite_stand_ins() -> dict[str, str]:
    """TensorFlow's TFLite wrapper modules -> the LiteRT modules that stand in for them in the bundle; empty
    (TensorFlow's own wrappers bundled) off Linux, the only platform built and tested here, or where the
    installed LiteRT lacks one of them."""
    if not sys.platform.startswith("linux") or importlib.util.find_spec("ai_edge_litert") is None:
        return {}
    mapping = _stub_mapping()
    if any(importlib.util.find_spec(target) is None for target in mapping.values()):
        return {}
    return mapping


def unused_files() -> tuple[str, ...]:
    return UNUSED_FILES + (TF_TFLITE_FILES if tflite_stand_ins() else ())


def keras_test_modules() -> list[str]:
    """Keras ships its unit tests (`*_test.py`, 277 in Keras 3.15) inside the package; none belong in the app."""
    package = Path(importlib.util.find_spec("keras").origin).parent  # found without importing Keras
    return sorted(
        ".".join(path.relative_to(package.parent).with_suffix("").parts) for path in package.rglob("*_test.py")
    )


def excluded_modules() -> list[str]:
    return [f"PySide6.{name}" for name in UNUSED_QT] + list(UNUSED_PACKAGES) + keras_test_modules()


def qt_translations(root: Path) -> set[str]:
    """Qt's own catalogue (qtbase_LANG.qm: file dialogs, message boxes) for each language the app ships."""
    return {f"qtbase_{ts.stem.removeprefix('studio_')}.qm"
            for ts in (root / "resources" / "translations").glob("studio_*.ts")}


def _unused(name: str, texts: set[str]) -> bool:
    path = PurePath(name)
    return path.name not in texts and any(fnmatch(path.as_posix(), pattern) for pattern in unused_files())


def orphans(binaries: list[tuple], root: Path, needs: Callable[[str], set[str]]) -> set[str]:
    """The names of the libraries that only UNUSED_FILES load (`needs`: a binary's source -> the names of
    the libraries it loads), e.g. Cairo and Pango with the GTK plugin, QtNetwork with the VNC plugin."""
    texts = qt_translations(root)
    binaries = [(name, source) for name, source, kind in binaries if kind in BINARY_KINDS]
    candidates = set().union(*(needs(source) for name, source in binaries if _unused(name, texts)))
    by_name = {PurePath(name).name: source for name, source in binaries}
    todo = [source for name, source in binaries if not _unused(name, texts) and PurePath(name).name not in candidates]
    loaded = set()
    while todo:
        for name in needs(todo.pop()) - loaded:
            loaded.add(name)
            if name in by_name:
                todo.append(by_name[name])
    return candidates - loaded


def bundled(entries: list[tuple], root: Path, orphaned: set[str] = frozenset()) -> list[tuple]:
    """PyInstaller's (path in bundle, source, kind) entries without UNUSED_FILES (keeping qt_translations())
    and without the libraries named in `orphaned`, wherever they are (symbolic links are among the datas)."""
    texts = qt_translations(root)
    return [entry for entry in entries if not _unused(entry[0], texts) and PurePath(entry[0]).name not in orphaned]


def hidden_imports() -> list[str]:
    """Our packages in full: CLI subcommands and GUI tabs are imported by name lists, not only statically;
    tf2onnx, whose package imports its submodules by name (the ONNX route converts with it); and the LiteRT
    wrappers that stand in for TensorFlow's (only the stub imports them)."""
    from PyInstaller.utils.hooks import collect_submodules

    return (collect_submodules("engine") + collect_submodules("gui") + collect_submodules("tf2onnx")
            + sorted(set(tflite_stand_ins().values())))


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
