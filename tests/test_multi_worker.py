"""Multi-worker training: two `train --distribute multi-worker` processes on localhost ports, as a cluster of
two machines would run them, with a tiny real DenseNet on photos the tests write."""

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from engine.errors import ConfigError
from engine.model.modelfile import EpochRecord, load_model
from engine.training.multi_worker import cluster_role
from engine.training.trainer import LOCAL
from tests.image_files import class_picture, make_class_folders

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = ["--variant", "densenet-bc-10-k4", "--input-size", "32", "--batch-size", "8", "--precision", "float32",
            "--jit", "off", "--memory-efficient", "off", "--lr", "0.003", "--no-augment"]


def free_ports(count: int) -> list[int]:
    """Ports nothing listens on now: the kernel's pick for sockets held open together, so they differ."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("localhost", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def start_workers(data: Path, outs: list[Path], cache: Path, tmp: Path, *args: str,
                  own_args: list[list[str]] | None = None) -> list[subprocess.Popen]:
    """One `train` process per worker, worker 0 (the chief) first; worker i writes into `outs[i]`, has its
    own temporary folder under `tmp` and gets `own_args[i]` after `args`."""
    cluster = {"worker": [f"localhost:{port}" for port in free_ports(len(outs))]}
    workers = []
    for index, out in enumerate(outs):
        temporary = tmp / f"worker-{index}"
        temporary.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "TF_CONFIG": json.dumps({"cluster": cluster, "task": {"type": "worker", "index": index}}),
               "TMPDIR": str(temporary), "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        command = [sys.executable, "-m", "engine", "train", str(data), "--out", str(out), "--distribute",
                   "multi-worker", "--cache-dir", str(cache), *SETTINGS, *args, *(own_args[index] if own_args else ())]
        workers.append(subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        cwd=ROOT, env=env))
    return workers


def finished(workers: list[subprocess.Popen]) -> list[tuple[int, str, str]]:
    outcomes = [(worker, *worker.communicate(timeout=300)) for worker in workers]
    return [(worker.returncode, printed, errors) for worker, printed, errors in outcomes]


# One process, MirroredStrategy over two logical CPUs: the maths of two one-device workers on one machine. It
# prints what train() handed the strategy, so the test also sees that both replicas really trained.
TWO_REPLICAS = textwrap.dedent("""
    import json, sys
    import tensorflow as tf
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    from engine.data.augment import AugmentConfig
    from engine.training.events import BUILDING, TrainingListener
    from engine.training.train_config import TrainConfig
    from engine.training.trainer import train

    data, out, cache, epochs = sys.argv[1:]
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    steps = []  # what train() hands the strategy to run on every replica: Keras' training and validation steps
    run = strategy.run
    strategy.run = lambda step, *args, **kwargs: steps.append(step.__name__) or run(step, *args, **kwargs)

    class Replicas(TrainingListener):
        built = []  # replicas of the strategy in force while the network is built (its variables mirrored)

        def on_phase(self, event):
            if event.phase == BUILDING:
                self.built.append(tf.distribute.get_strategy().num_replicas_in_sync)

    config = TrainConfig(out=out, variant="densenet-bc-10-k4", input_size=32, batch_size=8, precision="float32",
                         jit_compile=False, memory_efficient=False, lr=0.003, augment=AugmentConfig(enabled=False),
                         epochs=int(epochs), cache_dir=cache)
    train(data, config, Replicas(), strategy=strategy)
    print(json.dumps({"built with replicas": Replicas.built, "steps": sorted(set(steps))}))
