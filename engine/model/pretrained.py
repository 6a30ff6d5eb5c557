"""ImageNet weights for DenseNet-121/169/201: the files keras.applications publishes, as a registry of data.

A weights file is the one the user picked, or the copy in the Keras cache (~/.keras/models), or downloaded
there, its bytes reported as they arrive and its MD5 checked. Offline, the fetch fails within seconds with a
clear message: the host is probed with a short timeout first, and the download itself runs under a socket
timeout, so it never hangs.
"""

from __future__ import annotations

import hashlib
import socket
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from engine.errors import QT_TRANSLATE_NOOP, StudioError
from engine.model.config import HEAD_LAYER
from engine.model.variants import get_variant
from engine.runtime.keras_compat import keras_home
from engine.storage.atomic import atomic_path, file_digest
from engine.storage.resources import resource_path

BASE_URL = "https://storage.googleapis.com/tensorflow/keras-applications/densenet/"
PROBE_TIMEOUT_S = 4.0  # connecting to the weights host; offline, this is how long the user waits
DOWNLOAD_TIMEOUT_S = 30.0  # a stalled transfer (no bytes for this long) is an error, not a hang


class PretrainedError(StudioError):
    """ImageNet weights that cannot be found, fetched or loaded; the message says why and what to do."""


DOWNLOAD_DAMAGED = QT_TRANSLATE_NOOP("EngineText", "the downloaded {file} is damaged (checksum mismatch); try again")
OFFLINE = QT_TRANSLATE_NOOP("EngineText", "The ImageNet weights ({file}, {size_mb} MB) could not be downloaded: the "
                                          "internet cannot be reached. Connect to the internet and try again, or use a "
                                          "weights file downloaded before.")
DOWNLOAD_STOPPED = QT_TRANSLATE_NOOP("EngineText", "The download of the ImageNet weights ({file}) stopped before it "
                                                   "ended. Try again, or use a weights file downloaded before.")
WEIGHTS_NOT_FOUND = QT_TRANSLATE_NOOP("EngineText", "{path}: weights file not found")
NOT_H5 = QT_TRANSLATE_NOOP("EngineText", "{path}: not an HDF5 weights file (.h5) as keras.applications publishes")
NO_LAYER_WEIGHTS = QT_TRANSLATE_NOOP("EngineText", "{path}: an HDF5 file without Keras layer weights")
NOT_DENSENET_WEIGHTS = QT_TRANSLATE_NOOP("EngineText", "{path}: not the weights of DenseNet-121, 169 or 201 as "
                                                       "keras.applications publishes them")
WEIGHTS_DO_NOT_FIT = QT_TRANSLATE_NOOP("EngineText", "{path}: these weights do not fit {model}: no weights for layers "
                                                     "{layers}")


@dataclass(frozen=True)
class WeightsFile:
    """One published weights file: its name in the Keras cache, where Keras fetches it, its MD5 and size."""

    file_name: str
    url: str
    md5: str
    size_mb: int  # approximate download size, shown before fetching


@dataclass(frozen=True)
class ImageNetWeights:
    """The two files of a variant: with the 1000-class classifier ("top") and without it."""

    top: WeightsFile
    notop: WeightsFile

    def file(self, include_top: bool) -> WeightsFile:
        return self.top if include_top else self.notop


def _files(variant: str, top_md5: str, top_mb: int, notop_md5: str, notop_mb: int) -> ImageNetWeights:
    stem = f"{variant}_weights_tf_dim_ordering_tf_kernels"
    top, notop = f"{stem}.h5", f"{stem}_notop.h5"
    return ImageNetWeights(
        WeightsFile(top, BASE_URL + top, top_md5, top_mb), WeightsFile(notop, BASE_URL + notop, notop_md5, notop_mb)
    )


# Names and MD5 hashes as keras/src/applications/densenet.py (Keras 3.15) fetches them.
IMAGENET_WEIGHTS: dict[str, ImageNetWeights] = {
    "densenet121": _files("densenet121", "9d60b8095a5708f2dcce2bca79d332c7", 33, "30ee3e1110167f948a6b9946edeeb738", 29),
    "densenet169": _files("densenet169", "d699b8f76981ab1b30698df4c175e90b", 58, "b8c4d4c20dd625c148057b9ff1c1176b", 52),
    "densenet201": _files("densenet201", "1ceb130c1ea1b78c3bf6114dbdfd8807", 82, "c13680b51ded0fb44dff2d8f86ac8bb1", 75),
}


