"""Fault injection: a small training and classification hurt the ways real machines hurt them, each case
checked against the same run undamaged (docs/reliability.md).

Every run is the real CLI in its own process (`python -m engine`), on 48 generated photos in 2 classes with a
tiny DenseNet-BC, with the studio cache in the work folder:
  reference       train 6 epochs; classify 40 held-out photos (TFLite route): the answers every case is held to
  kill -9 at ...  decoding / the end of epoch 1 / the end of epoch 4 / saving: whatever model file exists
                  loads; the next run leaves no temporary file; `--resume` finishes and its model loads
  Ctrl-C          after epoch 2: exit status 130, the model loads, `--resume` finishes
  disk full       --out on a 4 MiB tmpfs, filled after a first training there (needs root to mount; else
                  reported as not run): one line, no traceback; the model file written before stays intact
  damaged caches  every decoded-photo cache entry overwritten with other bytes of the same size, the
                  converted TFLite model truncated: classify gives the reference's answers, and evaluate (which
                  reads the photo cache) the undamaged run's scores
  damaged index   index.sqlite with 200 random 16-byte overwrites: train and evaluate still run
  damaged checkpoint  Ctrl-C after epoch 2, the checkpoint cut in half, then --resume: one line, no traceback
  cache deleted   the cache folder removed during epoch 2: one line, and the model file still loads
  edited photos   bytes appended to every photo during training: evaluate on an untouched copy leaves out
                  every training photo
  planted link    the cache's images folder a link to another folder: one line, nothing written there
For the kill and Ctrl-C cases, the resumed model's top-1 answers are compared with the reference's (equal
only where resuming reproduces the uninterrupted run's arithmetic; the rate is printed).

    .venv/bin/python bench/fault_injection.py
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.data.image_cache import DECODER_VERSION  # noqa: E402
from engine.model.modelfile import read_metadata  # noqa: E402
from tests.image_files import make_class_folders  # noqa: E402

TRAIN = ["--variant", "densenet-bc-10-k4", "--input-size", "32", "--batch-size", "8", "--precision", "float32",
         "--jit", "off", "--memory-efficient", "off", "--epochs", "6", "--lr", "0.003", "--no-augment"]


class Work:
    """The work folder: photos, held-out photos, the studio cache; runs the CLI there."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.photos = make_class_folders(folder / "photos", ("cat", "dog"), per_class=24, size=32)
        self.held_out = make_class_folders(folder / "held-out", ("cat", "dog"), per_class=20, size=32, seed=1000)
        self.environment = {**os.environ, "DENSENET_STUDIO_CACHE": str(folder / "cache"),
                            "TF_CPP_MIN_LOG_LEVEL": "3"}

    def start(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "engine", *args], cwd=ROOT, env=self.environment,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "engine", *args], cwd=ROOT, env=self.environment,
                              capture_output=True, text=True, check=False, timeout=900)

    def train(self, out: Path, *extra: str) -> subprocess.CompletedProcess:
        return self.run("train", str(self.photos), "--out", str(out), *TRAIN, *extra)

    def scores(self, model: Path) -> dict:
        """`evaluate --json` of `model` on the held-out photos (through the decoded-photo cache)."""
        done = self.run("evaluate", str(model), str(self.held_out), "--json")
        if done.returncode:
            raise RuntimeError(f"evaluate failed: {done.stderr[-1500:]}")
        return json.loads(done.stdout)

    def answers(self, model: Path) -> list[tuple[str, float]]:
        """(top label, its probability) per held-out photo, by the TFLite route."""
        done = self.run("classify", "--model", str(model), "--runtime", "tflite", "--json", str(self.held_out))
        if done.returncode:
            raise RuntimeError(f"classify failed: {done.stderr[-1500:]}")
        return [(item["top"][0]["label"], item["top"][0]["probability"]) for item in json.loads(done.stdout)]


def loads(work: Work, model: Path) -> bool:
    """Whether `model` loads and classifies a photo."""
    photo = next(work.held_out.rglob("*.png"))
    return model.is_file() and work.run("classify", "--model", str(model), str(photo)).returncode == 0


def leftovers(folder: Path) -> list[str]:
    """Temporary files of interrupted writes (atomic_path's hidden names) in `folder`."""
    return sorted(path.name for path in folder.iterdir() if path.name.startswith("."))


