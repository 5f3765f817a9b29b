"""Configuration: files found above each checked file, the command line over them, defaults below.

The closest configuration file applies to a policy: ``.cookielint.yaml``, or
the ``[tool.cookielint]`` table of ``pyproject.toml`` (a ``pyproject.toml``
without that table is skipped), searched from the policy's directory up to
the repository root. Settings that concern the whole run (``paths``,
``exclude``, ``format``, ``fail-on``) come from the configuration that
applies to the current directory.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from cookielint import rules
from cookielint.document import (
    DEFAULT_MAX_ALIAS_EXPANSION,
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_FILE_SIZE,
)
from cookielint.finding import Severity
from cookielint.schema import did_you_mean, schema_text

CONFIG_SCHEMA = "cookielint-config.schema.json"
YAML_NAME = ".cookielint.yaml"
PYPROJECT = "pyproject.toml"

DEFAULTS: dict[str, Any] = {
    "paths": ["policies"],
    "exclude": [],
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
    "require-reason": False,
    "known-cookies": [],
    "diff": {},
}

# A file that could not be read, parsed or checked was not checked: that can't be
# turned off or suppressed, or a broken file would pass.
ALWAYS_ON = frozenset({"CL000", "CL001", "CL002"})


class ConfigError(Exception):
    """A configuration that can't be used: the command can't do its job (exit 2)."""


@dataclass(frozen=True)
class ConfigFile:
    path: Path
    values: Mapping[str, Any]

    @property
    def directory(self) -> Path:
        return self.path.parent

    @property
    def label(self) -> str:
        return f"{self.path} [tool.cookielint]" if self.path.name == PYPROJECT else str(self.path)


@dataclass(frozen=True)
class FileSettings:
    """What applies to one checked file."""

    enabled: frozenset[str]
    severity: Mapping[str, Severity]
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    require_reason: bool = False
    max_nesting_depth: int = DEFAULT_MAX_DEPTH
    max_alias_expansion: int = DEFAULT_MAX_ALIAS_EXPANSION
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
        _check_selectors(self.overrides.select or [], "--select")
        _check_selectors(self.overrides.extend_select, "--extend-select")
        _check_selectors(self.overrides.ignore, "--ignore")
        for glob, selectors in self.overrides.per_file_ignores.items():
            _check_glob(glob, "--per-file-ignores")
            _check_selectors(selectors, "--per-file-ignores")
        self._known_cli = tuple(str(absolute(Path(p))) for p in self.overrides.known_cookies)
        self._settings: dict[tuple[Path | None, frozenset[str]], FileSettings] = {}
        self._closest: dict[Path, ConfigFile | None] = {}

    # Which file applies -------------------------------------------------------------------------

    def file_for(self, path: Path) -> ConfigFile | None:
        if self.isolated:
            return None
        if self.explicit is not None:
            return self.explicit
        directory = absolute(path) if path.is_dir() else absolute(path).parent
        return self._closest_to(directory)

    def _closest_to(self, directory: Path) -> ConfigFile | None:
        if directory not in self._closest:
            self._closest[directory] = _config_in(directory)
            if self._closest[directory] is None and not _search_ends_at(directory):
                self._closest[directory] = self._closest_to(directory.parent)
        return self._closest[directory]

    def run_file(self) -> ConfigFile | None:
        """The configuration that applies to the current directory: run-wide settings come from it."""
        return self.file_for(self.cwd)

    # Run-wide settings --------------------------------------------------------------------------

    def value(self, key: str, config: ConfigFile | None) -> tuple[Any, str]:
        """A setting and where it came from: the command line, a file, or the default."""
        cli = {"fail-on": self.overrides.fail_on, "format": self.overrides.format}.get(key)
        if cli is not None:
            return cli, "command line"
        if config is not None and key in config.values:
            return config.values[key], config.label
        return DEFAULTS[key], "default"

    def paths(self) -> list[str]:
        config = self.run_file()
        paths, origin = self.value("paths", config)
        if config is None or origin == "default":
            return list(paths)
        return [_relative_to_cwd(config.directory / p, self.cwd) for p in paths]

    def exclude(self) -> list[tuple[str, Path]]:
        config = self.run_file()
        globs, _ = self.value("exclude", config)
        base = config.directory if config is not None else self.cwd
        return [(glob, base) for glob in globs]

    def fail_on(self) -> Severity:
        return Severity(self.value("fail-on", self.run_file())[0])

    def formats(self) -> list[str] | None:
        value = self.value("format", self.run_file())[0]
        return [value] if isinstance(value, str) else value

    # Per-file settings --------------------------------------------------------------------------

    def for_file(self, path: Path | None) -> FileSettings:
        """The settings for a checked file (None: standard input, resolved from the current directory)."""
        config = self.file_for(path) if path is not None else self.run_file()
        ignored = self._per_file_ignored(path, config)
        key = (config.path if config else None, ignored)
        cached = self._settings.get(key)
        if cached is None:
            cached = self._settings[key] = self._resolve(config, ignored)
        return cached

    def _resolve(self, config: ConfigFile | None, per_file_ignored: frozenset[str]) -> FileSettings:
        values = config.values if config is not None else {}
        enabled = _select(
            [
                (values.get("select"), values.get("extend-select", []), values.get("ignore", [])),
                (self.overrides.select, self.overrides.extend_select, self.overrides.ignore),
            ]
        )
        severity = {}
        for selector, level in values.get("severity", {}).items():
            for code in resolve_selector(selector):
                severity[code] = Severity(level)
        known = tuple(str(absolute(config.directory / p)) for p in values.get("known-cookies", ()))
        known += self._known_cli
        _load_knowledge(known)  # a bad file is an error now, before any file is checked
        return FileSettings(
            enabled=(enabled - per_file_ignored) | ALWAYS_ON,
            severity=severity,
            max_file_size=parse_size(values.get("max-file-size", DEFAULTS["max-file-size"])),
            require_reason=bool(values.get("require-reason", False)),
            max_nesting_depth=values.get("max-nesting-depth", DEFAULT_MAX_DEPTH),
            max_alias_expansion=values.get("max-alias-expansion", DEFAULT_MAX_ALIAS_EXPANSION),
            known_cookies=known,
        )

    def _per_file_ignored(self, path: Path | None, config: ConfigFile | None) -> frozenset[str]:
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

    # --show-settings ----------------------------------------------------------------------------

    def describe(self, path: Path) -> str:
        config = self.file_for(path)
        settings = self.for_file(path)
        source = config.label if config is not None else "none (defaults only)"
        if self.isolated:
            source = "none (--isolated)"
        lines = [f"Settings for {path}", f"configuration file: {source}", ""]
        for key in DEFAULTS:
            value, origin = self._origin(key, config)
            lines.append(f"{key} = {json.dumps(value)}  # {origin}")
        lines += [
            "",
            "enabled rules: " + ", ".join(sorted(settings.enabled)),
            "disabled rules: " + (", ".join(sorted(set(rules.RULES) - settings.enabled)) or "none"),
        ]
        return "\n".join(lines) + "\n"

    def _origin(self, key: str, config: ConfigFile | None) -> tuple[Any, str]:
        cli = {
            "known-cookies": self.overrides.known_cookies or None,
            "select": self.overrides.select,
            "extend-select": self.overrides.extend_select or None,
            "ignore": self.overrides.ignore or None,
            "per-file-ignores": self.overrides.per_file_ignores or None,
        }.get(key)
        file_value, origin = self.value(key, config)
        if cli is None:
            return file_value, origin
        if key == "select":
            return cli, "command line"
        if isinstance(cli, dict):
            return {**(file_value or {}), **cli}, f"command line, over {origin}"
        return [*file_value, *cli], f"command line, added to {origin}"


def _load_knowledge(paths: tuple[str, ...]) -> None:
    from cookielint import knowledge

    if paths:
        try:
            knowledge.load(paths)
        except knowledge.KnowledgeError as error:
            raise ConfigError(str(error)) from None


def _select(layers: Iterable[tuple[list[str] | None, list[str], list[str]]]) -> frozenset[str]:
    """Rule selection, layer by layer (files, then the command line), each select/extend/ignore."""
    enabled = set(rules.RULES)
    for select, extend, ignore in layers:
        if select is not None:
            enabled = {code for selector in select for code in resolve_selector(selector)}
        for selector in extend:
            enabled |= resolve_selector(selector)
        for selector in ignore:
            enabled -= resolve_selector(selector)
    return frozenset(enabled)


def resolve_selector(selector: str) -> frozenset[str]:
    """The codes a selector names: ALL, a code, a family prefix (CL2, CL20) or a rule name."""
    if selector == "ALL":
        return frozenset(rules.RULES)
    if re.fullmatch(r"CL\d{1,3}", selector):
        codes = frozenset(code for code in rules.RULES if code.startswith(selector))
        if codes:
            return codes
    else:
        rule = rules.get(selector)
        if rule is not None:
            return frozenset({rule.code})
    raise ConfigError(f"unknown rule '{selector}'{_closest_rule(selector)}")


def _closest_rule(selector: str) -> str:
    choices = [r.name for r in rules.all_rules()] + list(rules.RULES)
    return did_you_mean(selector, choices)


def _check_selectors(selectors: Iterable[str], where: str) -> None:
    for selector in selectors:
        try:
            resolve_selector(selector)
        except ConfigError as error:
            raise ConfigError(f"{where}: {error}") from None


def absolute(path: Path) -> Path:
    """``path`` made absolute without following symbolic links (which may loop)."""
    return Path(os.path.abspath(path))


def parse_size(value: int | str) -> int:
    if isinstance(value, int):
        return value
    match = re.fullmatch(r"([1-9][0-9]*) ?(B|KB|KiB|MB|MiB|GB|GiB)", value)
    if match is None:
        raise ConfigError(f"max-file-size: '{value}' is not a size such as 5 MiB")
    units = {
        "B": 1,
        "KB": 10**3,
        "KiB": 2**10,
        "MB": 10**6,
        "MiB": 2**20,
        "GB": 10**9,
        "GiB": 2**30,
    }
    return int(match[1]) * units[match[2]]


# Globs ---------------------------------------------------------------------------------------------


def glob_matches(glob: str, path: Path, base: Path) -> bool:
    """Whether ``path`` matches ``glob``: relative to ``base``, or, for a glob with no /, any component."""
    try:
        relative = PurePosixPath(absolute(path).relative_to(absolute(base)).as_posix())
    except ValueError:
        relative = PurePosixPath(path.as_posix())
    pattern = _glob_regex(glob)
    if "/" not in glob.rstrip("/"):
        return any(pattern.fullmatch(part) for part in relative.parts)
    return bool(pattern.fullmatch(str(relative)))


@functools.cache
def _glob_regex(glob: str) -> re.Pattern[str]:
    glob = glob.rstrip("/").removeprefix("./")
    out, i = [], 0
    while i < len(glob):
        c = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = glob.find("]", i + 2 if glob[i + 1 : i + 2] in ("!", "]") else i + 1)
            if end == -1:
                raise ConfigError(f"bad glob '{glob}': '[' is never closed")
            body = glob[i + 1 : end].replace("\\", "\\\\")
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out))


def _check_glob(glob: str, where: str) -> None:
    if not glob.strip():
        raise ConfigError(f"{where}: empty glob")
    try:
        _glob_regex(glob)
    except ConfigError as error:
        raise ConfigError(f"{where}: {error}") from None
    except re.error as error:
        raise ConfigError(f"{where}: bad glob '{glob}': {error}") from None


def excluded(path: Path, exclude: list[tuple[str, Path]]) -> bool:
    return any(glob_matches(glob, path, base) for glob, base in exclude)


# Reading files -------------------------------------------------------------------------------------


def _config_in(directory: Path) -> ConfigFile | None:
    for candidate in (directory / YAML_NAME, directory / PYPROJECT):
        if candidate.is_file():
            config = load(candidate)
            if config is not None:
                return config
    return None


def _search_ends_at(directory: Path) -> bool:
    """The repository root (or the file system's) ends the search upward."""
    return (directory / ".git").exists() or directory.parent == directory


def load(path: Path) -> ConfigFile | None:
    """Read and validate one configuration file; None for a pyproject.toml without [tool.cookielint]."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the configuration: {error}") from None
    if path.name == PYPROJECT or path.suffix == ".toml":
        values = _toml_table(path, text)
        if values is None:
            if path.name == PYPROJECT:
                return None
            raise ConfigError(f"{path}: no [tool.cookielint] table")
    else:
        values = _yaml_mapping(path, text)
    validate(values, path)
    return ConfigFile(absolute(path), values)


def _toml_table(path: Path, text: str) -> dict[str, Any] | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    table = document.get("tool", {}).get("cookielint")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.cookielint] must be a table")
    return table


def _yaml_mapping(path: Path, text: str) -> dict[str, Any]:
    import yaml

    try:
        values = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise ConfigError(f"{where}: not valid YAML: {problem}") from None
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping of settings")
    return values


@functools.cache
def _config_schema() -> dict[str, Any]:
    return json.loads(schema_text(CONFIG_SCHEMA))


@functools.cache
def _config_validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_config_schema())


@functools.cache
def _fast_config_validator() -> Any:
    try:
        import jsonschema_rs
    except ImportError:
        return None
    return jsonschema_rs.validator_for(_config_schema(), validate_formats=False)


def validate(values: dict[str, Any], path: Path) -> None:
    """Raise ConfigError naming the file and the key for the first thing wrong with ``values``."""
    known = list(_config_schema()["properties"])
    for key in values:
        if key not in known:
            hint = did_you_mean(str(key), known) or f"; known keys: {', '.join(known)}"
            raise ConfigError(f"{path}: unknown key '{key}'{hint}")
    for key in ("select", "extend-select", "ignore"):
        if isinstance(values.get(key), list):
            _check_selectors([s for s in values[key] if isinstance(s, str)], f"{path}: {key}")
    for glob, selectors in (values.get("per-file-ignores") or {}).items():
        _check_glob(str(glob), f"{path}: per-file-ignores")
        if isinstance(selectors, list):
            _check_selectors(
                [s for s in selectors if isinstance(s, str)], f"{path}: per-file-ignores '{glob}'"
            )
    if isinstance(values.get("severity"), dict):
        _check_selectors([str(s) for s in values["severity"]], f"{path}: severity")
    for glob in values.get("exclude") or []:
        if isinstance(glob, str):
            _check_glob(glob, f"{path}: exclude")
    fast = _fast_config_validator()
    if fast is not None and fast.is_valid(values):
        return  # the common case, without importing the reference validator
    errors = sorted(_config_validator().iter_errors(values), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        key = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        raise ConfigError(f"{path}: {key}: {_describe(error)}")


def _describe(error: Any) -> str:
    if error.validator == "oneOf":
        return f"{error.instance!r} is not valid here ({error.schema.get('description', '')})"
    return error.message


def _relative_to_cwd(path: Path, cwd: Path) -> str:
    try:
        return str(absolute(path).relative_to(cwd))
    except ValueError:
        return str(path)
