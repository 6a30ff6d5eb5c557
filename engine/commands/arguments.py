"""Numeric command-line arguments checked as they are parsed: every value either works or is refused in one
line naming the argument and its range, before TensorFlow loads. "nan", "inf", 1e308 and 100000-pixel photos
are refused here, not by a ValueError or a MemoryError minutes later."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

from engine.storage.filenames import one_line


def whole(low: int, high: int) -> Callable[[str], int]:
    """A whole number from `low` to `high`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{one_line(text)}' is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is not from {low:,} to {high:,}")
        return value

    parse.__name__ = "whole number"
    return parse


def number(low: float, high: float, low_included: bool = False, high_included: bool = True
           ) -> Callable[[str], float]:
    """A finite number between `low` and `high` (each bound included or not)."""
    interval = f"{'[' if low_included else '('}{low:g}, {high:g}{']' if high_included else ')'}"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{one_line(text)}' is not a number") from None
        above = value >= low if low_included else value > low
        below = value <= high if high_included else value < high
        if not (math.isfinite(value) and above and below):
            raise argparse.ArgumentTypeError(f"{one_line(text)} is not in {interval}")
        return value

    parse.__name__ = "number"
    return parse


class OneLineParser(argparse.ArgumentParser):
    """An argument error is one line and exit status 2, as every other user error of the CLI: the usage
    block buries the one line that says what was wrong."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")
