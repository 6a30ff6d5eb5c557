"""The `.keras` model file: the Keras model plus DenseNet Studio's metadata, written atomically, loaded safely.

Metadata (class names, input size, variant, training settings, history, dataset fingerprint) is an extra
`studio.json` entry in the Keras zip, which Keras itself ignores; `studio-trained-on.txt` lists the content
digests of the photos that trained the model (engine.data.trained_photos), one per line. Loading always uses
`safe_mode=True`, after a check of the zip directory alone: entries that would unpack too large (a
decompression bomb) are refused before anything is read. Damaged metadata is one line too (ModelFileError),
as every refusal here.
"""

from __future__ import annotations

import dataclasses
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.errors import QT_TRANSLATE_NOOP, ModelFileError
from engine.model.plain_models import photo_classifier
from engine.storage.atomic import atomic_path

METADATA_ENTRY = "studio.json"
TRAINED_ON_ENTRY = "studio-trained-on.txt"
JSON_ENTRY_BYTES = 64 << 20  # a model's config or metadata; DenseNet-264's config is about 1 MiB
MODEL_BYTES = 4 << 30  # all entries unpacked; Keras reads the weights whole into memory
BOMB_RATIO = 100  # unpacked / packed, for entries over 1 MiB and for all entries together over BOMB_FLOOR
BOMB_FLOOR = 64 << 20  # Keras stores entries uncompressed (ratio 1); the app's own entries are a few KiB packed
# The metadata's layout. A reader takes any file of its own family and major version (fields it does not know
# are ignored, missing ones take their defaults) and refuses a newer one by name.
FORMAT_FAMILY, FORMAT_VERSION = "densenet-studio", 1
MODEL_FORMAT = f"{FORMAT_FAMILY}/{FORMAT_VERSION}"


MODEL_NOT_FOUND = QT_TRANSLATE_NOOP("EngineText", "{path}: model file not found")
NOT_A_MODEL_ZIP = QT_TRANSLATE_NOOP("EngineText", "{path}: not a Keras model file, or truncated (not a complete .keras "
                                                  "zip)")
MODEL_CORRUPT = QT_TRANSLATE_NOOP("EngineText", "{path}: model file is corrupt (entry {entry} fails its checksum)")
NO_CONFIG = QT_TRANSLATE_NOOP("EngineText", "{path}: not a Keras model file (no config.json inside)")
HAS_CODE = QT_TRANSLATE_NOOP("EngineText", "{path}: refused, the model contains code (e.g. a Lambda layer) that could "
                                           "run on loading")
FOREIGN_CODE = QT_TRANSLATE_NOOP("EngineText", "{path}: refused, it would run code from outside Keras ({name}) on "
                                               "loading")
NEWER_FORMAT = QT_TRANSLATE_NOOP("EngineText", "{path}: written by a newer version of DenseNet Studio (format "
                                               "{format}); update the app to open it")
CANNOT_LOAD = QT_TRANSLATE_NOOP("EngineText", "{path}: cannot load the model; it is damaged or was saved by a newer "
                                              "version of Keras (see the details)")


@dataclass(frozen=True)
class EpochRecord:
    """One completed epoch, as a model file's history and a training's state keep it."""

    phase: str
    epoch: int
    loss: float
    accuracy: float
    val_loss: float | None
    val_accuracy: float | None
    learning_rate: float
    seconds: float