def imagenet_weights_for(variant: str) -> ImageNetWeights:
    """The registry entry of `variant`, or a clear error for variants without published weights."""
    name = get_variant(variant).name
    if name not in IMAGENET_WEIGHTS:
        raise PretrainedError(
            f"ImageNet weights exist only for {', '.join(IMAGENET_WEIGHTS)}, not {name}; train it from scratch"
        )
    return IMAGENET_WEIGHTS[name]


def keras_cache_dir() -> Path:
    """Where keras.utils.get_file keeps model weights (~/.keras/models, or KERAS_HOME/models)."""
    return keras_home() / "models"


def bundled_weights_dir() -> Path:
    """Where the installed app keeps the weights packaging/build.py copied from the Keras cache (offline use)."""
    return resource_path("weights")


def _reachable(url: str, timeout: float) -> str | None:
    """None when a TCP connection to the URL's host (or its proxy) opens within `timeout` s, else the reason.

    Runs in a daemon thread so that a slow DNS lookup (which socket timeouts do not cover) is bounded too.
    """
    parts = urllib.parse.urlsplit(url)
    proxy = urllib.request.getproxies().get(parts.scheme)
    if proxy and not urllib.request.proxy_bypass(parts.hostname or ""):
        parts = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    outcome: list[str | None] = []

    def connect() -> None:
        try:
            socket.create_connection((parts.hostname, port), timeout=timeout).close()
            outcome.append(None)
        except OSError as error:
            outcome.append(str(error) or type(error).__name__)

    worker = threading.Thread(target=connect, daemon=True)
    worker.start()
    worker.join(timeout + 0.5)
    return outcome[0] if outcome else f"no answer within {timeout:g} s"


Progress = Callable[[int, int], None]  # (bytes received, bytes in all; 0 when the server does not say)


def _download(entry: WeightsFile, target: Path, progress: Progress | None) -> None:
    """Stream `entry` into `target` (atomically), reporting bytes as they arrive; the MD5 must match."""
    digest = hashlib.md5()
    with urllib.request.urlopen(entry.url, timeout=DOWNLOAD_TIMEOUT_S) as response, atomic_path(target) as temporary:
        total, done = int(response.headers.get("Content-Length") or 0), 0
        with open(temporary, "wb") as stream:
            while chunk := response.read(1 << 18):
                stream.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
        if digest.hexdigest() != entry.md5:
            raise PretrainedError.said(DOWNLOAD_DAMAGED, file=entry.file_name)


def fetch_weights_file(entry: WeightsFile, cache_dir: Path | None = None, timeout: float = PROBE_TIMEOUT_S,
                       progress: Progress | None = None) -> Path:
    """Download `entry` into the Keras cache (where keras.applications looks too), verifying its MD5.

    Raises:
        PretrainedError: offline or host unreachable (after at most about `timeout` seconds), the transfer
            stalls, or the checksum does not match.
    """
    reason = _reachable(entry.url, timeout)
    if reason is not None:
        raise PretrainedError.said(OFFLINE, file=entry.file_name, size_mb=entry.size_mb,
                                   detail=f"{urllib.parse.urlsplit(entry.url).hostname} is unreachable: {reason}")
    target = (Path(cache_dir) if cache_dir is not None else keras_cache_dir()) / entry.file_name
    try:
        _download(entry, target, progress)
    except OSError as error:  # urllib's errors, socket timeouts, a full disk
        raise PretrainedError.said(DOWNLOAD_STOPPED, file=entry.file_name, detail=str(error).splitlines()[0]) from None
    return target


def imagenet_weights_file(
    variant: str,
    include_top: bool = True,
    weights_path: Path | str | None = None,
    fetch: bool = True,
    cache_dir: Path | None = None,
    timeout: float = PROBE_TIMEOUT_S,
    progress: Progress | None = None,
) -> Path:
    """The ImageNet weights file to load: the user's file, else a verified copy bundled with the installed
    app (bundled_weights_dir) or in the Keras cache, else fetched.

    Args:
        variant: densenet121, densenet169 or densenet201 (any spelling get_variant accepts).
        include_top: the file with the 1000-class classifier, or the smaller one without it.
        weights_path: a file the user picked; used as is (its layers are checked when loading).
        fetch: whether a missing file may be downloaded.
        cache_dir: the Keras cache folder (default ~/.keras/models).
        timeout: seconds to wait for the weights host before saying it is unreachable.
        progress: told (bytes received, bytes in all) while a download runs.
    """
    if weights_path is not None:
        path = Path(weights_path)
        if not path.is_file():
            raise PretrainedError.said(WEIGHTS_NOT_FOUND, path=path)
        return path
    entry = imagenet_weights_for(variant).file(include_top)
    cached = (Path(cache_dir) if cache_dir is not None else keras_cache_dir()) / entry.file_name
    for candidate in (bundled_weights_dir() / entry.file_name, cached):
        if candidate.is_file() and file_digest(candidate, "md5") == entry.md5:
            return candidate
    if not fetch:
        state = "is damaged (checksum mismatch)" if cached.is_file() else "is not downloaded"
        raise PretrainedError(f"ImageNet weights {entry.file_name} {state}; allow the download or pick the file")
    return fetch_weights_file(entry, cache_dir, timeout, progress)


