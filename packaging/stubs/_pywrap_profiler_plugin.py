"""Stands in for TensorFlow's remote-profiler client extension (20 MB), which the installed app leaves out.

`import tensorflow` imports `tf.profiler.experimental.client`, which imports this module by name; only its
two functions need the real extension, and the app never profiles a TensorFlow server.
"""

LEFT_OUT = "the installed DenseNet Studio leaves out TensorFlow's remote profiler client"


def trace(*args, **kwargs):
    raise NotImplementedError(LEFT_OUT)


def monitor(*args, **kwargs):
    raise NotImplementedError(LEFT_OUT)
