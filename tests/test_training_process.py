"""The training process's wait always ends: a child that dies or ignores a stop request becomes a message."""

import multiprocessing
import pickle
import threading
import time

import pytest

from engine.data.dataset import FOLDER_NOT_FOUND, DatasetError
from engine.errors import StudioError, WriteError
from engine.training import training_process
from engine.training.training_process import TrainingProcess, label_check_events, training_events


def _silent_process(sleep_s: float) -> TrainingProcess:
    """A TrainingProcess whose child is alive but never says anything (as one stuck in a native call)."""
    context = multiprocessing.get_context("spawn")
    process = TrainingProcess.__new__(TrainingProcess)
    process.jobs, process.events, process.stop = context.Queue(), context.Queue(), context.Event()
    process.child = context.Process(target=time.sleep, args=(sleep_s,), daemon=True)
    process.child.start()
    return process


def test_a_child_that_ignores_the_stop_request_is_ended_after_the_grace(monkeypatch):
    monkeypatch.setattr(training_process, "STOP_GRACE_S", 1.0)
    process = _silent_process(sleep_s=120)
    stop = threading.Event()
    events = training_events("unused", config=None, stop=stop, process=process)
    assert next(events).phase == "starting"  # no READY note yet: the caller is told TensorFlow is loading
    stop.set()
    started = time.monotonic()
    with pytest.raises(StudioError, match="did not answer the stop request"):
        next(events)
    assert time.monotonic() - started < 30 and not process.child.is_alive()


def test_a_child_that_dies_ends_the_wait_with_its_exit_code():
    process = _silent_process(sleep_s=120)
    events = training_events("unused", config=None, stop=threading.Event(), process=process)
    next(events)
    process.child.kill()
    with pytest.raises(StudioError, match="ended unexpectedly") as raised:
        next(events)
    assert raised.value.detail == "exit code -9"


def test_a_label_check_whose_child_dies_says_nothing_was_changed_not_that_a_model_is_kept():
    process = _silent_process(sleep_s=120)
    events = label_check_events("unused", options={}, stop=threading.Event(), process=process)
    next(events)
    process.child.kill()
    with pytest.raises(StudioError, match="label check's process ended unexpectedly") as raised:
        next(events)
    assert "nothing in the folder was changed" in str(raised.value) and "model" not in str(raised.value)


def test_an_error_crosses_the_process_boundary_whole():
    sent = DatasetError.said(FOLDER_NOT_FOUND, detail="why", path="/photos")
    received = pickle.loads(pickle.dumps(sent))
    assert type(received) is DatasetError and str(received) == "/photos: folder not found"
    assert (received.detail, received.template, received.facts) == ("why", FOLDER_NOT_FOUND, {"path": "/photos"})
    written = pickle.loads(pickle.dumps(WriteError("/out/model.keras", OSError(28, "No space left on device"))))
    assert type(written) is WriteError and str(written) == "/out/model.keras: cannot write (No space left on device)"
    assert written.facts == {"path": "/out/model.keras", "reason": "No space left on device", "errno": 28}
