"""DenseNet Studio's engine: models, data, training and inference. Imports no Qt.

Importing this package is cheap: TensorFlow is imported only by the modules that need it, so the GUI can
show its window first.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
