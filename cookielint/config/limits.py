"""The limits that keep a hostile file cheap to check, and sizes written as people write them."""

from __future__ import annotations

import re

from cookielint.config.errors import ConfigError
from cookielint.document import (
    DEFAULT_MAX_ALIAS_EXPANSION,
    DEFAULT_MAX_COLLECTIONS,
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_FILE_SIZE,
)

__all__ = [
    "DEFAULT_MAX_ALIAS_EXPANSION",
    "DEFAULT_MAX_COLLECTIONS",
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_FILE_SIZE",
    "MAX_ALIAS_EXPANSION_CEILING",
    "MAX_COLLECTIONS_CEILING",
    "MAX_FILE_SIZE_CEILING",
    "MAX_NESTING_DEPTH_CEILING",
    "bounded",
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


# Hard ceilings: a configuration may come with the change being checked, so it can
# raise a limit only this far. The configuration schema holds the same numbers.
MAX_FILE_SIZE_CEILING = 64 * 2**20
MAX_NESTING_DEPTH_CEILING = 200
MAX_ALIAS_EXPANSION_CEILING = 1_000_000
MAX_COLLECTIONS_CEILING = 2_000_000


def parse_size(value: object) -> int:
    """A size in bytes, at most the ceiling: an integer, or a number and a unit (5 MiB, 500KB)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ConfigError(
            f"max-file-size: {value!r} is not a size: a whole number of bytes, or a size such as 5 MiB"
        )
    if isinstance(value, int):
        size = value
    else:
        match = re.fullmatch(r"([1-9][0-9]{0,11}) ?(B|KB|KiB|MB|MiB|GB|GiB)", value)
        if match is None:
            raise ConfigError(f"max-file-size: '{value}' is not a size such as 5 MiB")
        size = int(match[1]) * _UNITS[match[2]]
    return bounded("max-file-size", size, 1, MAX_FILE_SIZE_CEILING)


def bounded(key: str, value: object, low: int, ceiling: int) -> int:
    """``value`` if it is a whole number from ``low`` to ``ceiling``; else a ConfigError naming ``key``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{key}: {value!r} is not a whole number")
    if value > ceiling:
        raise ConfigError(f"{key}: {value:,} is more than the ceiling, {ceiling:,}")
    if value < low:
        raise ConfigError(f"{key}: {value:,} is less than {low}")
    return value