@dataclass(frozen=True)
class ModelMetadata:
    """What DenseNet Studio writes beside the network in a model file (`studio.json`). `to_json` is its one
    writer and `from_json` its one reader; a plain Keras file has none, which reads as these defaults."""

    class_names: tuple[str, ...] = ()
    input_size: int | None = None
    channels: int | None = None
    variant: str | None = None
    training: dict = field(default_factory=dict)  # TrainConfig.to_dict() of the training that wrote it
    compute: str = ""  # the compute plan's reason
    history: tuple[EpochRecord, ...] = ()
    best_epoch: int | None = None
    stopped: bool = False  # a stop request ended the training
    dataset_fingerprint: str = ""
    train_images: int = 0
    val_images: int = 0  # held out: none of them trained the model
    best_val_accuracy: float | None = None  # on the val_images
    test_time_flip: bool = False  # classify each photo and its mirror image and average the two
    skipped_images: int = 0
    format: str = MODEL_FORMAT

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, data: Any) -> ModelMetadata:
        """The metadata in `data` (parsed JSON). Raises ValueError naming the field that is not what the
        writer wrote, or a format this reader does not know."""
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        family, _, version = str(data.get("format", MODEL_FORMAT)).partition("/")
        if family != FORMAT_FAMILY or not version.isdigit():
            raise ValueError(f"unknown format {data.get('format')!r}")
        if int(version) > FORMAT_VERSION:
            raise NewerFormatError(data["format"])
        names = data.get("class_names", ())
        if not (isinstance(names, list | tuple) and all(isinstance(name, str) for name in names)):
            raise ValueError("class_names is not a list of names")
        size = data.get("input_size")
        if size is not None and (type(size) is not int or size < 1):
            raise ValueError("input_size is not a positive whole number")
        known = {item.name for item in dataclasses.fields(cls)}
        fields = {key: value for key, value in data.items() if key in known}
        try:
            history = tuple(EpochRecord(**epoch) for epoch in fields.get("history", ()))
        except TypeError as error:
            raise ValueError(f"history: {error}") from None
        return cls(**{**fields, "class_names": tuple(names), "history": history})


class NewerFormatError(ValueError):
    """Metadata of a newer format than this version of the app reads."""


@dataclass
class StudioModel:
    """A loaded model with what the app needs to use it."""

    model: Any  # keras.Model
    metadata: ModelMetadata = field(default_factory=ModelMetadata)
    trained_on: frozenset[str] = frozenset()  # content digests of the training photos (engine.data.trained_photos)

    @property
    def class_names(self) -> list[str]:
        return list(self.metadata.class_names or [str(i) for i in range(self.model.output_shape[-1])])

    @property
    def input_size(self) -> int:
        return int(self.model.input_shape[1])

    @property
    def channels(self) -> int:
        return int(self.model.input_shape[-1])

    @property
    def test_time_flip(self) -> bool:
        """Classify each photo and its mirror image and average the two (TrainConfig.test_time_flip)."""
        return self.metadata.test_time_flip


def save_model(model, path: Path | str, metadata: ModelMetadata, trained_on: Iterable[str] = ()) -> Path:
    """Write `model`, `metadata` and the digests of the photos it `trained_on` to `path` atomically: a crash
    or full disk never leaves a half file."""
    path = Path(path)
    if path.suffix != ".keras":
        raise ModelFileError(f"{path}: a model file must end in .keras")
    try:
        with atomic_path(path) as temporary:
            model.save(temporary)
            with zipfile.ZipFile(temporary, "a") as archive:
                archive.writestr(METADATA_ENTRY, metadata.to_json())
                archive.writestr(TRAINED_ON_ENTRY, "".join(f"{digest}\n" for digest in sorted(trained_on)),
                                 compress_type=zipfile.ZIP_DEFLATED)
    except OSError as error:
        raise ModelFileError(f"{path}: could not save the model ({error.strerror or error})") from None
    return path


def read_metadata(path: Path | str) -> ModelMetadata:
    """The studio metadata of a model file without loading the model (cheap; no TensorFlow)."""
    path = Path(path)
    _check_archive(path)
    with zipfile.ZipFile(path) as archive:
        if METADATA_ENTRY not in archive.namelist():
            return ModelMetadata()
        data = archive.read(METADATA_ENTRY)
    try:
        return ModelMetadata.from_json(json.loads(data.decode("utf-8")))
    except NewerFormatError as error:
        raise ModelFileError.said(NEWER_FORMAT, path=path, format=str(error)) from None
    except ValueError as error:  # not UTF-8, not JSON, or a field that is not what the writer wrote
        raise ModelFileError(f"{path}: damaged metadata ({METADATA_ENTRY}: {error})") from None


