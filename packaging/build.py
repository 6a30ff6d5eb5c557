"""Build the installed app: `python packaging/build.py` -> dist/DenseNetStudio/DenseNetStudio (one folder).

Run it with the project's Python (`.venv/bin/python packaging/build.py`). On Linux it first sets up its own
venv, build/venv-cpu, with `tensorflow-cpu` instead of the CUDA `tensorflow` wheel (packaging/build_env.py)
and runs again from there; elsewhere it builds in the environment that runs it (`pip install -e .[package]`).
Before PyInstaller runs, it stages what is generated rather than committed (build/staging/): icon PNGs,
.ico and .icns rendered from the SVG, compiled Qt translations, and the ImageNet DenseNet-121 weights when
the Keras cache has them (the build says which). After it, it prints the bundle size by top folders.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGING = ROOT / "build" / "staging"
# One PyInstaller cache per environment: its analysis cache notices changed files, not a different venv.
WORK = ROOT / "build" / "pyinstaller" / Path(sys.prefix).name
BUILD_VENV = ROOT / "build" / "venv-cpu"
DIST = ROOT / "dist"
APP_DIR = DIST / "DenseNetStudio"
SPEC = ROOT / "packaging" / "DenseNetStudio.spec"
BUNDLED_WEIGHTS = ("densenet121",)

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "packaging"))


def executable(app_dir: Path = APP_DIR) -> Path:
    """The app's executable in the one-folder bundle (`.exe` on Windows)."""
    return app_dir / ("DenseNetStudio.exe" if sys.platform == "win32" else "DenseNetStudio")


def stage_icons() -> None:
    from icons import render_icons

    render_icons(ROOT / "resources" / "icons" / "densenet-studio.svg", STAGING / "icons")


def stage_translations() -> list[Path]:
    """Compile every resources/translations/*.ts into the staging folder; the frozen app cannot compile."""
    from scripts.compile_translations import compile_translations

    return compile_translations(STAGING / "translations")


def stage_weights() -> list[Path]:
    """Copy verified ImageNet weights from the Keras cache, so the app classifies photos offline."""
    from engine.model.pretrained import PretrainedError, imagenet_weights_file, keras_cache_dir

    out_dir = STAGING / "weights"
    out_dir.mkdir(parents=True, exist_ok=True)
    staged = []
    for variant in BUNDLED_WEIGHTS:
        for include_top in (True, False):
            try:
                cached = imagenet_weights_file(variant, include_top=include_top, fetch=False)
            except PretrainedError as reason:
                print(f"build: not bundled: {reason} (looked in {keras_cache_dir()})")
                continue
            staged.append(Path(shutil.copy2(cached, out_dir / cached.name)))
            print(f"build: bundling ImageNet weights {cached} ({cached.stat().st_size / 2**20:.0f} MB)")
    if not staged:
        print("build: the app will offer to download the ImageNet weights (33 MB) when a user wants them")
    return staged


def run_pyinstaller(clean: bool) -> None:
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(DIST), "--workpath", str(WORK), str(SPEC)]
    subprocess.run(command + (["--clean"] if clean else []), check=True, cwd=ROOT)


def strip_libraries(app_dir: Path) -> None:
    """Linux: drop the symbol tables of TensorFlow's, LiteRT's, ICU's and Python's own libraries (they stay
    loadable).

    TensorFlow's save about 230 MB, LiteRT's about 4 MB (both wheels are built by Bazel, not patched by
    auditwheel); the ICU libraries in PySide6's wheel 1.3 MB (the only ones of its Qt libraries shipped with
    symbols; their segments are laid out by the linker, not rewritten by patchelf); Python's (libpython,
    lib-dynload) about 23 MB where the interpreter was built with debug information (pyenv). Only these:
    stripping other wheels' libraries that auditwheel patched (numpy's OpenBLAS) makes them unloadable
    ("ELF load command address/offset not page-aligned"), so PyInstaller's global strip is off.
    """
    if not sys.platform.startswith("linux") or shutil.which("strip") is None:
        return
    before = folder_size(app_dir)
    internal = app_dir / "_internal"
    python_lib = f"python{sys.version_info.major}.{sys.version_info.minor}"
    libraries = [*(internal / "tensorflow").rglob("*.so*"), *(internal / "ai_edge_litert").rglob("*.so*"),
                 *(internal / "PySide6" / "Qt" / "lib").glob("libicu*.so*"),
                 *internal.glob(f"lib{python_lib}.so*"),
                 *(internal / python_lib / "lib-dynload").glob("*.so")]
    for library in libraries:
        if library.is_file() and not library.is_symlink():
            subprocess.run(["strip", str(library)], check=True)
    print(f"build: stripped TensorFlow's, LiteRT's, ICU's and Python's libraries, "
          f"{(before - folder_size(app_dir)) / 2**20:.0f} MB smaller")


def folder_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file() and not item.is_symlink())


def size_report(app_dir: Path, top: int = 12) -> str:
    """The bundle size and its largest entries two levels down (e.g. _internal/tensorflow)."""
    inner = app_dir / "_internal"
    entries = [*app_dir.iterdir(), *(inner.iterdir() if inner.is_dir() else [])]
    sizes = sorted(((folder_size(entry), entry) for entry in entries if entry != inner and not entry.is_symlink()),
                   reverse=True)
    lines = [f"bundle: {folder_size(app_dir) / 2**20:.0f} MB in {app_dir}"]
    lines += [f"  {size / 2**20:8.1f} MB  {entry.relative_to(app_dir)}" for size, entry in sizes[:top]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the installed DenseNet Studio into dist/DenseNetStudio/.")
    parser.add_argument("--clean", action="store_true", help="ignore PyInstaller's cache from earlier builds")
    args = parser.parse_args(argv)
    if sys.platform.startswith("linux") and Path(sys.prefix).resolve() != BUILD_VENV.resolve():
        from build_env import ensure

        started = time.perf_counter()
        python = ensure(BUILD_VENV, ROOT)
        print(f"build: {BUILD_VENV} ready in {time.perf_counter() - started:.0f} s (tensorflow-cpu)", flush=True)
        return subprocess.run([str(python), __file__, *(["--clean"] if args.clean else [])]).returncode
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise SystemExit("PyInstaller is missing: pip install -e .[package]") from None
    started = time.perf_counter()
    shutil.rmtree(STAGING, ignore_errors=True)
    stage_icons()
    stage_translations()
    stage_weights()
    run_pyinstaller(args.clean)
    strip_libraries(APP_DIR)
    if sys.platform.startswith("linux"):
        for name in ("install.sh", "densenet-studio.desktop"):
            shutil.copy2(ROOT / "packaging" / "linux" / name, APP_DIR / name)
    print(size_report(APP_DIR))
    print(f"build: {executable()} in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
