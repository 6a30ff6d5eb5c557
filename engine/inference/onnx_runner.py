"""Float32 inference with ONNX Runtime's CPU kernels: the fastest CPU route for DenseNets, ahead of
TensorFlow in bfloat16 and of TFLite, where bench/inference_speed.py and bench/transfer_learning.py compare
them. Models are converted with Keras' own ONNX exporter (tf2onnx) and cached like
TFLite files (engine.inference.converted_models); one session serves every batch size.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np

from engine.inference.converted_models import (
    cached_conversion,
    converted_folder,
    model_fingerprint,
    portable_copy,
)


def convert(model, path: Path) -> None:
    """Write `model` as a float32 ONNX graph (the exporter's notices about NumPy aliases silenced)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        portable_copy(model).export(str(path), format="onnx", verbose=False)


CALIBRATION_BATCH = 8


def quantize(model: bytes, calibration: np.ndarray, path: Path) -> None:
    """Write `model` (a float32 ONNX graph's bytes) with int8 weights (per channel) and uint8 activations,
    whose ranges are calibrated on `calibration` (pixel batches as the model takes them): ONNX Runtime's static
    quantisation: faster than float32 and less accurate (bench/transfer_learning.py and bench/int8_accuracy.py
    measure both), so never chosen automatically."""
    import tempfile

    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    name = OnnxRunner(model).input_name
    batches = iter([{name: np.asarray(calibration[start:start + CALIBRATION_BATCH], np.float32)}
                    for start in range(0, len(calibration), CALIBRATION_BATCH)])

    class Calibration(CalibrationDataReader):
        def get_next(self):
            return next(batches, None)

    with tempfile.TemporaryDirectory() as folder:
        source, prepared = Path(folder) / "float32.onnx", Path(folder) / "prepared.onnx"
        source.write_bytes(model)
        quant_pre_process(str(source), str(prepared), skip_symbolic_shape=True)  # folds and infers shapes
        quantize_static(str(prepared), str(path), Calibration(), quant_format=QuantFormat.QOperator,
                        per_channel=True, activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)


def onnx_model(model, folder: Path | None = None) -> bytes:
    """The model converted to ONNX, from the cache when it was converted before."""
    folder = Path(folder) if folder is not None else converted_folder()
    return cached_conversion(folder / f"{model_fingerprint(model)}.onnx", lambda path: convert(model, path))


class OnnxRunner:
    """Runs an ONNX image model (a classifier or a feature extractor) on pixel batches of any size.

    `model` is the graph's bytes (from engine.inference.converted_models.cached_conversion) or a `.onnx` file's path.
    A session may be called from several threads at once.
    """

    def __init__(self, model: bytes | Path, threads: int | None = None):
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.inter_op_num_threads = 1
        # Idle threads sleep instead of spinning: beside the app's decoding threads (and other programs) spinning
        # took CPU from the work (bench/inference_speed.py).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3  # errors only: the app's terminal stays quiet
        source = model if isinstance(model, bytes) else str(model)
        self.session = onnxruntime.InferenceSession(source, options, providers=["CPUExecutionProvider"])
        self.input_name = self.session.get_inputs()[0].name

    def __call__(self, pixels: np.ndarray) -> np.ndarray:
        """The model's first output for `pixels` (N, size, size, channels), uint8 or float32 0-255."""
        return self.session.run(None, {self.input_name: np.asarray(pixels, np.float32)})[0]
