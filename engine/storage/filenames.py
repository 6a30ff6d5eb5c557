"""File names as the user reads them. A name that is not valid UTF-8 (a Latin-1 `café.png` from an old
camera or zip file) reaches Python with each stray byte as a lone surrogate, which a UTF-8 terminal, JSON or
CSV cannot hold; shown here as `\\xe9`, so every output stays valid UTF-8 and still points at the file."""

from __future__ import annotations

import unicodedata
from typing import Any


def readable(text: str) -> str:
    """`text` with each byte that is not UTF-8 as `\\xNN` (and any other lone surrogate as `\\udNNN`)."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that is no escaped byte (a broken name on Windows)
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def one_line(text: str) -> str:
    """readable(text) that stays on one line of a text report: a newline, tab or other control character in a
    file name shown as `\\n`, `\\t`, `\\xNN`, as Python shows it, instead of starting a line of its own."""
    return "".join(repr(char)[1:-1] if unicodedata.category(char) == "Cc" else char for char in readable(text))


def readable_data(data: Any) -> Any:
    """`data` (dicts, lists, strings, numbers: what becomes JSON) with every string, keys too, readable."""
    if isinstance(data, str):
        return readable(data)
    if isinstance(data, dict):
        return {readable_data(key): readable_data(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [readable_data(item) for item in data]
    return data
