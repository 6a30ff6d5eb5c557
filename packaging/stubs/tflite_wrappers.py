"""Stands in, in the installed Linux app, for each of TensorFlow's TFLite wrapper extensions
(`tensorflow.lite.python._pywrap_*`, 3 KB each, and libpywrap_tflite_common.so, 11 MB, which holds their code):
the module becomes LiteRT's build of the same wrapper, from the `ai_edge_litert` package the app carries anyway
(its interpreter runs the app's TFLite route).

`import tensorflow` imports the interpreter, metrics and analyzer wrappers (tf.lite's API); converting a Keras
model to float32 TFLite calls none of them (the converter is `_pywrap_converter_api`, which stays). LiteRT's
wrappers are the same pybind11 modules with the same functions and signatures, except that its interpreter
wrapper is named `_pywrap_litert_interpreter_wrapper` and its two constructors take three more flags after
TensorFlow's eight arguments; here they are passed off, LiteRT's defaults, which is what TensorFlow's own
interpreter does. TensorFlow's re-export modules name LiteRT's package as the first place to find them.
"""

import importlib
import sys

INTERPRETER = "tensorflow.lite.python._pywrap_tensorflow_interpreter_wrapper"
LITERT = {
    f"tensorflow.lite.python.{name}": f"ai_edge_litert.{litert_name or name}"
    for name, litert_name in (
        ("_pywrap_tensorflow_interpreter_wrapper", "_pywrap_litert_interpreter_wrapper"),
        ("_pywrap_tensorflow_lite_metrics_wrapper", None),
        ("_pywrap_tensorflow_lite_calibration_wrapper", None),
        ("_pywrap_analyzer_wrapper", None),
        ("_pywrap_modify_model_interface", None),
        ("_pywrap_string_util", None),
        ("format_converter_wrapper_pybind11", None),
        ("pywrap_genai_ops", None),
    )
}
TENSORFLOW_ARGS = 8  # model, op resolver, registerers by name and by function, 3 flags, threads
LITERT_ONLY_FLAGS = (False, False, False)  # compress quantization zero points, no delegate node fusion, profiling


def litert_args(args: tuple) -> tuple:
    """The arguments of TensorFlow's interpreter constructors as LiteRT's take them."""
    return args + LITERT_ONLY_FLAGS if len(args) == TENSORFLOW_ARGS else args


if __name__ == INTERPRETER:
    _litert = importlib.import_module(LITERT[__name__])
    __all__ = [name for name in dir(_litert) if not name.startswith("_")]
    globals().update({name: getattr(_litert, name) for name in __all__})

    def CreateWrapperFromBuffer(*args):
        return _litert.CreateWrapperFromBuffer(*litert_args(args))

    def CreateWrapperFromFile(*args):
        return _litert.CreateWrapperFromFile(*litert_args(args))
elif __name__ in LITERT:
    # The import system returns what sys.modules holds under the name once this module has run.
    sys.modules[__name__] = importlib.import_module(LITERT[__name__])
