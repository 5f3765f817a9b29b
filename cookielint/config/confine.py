"""Paths a configuration file names stay inside its directory: a configuration may come with the
change being checked, and only the command line may reach elsewhere."""

from __future__ import annotations

import os
from pathlib import Path, PurePath

from cookielint.config.errors import ConfigError
from cookielint.escape import visible


def confine(path: str, directory: Path, where: str) -> Path:
    """``directory / path``, or a ConfigError (``where`` names the file and key) when ``path`` is
    absolute, climbs with ``..``, or leaves ``directory`` through a symbolic link."""
    shown = visible(path)
    relative = PurePath(path)
    if relative.is_absolute() or relative.drive:
        raise ConfigError(f"{where} {shown} must be relative to the configuration's directory")
    if ".." in relative.parts:
        raise ConfigError(f"{where} {shown} must not leave the configuration's directory ('..')")
    target = directory / relative
    base = os.path.realpath(directory)
    if os.path.commonpath([base, os.path.realpath(target)]) != base:
        raise ConfigError(
            f"{where} {shown} leaves the configuration's directory through a symbolic link"
        )
    return target