Availability = Literal["at hand", "downloadable", "unavailable"]
AT_HAND, DOWNLOADABLE, UNAVAILABLE = get_args(Availability)


def weights_availability(variant: str, probe: bool = True, timeout: float = PROBE_TIMEOUT_S) -> Availability:
    """Whether transfer learning can start from `variant`'s ImageNet backbone: AT_HAND (bundled with the app or
    a verified copy in the Keras cache), DOWNLOADABLE (the weights host answers; only asked when `probe`), or
    UNAVAILABLE."""
    try:
        imagenet_weights_file(variant, include_top=False, fetch=False)
        return AT_HAND
    except PretrainedError:
        pass
    if probe and _reachable(imagenet_weights_for(variant).notop.url, timeout) is None:
        return DOWNLOADABLE
    return UNAVAILABLE


def _file_layer_names(path: Path) -> set[str]:
    import h5py

    if not h5py.is_hdf5(path):
        raise PretrainedError.said(NOT_H5, path=path)
    with h5py.File(path, "r") as file:
        group = file["model_weights"] if "layer_names" not in file.attrs and "model_weights" in file else file
        names = group.attrs.get("layer_names")
        if names is None:
            raise PretrainedError.said(NO_LAYER_WEIGHTS, path=path)
        return {name.decode("utf-8") if isinstance(name, bytes) else str(name) for name in names}


@dataclass(frozen=True)
class WeightsIdentity:
    """What a weights file holds: which DenseNet, and whether its 1000-class classifier is in it."""

    variant: str
    with_classifier: bool


def identify_weights_file(path: Path | str) -> WeightsIdentity:
    """Which published DenseNet a `.h5` weights file fits, from its layer names alone (no TensorFlow): the
    number of layers of each dense block ("conv4_block24_...") tells DenseNet-121, 169 and 201 apart.

    Raises:
        PretrainedError: not an HDF5 Keras weights file, or not of a DenseNet with published weights.
    """
    path = Path(path)
    names = _file_layer_names(path)
    layers = [0, 0, 0, 0]
    for name in names:
        stage, _, block = name.partition("_block")
        if stage in ("conv2", "conv3", "conv4", "conv5") and block.split("_")[0].isdigit():
            index = int(stage[-1]) - 2
            layers[index] = max(layers[index], int(block.split("_")[0]))
    for variant in IMAGENET_WEIGHTS:
        if tuple(layers) == get_variant(variant).blocks:
            return WeightsIdentity(variant, HEAD_LAYER in names)
    raise PretrainedError.said(NOT_DENSENET_WEIGHTS, path=path)


def load_imagenet_weights(model, path: Path | str) -> None:
    """Load a keras.applications-style `.h5` weights file into `model` by layer name.

    Every layer of `model` that has weights must be in the file (a `_notop` file suits a model without
    classifier; a full file suits both, its classifier being ignored by a model without one). Shapes must
    match, so a file of another variant is refused rather than half-loaded.
    """
    path = Path(path)
    if path.suffix.lower() not in (".h5", ".hdf5"):
        raise PretrainedError(f"{path}: ImageNet weights must be a .h5 file")
    in_file = _file_layer_names(path)
    missing = [layer.name for layer in model.layers if layer.weights and layer.name not in in_file]
    if missing:
        shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        raise PretrainedError.said(WEIGHTS_DO_NOT_FIT, path=path, model=model.name, layers=shown)
    try:
        model.load_weights(path, by_name=True)
    except ValueError as error:
        raise PretrainedError(
            f"{path}: these weights do not fit {model.name} ({str(error).splitlines()[0]})"
        ) from None
