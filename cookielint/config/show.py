"""``check --show-settings``: what applies to a path, and where each value comes from."""

from __future__ import annotations

import json
from pathlib import Path

from cookielint import rules
from cookielint.config.files import ConfigFile, search_ends_at
from cookielint.config.globs import absolute
from cookielint.config.settings import DEFAULTS, Configuration


def describe(configuration: Configuration, path: Path) -> str:
    config = configuration.file_for(path)
    settings = configuration.for_file(path)
    source = config.label if config is not None else "none (defaults only)"
    if configuration.isolated:
        source = "none (--isolated)"
    lines = [f"Settings for {path}", f"configuration file: {source}"]
    if not configuration.isolated and configuration.explicit is None:
        lines.append(f"searched: {_searched(path, config)}")
    lines.append("")
    for key in DEFAULTS:
        setting = configuration.resolve(key, config)
        lines.append(f"{key} = {json.dumps(setting.value)}  # {setting.origin}")
    lines += [
        "",
        "enabled rules: " + ", ".join(sorted(settings.enabled)),
        "disabled rules: " + (", ".join(sorted(set(rules.RULES) - settings.enabled)) or "none"),
    ]
    return "\n".join(lines) + "\n"


def _searched(path: Path, found: ConfigFile | None) -> str:
    """Where the search for a configuration file went: from the path's directory up to the file
    found, the repository root, or (outside any repository) the file system's root."""
    start = absolute(path) if path.is_dir() else absolute(path).parent
    directory = start
    while not (found is not None and directory == found.directory) and not search_ends_at(
        directory
    ):
        directory = directory.parent
    if found is not None:
        return f"{start} up to {directory}, where it was found"
    if (directory / ".git").exists():
        return f"{start} up to {directory}, the repository root"
    return (
        f"{start} up to {directory}: not inside a git repository, so every directory up to the root"
    )
