"""From bytes to a document: the data every consumer of the file reads, and where each part is.

The data is built straight from libyaml's event stream, without a node tree:
a node tree costs more to build than the parse itself and holds every mark
of every node in memory. Positions are found by a second pass over the
events, only for the pointers that findings name, so a clean file costs one
parse.

The parser only parses: it judges nothing. What the rules need to judge the
file (keys written twice, YAML 1.1 boolean words, where comments may stand)
is recorded beside the data in a ``Document`` that nobody edits afterwards.
A file that can't be read at all is a ``ReadError`` of a kind; which rule
reports each kind is the pipeline's business.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal, NamedTuple

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
from yaml.nodes import ScalarNode

from cookielint.pointer import split_pointer

try:  # libyaml makes parsing several times faster; the pure-Python parser gives the same events.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024
DEFAULT_MAX_DEPTH = 64
# Nodes that aliases may add beyond those written in the file: enough for any
# policy that reuses a block through anchors, far too few for a "billion laughs".
DEFAULT_MAX_ALIAS_EXPANSION = 100_000
# Lists and mappings in one file: a policy of 1,000 cookies has about 3,000. Far more is
# no policy a person wrote (5 MiB of `- {}` is a million), and each one costs the model
# and every rule a little: refused before that cost is paid.
DEFAULT_MAX_COLLECTIONS = 100_000

_TAG = "tag:yaml.org,2002:"
_STR, _BOOL, _NULL, _MAP, _SEQ, _MERGE, _VALUE = (
    _TAG + t for t in ("str", "bool", "null", "map", "seq", "merge", "value")
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


# What went wrong with a file that can't be read as one YAML document: its bytes or
# characters ("unreadable", or over a limit), its YAML ("syntax"), or a structure that
# YAML allows but a policy can't have ("structure": a list or mapping as a key).
ReadErrorKind = Literal["unreadable", "syntax", "structure"]


class ReadError(NamedTuple):
    """Why (part of) a file can't be read, and where."""

    kind: ReadErrorKind
    message: str
    line: int = 0
    """1-based; 0 when the error concerns the whole file."""
    column: int = 0


class _Refused(Exception):
    def __init__(self, kind: ReadErrorKind, message: str, mark: Any = None) -> None:
        super().__init__(message)
        self.kind: ReadErrorKind = kind
        self.message = message
        self.mark = mark


class RepeatedKey(NamedTuple):
    """A mapping key written a second (or later) time."""

    path: NodePath
    """Where the repeated key's value is."""
    key: str
    first_line: int
    line: int
    column: int


class Word(NamedTuple):
    """A plain scalar written as a YAML 1.1 boolean word (yes, no, on, off, y, n)."""

    word: str
    line: int
    column: int


class CommentContext(NamedTuple):
    """What placing a comment needs: recorded only for files that hold a ``cookielint:`` directive."""

    scalar_spans: Mapping[int, tuple[tuple[int, int, int, int], ...]]
    """Each line → the spans (line, column, end line, end column) of the scalars that cover it."""
    declarations: Mapping[int, int]
    """The first line of each cookie declaration → its last line."""


class Document:
    """A parsed policy file: its data, the text positions are found in, and what the rules need."""

    __slots__ = ("data", "text", "words", "repeated_keys", "issues", "comments", "_positions")

    def __init__(
        self,
        data: Any,
        text: str,
        words: Mapping[NodePath, Word] | None = None,
        repeated_keys: tuple[RepeatedKey, ...] = (),
        issues: tuple[ReadError, ...] = (),
        comments: CommentContext | None = None,
    ) -> None:
        self.data = data
        self.text = text
        self.words: Mapping[NodePath, Word] = words or {}
        """Values written as a YAML 1.1 boolean word, by path (only words that are still read:
        not those a later duplicate key or a merge replaced)."""
        self.repeated_keys = repeated_keys
        self.issues = issues
        """Problems that did not stop the reading: a second document in the file."""
        self.comments = comments
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


def clean(result: Document | ReadError) -> Document | ReadError:
    """A data file (known cookies, an ignore file: not a policy, which gets findings) as read,
    or why it can't be used as read: a read error, a second document, a repeated key."""
    if isinstance(result, ReadError):
        return result
    if result.issues:
        return result.issues[0]
    if result.repeated_keys:
        first = result.repeated_keys[0]
        return ReadError("syntax", f"duplicate key '{first.key}'", first.line, first.column)
    return result


