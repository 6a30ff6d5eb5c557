"""Atomic writes: the user's file mode, and partial files of a killed writer removed by the next write
into the same folder while a live writer's are kept."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from engine.storage.atomic import atomic_path, is_sealed, read_sealed, sealed_path

ROOT = Path(__file__).parent.parent
# A writer that stops for good inside the atomic block: kill -9 (nothing of Python's runs after it) or a
# wait for its standard input to close.
WRITER = """
import os, signal, sys
from pathlib import Path
from engine.storage.atomic import atomic_path
with atomic_path(Path(sys.argv[1])) as temporary:
    temporary.write_bytes(b"half a file")
    print("writing", flush=True)
    os.kill(os.getpid(), signal.SIGKILL) if sys.argv[2] == "kill" else sys.stdin.read()
"""


def _writer(target: Path, how: str) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", WRITER, str(target), how], cwd=ROOT, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert process.stdout.readline() == "writing\n"
    return process


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_written_files_get_the_users_file_mode(tmp_path, umask):
    previous = os.umask(umask)
    try:
        with atomic_path(tmp_path / "model.keras") as temporary:
            temporary.write_bytes(b"weights")
    finally:
        os.umask(previous)
    assert (tmp_path / "model.keras").stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_name_of_the_file_systems_longest_is_written(tmp_path):
    target = tmp_path / ("모" * 80 + "x" * (255 - 240 - len(".keras")) + ".keras")  # 255 bytes in UTF-8
    assert len(os.fsencode(target.name)) == 255
    with atomic_path(target) as temporary:
        assert temporary.suffix == ".keras"
        temporary.write_bytes(b"whole")
    assert target.read_bytes() == b"whole" and os.listdir(tmp_path) == [target.name]


def test_a_killed_writers_partial_file_is_removed_by_the_next_write(tmp_path):
    writer = _writer(tmp_path / "model.keras", "kill")
    assert writer.wait() == -signal.SIGKILL
    assert len(list(tmp_path.iterdir())) == 1  # its partial file, under a hidden name
    with atomic_path(tmp_path / "other.keras") as temporary:
        temporary.write_bytes(b"whole")
    assert [path.name for path in tmp_path.iterdir()] == ["other.keras"]


def test_a_live_writers_partial_file_is_kept(tmp_path):
    writer = _writer(tmp_path / "model.keras", "wait")
    with atomic_path(tmp_path / "other.keras") as temporary:
        temporary.write_bytes(b"whole")
    assert len(list(tmp_path.iterdir())) == 2
    writer.communicate("")
    assert writer.returncode == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["model.keras", "other.keras"]
    assert (tmp_path / "model.keras").read_bytes() == b"half a file"


def test_a_sealed_entry_reads_back_only_while_whole(tmp_path):
    """The damages a cache entry meets: each makes read_sealed and is_sealed refuse it (the caches then write it
    again), while the undamaged entry reads back exactly."""
    path = tmp_path / "entry.bin"
    content = bytes(range(256)) * 40
    with sealed_path(path) as temporary:
        temporary.write_bytes(content)
    whole = path.read_bytes()
    assert read_sealed(path) == content and is_sealed(path)
    damages = {
        "truncated": whole[: len(whole) // 2],
        "same size, bytes changed": whole[:100] + bytes(64) + whole[164:],
        "seal missing": content,
        "seal changed": whole[:-1] + bytes([whole[-1] ^ 1]),
        "empty": b"",
    }
    for damage, data in damages.items():
        path.write_bytes(data)
        assert read_sealed(path) is None and not is_sealed(path), damage
    path.unlink()
    assert read_sealed(path) is None and not is_sealed(path)
    copy = tmp_path / "copy.bin"  # the seal covers the name: a whole entry copied to another name is refused
    copy.write_bytes(whole)
    assert read_sealed(copy) is None
