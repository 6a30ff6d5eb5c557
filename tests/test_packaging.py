"""The installed app: icons, menu entry and bundle contents (fast), and the real frozen build (slow).

The slow test builds dist/DenseNetStudio with PyInstaller (many minutes on 2 cores), runs the frozen
`--self-test`, and installs it per user into a temporary home. scripts/test leaves it out; run it with
`packaging/check.sh` or `scripts/test -m slow tests/test_packaging.py`.
"""

import configparser
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))

from bundle_contents import data_files, excluded_modules  # noqa: E402
from icons import PNG_SIZES, render_icons  # noqa: E402


def test_icons_are_rendered_from_the_svg_for_every_platform(tmp_path):
    made = render_icons(ROOT / "resources" / "icons" / "densenet-studio.svg", tmp_path)
    for size in PNG_SIZES:
        with Image.open(made[f"png{size}"]) as png:
            assert png.size == (size, size)
            assert png.getpixel((size // 2, size // 2))[3] == 255  # drawn, not an empty canvas
            assert png.getpixel((0, 0))[3] == 0  # rounded corners stay transparent
    with Image.open(made["ico"]) as ico:
        assert (256, 256) in ico.info["sizes"] and (16, 16) in ico.info["sizes"]
    with Image.open(made["icns"]) as icns:
        assert icns.format == "ICNS"


def test_desktop_entry_names_the_app_and_its_icon():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(ROOT / "packaging" / "linux" / "densenet-studio.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Name"] == "DenseNet Studio"
    assert section["Exec"] == "DenseNetStudio"  # install.sh rewrites it to the installed path
    assert section["Icon"] == "densenet-studio"
    assert section["Terminal"] == "false"
    assert section["Categories"].endswith(";")


def test_bundle_keeps_resources_and_leaves_out_tests_cuda_and_unused_qt(tmp_path):
    staged = tmp_path / "icons"
    staged.mkdir()
    (staged / "densenet-studio-32.png").write_bytes(b"")
    pairs = data_files(ROOT, tmp_path)
    assert (str(ROOT / "resources"), "resources") in pairs
    assert (str(staged / "densenet-studio-32.png"), "resources/icons") in pairs
    excluded = set(excluded_modules())
    assert {"nvidia", "tensorboard", "PySide6.QtWebEngineCore", "PySide6.QtQml", "tests"} <= excluded
    assert "keras.src.layers.core.dense_test" in excluded
    assert not {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtSvg"} & excluded


@pytest.mark.slow
def test_frozen_app_builds_passes_its_self_test_and_installs_per_user(tmp_path):
    build = subprocess.run([sys.executable, "packaging/build.py"], cwd=ROOT, capture_output=True, text=True,
                           timeout=3600)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert "ImageNet weights" in build.stdout  # the build says whether it bundled them
    app = ROOT / "dist" / "DenseNetStudio"
    internal = app / "_internal"
    for shipped in ("icons/densenet-studio.svg", "icons/densenet-studio-256.png", "imagenet_class_index.json"):
        assert (internal / "resources" / shipped).is_file(), shipped
    names = {path.name for path in internal.rglob("*")}
    assert not [name for name in names if name.startswith(("libQt6WebEngine", "libQt6Qml", "libQt6Quick"))]
    assert not {"nvidia", "tensorboard", "clang"} & names

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    selftest = subprocess.run([str(app / "DenseNetStudio"), "--self-test"], capture_output=True, text=True,
                              timeout=900, env=env)
    assert selftest.returncode == 0, selftest.stdout[-3000:] + selftest.stderr[-3000:]
    assert "installed app" in selftest.stdout
    assert "self-test passed" in selftest.stdout

    home = dict(os.environ, HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"))
    subprocess.run([str(app / "install.sh")], check=True, env=home, capture_output=True, timeout=600)
    menu = tmp_path / "data" / "applications" / "densenet-studio.desktop"
    installed = tmp_path / "data" / "densenet-studio" / "DenseNetStudio"
    assert f'Exec="{installed}"' in menu.read_text(encoding="utf-8")
    assert (tmp_path / "data" / "icons" / "hicolor" / "256x256" / "apps" / "densenet-studio.png").is_file()
    assert os.access(tmp_path / ".local" / "bin" / "densenet-studio", os.X_OK)
    subprocess.run([str(app / "install.sh"), "--uninstall"], check=True, env=home, capture_output=True)
    assert not menu.exists() and not installed.exists()