""")


def photos(root: Path) -> Path:
    return make_class_folders(root, ("cat", "dog"), per_class=10, size=32)  # 16 train photos: 2 whole batches


@pytest.mark.heavy
def test_two_workers_finish_only_the_chief_writes_and_the_model_is_that_of_two_replicas(tmp_path):
    data, cache = photos(tmp_path / "pets"), tmp_path / "cache"
    chief_out, other_out = tmp_path / "models" / "pets.keras", tmp_path / "unused" / "pets.keras"
    outcomes = finished(start_workers(data, [chief_out, other_out], cache, tmp_path / "tmp", "--epochs", "2"))
    for (code, printed, errors), out in zip(outcomes, (chief_out, other_out)):
        assert code == 0, errors[-3000:]
        assert "epoch 2/2 (train)" in printed, printed
        assert f"done: all 2 planned epochs ran; {out} holds epoch 2" in printed, printed
    logs = [[line.split(" lr ")[0] for line in printed.splitlines() if line.startswith("epoch")]
            for _, printed, _ in outcomes]
    assert logs[0] == logs[1]  # the same losses and accuracies on both workers
    assert sorted(path.name for path in chief_out.parent.iterdir()) == ["pets.keras"]  # no state, no lock left
    assert not other_out.parent.exists()  # the other worker wrote nothing where its --out points
    assert list((tmp_path / "tmp" / "worker-1").iterdir()) == []  # and its private copy is gone
    assert not [path for path in cache.rglob("*") if "partial" in path.name]  # both decoded into one cache

    reference = tmp_path / "two-replicas" / "pets.keras"
    done = subprocess.run([sys.executable, "-c", TWO_REPLICAS, str(data), str(reference), str(cache), "2"],
                          check=False, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.splitlines()[-1]) == {"built with replicas": [2], "steps": ["test_step", "train_step"]}
    ours, theirs = load_model(chief_out), load_model(reference)
    settings = {key: value for key, value in ours.metadata.training.items() if key not in LOCAL}
    assert settings == {key: theirs.metadata.training[key] for key in settings}
    for mine, expected in zip(ours.metadata.history, theirs.metadata.history):
        assert mine.loss == pytest.approx(expected.loss, rel=1e-4)
        assert mine.val_loss == pytest.approx(expected.val_loss, rel=1e-4)
    batch = np.stack([class_picture(label, 32, seed=99) for label in (0, 1)]).astype("float32")
    np.testing.assert_allclose(ours.model.predict(batch, verbose=0), theirs.model.predict(batch, verbose=0),
                               rtol=1e-4, atol=1e-5)


# Killing the chief runs in every suite; killing the other worker (the same code path on the survivor's side,
# two more minutes) only with -m slow.
@pytest.mark.heavy
@pytest.mark.parametrize("killed", [pytest.param(1, marks=pytest.mark.slow), 0])
def test_a_killed_worker_stops_the_other_and_both_resume_from_the_last_epoch(tmp_path, killed):
    data, cache, out = photos(tmp_path / "pets"), tmp_path / "cache", tmp_path / "models" / "pets.keras"
    workers = start_workers(data, [out, out], cache, tmp_path / "tmp", "--epochs", "3")
    victim, survivor = workers[killed], workers[1 - killed]
    for line in workers[0].stdout:
        if line.startswith("epoch 1/3"):
            victim.send_signal(signal.SIGKILL)
            break
    victim.wait(timeout=60)
    printed, errors = survivor.communicate(timeout=300)
    assert survivor.returncode == 2, errors[-3000:]
    assert ("densenet-studio train: error: another worker of the cluster stopped, so this one cannot go on; the "
            "last completed epoch is kept: start every worker again with --resume\n") in errors, errors[-3000:]
    assert "Traceback" not in errors, errors[-3000:]
    state = json.loads((out.with_suffix(".state") / "state.json").read_text())
    assert state["epoch"] in (1, 2)
    kept = tuple(EpochRecord(**epoch) for epoch in state["history"])  # as the state file holds them

    outcomes = finished(start_workers(data, [out, out], cache, tmp_path / "tmp", "--resume"))
    for code, printed, errors in outcomes:
        assert code == 0, errors[-3000:]
        assert "epoch 3/3 (train)" in printed and f"epoch {state['epoch']}/3" not in printed, printed
    history = load_model(out).metadata.history
    assert [entry.epoch for entry in history] == [1, 2, 3]
    assert history[:len(kept)] == kept
    assert sorted(path.name for path in out.parent.iterdir()) == ["pets.keras"]


@pytest.mark.heavy
def test_workers_given_different_settings_all_stop_with_one_line(tmp_path):
    data, cache = photos(tmp_path / "pets"), tmp_path / "cache"
    workers = start_workers(data, [tmp_path / "a.keras", tmp_path / "b.keras"], cache, tmp_path / "tmp",
                            own_args=[["--epochs", "2"], ["--epochs", "3"]])
    for code, printed, errors in finished(workers):
        assert code == 2 and "epoch 1/" not in printed, errors[-3000:]
        assert errors.strip().splitlines()[-1].startswith(
            "densenet-studio train: error: the workers were started with different settings"), errors[-3000:]


@pytest.mark.parametrize("text, phrase", [
    (None, "needs the TF_CONFIG environment variable"),
    ("{cluster", "is not a cluster description"),
    ('{"cluster": {"worker": ["a:1"]}, "task": {"type": "worker", "index": 1}}', "task worker 1 is not one of"),
    ('{"cluster": {"worker": ["a:1"]}, "task": {"type": "ps", "index": 0}}', "is not a cluster description"),
])
def test_a_wrong_cluster_description_is_one_line(text, phrase):
    with pytest.raises(ConfigError, match=phrase):
        cluster_role(text)


def role(cluster: dict, kind: str, index: int) -> tuple[str, int, bool]:
    return cluster_role(json.dumps({"cluster": cluster, "task": {"type": kind, "index": index}}))


def test_the_chief_is_the_chief_task_else_worker_0():
    workers = {"worker": ["a:1", "b:1"]}
    assert role(workers, "worker", 0) == ("worker", 0, True)
    assert role(workers, "worker", 1) == ("worker", 1, False)
    assert role({**workers, "chief": ["c:1"]}, "worker", 0) == ("worker", 0, False)
    assert role({**workers, "chief": ["c:1"]}, "chief", 0) == ("chief", 0, True)


@pytest.mark.heavy
@pytest.mark.parametrize("batch", ["8", "128"])
def test_two_workers_train_on_a_photo_count_that_does_not_divide_evenly(tmp_path, batch):
    """27 training photos: at batch 8 the last batch of 3 splits 2 and 1 between the workers; at batch 128 (more
    than the photos) the one batch of 27 splits 14 and 13."""
    data = make_class_folders(tmp_path / "shapes", ("a", "b", "c"), per_class=11, size=32)
    outs = [tmp_path / "models" / "shapes.keras", tmp_path / "unused" / "shapes.keras"]
    for code, printed, errors in finished(start_workers(data, outs, tmp_path / "cache", tmp_path / "tmp",
                                                        "--epochs", "2", "--batch-size", batch)):
        assert code == 0, errors[-3000:]
        assert "epoch 2/2 (train)" in printed, printed
    assert load_model(outs[0]).model is not None
