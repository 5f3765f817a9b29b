"""Configuration, split by job: ``files`` finds and reads configuration files, ``selection``
resolves rule selectors, ``globs`` matches paths, ``limits`` holds the bounds, ``settings``
applies precedence (one ``resolve``), and ``show`` explains it (``--show-settings``)."""

from cookielint.config.errors import ConfigError
from cookielint.config.files import CONFIG_SCHEMA, ConfigFile
from cookielint.config.globs import absolute, excluded, glob_matches
from cookielint.config.selection import ALWAYS_ON, resolve_selector
from cookielint.config.settings import DEFAULTS, Configuration, FileSettings, Overrides, Setting

__all__ = [
    "ALWAYS_ON",
    "CONFIG_SCHEMA",
    "DEFAULTS",
    "ConfigError",
    "ConfigFile",
    "Configuration",
    "FileSettings",
    "Overrides",
    "Setting",
    "absolute",
    "excluded",
    "glob_matches",
    "resolve_selector",
]
