"""Many small file jobs on a few threads. A thread pool's cost per task (a future, two lock hand-overs) is more
than checking or hashing a small photo, so each task is a chunk of files, not one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
CHUNK = 64  # files a task: enough to hide the hand-over, few enough for a smooth progress count


def map_in_chunks(function: Callable[[Item], Result], items: Sequence[Item], threads: int,
                  progress: Callable[[int, int], None] | None = None) -> list[Result]:
    """[function(item) for item in items], in order, on `threads` threads; `progress(done, total)` after each
    chunk. Pillow and hashlib release the GIL, so large photos gain from the threads."""
    def run(chunk: Sequence[Item]) -> list[Result]:
        return [function(item) for item in chunk]

    results: list[Result] = []
    with ThreadPoolExecutor(threads) as pool:
        for done in pool.map(run, [items[start:start + CHUNK] for start in range(0, len(items), CHUNK)]):
            results.extend(done)
            if progress is not None:
                progress(len(results), len(items))
    return results
