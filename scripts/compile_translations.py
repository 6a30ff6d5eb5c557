"""Compile resources/translations/*.ts (ours, and qt_gaps_*.ts: Qt's own words its catalogue lacks) into Qt's
binary .qm files, which the app loads.

Run by the two set-up commands (`scripts/start`, `scripts/test`) after installing, by the test suite
before its first test, and by packaging/build.py for the installed app: the app itself never compiles,
so a language switch costs no lrelease run. A .qm newer than its .ts is left as it is. The .qm files are
generated, never committed.

    python scripts/compile_translations.py [OUT_DIR]   (default: beside the .ts files)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

SOURCES = Path(__file__).resolve().parents[1] / "resources" / "translations"


def lrelease() -> str:
    """PySide6's lrelease, from the environment running this script."""
    found = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent)) or shutil.which(
        "pyside6-lrelease")
    if found is None:
        raise SystemExit("pyside6-lrelease not found: install the project first (pip install -e .)")
    return found


def compile_translations(out_dir: Path = SOURCES) -> list[Path]:
    """Every .ts as a .qm in `out_dir`, compiled where missing or older than its .ts."""
    out_dir.mkdir(parents=True, exist_ok=True)
    compiled = []
    for source in sorted(SOURCES.glob("*.ts")):
        target = out_dir / source.with_suffix(".qm").name
        if not target.is_file() or target.stat().st_mtime < source.stat().st_mtime:
            # Written whole, then renamed: a window or test process starting beside it never reads half a file.
            partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
            subprocess.run([lrelease(), "-silent", str(source), "-qm", str(partial)], check=True, timeout=120)
            os.replace(partial, target)
        compiled.append(target)
    return compiled


if __name__ == "__main__":
    compile_translations(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCES)
