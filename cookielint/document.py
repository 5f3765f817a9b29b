"""From bytes to a document: the data every consumer of the file reads, and where each part is.

The data is built straight from libyaml's event stream, without a node tree:
a node tree costs more to build than the parse itself and holds every mark
of every node in memory. Positions are found by a second pass over the
events, only for the pointers that findings name, so a clean file costs one
parse.
"""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Iterable
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import Node, ScalarNode

from cookielint.finding import Problem
from cookielint.pointer import join_pointer, split_pointer

try:  # libyaml makes parsing several times faster; the pure-Python parser gives the same events.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024
DEFAULT_MAX_DEPTH = 64
# Nodes that aliases may add beyond those written in the file: enough for any
# policy that reuses a block through anchors, far too few for a "billion laughs".
DEFAULT_MAX_ALIAS_EXPANSION = 100_000

_TAG = "tag:yaml.org,2002:"
_STR, _BOOL, _NULL, _MAP, _SEQ, _MERGE = (
    _TAG + t for t in ("str", "bool", "null", "map", "seq", "merge")
)
_OTHER_SCALARS = {_TAG + t for t in ("int", "float", "timestamp", "binary")}
_IMPLICIT = _Loader.yaml_implicit_resolvers  # first character → [(tag, regexp)]
# A plain scalar starting with any other character is a string: no resolver to try.
_SPECIAL_START = frozenset(_IMPLICIT)

# YAML 1.1 reads these as booleans (PyYAML only some of them, and only in some
# spellings); a policy must say true/false, so where a boolean is expected they
# are reported, and read as YAML 1.1 would.
TRUTHY_WORDS = {"y": True, "yes": True, "on": True, "n": False, "no": False, "off": False}
_BOOLEANS = SafeConstructor.bool_values

# YAML (and libyaml's marks) break lines at CR, LF, CRLF, and the Unicode NEL, LS and PS.
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")

_constructor = SafeConstructor()

# Where a value sits: mapping keys and list indices from the root.
NodePath = tuple[str | int, ...]


class _Refused(Exception):
    def __init__(self, code: str, message: str, mark: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.mark = mark


class Document:
    """A parsed policy file: its data, and the text that positions are found in."""

    def __init__(self, data: Any, text: str, truthy: dict[NodePath, str] | None = None) -> None:
        self.data = data
        self.text = text
        self.truthy: dict[NodePath, str] = truthy or {}
        """Paths of plain scalars written as a YAML 1.1 truthy word, and the word as written."""
        self._positions: dict[tuple[str, bool], tuple[int, int]] = {}

    def locate(self, pointer: str, key: bool = False) -> tuple[int, int]:
        """The 1-based line and column of the value at ``pointer`` (or of its key).

        A pointer that leads nowhere gives the deepest value on its way.
        """
        if (pointer, key) not in self._positions:
            self.locate_all([(pointer, key)])
        return self._positions[(pointer, key)]

    def locate_all(self, requests: Iterable[tuple[str, bool]]) -> None:
        """Find the positions of many pointers in one pass over the text."""
        wanted = {r for r in requests if r not in self._positions}
        if wanted:
            self._positions.update(_positions(self.text, wanted))

    @functools.cached_property
    def root(self) -> Node | None:
        """The node tree, composed on demand (to read comments against it)."""
        try:
            return next(iter(yaml.compose_all(self.text, Loader=_Loader)), None)
        except yaml.YAMLError:
            return None


def decode(raw: bytes, max_size: int = DEFAULT_MAX_FILE_SIZE) -> str | Problem:
    """The file's text, or the reason it can't be read as a policy (CL002)."""
    if len(raw) > max_size:
        return too_large(len(raw), max_size)
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return Problem("file is UTF-32 encoded; policies must be UTF-8", code="CL002")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Problem("file is UTF-16 encoded; policies must be UTF-8", code="CL002")
    if b"\x00" in raw:
        return Problem("file is binary (it contains NUL bytes)", code="CL002")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return Problem(
            f"file is not valid UTF-8 (byte 0x{raw[error.start]:02x} on line {line})", code="CL002"
        )


def too_large(size: int, limit: int) -> Problem:
    return Problem(f"file is {size:,} bytes, over the {limit:,}-byte limit", code="CL002")


def line_and_column(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of the character at ``index``, counted as YAML counts them."""
    line, start = 1, 0
    for match in LINE_BREAK.finditer(text, 0, index):
        line, start = line + 1, match.end()
    return line, index - start + 1


def parse(
    text: str,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_alias_expansion: int = DEFAULT_MAX_ALIAS_EXPANSION,
) -> tuple[Document | None, list[Problem]]:
    """Parse one policy document; problems the file itself has come back as findings-to-be."""
    try:
        loader = _Loader(text)
    except UnicodeEncodeError as error:  # text that came from no file: lone surrogates
        line, column = line_and_column(text, error.start)
        message = f"character #x{ord(text[error.start]):04x} can't be encoded in UTF-8"
        return None, [Problem(message, code="CL002", line=line, column=column)]
    problems: list[Problem] = []
    builder = _Builder(loader.get_event, problems, max_depth, max_alias_expansion)
    try:
        data = builder.build()
    except yaml.MarkedYAMLError as error:
        return None, [_yaml_error(error)]
    except RecursionError:  # only the pure-Python parser recurses; libyaml stops at depth 1000
        return None, [
            Problem("nested too deeply for the YAML parser", code="CL002", line=1, column=1)
        ]
    except yaml.YAMLError as error:  # a ReaderError: a character YAML does not allow
        return None, [_reader_error(text, error)]
    except _Refused as refused:
        mark = refused.mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        return None, [Problem(refused.message, code=refused.code, line=line, column=column)]
    finally:
        loader.dispose()
    return Document(data, text, builder.truthy), problems


# Policies repeat the same few words (true, first, necessary, 13 months) thousands of
# times: their implicit tag is remembered rather than found by regular expressions again.
_RESOLVED: dict[str, str] = {}


def _resolve(value: str) -> str:
    tag = _RESOLVED.get(value)
    if tag is None:
        tag = _STR
        for candidate, regexp in _IMPLICIT.get(value[:1], ()):
            if regexp.match(value):
                tag = candidate
                break
        if len(value) <= 32 and len(_RESOLVED) < 4096:
            _RESOLVED[value] = tag
    return tag


class _Frame:
    """A collection being built: a mapping (waiting for a key or for its value) or a list."""

    __slots__ = ("value", "path", "anchor", "mapping", "key", "key_mark", "marks", "merges", "size")

    def __init__(self, value: Any, path: NodePath, anchor: str | None, mapping: bool) -> None:
        self.value = value
        self.path = path
        self.anchor = anchor
        self.mapping = mapping
        self.key: Any = None  # for a mapping: the key whose value comes next, or None
        self.key_mark: Any = None
        self.marks: dict[str, Any] = {}  # a mapping's keys → where each first stood
        self.merges: list[tuple[Any, Any]] | None = None  # (value, mark) of each << in order
        self.size = 1


_NO_KEY = object()


class _Builder:
    """Plain data from the event stream, as a YAML 1.1 safe loader would build it, guarding
    against abuse: unsafe tags, recursive and exploding aliases, deep nesting."""

    def __init__(
        self, next_event: Any, problems: list[Problem], max_depth: int, max_alias_expansion: int
    ) -> None:
        self.next_event = next_event
        self.problems = problems
        self.max_depth = max_depth
        self.max_alias_expansion = max_alias_expansion
        self.truthy: dict[NodePath, str] = {}
        # name → (value, nodes it stands for, a scalar's text, a scalar's truthy word)
        self.anchors: dict[str, tuple[Any, int, str | None, str | None]] = {}
        self.open_anchors: set[str] = set()
        self.expansion = 0

    def build(self) -> Any:
        next_event = self.next_event
        event = next_event()
        if type(event) is StreamStartEvent:
            event = next_event()
        if type(event) is not DocumentStartEvent:
            return None  # an empty stream: no document at all
        data = self._document()  # up to and including its DocumentEndEvent
        event = next_event()
        if type(event) is DocumentStartEvent:
            mark = event.start_mark
            self.problems.append(
                Problem(
                    "file holds more than one YAML document; only the first is checked",
                    code="CL002",
                    line=mark.line + 1,
                    column=mark.column + 1,
                )
            )
        return data

    def _document(self) -> Any:
        # The loop every node of every file goes through: plain strings, nearly all of a
        # policy, take the shortest way, and adding to the parent is inlined.
        next_event = self.next_event
        special_start = _SPECIAL_START
        stack: list[_Frame] = []
        result: Any = None
        while True:
            event = next_event()
            kind = type(event)
            if kind is ScalarEvent:
                value = event.value
                if event.tag is not None or value[:1] in special_start:
                    value = self._scalar(event, stack)
                size = 1
                if event.anchor is not None:
                    self._anchor_scalar(event, value)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                self._start(event, kind is MappingStartEvent, stack)
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                frame = stack.pop()
                value = self._finish(frame)
                size = frame.size
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (value, size, None, None)
                    self.open_anchors.discard(frame.anchor)
            elif kind is AliasEvent:
                value, size = self._alias(event, stack)
            elif kind is DocumentEndEvent or kind is StreamEndEvent:
                return result
            else:  # pragma: no cover - libyaml sends no other events inside a document
                raise _Refused("CL001", f"unexpected {kind.__name__}", event.start_mark)
            if not stack:
                result = value
                continue
            frame = stack[-1]
            frame.size += size
            key = frame.key if frame.mapping else _NO_KEY
            if value is _Merge and key is not None:
                raise _Refused("CL001", "'<<' can only be a merge key", event.start_mark)
            if not frame.mapping:
                frame.value.append(value)
                continue
            if key is None:  # this value is a key
                if kind is ScalarEvent and value is not _Merge and event.value not in frame.marks:
                    frame.key = event.value  # the common case, inline
                    frame.key_mark = event.start_mark
                else:
                    self._key(frame, event, value)
                continue
            frame.key = None
            if key is _NO_KEY:
                frame.merges = frame.merges or []
                frame.merges.append((value, event.start_mark))
                continue
            marks = frame.marks
            if key in marks:
                self._duplicate(frame, key, marks[key].line + 1)
            else:
                marks[key] = frame.key_mark
            frame.value[key] = value  # the last of duplicate keys wins, as in every YAML loader

    def _key(self, frame: _Frame, event: Any, value: Any) -> None:
        if type(event) is ScalarEvent:
            text = event.value
        elif type(event) is AliasEvent and self.anchors[event.anchor][2] is not None:
            text = self.anchors[event.anchor][2]  # an alias of a scalar: its text is the key
        else:
            raise _Refused(
                "CL003", "a key must be a plain scalar, not a list or mapping", event.start_mark
            )
        frame.key_mark = event.start_mark
        if value is _Merge:
            if frame.merges:  # a second << key: the same key twice
                self._duplicate(frame, "<<", frame.merges[0][1].line + 1)
            frame.key = _NO_KEY
            return
        if text in frame.marks:
            # The value about to be read replaces this key's earlier one: so does
            # what is known about the words in it.
            prefix = (*frame.path, text)
            for path in [p for p in self.truthy if p[: len(prefix)] == prefix]:
                del self.truthy[path]
        frame.key = text

    def _anchor_scalar(self, event: Any, value: Any) -> None:
        text = event.value
        word = (
            text
            if event.implicit[0] and text.lower() in TRUTHY_WORDS and event.tag in (None, "!")
            else None
        )
        self.anchors[event.anchor] = (value, 1, text, word)

    def _start(self, event: Any, mapping: bool, stack: list[_Frame]) -> None:
        tag = event.tag
        if tag is not None and tag != "!" and tag != (_MAP if mapping else _SEQ):
            raise _Refused("CL001", f"unsupported tag {_show_tag(tag)}", event.start_mark)
        if len(stack) >= self.max_depth:
            raise _Refused("CL002", f"nested deeper than {self.max_depth} levels", event.start_mark)
        parent = stack[-1] if stack else None
        if parent is None:
            path: NodePath = ()
        elif parent.mapping:
            if parent.key is None:  # a collection as a key: no path can name it
                raise _Refused(
                    "CL003", "a key must be a plain scalar, not a list or mapping", event.start_mark
                )
            path = (*parent.path, parent.key) if parent.key is not _NO_KEY else parent.path
        else:
            path = (*parent.path, len(parent.value))
        anchor = event.anchor
        if anchor is not None:
            self.open_anchors.add(anchor)
        stack.append(_Frame({} if mapping else [], path, anchor, mapping))

    def _scalar(self, event: Any, stack: list[_Frame]) -> Any:
        value = event.value
        tag = event.tag
        plain = event.implicit[0]
        if tag is None or tag == "!":
            tag = _resolve(value) if plain else _STR
        if tag == _STR:
            if plain and len(value) <= 3 and value.lower() in TRUTHY_WORDS:
                self._truthy(stack, value)
            return value
        if tag == _BOOL:
            if plain and value.lower() in TRUTHY_WORDS:
                self._truthy(stack, value)
            return _BOOLEANS.get(value.lower(), value)  # !!bool on a word that is none
        if tag == _NULL:
            return None
        if tag == _MERGE:
            return _Merge
        if tag in _OTHER_SCALARS:
            try:
                return _constructor.yaml_constructors[tag](_constructor, ScalarNode(tag, value))
            except Exception:  # noqa: BLE001 - PyYAML's constructors fail in many ways on bad text
                # An integer of thousands of digits, a date that doesn't exist, a
                # !!timestamp on a word: keep the text, which the schema then reports.
                return value
        raise _Refused("CL001", f"unsupported tag {_show_tag(tag)}", event.start_mark)

    def _truthy(self, stack: list[_Frame], word: str) -> None:
        if not stack:
            return
        frame = stack[-1]
        if frame.mapping:
            if frame.key is None:
                return  # the word is a key, not a value
            self.truthy[(*frame.path, frame.key)] = word
        else:
            self.truthy[(*frame.path, len(frame.value))] = word

    def _alias(self, event: Any, stack: list[_Frame]) -> tuple[Any, int]:
        anchor = event.anchor
        if anchor in self.open_anchors:
            raise _Refused("CL001", "an alias refers to a node that contains it", event.start_mark)
        if anchor not in self.anchors:
            raise _Refused("CL001", f"found undefined alias '{anchor}'", event.start_mark)
        value, size, _, word = self.anchors[anchor]
        if word is not None:
            self._truthy(stack, word)  # the word stands here too
        self.expansion += size
        if self.expansion > self.max_alias_expansion:
            raise _Refused(
                "CL002",
                f"aliases expand to over {self.max_alias_expansion:,} extra nodes (a 'billion laughs')",
                event.start_mark,
            )
        return value, size

    def _duplicate(self, frame: _Frame, key: str, first_line: int) -> None:
        mark = frame.key_mark
        self.problems.append(
            Problem(
                f"duplicate key '{key}' (first on line {first_line}); the last value is the one read",
                pointer=join_pointer(*frame.path, key),
                key=True,
                code="CL004",
                line=mark.line + 1,
                column=mark.column + 1,
            )
        )

    def _finish(self, frame: _Frame) -> Any:
        if not frame.merges:
            return frame.value
        # As PyYAML merges: in one << list the first source that has a key wins, a
        # later << key wins over an earlier one, and the mapping's own keys over all.
        merged: dict[str, Any] = {}
        for value, mark in frame.merges:
            sources = value if isinstance(value, list) else [value]
            this: dict[str, Any] = {}
            for source in sources:
                if not isinstance(source, dict):
                    raise _Refused("CL001", "a merge key (<<) must refer to a mapping", mark)
                for key, item in source.items():
                    this.setdefault(key, item)
            merged.update(this)
        merged.update(frame.value)
        return merged


class _Merge:
    """The value of a ``<<`` key: the mapping(s) it names are merged in."""


def _positions(text: str, wanted: set[tuple[str, bool]]) -> dict[tuple[str, bool], tuple[int, int]]:
    """One pass over the events: the positions of the wanted (pointer, key) pairs.

    A pointer that is not there gets the position of the deepest value on its way.
    """
    targets: dict[NodePath, list[tuple[str, bool]]] = {}
    prefixes: set[NodePath] = set()
    for pointer, key in wanted:
        path = tuple(split_pointer(pointer))
        targets.setdefault(path, []).append((pointer, key))
        for end in range(len(path) + 1):
            prefixes.add(path[:end])
    found: dict[NodePath, tuple[Any, Any]] = {}  # path → (value mark, key mark)
    loader = _Loader(text)
    try:
        _walk(loader.get_event, prefixes, found)
    except yaml.YAMLError:
        pass  # positions before the problem are still right
    finally:
        loader.dispose()
    result = {}
    for path, requests in targets.items():
        depth = len(path)
        while depth > 0 and path[:depth] not in found:
            depth -= 1
        value_mark, key_mark = found.get(path[:depth], (None, None))
        for pointer, key in requests:
            mark = key_mark if key and depth == len(path) and key_mark is not None else value_mark
            result[(pointer, key)] = (
                (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
            )
    return result


def _walk(next_event: Any, prefixes: set[NodePath], found: dict[NodePath, tuple[Any, Any]]) -> None:
    """Record the marks of every node whose path is in ``prefixes`` (paths as strings)."""
    # Each open collection: [path, is mapping, next index, pending key, pending key mark, wanted].
    stack: list[list[Any]] = []
    while True:
        event = next_event()
        kind = type(event)
        if kind is StreamEndEvent or kind is DocumentEndEvent:
            return
        if kind is StreamStartEvent or kind is DocumentStartEvent:
            continue
        if kind is MappingEndEvent or kind is SequenceEndEvent:
            stack.pop()
            if not stack:
                return
            continue
        starts = kind is MappingStartEvent or kind is SequenceStartEvent
        if not stack:
            path: NodePath = ()
            key_mark = None
        else:
            top = stack[-1]
            if top[1]:  # a mapping
                if top[3] is None:  # this is a key
                    top[3] = event.value if kind is ScalarEvent else ""
                    top[4] = event.start_mark
                    if starts:
                        stack.append([None, kind is MappingStartEvent, 0, None, None, False])
                    continue
                path = (*top[0], top[3]) if top[5] else ()
                key_mark = top[4]
                top[3] = None
            else:
                path = (*top[0], str(top[2])) if top[5] else ()
                key_mark = event.start_mark
                top[2] += 1
        wanted = (not stack or stack[-1][5]) and path in prefixes
        if wanted:
            found[path] = (event.start_mark, key_mark)  # the last of duplicate keys wins
        if starts:
            stack.append([path, kind is MappingStartEvent, 0, None, None, wanted])
        elif not stack:
            return


def _yaml_error(error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if error.problem == "exceeded maximum nesting depth":  # libyaml's own limit
        return Problem(
            "nested too deeply for the YAML parser", code="CL002", line=line, column=column
        )
    message = error.problem or "not well-formed YAML"
    if error.context and error.context_mark is not None and error.problem_mark is not None:
        message = f"{message} ({error.context} on line {error.context_mark.line + 1})"
    return Problem(message, code="CL001", line=line, column=column)


def _reader_error(text: str, error: yaml.YAMLError) -> Problem:
    position = getattr(error, "position", 0) or 0
    if _Loader is not yaml.SafeLoader:  # libyaml counts the position in UTF-8 bytes
        position = len(text.encode("utf-8")[:position].decode("utf-8", errors="ignore"))
    line, column = line_and_column(text, position)
    character = getattr(error, "character", None)
    if isinstance(character, str):
        character = ord(character)
    what = f"character #x{character:04x}" if isinstance(character, int) else "a character"
    return Problem(f"{what} is not allowed in YAML", code="CL001", line=line, column=column)


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag
