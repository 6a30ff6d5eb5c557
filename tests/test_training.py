"""Training end to end on image folders the tests write (bad files included), with tiny real DenseNets.

One CLI training is shared by the tests that only read its result; stop/resume, transfer learning and the
mirrored strategy train their own. Settings are pinned (float32, no XLA) so the tests are fast everywhere.
"""

import contextlib
import io
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

import engine.training.trainer as engine_training
from engine.cli import main
from engine.commands.train import ProgressPrinter
from engine.data.trained_photos import photo_digest
from engine.errors import StudioError
from engine.model.modelfile import load_model, read_metadata, read_trained_on
from engine.runtime.stop import StopToken
from engine.training.checkpoints import TrainingState, write_state
from engine.training.events import BatchEnded, EpochEnded, PhaseProgress, PhaseStarted, TrainingListener, TrainResult
from engine.training.train_config import TrainConfig
from engine.training.trainer import train
from tests.disk_faults import fill_disk
from tests.image_files import BAD_KINDS, class_picture, make_class_folders, write_image

TINY = dict(variant="densenet-bc-10-k4", input_size=32, batch_size=8, precision="float32", jit_compile=False,
            memory_efficient=False)
CLI_TINY = ["--variant", "densenet-bc-10-k4", "--input-size", "32", "--batch-size", "8", "--precision", "float32",
            "--jit", "off", "--memory-efficient", "off"]


def photo_folder(root: Path, per_class: int = 16) -> Path:
    make_class_folders(root, ("cat", "dog"), per_class=per_class, size=32)
    for kind in BAD_KINDS:
        write_image(root / "cat" / f"bad_{kind}.jpg", kind)
    return root


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse errors
            code = exit_.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def cli_training(tmp_path_factory):
    base = tmp_path_factory.mktemp("cli")
    data = photo_folder(base / "pets", per_class=24)
    out = base / "models" / "pets.keras"
    # lr 3e-3: at 1e-3 some initial networks (other tests move Keras' global seed stream) stay at chance
    code, printed, errors = run_cli("train", str(data), "--out", str(out), "--epochs", "6", "--no-augment",
                                    "--lr", "0.003", "--cache-dir", str(base / "cache"), *CLI_TINY)
    return data, out, code, printed, errors, base / "cache"


class Recorder(TrainingListener):
    """Keeps every event; can request a stop at a given (epoch, batch)."""

    def __init__(self, stop: StopToken | None = None, stop_at: tuple[int, int] | None = None):
        self.events, self.stop, self.stop_at = [], stop, stop_at

    def on_phase(self, event):
        self.events.append(event)

    def on_progress(self, event):
        self.events.append(event)

    def on_batch(self, event):
        self.events.append(event)
        if self.stop_at == (event.epoch, event.batch):
            self.stop.request()

    def on_epoch(self, event):
        self.events.append(event)

    def of(self, kind):
        return [event for event in self.events if isinstance(event, kind)]


class CheckpointKeeper(Recorder):
    """A Recorder that also copies each epoch's checkpoint (the network as `fit` left it, which a finished
    training deletes) into `kept`."""

    def __init__(self, state_dir: Path, kept: Path, **kwargs):
        super().__init__(**kwargs)
        self.state_dir, self.kept = state_dir, kept

    def on_epoch(self, event):
        super().on_epoch(event)
        name = json.loads((self.state_dir / "state.json").read_text())["checkpoint"]
        self.kept.mkdir(exist_ok=True)
        shutil.copyfile(self.state_dir / name, self.kept / name)


def test_cli_train_learns_and_writes_one_complete_model_file(cli_training):
    data, out, code, printed, errors, _ = cli_training
    assert code == 0, errors
    assert "epoch 1/6 (train)" in printed and "5 photo(s) skipped" in printed
    assert f"done: all 6 planned epochs ran; {out} holds epoch" in printed
    assert printed.startswith("starting: Loading the machine-learning library (a few seconds).\n")  # plain words
    metadata = read_metadata(out)
    assert metadata.class_names == ("cat", "dog")
    assert metadata.input_size == 32 and metadata.variant == "densenet-bc-10-k4"
    assert metadata.training["epochs"] == 6 and metadata.training["augment"]["enabled"] is False
    assert len(metadata.dataset_fingerprint) >= 16
    history = metadata.history
    assert [entry.epoch for entry in history] == list(range(1, len(history) + 1))
    best = history[metadata.best_epoch - 1]
    assert best.val_accuracy >= 0.9, history
    assert best.val_loss == min(entry.val_loss for entry in history)
    assert sorted(p.name for p in out.parent.iterdir()) == ["pets.keras"]  # state removed, no temporary left
    model = load_model(out).model
    assert not any("augment" in layer.name for layer in model.layers)


