"""The Linux build's own environment, build/venv-cpu: the project with `tensorflow-cpu` instead of `tensorflow`.

The `tensorflow` wheel embeds CUDA kernels (about 420 MB of the bundle) that the installed app never runs;
`tensorflow-cpu` is the same `tensorflow` import package without them. The two wheels overwrite each other,
so the build gets its own venv: the project's dependencies and its `package` extra, pinned to the versions
of the environment that runs the build (its `pip freeze`, so the bundle carries what was tested),
with `tensorflow` swapped for `tensorflow-cpu` of the same version; then the project itself with `--no-deps`,
since its `tensorflow` requirement would pull the CUDA wheel back in.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the TOML reader pip itself uses
    from pip._vendor import tomli as tomllib

EXTRAS = ("package",)  # PyInstaller
SWAPPED = {"tensorflow": "tensorflow-cpu"}


def _name(requirement: str) -> str:
    """The normalised distribution name of a requirement line (`Keras>=3` -> `keras`)."""
    return re.split(r"[\s<>=!~;\[@]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def requirements(pyproject: Path) -> list[str]:
    """The project's dependencies and EXTRAS from pyproject.toml, with tensorflow swapped for tensorflow-cpu."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    lines = list(project["dependencies"])
    for extra in EXTRAS:
        lines += project["optional-dependencies"][extra]
    return [_swap(line) for line in lines]


def _swap(requirement: str) -> str:
    """`tensorflow>=2.17,<2.22` -> `tensorflow-cpu>=2.17,<2.22`; other requirements as they are."""
    name = _name(requirement)
    return SWAPPED[name] + requirement.strip()[len(name):] if name in SWAPPED else requirement


def constraints(frozen: str) -> list[str]:
    """The `name==version` pins of a `pip freeze`, `tensorflow==X` becoming `tensorflow-cpu==X`."""
    pins = [line.strip() for line in frozen.splitlines() if "==" in line and not line.startswith(("#", "-"))]
    return [_swap(pin) for pin in pins]


def ensure(venv: Path, root: Path) -> Path:
    """Create or update `venv` for the build and return its Python; fails if `tensorflow` got in anyway."""
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    frozen = subprocess.run([sys.executable, "-m", "pip", "freeze", "--exclude-editable"], check=True,
                            capture_output=True, text=True).stdout
    pins = venv / "constraints.txt"
    pins.write_text("\n".join(constraints(frozen)) + "\n", encoding="utf-8")
    pip = [str(python), "-m", "pip", "install", "--quiet"]
    subprocess.run(pip + ["--constraint", str(pins), *requirements(root / "pyproject.toml")], check=True)
    subprocess.run(pip + ["--no-deps", "--editable", str(root)], check=True)
    cuda = subprocess.run([str(python), "-m", "pip", "show", "--quiet", "tensorflow"], capture_output=True)
    if cuda.returncode == 0:
        raise SystemExit(f"build: the CUDA wheel `tensorflow` got into {venv}; remove the venv and retry")
    return python
