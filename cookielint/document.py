"""From bytes to a document: the data every consumer of the file reads, plus where each part is.

The parser's node tree is kept as it is and becomes the position index: a JSON
pointer is resolved to a line and column only when a finding needs one, so a
clean file costs one parse and one walk.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cookielint.finding import Problem, join_pointer, split_pointer

DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024
DEFAULT_MAX_DEPTH = 64
# Nodes that aliases may add beyond those written in the file: enough for any
# policy that reuses a block through anchors, far too few for a "billion laughs".
DEFAULT_MAX_ALIAS_EXPANSION = 100_000

_TAG = "tag:yaml.org,2002:"
_STR, _BOOL, _MAP, _SEQ, _MERGE = (_TAG + t for t in ("str", "bool", "map", "seq", "merge"))
_SCALAR_TAGS = {_TAG + t for t in ("null", "bool", "int", "float", "timestamp", "binary")}

# YAML 1.1 reads these as booleans (PyYAML only some of them, and only in some
# spellings); a policy must say true/false, so where a boolean is expected they
# are reported, and read as YAML 1.1 would.
TRUTHY_WORDS = {"y": True, "yes": True, "on": True, "n": False, "no": False, "off": False}

try:  # libyaml makes parsing several times faster; the pure-Python parser gives the same nodes.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader, with PyYAML's resolver rewritten for speed and the same answers.

    Composing calls the resolver for every node, and its generic version (path
    resolvers, list concatenation per scalar) costs more than libyaml's parsing.
    The safe schema has no path resolvers and no wildcard implicit resolvers, so
    a lookup by first character is all there is to it.
    """

    _implicit = _BaseLoader.yaml_implicit_resolvers

    # No path resolvers to track: built-in callables that take the same arguments
    # and do nothing cost a fraction of a Python method call, once per node.
    descend_resolver = slice
    ascend_resolver = tuple

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in self._implicit.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP


_constructor = SafeConstructor()

# Where a node sits: mapping keys and list indices from the root.
NodePath = tuple[str | int, ...]


