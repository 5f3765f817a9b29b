"""Settings: the command line over the closest configuration file over the defaults.

Precedence is applied in one place, ``Configuration.resolve``: the run reads
its values from there, and ``--show-settings`` explains the same values with
the origin it returns. Settings that concern the whole run (``paths``,
``exclude``, ``force-exclude``, ``format``, ``fail-on``) come from the configuration that
applies to the current directory.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from cookielint.config.confine import confine
from cookielint.config.errors import ConfigError
from cookielint.config.files import ConfigFile, Finder, load
from cookielint.config.globs import absolute, check_glob, glob_matches
from cookielint.config.limits import (
    DEFAULT_MAX_ALIAS_EXPANSION,
    DEFAULT_MAX_COLLECTIONS,
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_FILE_SIZE,
    MAX_ALIAS_EXPANSION_CEILING,
    MAX_COLLECTIONS_CEILING,
    MAX_NESTING_DEPTH_CEILING,
    bounded,
    parse_size,
)
from cookielint.config.selection import ALWAYS_ON, Layer, check_selectors, resolve_selector, select
from cookielint.finding import Severity

DEFAULTS: dict[str, Any] = {
    "paths": ["policies"],
    "exclude": [],
    "force-exclude": False,
    "select": ["ALL"],
    "extend-select": [],
    "ignore": [],
    "per-file-ignores": {},
    "severity": {},
    "fail-on": "error",
    "format": None,
    "max-file-size": DEFAULT_MAX_FILE_SIZE,
    "max-nesting-depth": DEFAULT_MAX_DEPTH,
    "max-alias-expansion": DEFAULT_MAX_ALIAS_EXPANSION,
    "max-collections": DEFAULT_MAX_COLLECTIONS,
    "require-reason": False,
    "known-cookies": [],
    "diff": {},
}


class FileSettings(NamedTuple):
    """What applies to one checked file."""

    enabled: frozenset[str]
    severity: Mapping[str, Severity]
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    require_reason: bool = False
    max_nesting_depth: int = DEFAULT_MAX_DEPTH
    max_alias_expansion: int = DEFAULT_MAX_ALIAS_EXPANSION
    max_collections: int = DEFAULT_MAX_COLLECTIONS
    known_cookies: tuple[str, ...] = ()
    """Files read over the built-in knowledge base, in order."""


@dataclass
class Overrides:
    """Settings given on the command line; None (or empty) where not given."""

    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    fail_on: str | None = None
    format: list[str] | None = None
    known_cookies: list[str] = field(default_factory=list)
    force_exclude: bool | None = None

    def given(self, key: str) -> Any:
        """The command line's value for a setting; None where it says nothing of it."""
        value = {
            "select": self.select,
            "extend-select": self.extend_select,
            "ignore": self.ignore,
            "per-file-ignores": self.per_file_ignores,
            "fail-on": self.fail_on,
            "format": self.format,
            "known-cookies": self.known_cookies,
            "force-exclude": self.force_exclude,
        }.get(key)
        if key in ("select", "force-exclude"):
            return value
        return value if value else None


# Settings the command line adds to rather than replaces.
_ADDED = frozenset({"extend-select", "ignore", "known-cookies", "per-file-ignores"})


class Setting(NamedTuple):
    """A setting's value and where it came from."""

    value: Any
    origin: str
    layers: tuple[tuple[Any, str], ...] = ()
    """For settings the command line adds to: each source's own value, in the order applied."""


