"""The policy JSON Schema: where it lives, and its errors turned into problems with pointers."""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from cookielint.duration import UNIT_WORDS, duration_hint
from cookielint.finding import Problem
from cookielint.hints import value_hint
from cookielint.pointer import join_pointer
from cookielint.suggest import did_you_mean

if TYPE_CHECKING:
    from cookielint.document import Word

SCHEMA_NAME = "cookie-policy.schema.json"

# A shape is a path with list indices written as "*": ("cookies", "*", "name").
Shape = tuple[str, ...]


def schema_text(name: str = SCHEMA_NAME) -> str:
    """A schema as shipped: inside the installed package, or from the source tree's schema/."""
    here = Path(__file__).resolve().parent
    packaged = here / "data" / name
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (here.parent / "schema" / name).read_text(encoding="utf-8")


@functools.cache
def load_schema(name: str = SCHEMA_NAME) -> dict[str, Any]:
    """A shipped schema, parsed once."""
    return dict(json.loads(schema_text(name)))


def schema() -> dict[str, Any]:
    """The policy schema."""
    return load_schema(SCHEMA_NAME)


@functools.cache
def reference_validator(name: str = SCHEMA_NAME) -> Any:
    """The reference (jsonschema) Draft 2020-12 validator of a shipped schema, built once."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema(name))


@functools.cache
def compiled_validator(name: str = SCHEMA_NAME) -> Any:
    """The compiled (jsonschema-rs) validator of a shipped schema, built once; None without it."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    return jsonschema_rs.validator_for(load_schema(name), validate_formats=False)


def shape_of(path: Iterable[object]) -> Shape:
    return tuple("*" if isinstance(token, int) else str(token) for token in path)


@functools.cache
def boolean_shapes() -> frozenset[Shape]:
    """Where the schema expects a boolean, so that YAML 1.1 truthy words there can be told apart."""
    root = schema()
    found: set[Shape] = set()

    def walk(node: dict[str, Any], shape: Shape) -> None:
        if "$ref" in node:
            node = root["$defs"][node["$ref"].rsplit("/", 1)[1]]
        if node.get("type") == "boolean":
            found.add(shape)
        for key, child in node.get("properties", {}).items():
            walk(child, (*shape, key))
        if isinstance(node.get("items"), dict):
            walk(node["items"], (*shape, "*"))

    walk(root, ())
    return frozenset(found)


class SchemaError(NamedTuple):
    """One schema error, the same whichever validator found it."""

    path: tuple[str | int, ...]
    keyword: str
    instance: Any
    value: Any
    """The keyword's value in the schema: the allowed values of an enum, a const, a type,
    the required keys."""


def validate(
    data: Any,
    left_to_rules: frozenset[tuple[Shape, str]] = frozenset(),
    words: Mapping[tuple[str | int, ...], Word] | None = None,
    backend: str | None = None,
) -> list[Problem]:
    """Schema errors as CL003 problems, except those a more specific rule reports.

    ``left_to_rules`` holds (shape, keyword) pairs; a ``required`` error is
    named by the missing key, as ``required:purposes``. The compiled validator
    (jsonschema-rs) is used where it is installed and can read the data; the
    reference validator (jsonschema) otherwise, or when ``backend`` says
    "python". Both give the same problems (tests/test_schema_backends.py).
    """
    words = words or {}
    problems: dict[Problem, None] = {}  # in order, once each
    for count, error in enumerate(schema_errors(data, backend or _BACKEND)):
        if count == SCHEMA_ERRORS:
            # A file this broken is not worth examining to the end: a hostile one
            # (a million empty cookies) would take minutes and gigabytes.
            message = (
                f"more than {SCHEMA_ERRORS:,} schema errors; the rest of the file was not "
                "checked against the schema"
            )
            problems[Problem(message, join_pointer(*error.path), code="CL003")] = None
            break
        problems.update(dict.fromkeys(_problems(error, left_to_rules, words)))
    if isinstance(data, dict) and type(data.get("version")) is float and data["version"] == 1:
        # JSON Schema counts 1.0 as the integer 1; YAML reads it as a float, and the
        # format is versioned by the integer.
        message = "'version' must be the integer 1, not 1.0"
        problems[Problem(message, "/version", code="CL003")] = None
    return list(problems)


_BACKEND = os.environ.get("COOKIELINT_SCHEMA_BACKEND", "auto")


# Schema errors examined per file, at most; beyond them, one problem says the rest
# was not examined.
SCHEMA_ERRORS = 1000


def schema_errors(data: Any, backend: str = "auto") -> Iterator[SchemaError]:
    """The schema errors of ``data``, as they are found (the caller may stop early)."""
    if backend != "python":
        compiled = compiled_validator()
        if compiled is not None:
            try:
                if compiled.is_valid(data):
                    return iter(())
                if _many_entries(data):
                    raise ValueError("every error at once")
                errors = compiled.iter_errors(data)
                first = next(errors, None)  # a value JSON can't hold fails here, if anywhere
            except (ValueError, TypeError, OverflowError):
                # Data JSON can't hold (a date, bytes), or too many entries (below): the
                # reference validator reads it.
                pass
            else:
                return _rust_errors(first, errors, data)
        elif backend == "rust":
            raise RuntimeError("jsonschema-rs is not installed")
    return (
        SchemaError(
            tuple(e.absolute_path),
            # A key that fails propertyNames is reported under the keyword that failed.
            "propertyNames" if "propertyNames" in e.schema_path else e.validator,
            e.instance,
            e.validator_value,
        )
        for e in reference_validator().iter_errors(data)
    )


# jsonschema-rs gathers every error before handing out the first: for an invalid
# document with more entries than this (a hostile one: a million empty cookies),
# the reference validator, which yields errors as it finds them, stops sooner.
LAZY_ABOVE = 2000


def _many_entries(data: Any) -> bool:
    return isinstance(data, dict) and any(
        isinstance(data.get(key), list) and len(data[key]) > LAZY_ABOVE
        for key in ("cookies", "providers")
    )


def _rust_errors(first: Any, rest: Iterator[Any], data: Any) -> Iterator[SchemaError]:
    if first is not None:
        yield from _from_rust(first, data)
    for error in rest:
        yield from _from_rust(error, data)


def _from_rust(error: Any, data: Any) -> Iterator[SchemaError]:
    kind = error.kind
    value = kind.value
    if kind.name == "required":
        value = [kind.property]
    elif kind.name == "type" and isinstance(value, list) and len(value) == 1:
        value = value[0]
    path = tuple(error.instance_path)
    # The instance as Python holds it: JSON has no NaN or infinity to hand back.
    instance = data
    for token in path:
        instance = instance[token]
    if kind.name == "propertyNames" and isinstance(instance, dict):
        # One error per key that is not a language tag, as the reference validator gives.
        tag = re.compile(schema()["$defs"]["languageTag"]["pattern"])
        for key in instance:
            if not (isinstance(key, str) and tag.search(key)):
                yield SchemaError(path, kind.name, key, None)
        return
    yield SchemaError(path, kind.name, instance, value)


@functools.cache
def properties_at(shape: Shape) -> tuple[str, ...]:
    """The properties the schema defines for the mapping at ``shape``."""
    node = schema()
    for token in shape:
        node = _deref(node)
        node = node["items"] if token == "*" else node.get("properties", {}).get(token, {})
    return tuple(_deref(node).get("properties", {}))


def _deref(node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return schema()["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _problems(
    error: SchemaError,
    left_to_rules: frozenset[tuple[Shape, str]],
    words: Mapping[tuple[str | int, ...], Word],
) -> Iterator[Problem]:
    path = error.path
    shape = shape_of(path)
    keyword = error.keyword
    if (shape, keyword) in left_to_rules:
        return
    pointer = join_pointer(*path)
    where = _where(list(path))
    instance = error.instance

    if keyword == "required":
        if not isinstance(instance, dict):
            return
        for missing in error.value:
            if missing not in instance and (shape, f"required:{missing}") not in left_to_rules:
                where_missing = f" in {where}" if where else ""
                yield Problem(
                    f"missing required key '{missing}'{where_missing}", pointer, code="CL003"
                )
        return
    if keyword == "additionalProperties":
        known = list(properties_at(shape))
        for key in instance:
            if key not in known:
                hint = did_you_mean(str(key), known) or f"; allowed: {', '.join(known)}"
                in_where = f" in {where}" if where else ""
                yield Problem(
                    f"unknown key '{key}'{in_where}{hint}",
                    join_pointer(*path, key),
                    key=True,
                    code="CL003",
                )
        return

    subject = where or _ENTRY_NAMES.get(shape, "the document")
    if keyword == "propertyNames":  # the only property names the schema constrains
        yield Problem(
            f"{subject} gives a text under {_show(instance)}, which is not a BCP 47 language "
            "tag (en, fr, pt-BR)",
            join_pointer(*path, instance),
            key=True,
            code="CL003",
        )
        return
    if keyword == "type" and not path and instance is None:
        message = "the file is empty; a policy needs version, site and cookies"
    elif keyword == "type":
        types = error.value if isinstance(error.value, list) else [error.value]
        if types == ["string", "object"]:  # a text visitors read, possibly per language
            expected = "a string or a mapping of language tags to strings"
        else:
            expected = " or ".join(_TYPE_NAMES.get(t, str(t)) for t in types)
        message = f"{subject} must be {expected}, not {_describe(instance)}"
    elif keyword == "enum":
        allowed = [str(v) for v in error.value]
        message = f"{subject} must be one of {', '.join(allowed)}, not {_show(instance)}"
        message += value_hint(_field(shape), instance, allowed)
    elif keyword == "const":
        message = f"{subject} must be {_show(error.value)}, not {_show(instance)}"
    elif keyword in ("minLength", "minItems"):
        message = f"{subject} must not be empty"
    elif keyword == "pattern":
        field = _field(shape)
        hint = _PATTERN_HINTS.get(field, "does not have the expected form")
        message = f"{subject} {_show(instance)} {hint}"
        if field == "duration":
            message += duration_hint(instance)
    else:
        message = f"{subject} does not satisfy the schema's {keyword}"
    word = words.get(tuple(path))
    if word is not None:
        message += f" (YAML 1.1 reads the unquoted {word.word} as a boolean; quote it)"
    # What is wrong here is the value (its type, its word, its form): point at it.
    yield Problem(message, pointer, code="CL003")


_ENTRY_NAMES: dict[Shape, str] = {
    ("providers", "*"): "the entry",
    ("cookies", "*"): "the declaration",
}

_TYPE_NAMES = {
    "string": "a string",
    "array": "a list",
    "object": "a mapping",
    "boolean": "true or false",
    "integer": "an integer",
    "number": "a number",
}

_PATTERN_HINTS = {
    "duration": "is not 'session', an ISO 8601 duration (P2W, P13M, PT30M) or '<n> <unit>' "
    f"(2 weeks), with n a positive whole number and unit one of {UNIT_WORDS}",
    "url": "is not an http or https URL",
    "privacy_policy": "is not an http or https URL",
    "path": "must start with /",
    "languages": "is not a BCP 47 language tag (en, fr, pt-BR)",
}


def _field(shape: Shape) -> str:
    named = [token for token in shape if token != "*"]
    return named[-1] if named else ""


def _where(path: list[object]) -> str:
    """A path as a reader names it; inside a cookie or provider, relative to it."""
    if len(path) >= 2 and path[0] in ("cookies", "providers") and isinstance(path[1], int):
        path = path[2:]
    text = ""
    for token in path:
        text += f"[{token}]" if isinstance(token, int) else (f".{token}" if text else str(token))
    return f"'{text}'" if text else ""


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the string {_show(value)}"
    return f"{type(value).__name__} {value}"


def _show(value: object) -> str:
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    return (
        _describe(value) if isinstance(value, (bool, dict, list)) or value is None else str(value)
    )