def _check_sizes(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse entries that would unpack too large, from the zip directory alone (Python's zipfile, which Keras
    reads with too, stops an entry at its stated size)."""
    total = sum(info.file_size for info in archive.infolist())
    packed = sum(info.compress_size for info in archive.infolist())
    if total > MODEL_BYTES:
        raise ModelFileError(f"{path}: refused, it would unpack to {total / (1 << 30):.1f} GiB "
                             f"(over {MODEL_BYTES >> 30} GiB)")
    for info in archive.infolist():
        if info.filename.endswith(".json") and info.file_size > JSON_ENTRY_BYTES:
            raise ModelFileError(f"{path}: refused, entry {info.filename} would unpack to "
                                 f"{info.file_size >> 20} MiB (over {JSON_ENTRY_BYTES >> 20} MiB)")
        if info.file_size > 1 << 20 and info.file_size > BOMB_RATIO * info.compress_size:
            raise ModelFileError(f"{path}: refused, entry {info.filename} unpacks to "
                                 f"{info.file_size // max(info.compress_size, 1)} times its packed size "
                                 "(a decompression bomb)")
    if total > BOMB_FLOOR and total > BOMB_RATIO * packed:  # many small entries, each under the entry check
        raise ModelFileError(f"{path}: refused, its {len(archive.infolist())} entries unpack to "
                             f"{total // max(packed, 1)} times their packed size (a decompression bomb)")


def read_trained_on(path: Path | str) -> frozenset[str]:
    """The content digests of the photos that trained the model in `path` (empty for a file without them)."""
    with zipfile.ZipFile(path) as archive:
        if TRAINED_ON_ENTRY not in archive.namelist():
            return frozenset()
        data = archive.read(TRAINED_ON_ENTRY)
    try:
        return frozenset(data.decode("ascii").split())
    except UnicodeDecodeError:
        raise ModelFileError(f"{path}: damaged metadata ({TRAINED_ON_ENTRY} is not a list of digests)") from None


def _outside(name: str) -> bool:
    """Whether a zip entry's name would unpack outside the folder it is unpacked into."""
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":")


def _check_archive(path: Path) -> None:
    if not path.is_file():
        raise ModelFileError.said(MODEL_NOT_FOUND, path=path)
    if not zipfile.is_zipfile(path):
        raise ModelFileError.said(NOT_A_MODEL_ZIP, path=path)
    with zipfile.ZipFile(path) as archive:
        _check_sizes(path, archive)
        outside = next((name for name in archive.namelist() if _outside(name)), None)
        if outside is not None:  # Keras would skip it with a warning; such a file was made to attack
            raise ModelFileError(f"{path}: refused, entry {outside} points outside the model file")
        broken = archive.testzip()
        if broken is not None:
            raise ModelFileError.said(MODEL_CORRUPT, path=path, entry=broken)
        if "config.json" not in archive.namelist():
            raise ModelFileError.said(NO_CONFIG, path=path)


def _foreign_code(path: Path) -> str | None:
    """The first module.name outside Keras (and this app's own registered layers) that the model's config
    names ("os.system"), if any. Keras' safe mode would refuse it too, but in words that read like a damaged
    file; compile settings are not loaded."""
    with zipfile.ZipFile(path) as archive:
        try:
            config = json.loads(archive.read("config.json"))
        except ValueError:
            return None  # Keras says what is wrong with it
    pending = [config]
    while pending:
        item = pending.pop()
        if isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, dict):
            module = item.get("module")
            if isinstance(module, str) and module.split(".")[0] not in ("keras", "engine"):
                name = item.get("config") if item.get("class_name") == "function" else item.get("class_name")
                return f"{module}.{name}"
            pending.extend(value for key, value in item.items() if key != "compile_config")
    return None


def load_model(path: Path | str, input_size: int | None = None) -> StudioModel:
    """Load a `.keras` file in Keras safe mode; anything needing unsafe deserialisation is refused.

    A plain Keras model is made a photo classifier (engine.model.plain_models.photo_classifier): `input_size`, else
    the file's metadata, fixes a model that takes any size.
    """
    import keras

    path = Path(path)
    metadata = read_metadata(path)
    foreign = _foreign_code(path)
    if foreign is not None:
        raise ModelFileError.said(FOREIGN_CODE, path=path, name=foreign)
    try:
        model = keras.saving.load_model(path, safe_mode=True, compile=False)
    except ValueError as error:
        text = str(error)
        if "safe_mode" in text or "arbitrary code" in text:
            raise ModelFileError.said(HAS_CODE, path=path) from None
        raise ModelFileError.said(CANNOT_LOAD, path=path, detail=text.splitlines()[0]) from None
    except (TypeError, KeyError, OSError) as error:
        raise ModelFileError.said(CANNOT_LOAD, path=path, detail=f"{type(error).__name__}: {error}") from None
    return StudioModel(photo_classifier(model, str(path), input_size or metadata.input_size), metadata,
                       read_trained_on(path))