class _Refused(Exception):
    def __init__(self, code: str, message: str, node: Node | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.mark = node.start_mark if node is not None else None


class _RecursiveAlias(_Refused):
    """Found on the anchored node; reported where the alias that closes the loop stands."""


@dataclass
class Document:
    """A parsed policy file: its data and the node tree that knows every position."""

    data: Any
    root: Node | None
    truthy: dict[NodePath, str] = field(default_factory=dict)
    """Paths of plain scalars written as a YAML 1.1 truthy word, and the word as written."""

    def locate(self, pointer: str, key: bool = False) -> tuple[int, int]:
        """The 1-based line and column of the value at ``pointer`` (or of its key)."""
        node = self.root
        if node is None:
            return 1, 1
        key_node: Node | None = None
        for token in split_pointer(pointer):
            found = _child(node, token)
            if found is None:
                break
            key_node, node = found
        target = key_node if key and key_node is not None else node
        return target.start_mark.line + 1, target.start_mark.column + 1


def _child(node: Node, token: str) -> tuple[Node | None, Node] | None:
    if isinstance(node, SequenceNode):
        if token.isdigit() and int(token) < len(node.value):
            item = node.value[int(token)]
            return item, item
        return None
    if isinstance(node, MappingNode):
        merges = []
        for key_node, value_node in reversed(node.value):  # the last of duplicate keys wins
            if key_node.tag == _MERGE:
                merges.append(value_node)
            elif isinstance(key_node, ScalarNode) and key_node.value == token:
                return key_node, value_node
        for merged in reversed(merges):
            sources = merged.value if isinstance(merged, SequenceNode) else [merged]
            for source in sources:
                found = _child(source, token)
                if found is not None:
                    return found
    return None


def decode(raw: bytes, max_size: int = DEFAULT_MAX_FILE_SIZE) -> str | Problem:
    """The file's text, or the reason it can't be read as a policy (CL002)."""
    if len(raw) > max_size:
        return Problem(
            f"file is {len(raw):,} bytes, over the {max_size:,}-byte limit", code="CL002"
        )
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
    try:
        root = _first_node(loader, problems)
        builder = _Builder(problems, max_depth, max_alias_expansion, anchors="&" in text)
        data = builder.build(root, ()) if root is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return None, [_yaml_error(error, mark)]
    except RecursionError:  # only the pure-Python parser recurses; libyaml stops at depth 1000
        return None, [
            Problem(f"nested deeper than {max_depth} levels", code="CL002", line=1, column=1)
        ]
    except yaml.YAMLError as error:  # a ReaderError: a character YAML does not allow
        return None, [_reader_error(text, error)]
    except _Refused as refused:
        mark = refused.mark
        if isinstance(refused, _RecursiveAlias):
            mark = _recursive_alias_mark(text) or mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [Problem(refused.message, code=refused.code, line=line, column=column)]
    finally:
        loader.dispose()
    return Document(data, root, builder.truthy), problems


def _first_node(loader: Any, problems: list[Problem]) -> Node | None:
    if not loader.check_node():
        return None
    root = loader.get_node()
    if not loader.check_event(yaml.StreamEndEvent):
        mark = loader.peek_event().start_mark
        problems.append(
            Problem(
                "file holds more than one YAML document; only the first is checked",
                code="CL002",
                line=mark.line + 1,
                column=mark.column + 1,
            )
        )
    return root


def _recursive_alias_mark(text: str) -> Any:
    """Where the first alias stands that refers to a collection it is inside of."""
    open_anchors: list[str | None] = []
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            open_anchors.append(event.anchor)
        elif isinstance(event, yaml.CollectionEndEvent):
            open_anchors.pop()
        elif isinstance(event, yaml.AliasEvent) and event.anchor in open_anchors:
            return event.start_mark
    return None


def _yaml_error(error: yaml.MarkedYAMLError, mark: Any) -> Problem:
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if error.problem == "exceeded maximum nesting depth":  # libyaml's own limit
        return Problem(
            "nested too deeply for the YAML parser", code="CL002", line=line, column=column
        )
    message = error.problem or "not well-formed YAML"
    if error.context and error.context_mark is not None and error.problem_mark is not None:
        message = f"{message} ({error.context} on line {error.context_mark.line + 1})"
    return Problem(message, code="CL001", line=line, column=column)


# YAML (and libyaml's marks) break lines at CR, LF, CRLF, and the Unicode NEL, LS and PS.
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def line_and_column(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of the character at ``index``, counted as YAML counts them."""
    line, start = 1, 0
    for match in LINE_BREAK.finditer(text, 0, index):
        line, start = line + 1, match.end()
    return line, index - start + 1


def _reader_error(text: str, error: yaml.YAMLError) -> Problem:
    position = getattr(error, "position", 0) or 0
    if _BaseLoader is not yaml.SafeLoader:  # libyaml counts the position in UTF-8 bytes
        position = len(text.encode("utf-8")[:position].decode("utf-8", errors="ignore"))
    line, column = line_and_column(text, position)
    character = getattr(error, "character", None)
    if isinstance(character, str):
        character = ord(character)
    what = f"character #x{character:04x}" if isinstance(character, int) else "a character"
    return Problem(f"{what} is not allowed in YAML", code="CL001", line=line, column=column)


class _Builder:
    """Turns nodes into plain data, as a YAML 1.1 safe loader would, guarding against abuse.

    Plain strings, nearly every node of a policy, are handled inline: this walk
    is on the path of every file checked.
    """

    def __init__(
        self, problems: list[Problem], max_depth: int, max_alias_expansion: int, anchors: bool
    ) -> None:
        self.problems = problems
        self.max_depth = max_depth
        self.max_alias_expansion = max_alias_expansion
        self.truthy: dict[NodePath, str] = {}
        # Without anchors there are no aliases: no node is met twice, and nothing to track.
        self.anchors = anchors
        self._built: dict[int, Any] = {}
        self._building: set[int] = set()
        self._sizes: dict[int, int] = {}
        self._expansion = 0

    def build(self, node: Node, path: NodePath) -> Any:
        return self._node(node, path, 0)

    def _node(self, node: Node, path: NodePath, depth: int) -> Any:
        if type(node) is ScalarNode:
            return self._scalar(node, path)
        if not self.anchors:
            return self._collection(node, path, depth)
        ident = id(node)
        if ident in self._built:  # an alias: the same node met again
            self._expansion += self._size(node)
            if self._expansion > self.max_alias_expansion:
                raise _Refused(
                    "CL002",
                    f"aliases expand to over {self.max_alias_expansion:,} extra nodes (a 'billion laughs')",
                    node,
                )
            return self._built[ident]
        if ident in self._building:
            raise _RecursiveAlias("CL001", "an alias refers to a node that contains it", node)
        self._building.add(ident)
        result = self._built[ident] = self._collection(node, path, depth)
        self._building.discard(ident)
        return result

    def _size(self, node: Node) -> int:
        """How many nodes ``node`` stands for, aliases expanded."""
        ident = id(node)
        size = self._sizes.get(ident)
        if size is None:
            if type(node) is ScalarNode:
                return 1
            children = (
                node.value
                if type(node) is SequenceNode
                else [n for pair in node.value for n in pair]
            )
            size = self._sizes[ident] = 1 + sum(self._size(child) for child in children)
        return size

    def _collection(self, node: Node, path: NodePath, depth: int) -> Any:
        if depth >= self.max_depth:
            raise _Refused("CL002", f"nested deeper than {self.max_depth} levels", node)
        if type(node) is MappingNode and node.tag == _MAP:
            return self._mapping(node, path, depth + 1)
        if type(node) is SequenceNode and node.tag == _SEQ:
            return [
                self._node(child, (*path, index), depth + 1)
                for index, child in enumerate(node.value)
            ]
        raise _Refused("CL001", f"unsupported tag {_show_tag(node.tag)}", node)

    def _scalar(self, node: ScalarNode, path: NodePath) -> Any:
        tag = node.tag
        # Plain scalars have no style (None from PyYAML's parser, "" from libyaml's).
        if tag == _STR:
            value = node.value
            if not node.style and len(value) <= 3 and value.lower() in TRUTHY_WORDS:
                self.truthy[path] = value
            return value
        if tag in _SCALAR_TAGS:
            if tag == _BOOL and not node.style and node.value.lower() in TRUTHY_WORDS:
                self.truthy[path] = node.value
            try:
                return _constructor.yaml_constructors[tag](_constructor, node)
            except (ValueError, OverflowError, yaml.YAMLError):
                # An integer of thousands of digits, a date that doesn't exist: keep the
                # text, which the schema then reports for the field it stands in.
                return node.value
        raise _Refused("CL001", f"unsupported tag {_show_tag(tag)}", node)

    def _mapping(self, node: MappingNode, path: NodePath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merged: dict[str, Any] | None = None
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode:
                raise _Refused(
                    "CL003", "a key must be a plain scalar, not a list or mapping", key_node
                )
            if key_node.tag == _MERGE:
                merged = merged if merged is not None else {}
                self._merge(value_node, path, depth, merged)
                continue
            key = key_node.value
            if type(value_node) is ScalarNode and value_node.tag == _STR:
                value = value_node.value
                if not value_node.style and len(value) <= 3 and value.lower() in TRUTHY_WORDS:
                    self.truthy[(*path, key)] = value
            else:
                value = self._node(value_node, (*path, key), depth)
            if key in result:
                self._duplicate(node, key_node, path)
            result[key] = value  # the last of duplicate keys wins, as in every YAML loader
        if merged:
            merged.update(result)
            return merged
        return result

    def _duplicate(self, mapping: MappingNode, again: Node, path: NodePath) -> None:
        first = next(
            k for k, _ in mapping.value if type(k) is ScalarNode and k.value == again.value
        )
        self.problems.append(
            Problem(
                f"duplicate key '{again.value}' (first on line {first.start_mark.line + 1}); "
                "the last value is the one read",
                pointer=join_pointer(*path, again.value),
                key=True,
                code="CL004",
                line=again.start_mark.line + 1,
                column=again.start_mark.column + 1,
            )
        )

    def _merge(self, node: Node, path: NodePath, depth: int, into: dict[str, Any]) -> None:
        sources = node.value if type(node) is SequenceNode else [node]
        for source in sources:
            if type(source) is not MappingNode:
                raise _Refused("CL001", "a merge key (<<) must refer to a mapping", source)
            for key, item in self._node(source, path, depth).items():
                into.setdefault(key, item)  # the first source that has a key wins


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag
