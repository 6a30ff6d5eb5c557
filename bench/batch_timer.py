"""Time training batch by batch, for the training benchmarks.

A `fit` call's wall time includes starting its iterator and, now and then, seconds of waiting after the last
batch that have nothing to do with training speed; the batches themselves, timed with a callback, do not.
"""

from __future__ import annotations

import time

import keras


class _Timer(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seconds: list[float] = []

    def on_train_batch_begin(self, batch, logs=None):
        self.started = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self.seconds.append(time.perf_counter() - self.started)


def timed_fit(model: keras.Model, data, steps: int) -> list[float]:
    """Run one `fit` of steps + 1 batches; the seconds of each batch after the first (iterator start-up)."""
    timer = _Timer()
    model.fit(data, steps_per_epoch=steps + 1, epochs=1, verbose=0, callbacks=[timer])
    return timer.seconds[1:]
