"""TensorFlow without its C++ start-up lines on the terminal ("oneDNN custom operations are on", "failed call
to cuInit … (303)"): they are written before TensorFlow's logging honours TF_CPP_MIN_LOG_LEVEL, straight to
file descriptor 2, so they are filtered there while TensorFlow loads and finds its devices. Everything else
written meanwhile is passed on. A user who sets TF_CPP_MIN_LOG_LEVEL, or the CLI's --verbose, sees them all.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
import tempfile
from collections.abc import Iterator

import engine

# absl's pre-initialisation notice, and its log lines: severity letter, MMDD, time, thread, file:line]
NATIVE_LINE = re.compile(rb"WARNING: All log messages before absl::InitializeLog\(\)|[IWEF]\d{4} [\d:.]+ +\d+ \S+:\d+\]")


@contextlib.contextmanager
def native_lines_filtered() -> Iterator[None]:
    """Hide TensorFlow's native log lines written to descriptor 2 during the block; pass the rest on."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            kept = [line for line in captured.read().splitlines(keepends=True) if not NATIVE_LINE.match(line)]
            if kept:
                os.write(2, b"".join(kept))


def load_tensorflow(verbose: bool = False):
    """Import TensorFlow and let it find its devices, quietly unless `verbose` or the user chose a log level."""
    if verbose or engine.USER_LOG_LEVEL:
        if verbose and not engine.USER_LOG_LEVEL:
            os.environ["TF_CPP_MIN_LOG_LEVEL"] = "0"
        import tensorflow as tf
    else:
        with native_lines_filtered():
            import tensorflow as tf

            tf.config.list_physical_devices()  # the GPU probe logs its cuInit failure here
        logging.getLogger("tensorflow").setLevel(logging.ERROR)  # e.g. retracing notices
    return tf