def agreement(answers: list[tuple[str, float]], reference: list[tuple[str, float]]) -> float:
    return sum(ours[0] == theirs[0] for ours, theirs in zip(answers, reference)) / len(reference)


def interrupt(work: Work, out: Path, trigger: str, how: int) -> tuple[int, str]:
    """Train into `out`, send `how` once a line starting with `trigger` appears; (exit status, stderr)."""
    child = work.start("train", str(work.photos), "--out", str(out), *TRAIN)
    for line in child.stdout:
        if line.startswith(trigger):
            child.send_signal(how)
            break
    _, errors = child.communicate(timeout=600)
    return child.returncode, errors


def crash_case(work: Work, name: str, trigger: str, how: int, reference) -> dict:
    folder = work.folder / name.replace(" ", "-")
    folder.mkdir()
    out = folder / "pets.keras"
    status, errors = interrupt(work, out, trigger, how)
    after_kill = "no file" if not out.exists() else "loads" if loads(work, out) else "DOES NOT LOAD"
    resumed = work.train(out, "--resume") if (folder / "pets.state").is_dir() else work.train(out)
    row = {"case": name, "status": status, "model after": after_kill, "next run": resumed.returncode,
           "final loads": loads(work, out), "leftovers": leftovers(folder)}
    if resumed.returncode == 0:
        row["top-1 = reference"] = f"{agreement(work.answers(out), reference):.0%}"
    else:
        row["error"] = resumed.stderr.strip().splitlines()[-1:]
    return row


def disk_full_case(work: Work) -> dict:
    mount = work.folder / "small-disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True,
                      check=False).returncode:
        return {"case": "disk full", "status": "not run (mounting a small tmpfs needs root)"}
    try:
        before = work.train(mount / "small.keras", "--epochs", "1")  # fits, with its checkpoints
        small_bytes = (mount / "small.keras").read_bytes() if (mount / "small.keras").is_file() else b""
        filler = mount / "filler"
        with contextlib.suppress(OSError):
            filler.write_bytes(b"\0" * (4 << 20))  # fill the rest of the disk
        done = work.train(mount / "small.keras", "--epochs", "1")
        lines = done.stderr.strip().splitlines()
        return {"case": "disk full", "status": done.returncode, "first run": before.returncode,
                "message": lines[-1] if lines else "", "traceback": "Traceback" in done.stderr,
                "earlier file intact": (mount / "small.keras").read_bytes() == small_bytes and bool(small_bytes),
                "leftovers": leftovers(mount)}
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def damaged_cache_case(work: Work, model: Path, reference) -> dict:
    cache = work.folder / "cache"
    scores = work.scores(model)  # fills the photo cache with the held-out photos, undamaged
    entries = [path for folder in cache.glob("images*") for path in folder.rglob("*") if path.is_file()]
    for path in entries:
        path.write_bytes(os.urandom(path.stat().st_size))
    converted = list(cache.rglob("*.tflite"))
    for path in converted:
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    answers = work.answers(model)
    same = all(ours[0] == theirs[0] and abs(ours[1] - theirs[1]) < 1e-5 for ours, theirs in zip(answers, reference))
    return {"case": "damaged caches", "photo entries damaged": len(entries), "tflite files truncated": len(converted),
            "classify answers = reference": same, "evaluate scores = undamaged": work.scores(model) == scores}


def one_line(done: subprocess.CompletedProcess) -> dict:
    lines = done.stderr.strip().splitlines()
    return {"status": done.returncode, "message": lines[-1] if lines else "", "traceback": "Traceback" in done.stderr}


def damaged_index_case(work: Work, model: Path) -> dict:
    index = next((work.folder / "cache").glob("images-v*/index.sqlite"))
    damaged = bytearray(index.read_bytes())
    for _ in range(200):
        at = int.from_bytes(os.urandom(4), "little") % (len(damaged) - 16)
        damaged[at:at + 16] = os.urandom(16)
    index.write_bytes(bytes(damaged))
    trained = work.train(work.folder / "after-damage.keras", "--epochs", "1")
    evaluated = work.run("evaluate", str(model), str(work.held_out), "--json")
    return {"case": "damaged index", "train": trained.returncode, "evaluate": evaluated.returncode,
            "traceback": "Traceback" in trained.stderr + evaluated.stderr}