def test_cli_errors_exit_2_with_one_line(cli_training, tmp_path):
    data, *_ = cli_training
    one_class = make_class_folders(tmp_path / "one", ("cat",), per_class=2, size=32)
    cases = [
        (["train", str(tmp_path / "missing"), "--out", str(tmp_path / "m.keras"), *CLI_TINY], "missing"),
        (["train", str(data), "--out", str(tmp_path / "m.txt"), *CLI_TINY], ".keras"),
        (["train", str(data), "--out", str(tmp_path / "m.keras"), "--epochs", "0", *CLI_TINY], "epochs"),
        (["train", str(one_class), "--out", str(tmp_path / "m.keras"), *CLI_TINY], "at least two class"),
        (["train", str(data), "--out", str(tmp_path / "m.keras"), "--pretrained", "imagenet", *CLI_TINY],
         "ImageNet weights exist only"),
        (["train", str(data), "--out", str(tmp_path / "m.keras"), "--resume", *CLI_TINY], "nothing to resume"),
    ]
    for args, phrase in cases:
        code, _, errors = run_cli(*args)
        assert code == 2, (args, errors)
        lines = errors.strip().splitlines()
        assert len(lines) == 1 and phrase in lines[0], (args, errors)
    assert run_cli("train", str(data), "--out", "m.keras", "--epochs", "many")[0] == 2  # argparse


def test_cli_evaluate_scores_only_photos_the_model_did_not_train_on(cli_training, tmp_path):
    data, out, _, trained_printed, _, cache = cli_training
    metadata = read_metadata(out)
    trained, held_out = metadata.train_images, metadata.val_images
    assert trained + held_out == 48 and held_out > 0  # the 5 bad files are left out
    assert f"on {held_out} photos it did not train on" in trained_printed.splitlines()[-1]
    assert metadata.best_val_accuracy == metadata.history[metadata.best_epoch - 1].val_accuracy
    seen = read_trained_on(out)
    assert len(seen) == trained

    code, printed, errors = run_cli("evaluate", str(out), str(data), "--json", "--cache-dir", str(cache))
    assert code == 0, errors
    report = json.loads(printed)
    assert set(report) == {"accuracy", "interval", "chance", "verdict", "photos", "excluded", "mirrored", "labels",
                           "confusion_matrix", "per_class", "misclassified", "scored"}
    assert (report["photos"], report["excluded"]) == (held_out, trained)
    assert report["labels"] == ["cat", "dog"]
    assert sum(map(sum, report["confusion_matrix"])) == held_out
    assert report["accuracy"] == pytest.approx(metadata.best_val_accuracy)  # the same held-out photos
    assert set(report["per_class"]["cat"]) == {"precision", "recall", "f1", "support"}
    for item in report["misclassified"]:
        assert set(item) == {"path", "true", "predicted", "confidence"} and item["true"] != item["predicted"]

    # Training photos copied under new names still count as seen: only the one new photo is scored.
    photos = sorted(path for path in data.rglob("*.png") if photo_digest(path) in seen)
    copies = tmp_path / "copies"
    for index, photo in enumerate(photos[:2] + photos[-1:]):  # both classes
        target = copies / photo.parent.name / f"renamed-{index}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(photo, target)
    code, _, errors = run_cli("evaluate", str(out), str(copies), "--cache-dir", str(cache))
    assert code == 2 and len(errors.strip().splitlines()) == 1 and "all 3 photos trained this model" in errors
    write_image(copies / "cat" / "new.png", "png", class_picture(0, 32, seed=999))
    code, printed, errors = run_cli("evaluate", str(out), str(copies), "--json", "--cache-dir", str(cache))
    assert code == 0, errors
    assert {key: json.loads(printed)[key] for key in ("photos", "excluded")} == {"photos": 1, "excluded": 3}
    code, text, _ = run_cli("evaluate", str(out), str(copies), "--cache-dir", str(cache))
    assert code == 0 and text.startswith("accuracy ")
    assert "on 1 photos the model did not train on (3 that trained it left out)" in text.splitlines()[0]


@pytest.mark.heavy
def test_deterministic_trainings_give_byte_identical_weights(tmp_path):
    """Each in its own process, as users run them: the same seed and photos, the same weights to the bit; a
    time budget only plans the epochs."""
    data = photo_folder(tmp_path / "pets", per_class=8)
    weights = []
    for run in ("first", "second"):
        out = tmp_path / f"{run}.keras"
        subprocess.run([sys.executable, "-m", "engine", "train", str(data), "--out", str(out), "--epochs", "2",
                        "--time-budget", "5", "--seed", "7", "--lr", "0.01", "--deterministic",
                        "--cache-dir", str(tmp_path / run), *CLI_TINY],
                       check=True, capture_output=True, cwd=Path(__file__).resolve().parents[1])
        weights.append(load_model(out).model.get_weights())
        assert read_metadata(out).training["time_budget"] is None
    assert all(np.array_equal(a, b) for a, b in zip(*weights, strict=True))


def signalled_after_epoch_1(data: Path, out: Path, cache: str, number: int) -> tuple[int, str, str]:
    """A 40-epoch CLI training in its own process, sent signal `number` when epoch 1 ends: (status, out, err)."""
    child = subprocess.Popen([sys.executable, "-m", "engine", "train", str(data), "--out", str(out), "--epochs", "40",
                              "--cache-dir", cache, *CLI_TINY], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, cwd=Path(__file__).resolve().parents[1])
    for line in child.stdout:
        if line.startswith("epoch 1/40"):
            child.send_signal(number)
            break
    printed, errors = child.communicate(timeout=300)
    return child.returncode, printed, errors


@pytest.mark.heavy
def test_sigterm_stops_as_gracefully_as_ctrl_c_and_leaves_no_lock(tmp_path):
    data = photo_folder(tmp_path / "pets", per_class=8)
    out = tmp_path / "pets.keras"
    code, printed, errors = signalled_after_epoch_1(data, out, str(tmp_path / "cache"), signal.SIGTERM)
    assert code == 143, errors
    assert "stopped by you after epoch" in printed and "Traceback" not in errors
    assert load_model(out).model is not None and not out.with_name("pets.keras.lock").exists()


@pytest.mark.heavy
def test_ctrl_c_keeps_the_best_model_exits_130_and_resume_refuses_changed_settings(tmp_path):
    data = photo_folder(tmp_path / "pets", per_class=8)
    out, cache = tmp_path / "pets.keras", str(tmp_path / "cache")
    code, printed, errors = signalled_after_epoch_1(data, out, cache, signal.SIGINT)
    assert code == 130, errors
    assert "stopped by you after epoch" in printed and "continue with --resume" in printed
    assert read_metadata(out).stopped is True and load_model(out).model is not None

    code, _, errors = run_cli("train", str(data), "--out", str(out), "--resume", "--epochs", "41", "--lr", "0.01",
                              "--cache-dir", cache, *CLI_TINY)
    assert code == 2 and len(errors.strip().splitlines()) == 1, errors
    assert "--epochs 41 (it used 40)" in errors and "--lr 0.01 (it used " in errors and "--batch-size" not in errors
    assert (tmp_path / "pets.state" / "state.json").is_file()  # nothing changed: it can still be resumed


def test_cli_evaluate_prints_names_that_are_not_utf8(cli_training, tmp_path, capsys):
    _, out, *_, cache = cli_training
    data = make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=2, size=32)
    write_image(data / "dog" / os.fsdecode(b"bad\xff.jpg"), "truncated")
    assert main(["evaluate", str(out), str(data), "--cache-dir", str(cache)]) == 0  # capsys: strict UTF-8
    assert f"  skipped {data / 'dog'}/bad\\xff.jpg: a damaged or incomplete photo" in capsys.readouterr().out


@pytest.mark.heavy
def test_stop_keeps_the_best_model_and_resume_continues_the_same_history(tmp_path):
    data = photo_folder(tmp_path / "pets")
    config = TrainConfig(out=tmp_path / "pets.keras", epochs=3, cache_dir=tmp_path / "cache", **TINY)
    stop = StopToken()
    first = Recorder(stop, stop_at=(2, 2))
    result = train(data, config, first, stop)

    assert result.stopped and not result.early_stopped
    assert result.ending_text() == "stopped by you after epoch 1 of 3 planned"
    batches = first.of(BatchEnded)
    assert (batches[-1].epoch, batches[-1].batch) == (2, 2)  # ended within the batch it was asked in
    assert all(b.images_per_second > 0 and b.eta_seconds >= 0 for b in batches)
    assert [e.epoch for e in first.of(EpochEnded)] == [1]
    until_first_batch = first.events[:first.events.index(batches[0])]
    assert [e.phase for e in until_first_batch if isinstance(e, PhaseStarted)] == [
        "decoding", "train", "building", "compiling"]
    assert until_first_batch[-1].phase == "compiling"  # the user is told what the first batch waits for
    assert first.of(PhaseProgress)[-1].done == first.of(PhaseProgress)[-1].total == 37
    assert result.model_path == config.out and len(result.history) == 1
    stopped = load_model(config.out)
    assert stopped.metadata.stopped is True and len(stopped.metadata.history) == 1
    assert stopped.test_time_flip is True  # trained with flips, a tiny network: it classifies both ways
    assert config.state_dir.is_dir()

    extra = write_image(data / "dog" / "new.png", "png", class_picture(1, 32, seed=77))
    with pytest.raises(StudioError, match=r"pets changed since the interrupted training; train again without resume"):
        train(data, TrainConfig(out=config.out, resume=True, **TINY))
    assert config.state_dir.is_dir()  # refused, not lost: with the folder as it was, it resumes
    extra.unlink()

    (checkpoint,) = config.state_dir.glob("checkpoint-*.keras")
    intact = checkpoint.read_bytes()
    checkpoint.write_bytes(intact[: len(intact) // 2])  # a damaged checkpoint: one line, not a zipfile traceback
    with pytest.raises(StudioError, match=r"the checkpoint is damaged \(.+\), so resuming is impossible"):
        train(data, TrainConfig(out=config.out, resume=True, **TINY))
    checkpoint.write_bytes(intact)

    second = Recorder()
    resumed = train(data, TrainConfig(out=config.out, resume=True, **TINY), second)
    assert not resumed.stopped
    assert [e.epoch for e in second.of(EpochEnded)] == [2, 3]
    assert [entry.epoch for entry in resumed.history] == [1, 2, 3]
    assert resumed.history[0] == result.history[0]
    assert not config.state_dir.exists()

    batch = np.stack([class_picture(label, 32, seed=99) for label in (0, 1)]).astype("float32")
    expected = resumed.model.predict(batch, verbose=0)
    np.testing.assert_array_equal(load_model(config.out).model.predict(batch, verbose=0), expected)


@pytest.mark.heavy
def test_within_a_budget_short_epochs_are_written_now_and_then_and_a_stop_keeps_the_last_one(tmp_path,
                                                                                            monkeypatch):
    """Within a time budget the files are written every PERSIST_EVERY_S (here: never after the first epoch),
    so a small folder's epochs are not mostly file writing; a stop in epoch 4 still checkpoints epoch 3 (its
    weights and optimizer state as they were) and writes the best model, so resume continues from epoch 3."""
    monkeypatch.setattr("engine.training.trainer.PERSIST_EVERY_S", 1e6)
    writes = []
    real_save_checkpoint = engine_training.save_checkpoint
    monkeypatch.setattr("engine.training.trainer.save_checkpoint",
                        lambda trainer, folder, epoch: writes.append(epoch) or real_save_checkpoint(trainer, folder,
                                                                                                    epoch))
    data = photo_folder(tmp_path / "pets")
    config = TrainConfig(out=tmp_path / "pets.keras", epochs=6, time_budget=30, patience=0,
                         cache_dir=tmp_path / "cache", **TINY)
    stop = StopToken()
    recorder = Recorder(stop, stop_at=(4, 1))
    result = train(data, config, recorder, stop)
    assert result.stopped and [event.epoch for event in recorder.of(EpochEnded)] == [1, 2, 3]
    assert writes == [1, 3]  # epoch 1 when it ended; epoch 3 when the stop came in epoch 4
    saved = [event.saved for event in recorder.of(EpochEnded)]
    assert saved[0] and not any(saved[1:])  # the log says "saved" only when the model file was written
    state = json.loads((config.state_dir / "state.json").read_text())
    assert state["epoch"] == 3 and state["checkpoint"] == "checkpoint-0003.keras" and len(state["history"]) == 3
    stopped = load_model(config.out)
    assert stopped.metadata.best_epoch == result.best_epoch and len(stopped.metadata.history) == 3
    assert result.best_epoch == 3  # within a budget, without early stopping, the model follows the last epoch

    resumed = train(data, TrainConfig(out=config.out, resume=True, **TINY), Recorder())
    assert [entry.epoch for entry in resumed.history] == [1, 2, 3, 4, 5, 6]
    assert resumed.history[:3] == result.history and resumed.best_epoch == 6
    # the 6 epochs ended it, long before the 30 minutes: not "filled the time budget"
    assert resumed.ending_text() == "done: all 6 planned epochs ran"


def test_names_that_are_not_utf8_and_a_link_to_itself_do_not_stop_training(tmp_path):
    data = make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=6, size=32)
    write_image(data / "cat" / os.fsdecode(b"caf\xe9.png"), "png", class_picture(0, 32, 50))
    os.symlink("self.png", data / "dog" / "self.png")
    result = train(data, TrainConfig(out=tmp_path / "pets.keras", epochs=1, cache_dir=tmp_path / "cache", **TINY))
    metadata = read_metadata(result.model_path)
    assert metadata.train_images + metadata.val_images == 13  # the photo with the odd name is used
    assert [(os.path.basename(item.path), item.reason) for item in result.skipped] == [
        ("self.png", "symbolic link to nothing (broken, or a loop)")]


def test_progress_lines_stay_utf8_for_names_that_are_not():
    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # an English UTF-8 terminal: strict
    ProgressPrinter(stream).on_phase(PhaseStarted("decoding", os.fsdecode(b"/photos/caf\xe9")))
    stream.flush()
    assert stream.buffer.getvalue().decode("utf-8") == "decoding photos: /photos/caf\\xe9\n"


def test_a_full_disk_while_checkpointing_is_one_line_and_keeps_the_earlier_files(tmp_path, monkeypatch):
    data = make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=6, size=32)
    out = tmp_path / "models" / "pets.keras"
    fill_disk(monkeypatch, lambda path: "checkpoint-0002" in path)  # the disk fills in the second epoch
    # every setting given: no Automatic, so no time budget, whose writes would come every 15 s, not every epoch
    code, printed, errors = run_cli("train", str(data), "--out", str(out), "--epochs", "3", "--lr", "0.001",
                                    "--cache-dir", str(tmp_path / "cache"), *CLI_TINY)
    assert code == 2 and "epoch 1/3" in printed
    assert errors.count("\n") == 1 and "checkpoint-0002.keras" in errors and "No space left on device" in errors
    state_dir = out.with_suffix(".state")
    assert load_model(out).metadata.history[0].epoch == 1
    state = json.loads((state_dir / "state.json").read_text())
    assert state["epoch"] == 1 and state["checkpoint"] == "checkpoint-0001.keras"
    assert load_model(state_dir / "checkpoint-0001.keras").model.output_shape == (None, 2)
    assert sorted(path.name for path in state_dir.iterdir()) == ["checkpoint-0001.keras", "state.json"]
    assert sorted(path.name for path in out.parent.iterdir()) == ["pets.keras", "pets.state"]


def test_an_output_folder_that_cannot_be_made_is_reported_before_decoding(tmp_path):
    data = make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=4, size=32)
    (tmp_path / "notes.txt").write_text("a file where the folder should be")
    recorder = Recorder()
    config = TrainConfig(out=tmp_path / "notes.txt" / "pets.keras", cache_dir=tmp_path / "cache", **TINY)
    with pytest.raises(StudioError, match=r"pets.keras: cannot write \(.*notes.txt is a file, not a folder\)"):
        train(data, config, recorder)
    assert recorder.events == [] and not (tmp_path / "cache").exists()


def _read_only(folder: Path) -> list[str]:
    """A command prefix under which `folder` cannot be written: chmod for a user; for root, whom chmod does not
    stop, a read-only bind mount in a mount namespace of the command's own (skipped where that is refused)."""
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return []
    if subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode != 0:
        pytest.skip("running as root, and no mount namespace to make a folder read-only in")
    mount = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    return ["unshare", "-m", "sh", "-c", mount, str(folder)]


def test_a_read_only_output_folder_is_reported_before_decoding(tmp_path):
    data = make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=4, size=32)
    models = tmp_path / "models"
    command = [*_read_only(models), sys.executable, "-m", "engine", "train", str(data), "--out",
               str(models / "pets.keras"), "--epochs", "1", "--cache-dir", str(tmp_path / "cache"), *CLI_TINY]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=Path(__file__).parent.parent,
                          env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert done.returncode == 2, done.stderr
    reason = "Permission denied" if os.geteuid() else "Read-only file system"
    assert done.stderr.splitlines()[-1].endswith(f"models/pets.keras: cannot write ({reason})")
    assert "decoding" not in done.stdout and not (tmp_path / "cache").exists()


def test_an_output_that_is_a_folder_is_reported_before_decoding(tmp_path):
    data = make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=4, size=32)
    (tmp_path / "taken.keras").mkdir()
    code, printed, errors = run_cli("train", str(data), "--out", str(tmp_path / "taken.keras"), "--epochs", "1",
                                    "--lr", "0.01", "--cache-dir", str(tmp_path / "cache"), *CLI_TINY)
    assert code == 2 and errors.strip().endswith("taken.keras: cannot write (Is a directory)"), errors
    assert "decoding" not in printed and not (tmp_path / "cache").exists()


def test_a_loss_that_becomes_nan_stops_at_once_and_says_the_learning_rate_is_too_high(tmp_path):
    """Weight decay 10 at a learning rate of 10 multiplies the weights by -99 a step: NaN in the first epoch."""
    data = make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=8, size=32)
    config = TrainConfig(out=tmp_path / "pets.keras", epochs=4, lr=10.0, weight_decay=10.0,
                         cache_dir=tmp_path / "cache", **{**TINY, "batch_size": 8})
    result = train(data, config)
    assert result.ending == "diverged" and len(result.history) == 1
    assert result.ending_text() == ("stopped in epoch 1: the loss became NaN (not a number), so the learning rate "
                                    "is too high; train again with a lower one")


class CacheRemover(Recorder):
    """Deletes the image cache folder when the first epoch ends, as a user tidying up might."""

    def __init__(self, cache: Path):
        super().__init__()
        self.cache = cache

    def on_epoch(self, event):
        super().on_epoch(event)
        if event.epoch == 1:
            shutil.rmtree(self.cache)


def test_the_cache_folder_deleted_during_training_is_one_line_and_keeps_a_valid_model_file(tmp_path):
    data = photo_folder(tmp_path / "pets")
    config = TrainConfig(out=tmp_path / "pets.keras", epochs=3, cache_dir=tmp_path / "cache", **TINY)
    with pytest.raises(StudioError, match=r"^a decoded photo vanished from the image cache during training") as error:
        train(data, config, CacheRemover(tmp_path / "cache"))
    assert "\n" not in str(error.value) and "No such file" in error.value.detail
    kept = load_model(config.out)
    assert [entry.epoch for entry in kept.metadata.history] == [1]


class PhotoEditor(Recorder):
    """Appends bytes to every photo of a folder after the first batch: edits made while a training runs, before
    its first model file."""

    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder

    def on_batch(self, event):
        super().on_batch(event)
        if (event.epoch, event.batch) == (1, 1):
            for photo in self.folder.rglob("*.png"):
                with photo.open("ab") as file:
                    file.write(b"edited")


def test_photos_edited_during_training_count_by_the_content_it_trained_on(tmp_path):
    data = tmp_path / "pets"
    make_class_folders(data, ("cat", "dog"), per_class=8, size=32)
    untouched = shutil.copytree(data, tmp_path / "copy")
    config = TrainConfig(out=tmp_path / "pets.keras", epochs=2, val_split=0.25, cache_dir=tmp_path / "cache", **TINY)
    train(data, config, PhotoEditor(data))
    trained_on = read_trained_on(config.out)
    assert len(trained_on) == 12
    assert trained_on <= {photo_digest(photo) for photo in untouched.rglob("*.png")}
    assert not trained_on & {photo_digest(photo) for photo in data.rglob("*.png")}


def test_stop_while_decoding_writes_nothing(tmp_path):
    data = photo_folder(tmp_path / "pets", per_class=4)
    stop = StopToken()
    stop.request()
    result = train(data, TrainConfig(out=tmp_path / "pets.keras", cache_dir=tmp_path / "cache", **TINY), stop=stop)
    assert result.stopped and result.model_path is None and result.history == ()
    assert not (tmp_path / "pets.keras").exists()


def test_result_crosses_processes_without_its_model(tmp_path):
    result = TrainResult(model_path=tmp_path / "m.keras", class_names=("a", "b"), history=({"epoch": 1},),
                         best_epoch=1, best_val_loss=0.5, best_val_accuracy=1.0, stopped=False,
                         early_stopped=False, compute="float32", model=object())
    copy = pickle.loads(pickle.dumps(result))
    assert copy.model is None and copy == result


def test_transfer_learning_from_a_test_written_weights_file_stops_and_resumes(tmp_path, tiny_backbone):
    data = photo_folder(tmp_path / "pets")
    source, weights = tiny_backbone
    config = TrainConfig(out=tmp_path / "pets.keras", epochs=3, fine_tune_epochs=1, pretrained=str(weights),
                         cache_dir=tmp_path / "cache", **TINY)
    stop = StopToken()
    first = Recorder(stop, stop_at=(2, 1))
    stopped = train(data, config, first, stop)
    assert [event.phase for event in first.of(PhaseStarted)] == ["decoding", "building", "features", "head",
                                                                 "compiling", "saving"]
    assert first.of(PhaseProgress)[-1].phase == "features"
    assert stopped.stopped and [entry.phase for entry in stopped.history] == ["head"]

    second = CheckpointKeeper(config.state_dir, tmp_path / "kept")
    result = train(data, TrainConfig(out=config.out, resume=True, **TINY), second)
    assert [event.phase for event in second.of(PhaseStarted)] == ["decoding", "building", "features", "head",
                                                                  "compiling", "fine-tune", "building",
                                                                  "compiling", "saving"]
    assert not [event for event in second.of(PhaseProgress) if event.phase == "features"]  # cached features
    assert [entry.phase for entry in result.history] == ["head"] * 3 + ["fine-tune"]
    assert result.history[0] == stopped.history[0]
    model = load_model(result.model_path).model
    tuned = load_model(tmp_path / "kept" / "checkpoint-0004.keras").model  # after fine-tuning, best epoch or not
    # Frozen: the stem and every batch norm (inference mode); fine-tuned: the top block's convolutions.
    for network in (model, tuned):
        for name in ("conv1_conv", "conv2_block1_1_conv", "conv4_block1_0_bn", "bn"):
            for ours, theirs in zip(network.get_layer(name).get_weights(), source.get_layer(name).get_weights()):
                np.testing.assert_array_equal(ours, theirs)
    assert not np.array_equal(tuned.get_layer("conv4_block1_2_conv").get_weights()[0],
                              source.get_layer("conv4_block1_2_conv").get_weights()[0])
    assert model.output_shape == (None, 2)


def test_early_stopping_ends_training_after_patience_epochs_without_a_better_validation_loss(tmp_path,
                                                                                             tiny_backbone):
    """At a learning rate of 1e-12 the classifier's weights stay as they are (below float32's resolution), so no
    epoch after the first lowers the validation loss: with patience 2, epoch 3 of 20 is the last."""
    data = make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=6, size=32)
    config = TrainConfig(out=tmp_path / "pets.keras", epochs=20, patience=2, lr=1e-12, pretrained=str(tiny_backbone[1]),
                         feature_runtime="graph", cache_dir=tmp_path / "cache", **TINY)
    recorder = Recorder()
    result = train(data, config, recorder)
    assert result.early_stopped and not result.stopped
    assert result.ending_text() == "stopped after epoch 3 of 20 planned: validation loss did not improve for 2 epochs"
    assert [(event.epoch, event.improved) for event in recorder.of(EpochEnded)] == [(1, True), (2, False), (3, False)]
    assert result.best_epoch == 1 and len(read_metadata(result.model_path).history) == 3
    assert not config.state_dir.exists()  # it finished: nothing to resume


