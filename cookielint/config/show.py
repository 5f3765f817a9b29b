"""``check --show-settings``: what applies to a path, and where each value comes from."""

from __future__ import annotations

import json
from pathlib import Path

from cookielint import rules
from cookielint.config.settings import DEFAULTS, Configuration


def describe(configuration: Configuration, path: Path) -> str:
    config = configuration.file_for(path)
    settings = configuration.for_file(path)
    source = config.label if config is not None else "none (defaults only)"
    if configuration.isolated:
        source = "none (--isolated)"
    lines = [f"Settings for {path}", f"configuration file: {source}", ""]
    for key in DEFAULTS:
        setting = configuration.resolve(key, config)
        lines.append(f"{key} = {json.dumps(setting.value)}  # {setting.origin}")
    lines += [
        "",
        "enabled rules: " + ", ".join(sorted(settings.enabled)),
        "disabled rules: " + (", ".join(sorted(set(rules.RULES) - settings.enabled)) or "none"),
    ]
    return "\n".join(lines) + "\n"
