"""The `.keras` model file: the Keras model plus DenseNet Studio's metadata, written atomically, loaded safely.

Metadata (class names, input size, variant, training settings, history, dataset fingerprint) is an extra
`studio.json` entry in the Keras zip, which Keras itself ignores; `studio-trained-on.txt` lists the content
digests of the photos that trained the model (engine.trained_photos), one per line. Loading always uses
`safe_mode=True`.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.atomic import atomic_path
from engine.errors import StudioError

METADATA_ENTRY = "studio.json"
TRAINED_ON_ENTRY = "studio-trained-on.txt"


class ModelFileError(StudioError):
    """A model file that cannot be written or loaded; the message names the file and the reason."""


@dataclass
class StudioModel:
    """A loaded model with what the app needs to use it."""

    model: Any  # keras.Model
    metadata: dict = field(default_factory=dict)
    trained_on: frozenset[str] = frozenset()  # content digests of the training photos (engine.trained_photos)

    @property
    def class_names(self) -> list[str]:
        return list(self.metadata.get("class_names") or [str(i) for i in range(self.model.output_shape[-1])])

    @property
    def input_size(self) -> int:
        return int(self.metadata.get("input_size") or self.model.input_shape[1])

    @property
    def channels(self) -> int:
        return int(self.model.input_shape[-1])

    @property
    def test_time_flip(self) -> bool:
        """Classify each photo and its mirror image and average the two (TrainConfig.test_time_flip)."""
        return bool(self.metadata.get("test_time_flip"))


def save_model(model, path: Path | str, metadata: dict, trained_on: Iterable[str] = ()) -> Path:
    """Write `model`, `metadata` and the digests of the photos it `trained_on` to `path` atomically: a crash
    or full disk never leaves a half file."""
    path = Path(path)
    if path.suffix != ".keras":
        raise ModelFileError(f"{path}: a model file must end in .keras")
    try:
        with atomic_path(path) as temporary:
            model.save(temporary)
            with zipfile.ZipFile(temporary, "a") as archive:
                archive.writestr(METADATA_ENTRY, json.dumps(metadata, ensure_ascii=False, indent=1))
                archive.writestr(TRAINED_ON_ENTRY, "".join(f"{digest}\n" for digest in sorted(trained_on)),
                                 compress_type=zipfile.ZIP_DEFLATED)
    except OSError as error:
        raise ModelFileError(f"{path}: could not save the model ({error.strerror or error})") from None
    return path


def read_metadata(path: Path | str) -> dict:
    """The studio metadata of a model file without loading the model (cheap; no TensorFlow)."""
    path = Path(path)
    _check_archive(path)
    with zipfile.ZipFile(path) as archive:
        if METADATA_ENTRY not in archive.namelist():
            return {}
        return json.loads(archive.read(METADATA_ENTRY).decode("utf-8"))


def read_trained_on(path: Path | str) -> frozenset[str]:
    """The content digests of the photos that trained the model in `path` (empty for a file without them)."""
    with zipfile.ZipFile(path) as archive:
        if TRAINED_ON_ENTRY not in archive.namelist():
            return frozenset()
        return frozenset(archive.read(TRAINED_ON_ENTRY).decode("ascii").split())


def _check_archive(path: Path) -> None:
    if not path.is_file():
        raise ModelFileError(f"{path}: model file not found")
    if not zipfile.is_zipfile(path):
        raise ModelFileError(f"{path}: not a Keras model file, or truncated (not a complete .keras zip)")
    with zipfile.ZipFile(path) as archive:
        broken = archive.testzip()
        if broken is not None:
            raise ModelFileError(f"{path}: model file is corrupt (entry {broken} fails its checksum)")
        if "config.json" not in archive.namelist():
            raise ModelFileError(f"{path}: not a Keras model file (no config.json inside)")


def load_model(path: Path | str) -> StudioModel:
    """Load a `.keras` file in Keras safe mode; anything needing unsafe deserialisation is refused."""
    import keras

    path = Path(path)
    metadata = read_metadata(path)
    try:
        model = keras.saving.load_model(path, safe_mode=True, compile=False)
    except ValueError as error:
        text = str(error)
        if "safe_mode" in text or "arbitrary code" in text:
            raise ModelFileError(
                f"{path}: refused, the model contains code (e.g. a Lambda layer) that could run on loading"
            ) from None
        raise ModelFileError(f"{path}: cannot load the model ({text.splitlines()[0]})") from None
    except (TypeError, KeyError, OSError) as error:
        raise ModelFileError(f"{path}: cannot load the model ({error})") from None
    return StudioModel(model, metadata, read_trained_on(path))
