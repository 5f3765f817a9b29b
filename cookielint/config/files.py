"""Configuration files: where they are found, and reading and validating one.

The closest configuration file applies to a policy: ``.cookielint.yaml``, or
the ``[tool.cookielint]`` table of ``pyproject.toml`` (a ``pyproject.toml``
without that table is skipped), searched from the policy's directory up to
the repository root.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from cookielint.config.errors import ConfigError
from cookielint.config.globs import absolute, check_glob
from cookielint.config.selection import check_selectors
from cookielint.schema import compiled_validator, reference_validator, schema_text
from cookielint.suggest import did_you_mean

CONFIG_SCHEMA = "cookielint-config.schema.json"
YAML_NAME = ".cookielint.yaml"
PYPROJECT = "pyproject.toml"


class ConfigFile(NamedTuple):
    path: Path
    values: Mapping[str, Any]

    @property
    def directory(self) -> Path:
        return self.path.parent

    @property
    def label(self) -> str:
        return f"{self.path} [tool.cookielint]" if self.path.name == PYPROJECT else str(self.path)


class Finder:
    """The closest configuration file to a directory, each directory looked at once."""

    def __init__(self) -> None:
        self._closest: dict[Path, ConfigFile | None] = {}

    def closest_to(self, directory: Path) -> ConfigFile | None:
        # Upward one directory at a time, without recursion: a tree may be thousands deep.
        unknown = []
        current = directory
        while current not in self._closest:
            unknown.append(current)
            found = config_in(current)
            if found is not None or search_ends_at(current):
                self._closest[current] = found
                break
            current = current.parent
        answer = self._closest[current]
        for visited in unknown:
            self._closest[visited] = answer
        return answer


def config_in(directory: Path) -> ConfigFile | None:
    for candidate in (directory / YAML_NAME, directory / PYPROJECT):
        if candidate.is_file():
            config = load(candidate)
            if config is not None:
                return config
    return None


def search_ends_at(directory: Path) -> bool:
    """The repository root (or the file system's) ends the search upward."""
    return (directory / ".git").exists() or directory.parent == directory


def load(path: Path) -> ConfigFile | None:
    """Read and validate one configuration file; None for a pyproject.toml without [tool.cookielint]."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the configuration: {error}") from None
    try:
        if path.name == PYPROJECT or path.suffix == ".toml":
            values = _toml_table(path, text)
            if values is None:
                if path.name == PYPROJECT:
                    return None
                raise ConfigError(f"{path}: no [tool.cookielint] table")
        else:
            values = _yaml_mapping(path, text)
        _check_depth(values, path)
        validate(values, path)
    except RecursionError:
        raise ConfigError(_too_deep(path)) from None
    return ConfigFile(absolute(path), values)


# No setting nests deeper than a table of lists; more is a hostile file, refused before
# anything walks it.
MAX_CONFIG_DEPTH = 8


def _check_depth(values: object, path: Path) -> None:
    pending: list[tuple[Any, int]] = [(values, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_CONFIG_DEPTH:
            raise ConfigError(_too_deep(path))
        children = value.values() if isinstance(value, dict) else value
        if isinstance(value, (dict, list)):
            pending.extend((child, depth + 1) for child in children)


def _too_deep(path: Path) -> str:
    return f"{path}: nested more than {MAX_CONFIG_DEPTH} levels deep; no setting needs that"


def _toml_table(path: Path, text: str) -> dict[str, Any] | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    tool = document.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: tool must be a table ([tool.cookielint])")
    table = tool.get("cookielint")
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
def config_schema() -> dict[str, Any]:
    return dict(json.loads(schema_text(CONFIG_SCHEMA)))


def validate(values: dict[str, Any], path: Path) -> None:
    """Raise ConfigError naming the file and the key for the first thing wrong with ``values``."""
    known = list(config_schema()["properties"])
    for key in values:
        if key not in known:
            hint = did_you_mean(str(key), known) or f"; known keys: {', '.join(known)}"
            raise ConfigError(f"{path}: unknown key '{key}'{hint}")
    for key in ("select", "extend-select", "ignore"):
        if isinstance(values.get(key), list):
            check_selectors([s for s in values[key] if isinstance(s, str)], f"{path}: {key}")
    for glob, selectors in (values.get("per-file-ignores") or {}).items():
        check_glob(str(glob), f"{path}: per-file-ignores")
        if isinstance(selectors, list):
            check_selectors(
                [s for s in selectors if isinstance(s, str)], f"{path}: per-file-ignores '{glob}'"
            )
    if isinstance(values.get("severity"), dict):
        check_selectors([str(s) for s in values["severity"]], f"{path}: severity")
    for glob in values.get("exclude") or []:
        if isinstance(glob, str):
            check_glob(glob, f"{path}: exclude")
    fast = compiled_validator(CONFIG_SCHEMA)
    if fast is not None and fast.is_valid(values):
        return  # the common case, without importing the reference validator
    errors = sorted(
        reference_validator(CONFIG_SCHEMA).iter_errors(values), key=lambda e: list(e.absolute_path)
    )
    if errors:
        error = errors[0]
        key = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        raise ConfigError(f"{path}: {key}: {_describe(error)}")


def _describe(error: Any) -> str:
    if error.validator == "oneOf":
        return f"{error.instance!r} is not valid here ({error.schema.get('description', '')})"
    return str(error.message)
