"""The stop request a user interface sends to training and classification, polled between batches."""

from __future__ import annotations

import threading
from typing import Protocol


class StopSignal(Protocol):
    """What training and classification poll to stop within one batch; a threading.Event will do."""

    def is_set(self) -> bool: ...


class StopToken:
    """A thread-safe stop request: the UI calls request(); training ends within one batch and keeps the best."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def request(self) -> None:
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()