class Configuration:
    """Finds, reads and resolves configuration; one per run, with its lookups cached."""

    def __init__(
        self,
        overrides: Overrides | None = None,
        config_path: str | None = None,
        isolated: bool = False,
        cwd: Path | None = None,
    ) -> None:
        self.overrides = overrides or Overrides()
        self.cwd = absolute(cwd or Path.cwd())
        self.isolated = isolated
        self.explicit = load(Path(config_path)) if config_path else None
        check_selectors(self.overrides.select or [], "--select")
        check_selectors(self.overrides.extend_select, "--extend-select")
        check_selectors(self.overrides.ignore, "--ignore")
        for glob, selectors in self.overrides.per_file_ignores.items():
            check_glob(glob, "--per-file-ignores")
            check_selectors(selectors, "--per-file-ignores")
        self._finder = Finder()
        self._settings: dict[tuple[Path | None, frozenset[str]], FileSettings] = {}

    # Which file applies -------------------------------------------------------------------------

    def file_for(self, path: Path) -> ConfigFile | None:
        if self.isolated:
            return None
        if self.explicit is not None:
            return self.explicit
        directory = absolute(path) if path.is_dir() else absolute(path).parent
        return self._finder.closest_to(directory)

    def run_file(self) -> ConfigFile | None:
        """The configuration that applies to the current directory: run-wide settings come from it."""
        return self.file_for(self.cwd)

    # Precedence ---------------------------------------------------------------------------------

    def resolve(self, key: str, config: ConfigFile | None) -> Setting:
        """A setting as it applies under ``config``, and where it came from.

        The command line replaces a file's value, except for the settings it
        adds to (extend-select, ignore, known-cookies, per-file-ignores); a
        command-line --select replaces the file's whole selection. Paths a file
        gives are relative to its directory.
        """
        if config is not None and key in config.values:
            file_value, origin = _from_file(key, config), config.label
        else:
            file_value, origin = DEFAULTS[key], "default"
        cli = self.overrides.given(key)
        if key in ("extend-select", "ignore") and self.overrides.select is not None:
            # --select starts the selection afresh: the file's additions and removals go too.
            replaced = f"command line; --select replaces the {key} of {origin}"
            return Setting(
                cli or [],
                replaced if origin != "default" else "command line",
                ((cli or [], "command line"),),
            )
        if cli is None:
            return Setting(file_value, origin, ((file_value, origin),))
        if key not in _ADDED:
            return Setting(cli, "command line", ((cli, "command line"),))
        if isinstance(cli, dict):
            value: Any = {**file_value, **cli}
        else:
            value = [*file_value, *cli]
        return Setting(
            value,
            f"command line, over {origin}"
            if isinstance(cli, dict)
            else f"command line, added to {origin}",
            ((file_value, origin), (cli, "command line")),
        )

    # Run-wide settings --------------------------------------------------------------------------

    def paths(self) -> list[str]:
        return [
            _relative_to_cwd(Path(p), self.cwd) if Path(p).is_absolute() else p
            for p in self.resolve("paths", self.run_file()).value
        ]

    def exclude(self) -> list[tuple[str, Path]]:
        config = self.run_file()
        globs = self.resolve("exclude", config).value
        base = config.directory if config is not None else self.cwd
        return [(glob, base) for glob in globs]

    def force_exclude(self) -> bool:
        """Whether ``exclude`` applies to files named on the command line too."""
        return bool(self.resolve("force-exclude", self.run_file()).value)

    def fail_on(self) -> Severity:
        return Severity(self.resolve("fail-on", self.run_file()).value)

    def formats(self) -> list[str] | None:
        value = self.resolve("format", self.run_file()).value
        return [value] if isinstance(value, str) else value

    # Per-file settings --------------------------------------------------------------------------

    def for_file(self, path: Path | None) -> FileSettings:
        """The settings for a checked file (None: standard input, resolved from the current directory)."""
        config = self.file_for(path) if path is not None else self.run_file()
        ignored = self.per_file_ignored(path, config)
        key = (config.path if config else None, ignored)
        cached = self._settings.get(key)
        if cached is None:
            cached = self._settings[key] = self._file_settings(config, ignored)
        return cached

    def enabled(self, config: ConfigFile | None) -> frozenset[str]:
        """The rules the selection settings enable, before per-file ignores: the file's (or the
        default) select, extend-select and ignore, then the command line's on top."""
        chosen = self.resolve("select", config).value
        extend = self.resolve("extend-select", config)
        ignore = self.resolve("ignore", config)

        def part(setting: Setting, from_cli: bool) -> list[str]:
            return next((v for v, o in setting.layers if (o == "command line") == from_cli), [])

        layers: list[Layer] = [
            (chosen, part(extend, False), part(ignore, False)),
            (None, part(extend, True), part(ignore, True)),
        ]
        return select(layers)

    def _file_settings(self, config: ConfigFile | None, ignored: frozenset[str]) -> FileSettings:
        try:
            return self._checked_settings(config, ignored)
        except ConfigError as error:
            if config is None or str(error).startswith(str(config.path)):
                raise
            raise ConfigError(f"{config.label}: {error}") from None

    def _checked_settings(self, config: ConfigFile | None, ignored: frozenset[str]) -> FileSettings:
        severity = {}
        for selector, level in self.resolve("severity", config).value.items():
            for code in resolve_selector(selector):
                severity[code] = Severity(level)
        known = tuple(str(p) for p in self.resolve("known-cookies", config).value)
        _load_knowledge(known)  # a bad file is an error now, before any file is checked
        return FileSettings(
            enabled=(self.enabled(config) - ignored) | ALWAYS_ON,
            severity=severity,
            max_file_size=parse_size(self.resolve("max-file-size", config).value),
            require_reason=bool(self.resolve("require-reason", config).value),
            max_nesting_depth=bounded(
                "max-nesting-depth",
                self.resolve("max-nesting-depth", config).value,
                2,
                MAX_NESTING_DEPTH_CEILING,
            ),
            max_alias_expansion=bounded(
                "max-alias-expansion",
                self.resolve("max-alias-expansion", config).value,
                0,
                MAX_ALIAS_EXPANSION_CEILING,
            ),
            max_collections=bounded(
                "max-collections",
                self.resolve("max-collections", config).value,
                1,
                MAX_COLLECTIONS_CEILING,
            ),
            known_cookies=known,
        )

    def per_file_ignored(self, path: Path | None, config: ConfigFile | None) -> frozenset[str]:
        if path is None:
            return frozenset()
        ignored: set[str] = set()
        layers = []
        if config is not None:
            layers.append((config.values.get("per-file-ignores", {}), config.directory))
        layers.append((self.overrides.per_file_ignores, self.cwd))
        for table, base in layers:
            for glob, selectors in table.items():
                if glob_matches(glob, path, base):
                    for selector in selectors:
                        ignored |= resolve_selector(selector)
        return frozenset(ignored)


def _from_file(key: str, config: ConfigFile) -> Any:
    """A file's value, with the paths it names made relative to the current directory's view."""
    value = config.values[key]
    if key == "paths":
        return [str(confine(p, config.directory, f"{config.label}: paths:")) for p in value]
    if key == "known-cookies":
        return [
            str(absolute(confine(p, config.directory, f"{config.label}: known-cookies:")))
            for p in value
        ]
    return value


def _load_knowledge(paths: Sequence[str]) -> None:
    from cookielint import knowledge

    if paths:
        try:
            knowledge.load(tuple(paths))
        except knowledge.KnowledgeError as error:
            raise ConfigError(str(error)) from None


def _relative_to_cwd(path: Path, cwd: Path) -> str:
    try:
        return str(absolute(path).relative_to(cwd))
    except ValueError:
        return str(path)