def decode(raw: bytes, max_size: int = DEFAULT_MAX_FILE_SIZE) -> str | ReadError:
    """The file's text, or the reason it can't be read as a policy."""
    if len(raw) > max_size:
        return too_large(len(raw), max_size)
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return ReadError("unreadable", "file is UTF-32 encoded; policies must be UTF-8")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return ReadError("unreadable", "file is UTF-16 encoded; policies must be UTF-8")
    if b"\x00" in raw:
        return ReadError("unreadable", "file is binary (it contains NUL bytes)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return ReadError(
            "unreadable", f"file is not valid UTF-8 (byte 0x{raw[error.start]:02x} on line {line})"
        )


def too_large(size: int, limit: int) -> ReadError:
    return ReadError("unreadable", f"file is {size:,} bytes, over the {limit:,}-byte limit")


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
    max_collections: int = DEFAULT_MAX_COLLECTIONS,
) -> Document | ReadError:
    """Parse one policy document, or say why it can't be read."""
    try:
        loader = _Loader(text)
    except UnicodeEncodeError as error:  # text that came from no file: lone surrogates
        line, column = line_and_column(text, error.start)
        message = f"character #x{ord(text[error.start]):04x} can't be encoded in UTF-8"
        return ReadError("unreadable", message, line, column)
    next_event: Callable[[], Any] = loader.get_event
    # Comments are no events: where one may stand is recorded only for a file that has
    # a directive in one, so that other files pay nothing for it.
    spans = _CommentSpans(next_event) if "cookielint:" in text else None
    builder = _Builder(spans or next_event, max_depth, max_alias_expansion, max_collections)
    try:
        data = builder.build()
    except yaml.MarkedYAMLError as error:
        return _within(_yaml_error(error), text)
    except RecursionError:  # only the pure-Python parser recurses; libyaml stops at depth 1000
        return ReadError("unreadable", "nested too deeply for the YAML parser", 1, 1)
    except yaml.YAMLError as error:  # a ReaderError: a character YAML does not allow
        return _reader_error(text, error)
    except _Refused as refused:
        mark = refused.mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        return ReadError(refused.kind, refused.message, line, column)
    finally:
        loader.dispose()
    return Document(
        data,
        text,
        _words_still_read(data, builder.truthy),
        tuple(builder.repeated),
        tuple(builder.issues),
        spans.context() if spans is not None else None,
    )


def _words_still_read(data: Any, truthy: dict[NodePath, Word]) -> dict[NodePath, Word]:
    """Only the words whose value is read: not those a duplicate key or a merge replaced."""
    kept = {}
    for path, word in truthy.items():
        current: Any = data
        for token in path:
            try:
                current = current[token]
            except (KeyError, IndexError, TypeError):
                current = _MISSING
                break
        if current is TRUTHY_WORDS[word.word.lower()] or current == word.word:
            kept[path] = word
    return kept


_MISSING = object()


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
        self.marks: dict[Any, Any] = {}  # a mapping's keys → where each first stood
        self.merges: list[tuple[Any, Any]] | None = None  # (value, mark) of each << in order
        self.size = 1


_NO_KEY = object()