@pytest.mark.heavy
def test_memory_efficient_mixed_precision_xla_training_saves_the_plain_float32_network(tmp_path):
    data = make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=4, size=32)
    settings = {**TINY, "precision": "mixed_bfloat16", "memory_efficient": True, "jit_compile": True}
    config = TrainConfig(out=tmp_path / "pets.keras", epochs=1, cache_dir=tmp_path / "cache", **settings)
    result = train(data, config, CheckpointKeeper(config.state_dir, tmp_path / "kept"))
    assert result.compute.endswith(": mixed_bfloat16 (as requested); memory-efficient DenseNet (as requested); "
                                   "XLA on (as requested)")
    assert np.isfinite(result.history[0].loss) and np.isfinite(result.history[0].val_loss)

    checkpoint = tmp_path / "kept" / "checkpoint-0001.keras"  # the network fit trained
    with zipfile.ZipFile(checkpoint) as archive:
        trained = json.loads(archive.read("config.json"))
    layers = {layer["config"]["name"]: layer for layer in trained["config"]["layers"]}
    assert trained["compile_config"]["jit_compile"] is True
    assert layers["conv2_block1"]["class_name"] == "RecomputedBottleneck"
    assert layers["conv1_conv"]["config"]["dtype"]["config"]["name"] == "mixed_bfloat16"

    saved = load_model(result.model_path).model  # the model file: the plain float32 network, same weights
    assert "conv2_block1" not in {layer.name for layer in saved.layers}
    assert saved.get_layer("conv2_block1_1_conv").compute_dtype == "float32"
    for ours, theirs in zip(saved.get_weights(), load_model(checkpoint).model.get_weights(), strict=True):
        np.testing.assert_array_equal(ours, theirs)


def test_a_damaged_training_state_is_refused_in_one_line_that_says_what_to_delete(tmp_path):
    data = make_class_folders(tmp_path / "pets", ("cat", "dog"), per_class=2, size=32)
    out = tmp_path / "pets.keras"
    state_dir, cache = out.with_suffix(".state"), tmp_path / "cache"
    config = TrainConfig(out=out, epochs=2, **TINY)
    write_state(state_dir, TrainingState(settings=config.to_dict(), fingerprint="0" * 64, phase="train", epoch=1))
    whole = (state_dir / "state.json").read_bytes()
    damages = {
        "cut short": whole[: len(whole) // 2],
        "not UTF-8": whole.replace(b'"train"', b'"tr\xffin"', 1),
        "not an object": b"[]",
        "a number became text": whole.replace(b'"epoch": 1', b'"epoch": "1"'),
        "a setting's name changed": whole.replace(b'"augment"', b'"augmenu"'),
        "a setting became text": whole.replace(b'"batch_size": 8', b'"batch_size": "8"'),
    }
    for damage, content in damages.items():
        assert content != whole, damage
        (state_dir / "state.json").write_bytes(content)
        code, _, errors = run_cli("train", str(data), "--out", str(out), "--resume", "--cache-dir", str(cache))
        assert code == 2 and errors.count("\n") == 1, (damage, errors)
        assert "damaged training state" in errors and errors.strip().endswith(f"delete {state_dir} to start over")
        assert (state_dir / "state.json").read_bytes() == content and not cache.exists(), damage


@pytest.mark.heavy
def test_automatic_on_a_small_grey_folder_is_far_above_guessing(tmp_path):
    """A small folder as window users have them (3 classes of 20 grey photos, PNG files written here), trained
    with Automatic's own settings in a one-minute budget, scored on 30 photos it never saw: far above the 33 %
    of guessing. The version before small-folder settings ended such folders at chance (batch 128, one step an
    epoch, early stopping on a handful of validation photos)."""
    from engine.data.dataset import scan_dataset
    from engine.data.score_check import CLEAR
    from engine.inference.evaluation import evaluate_model
    from engine.model.pretrained import UNAVAILABLE
    from engine.training.auto_settings import merged_config, settings_for_scan

    classes = ("circles", "stripes", "waves")
    make_class_folders(tmp_path / "shapes" / "train", classes, per_class=20, size=32, kind="grayscale")
    make_class_folders(tmp_path / "shapes" / "test", classes, per_class=10, size=32, kind="grayscale", seed=100)
    data = tmp_path / "shapes"
    auto, *_ = settings_for_scan(scan_dataset(data, decode_check=False), 1.0, UNAVAILABLE)
    assert auto.pretrained is None and auto.channels == 1 and auto.batch_size == 16
    config = merged_config(auto, {"out": tmp_path / "shapes.keras", "cache_dir": tmp_path / "cache"})
    result = train(data, config)
    assert result.ending in ("filled-budget", "planned"), result.ending_text()
    report = evaluate_model(load_model(result.model_path), data, cache_dir=tmp_path / "cache")
    assert report.images == 30 and report.check.verdict == CLEAR and report.accuracy >= 0.7, report.to_text()
