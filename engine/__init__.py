"""DenseNet Studio's engine: models, data, training and inference. Imports no Qt.

Importing this package is cheap: TensorFlow is imported only by the modules that need it, so the GUI can
show its window first.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
# Whether the user chose TensorFlow's log level (their choice wins: engine.runtime.native_logs). Kept in the
# environment, so the app's own child processes, which inherit the default set below, do not take it for theirs.
_USER_CHOSE_LOG_LEVEL = "DENSENET_STUDIO_USER_TF_LOG_LEVEL"
os.environ.setdefault(_USER_CHOSE_LOG_LEVEL, "1" if "TF_CPP_MIN_LOG_LEVEL" in os.environ else "")
USER_LOG_LEVEL = bool(os.environ[_USER_CHOSE_LOG_LEVEL])
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# TensorFlow switches its oneDNN kernels on by itself only on CPUs with AVX-512 VNNI/BF16 or AMX. On others
# (AVX2 laptops) they train DenseNet faster than its default Eigen kernels (bench/train_speed.py), so the
# engine asks for them unless the user chose. TensorFlow reads the variable once, when it is imported.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")