class _Builder:
    """Plain data from the event stream, as a YAML 1.1 safe loader would build it, guarding
    against abuse: unsafe tags, recursive and exploding aliases, deep nesting."""

    def __init__(
        self,
        next_event: Callable[[], Any],
        max_depth: int,
        max_alias_expansion: int,
        max_collections: int = DEFAULT_MAX_COLLECTIONS,
    ) -> None:
        self.next_event = next_event
        self.max_depth = max_depth
        self.max_alias_expansion = max_alias_expansion
        self.collections_left = max_collections
        self.max_collections = max_collections
        self.truthy: dict[NodePath, Word] = {}
        self.repeated: list[RepeatedKey] = []
        self.issues: list[ReadError] = []
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
            mark: Any = event.start_mark
            self.issues.append(
                ReadError(
                    "unreadable",
                    "file holds more than one YAML document; only the first is checked",
                    mark.line + 1,
                    mark.column + 1,
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
                raise _Refused("syntax", f"unexpected {kind.__name__}", event.start_mark)
            if not stack:
                result = value
                continue
            frame = stack[-1]
            frame.size += size
            key = frame.key if frame.mapping else _NO_KEY
            if value is _Merge and key is not None:
                raise _Refused("syntax", "'<<' can only be a merge key", event.start_mark)
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
        kind = type(event)  # (compared, not narrowed: libyaml's events are untyped)
        if kind is ScalarEvent:
            text = event.value
        elif kind is AliasEvent and self.anchors[event.anchor][2] is not None:
            text = self.anchors[event.anchor][2]  # an alias of a scalar: its text is the key
        else:
            raise _Refused(
                "structure", "a key must be a plain scalar, not a list or mapping", event.start_mark
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
            raise _Refused("syntax", f"unsupported tag {_show_tag(tag)}", event.start_mark)
        self.collections_left -= 1
        if self.collections_left < 0:
            raise _Refused(
                "unreadable",
                f"holds over {self.max_collections:,} lists and mappings",
                event.start_mark,
            )
        if len(stack) >= self.max_depth:
            raise _Refused(
                "unreadable", f"nested deeper than {self.max_depth} levels", event.start_mark
            )
        parent = stack[-1] if stack else None
        if parent is None:
            path: NodePath = ()
        elif parent.mapping:
            if parent.key is None:  # a collection as a key: no path can name it
                raise _Refused(
                    "structure",
                    "a key must be a plain scalar, not a list or mapping",
                    event.start_mark,
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
                self._truthy(stack, value, event.start_mark)
            return value
        if tag == _BOOL:
            if plain and value.lower() in TRUTHY_WORDS:
                self._truthy(stack, value, event.start_mark)
            return _BOOLEANS.get(value.lower(), value)  # !!bool on a word that is none
        if tag == _NULL:
            return None
        if tag == _MERGE:
            # << merges, and only as a key: a merge of nothing into nothing is a mistake.
            if not (stack and stack[-1].mapping and stack[-1].key is None):
                raise _Refused("syntax", "'<<' can only be a merge key", event.start_mark)
            return _Merge
        if tag == _VALUE:
            return value  # '=': the "value key" of YAML 1.1 is plain text to every loader
        if tag in _OTHER_SCALARS:
            try:
                return _constructor.yaml_constructors[tag](_constructor, ScalarNode(tag, value))
            except Exception:  # PyYAML's constructors fail in many ways on bad text
                # An integer of thousands of digits, a date that doesn't exist, a
                # !!timestamp on a word: keep the text, which the schema then reports.
                return value
        raise _Refused("syntax", f"unsupported tag {_show_tag(tag)}", event.start_mark)

    def _truthy(self, stack: list[_Frame], word: str, mark: Any) -> None:
        if not stack:
            return
        frame = stack[-1]
        found = Word(word, mark.line + 1, mark.column + 1)
        if frame.mapping:
            if frame.key is None:
                return  # the word is a key, not a value
            self.truthy[frame.path + (frame.key,)] = found
        else:
            self.truthy[frame.path + (len(frame.value),)] = found

    def _alias(self, event: Any, stack: list[_Frame]) -> tuple[Any, int]:
        anchor = event.anchor
        if anchor in self.open_anchors:
            raise _Refused("syntax", "an alias refers to a node that contains it", event.start_mark)
        if anchor not in self.anchors:
            raise _Refused("syntax", f"found undefined alias '{anchor}'", event.start_mark)
        value, size, _, word = self.anchors[anchor]
        if word is not None:
            self._truthy(stack, word, event.start_mark)  # the word stands here too
        self.expansion += size
        if self.expansion > self.max_alias_expansion:
            raise _Refused(
                "unreadable",
                f"aliases expand to over {self.max_alias_expansion:,} extra nodes (a 'billion laughs')",
                event.start_mark,
            )
        return value, size

    def _duplicate(self, frame: _Frame, key: Any, first_line: int) -> None:
        mark = frame.key_mark
        self.repeated.append(
            RepeatedKey((*frame.path, key), key, first_line, mark.line + 1, mark.column + 1)
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
                    raise _Refused("syntax", "a merge key (<<) must refer to a mapping", mark)
                for key, item in source.items():
                    this.setdefault(key, item)
            merged.update(this)
        merged.update(frame.value)
        return merged


class _Merge:
    """The value of a ``<<`` key: the mapping(s) it names are merged in."""


class _CommentSpans:
    """Passes the events on, recording where scalars stand and where each cookie declaration
    starts and ends: a comment inside a scalar is no comment, and one directly above a
    declaration covers all of it."""

    def __init__(self, next_event: Callable[[], Any]) -> None:
        self.next_event = next_event
        self.spans: dict[int, list[tuple[int, int, int, int]]] = {}
        self.declarations: dict[int, int] = {}
        # Each open collection: [is mapping, awaiting a key, the last key, role, children].
        # A role says where the collection is: the root mapping, the cookies list, a declaration.
        self.stack: list[list[Any]] = []
        self.declaration: int | None = None  # the first line of the open declaration

    def context(self) -> CommentContext:
        return CommentContext(
            {line: tuple(spans) for line, spans in self.spans.items()}, dict(self.declarations)
        )

    def __call__(self) -> Any:
        event = self.next_event()
        kind = type(event)
        stack = self.stack
        if kind is ScalarEvent or kind is AliasEvent:
            if kind is ScalarEvent:
                start, end = event.start_mark, event.end_mark
                span = (start.line + 1, start.column + 1, end.line + 1, end.column + 1)
                for line in range(span[0], span[2] + 1):
                    self.spans.setdefault(line, []).append(span)
                # A block scalar ends at the start of the line after it.
                self._reach(max(end.line + 1 if end.column > 0 else end.line, start.line + 1))
            else:
                self._reach(event.start_mark.line + 1)
            self._child(event.value if kind is ScalarEvent else None)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            mapping = kind is MappingStartEvent
            role = None
            parent = stack[-1] if stack else None
            if parent is None:
                role = "root" if mapping else None
            elif parent[3] == "root" and not mapping and not parent[1] and parent[2] == "cookies":
                role = "cookies"
            elif parent[3] == "cookies" and mapping:
                role = "declaration"
                self.declaration = event.start_mark.line + 1
                self.declarations[self.declaration] = self.declaration
            stack.append([mapping, mapping, None, role, 0])
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            frame = stack.pop()
            if not frame[4]:  # an empty collection: its end is part of it
                self._reach(event.end_mark.line + 1)
            if frame[3] == "declaration":
                self.declaration = None
            self._child(None)
        return event

    def _reach(self, line: int) -> None:
        if self.declaration is not None and line > self.declarations[self.declaration]:
            self.declarations[self.declaration] = line

    def _child(self, text: str | None) -> None:
        if not self.stack:
            return
        frame = self.stack[-1]
        frame[4] += 1
        if frame[0]:
            if frame[1]:
                frame[2] = text
            frame[1] = not frame[1]


def _positions(text: str, wanted: set[tuple[str, bool]]) -> dict[tuple[str, bool], tuple[int, int]]:
    """One pass over the events: the positions of the wanted (pointer, key) pairs.

    A pointer that is not there gets the position of the deepest value on its way.
    """
    targets: dict[NodePath, list[tuple[str, bool]]] = {}
    prefixes: set[NodePath] = set()
    for pointer, key in wanted:
        path: NodePath = tuple(split_pointer(pointer))
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
    anchored: dict[str, str] = {}  # anchor → the text of the scalar it names: an alias key's text
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
        if kind is ScalarEvent and event.anchor is not None:
            anchored[event.anchor] = event.value
        if not stack:
            path: NodePath = ()
            key_mark = None
        else:
            top = stack[-1]
            if top[1]:  # a mapping
                if top[3] is None:  # this is a key
                    if kind is ScalarEvent:
                        top[3] = event.value
                    elif kind is AliasEvent:
                        top[3] = anchored.get(event.anchor, "")
                    else:
                        top[3] = ""
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


def _within(error: ReadError, text: str) -> ReadError:
    """The error placed on a line the text has: at the end of a text that has no final line
    break, libyaml reports the line after the last."""
    lines = LINE_BREAK.split(text)
    last = len(lines)
    if error.line <= last:
        return error
    return ReadError(error.kind, error.message, last, len(lines[-1]) + 1)


def _yaml_error(error: yaml.MarkedYAMLError) -> ReadError:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if error.problem == "exceeded maximum nesting depth":  # libyaml's own limit
        return ReadError("unreadable", "nested too deeply for the YAML parser", line, column)
    message = error.problem or "not well-formed YAML"
    if error.context and error.context_mark is not None and error.problem_mark is not None:
        message = f"{message} ({error.context} on line {error.context_mark.line + 1})"
    return ReadError("syntax", message, line, column)


def _reader_error(text: str, error: yaml.YAMLError) -> ReadError:
    position = getattr(error, "position", 0) or 0
    if _Loader is not yaml.SafeLoader:  # libyaml counts the position in UTF-8 bytes
        position = len(text.encode("utf-8")[:position].decode("utf-8", errors="ignore"))
    line, column = line_and_column(text, position)
    character = getattr(error, "character", None)
    if isinstance(character, str):
        character = ord(character)
    what = f"character #x{character:04x}" if isinstance(character, int) else "a character"
    return ReadError("syntax", f"{what} is not allowed in YAML", line, column)


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag
