"""The limits that keep a hostile file cheap to check, and sizes written as people write them."""

from __future__ import annotations

import re

from cookielint.config.errors import ConfigError
from cookielint.document import (
    DEFAULT_MAX_ALIAS_EXPANSION,
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_FILE_SIZE,
)

__all__ = [
    "DEFAULT_MAX_ALIAS_EXPANSION",
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_FILE_SIZE",
    "parse_size",
]

_UNITS = {
    "B": 1,
    "KB": 10**3,
    "KiB": 2**10,
    "MB": 10**6,
    "MiB": 2**20,
    "GB": 10**9,
    "GiB": 2**30,
}


def parse_size(value: int | str) -> int:
    """A size in bytes: an integer, or a number and a unit (5 MiB, 500KB)."""
    if isinstance(value, int):
        return value
    match = re.fullmatch(r"([1-9][0-9]*) ?(B|KB|KiB|MB|MiB|GB|GiB)", value)
    if match is None:
        raise ConfigError(f"max-file-size: '{value}' is not a size such as 5 MiB")
    return int(match[1]) * _UNITS[match[2]]