def damaged_checkpoint_case(work: Work) -> dict:
    folder = work.folder / "damaged-checkpoint"
    folder.mkdir()
    out = folder / "pets.keras"
    interrupt(work, out, "epoch 2/", signal.SIGINT)
    for checkpoint in (folder / "pets.state").glob("checkpoint-*.keras"):
        checkpoint.write_bytes(checkpoint.read_bytes()[: checkpoint.stat().st_size // 2])
    return {"case": "damaged checkpoint, --resume", **one_line(work.train(out, "--resume")),
            "model still loads": loads(work, out)}


def cache_deleted_case(work: Work) -> dict:
    folder = work.folder / "cache-deleted"
    folder.mkdir()
    out = folder / "pets.keras"
    child = work.start("train", str(work.photos), "--out", str(out), *TRAIN)
    for line in child.stdout:
        if line.startswith("epoch 1/"):
            for entries in (work.folder / "cache").glob("images-v*"):
                subprocess.run(["rm", "-rf", str(entries)], check=True)
            break
    _, errors = child.communicate(timeout=600)
    lines = errors.strip().splitlines()
    return {"case": "cache deleted during training", "status": child.returncode,
            "message": lines[-1] if lines else "", "traceback": "Traceback" in errors, "model loads": loads(work, out)}


def edited_photos_case(work: Work) -> dict:
    untouched = work.folder / "untouched"
    subprocess.run(["cp", "-r", str(work.photos), str(untouched)], check=True)
    out = work.folder / "edited" / "pets.keras"
    child = work.start("train", str(work.photos), "--out", str(out), *TRAIN, "--epochs", "2")
    for line in child.stdout:
        if line.startswith("epoch 1/"):
            for photo in work.photos.rglob("*.png"):
                with photo.open("ab") as file:
                    file.write(b"edited")
            break
    child.communicate(timeout=600)
    scores = work.run("evaluate", str(out), str(untouched), "--json")
    report = json.loads(scores.stdout) if scores.returncode == 0 else {}
    return {"case": "photos edited during training", "training photos": read_metadata(out).train_images,
            "left out by evaluate": report.get("excluded")}


def planted_link_case(work: Work) -> dict:
    cache, elsewhere = work.folder / "shared-cache", work.folder / "elsewhere"
    cache.mkdir(mode=0o700)
    elsewhere.mkdir()
    (cache / f"images-v{DECODER_VERSION}").symlink_to(elsewhere)
    done = work.run("train", str(work.photos), "--out", str(work.folder / "linked.keras"), *TRAIN, "--epochs", "1",
                    "--cache-dir", str(cache))
    return {"case": "planted link in the cache", **one_line(done), "written through it": len(list(elsewhere.iterdir()))}


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="densenet-faults-") as folder:
        work = Work(Path(folder))
        reference_model = work.folder / "reference.keras"
        done = work.train(reference_model)
        if done.returncode:
            raise SystemExit(f"reference training failed:\n{done.stderr[-2000:]}")
        reference = work.answers(reference_model)
        print(f"reference: trained in one go; {len(reference)} held-out photos classified", flush=True)
        rows = [crash_case(work, name, trigger, how, reference) for name, trigger, how in (
            ("kill -9 while decoding", "decoding", signal.SIGKILL),
            ("kill -9 after epoch 1", "epoch 1/", signal.SIGKILL),
            ("kill -9 after epoch 4", "epoch 4/", signal.SIGKILL),
            ("kill -9 while saving", "saving", signal.SIGKILL),
            ("Ctrl-C after epoch 2", "epoch 2/", signal.SIGINT),
        )]
        for row in rows:
            print(json.dumps(row, ensure_ascii=False), flush=True)
        print(json.dumps(disk_full_case(work), ensure_ascii=False), flush=True)
        print(json.dumps(damaged_cache_case(work, reference_model, reference), ensure_ascii=False), flush=True)
        for case in (lambda: damaged_index_case(work, reference_model), lambda: damaged_checkpoint_case(work),
                     lambda: cache_deleted_case(work), lambda: planted_link_case(work),
                     lambda: edited_photos_case(work)):
            print(json.dumps(case(), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
