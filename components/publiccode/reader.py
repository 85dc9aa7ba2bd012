"""Reading YAML safely, keeping positions.

The file is composed into nodes (which keep their line and column), every
node's tag must be one of YAML's own scalar and collection tags, and the tree
is expanded by hand with a limit on the number of nodes, so an alias bomb is
refused instead of eating the memory. Files over 1 MB are refused before they
are parsed.
"""

from dataclasses import dataclass

import yaml
from django.utils.translation import gettext_noop

from registry.i18n import Message

from .findings import ERROR, Finding, _Refused

MAX_BYTES = 1024 * 1024
# Nodes an alias may stand for, counted each time the alias is used. A real
# publiccode.yml has a few hundred nodes in all and rarely an alias; 100,000
# still stops an alias bomb (a billion laughs) at once. Without aliases the
# 1 MB limit bounds the number of nodes.
MAX_ALIASED_NODES = 100_000
MAX_DEPTH = 50


_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    _TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
_MERGE_TAG = _TAG + "merge"
_NULL_TAG = _TAG + "null"
_BOOL_TAG = _TAG + "bool"

# PyYAML's LibYAML binding composes much faster and keeps the same marks.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(eq=False)
class _Scalar:
    tag: str
    text: str
    line: int
    column: int
    plain: bool  # unquoted in the file

    @property
    def is_null(self):
        return self.tag == _NULL_TAG


@dataclass(eq=False)
class _Map:
    entries: dict  # key -> (_Scalar key node, value node)
    line: int
    column: int


@dataclass(eq=False)
class _Seq:
    items: list
    line: int
    column: int


def _position(node):
    mark = node.start_mark
    return mark.line + 1, mark.column + 1


def _join(path, key):
    return f"{path}.{key}" if path else str(key)


class _Builder:
    """Turns composed YAML nodes into _Map/_Seq/_Scalar, counting the nodes
    that aliases expand to (the composer shares them; this tree copies them)."""

    def __init__(self, findings):
        self.findings = findings
        self.seen = set()
        self.aliased = 0
        self.open = set()

    def refuse(self, node, path, message):
        line, column = _position(node)
        raise _Refused(Finding(ERROR, path, line, column, message))

    def build(self, node, path="", depth=0, aliased=False):
        aliased = aliased or id(node) in self.seen
        self.seen.add(id(node))
        if aliased:
            self.aliased += 1
            if self.aliased > MAX_ALIASED_NODES:
                self.refuse(
                    node,
                    path,
                    Message(
                        gettext_noop(
                            "aliases expand to more than %(n)s nodes (an alias bomb?); refused"
                        ),
                        n=MAX_ALIASED_NODES,
                    ),
                )
        if depth > MAX_DEPTH:
            self.refuse(
                node,
                path,
                Message(gettext_noop("nested deeper than %(n)s levels; refused"), n=MAX_DEPTH),
            )
        if node.tag not in _ALLOWED_TAGS:
            self.refuse(
                node,
                path,
                Message(
                    gettext_noop(
                        "YAML tag '%(tag)s' is not allowed: only plain strings, numbers, "
                        "booleans, dates, lists and mappings"
                    ),
                    tag=node.tag.replace(_TAG, "!!"),
                ),
            )
        line, column = _position(node)
        if isinstance(node, yaml.ScalarNode):
            return _Scalar(node.tag, node.value, line, column, node.style is None)
        if id(node) in self.open:
            self.refuse(
                node,
                path,
                Message(gettext_noop("an alias refers to a node that contains it; refused")),
            )
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                items = [
                    self.build(child, f"{path}[{i}]", depth + 1, aliased)
                    for i, child in enumerate(node.value)
                ]
                return _Seq(items, line, column)
            return self.build_mapping(node, path, depth, line, column, aliased)
        finally:
            self.open.discard(id(node))

    def build_mapping(self, node, path, depth, line, column, aliased):
        entries, merges = {}, []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merges.append(value_node)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.refuse(
                    key_node, path, Message(gettext_noop("a mapping key must be a plain string"))
                )
            key = self.build(key_node, path, depth + 1, aliased)
            child_path = _join(path, key.text)
            if key.text in entries:
                self.findings.append(
                    Finding(
                        ERROR,
                        child_path,
                        key.line,
                        key.column,
                        Message(
                            gettext_noop('mapping key "%(key)s" already defined at line %(line)s'),
                            key=key.text,
                            line=entries[key.text][0].line,
                        ),
                    )
                )
                continue
            entries[key.text] = (key, self.build(value_node, child_path, depth + 1, aliased))
        for merge_node in merges:
            sources = (
                merge_node.value if isinstance(merge_node, yaml.SequenceNode) else [merge_node]
            )
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    self.refuse(
                        source,
                        path,
                        Message(gettext_noop("a merge key (<<) must refer to a mapping")),
                    )
                merged = self.build(source, path, depth + 1, aliased)
                for key, entry in merged.entries.items():
                    entries.setdefault(key, entry)
        return _Map(entries, line, column)


_TOO_DEEP = Message(gettext_noop("nested too deeply; refused"))


def _too_large(size):
    return Message(gettext_noop("the file is larger than 1 MB (%(size)s bytes)"), size=size)


def _read(source):
    """Decode and compose the YAML; return (root node or None, findings)."""
    findings = []
    if isinstance(source, bytes | bytearray | memoryview):
        raw = bytes(source)
        if len(raw) > MAX_BYTES:
            raise _Refused(Finding(ERROR, "", None, None, _too_large(len(raw))))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            message = Message(gettext_noop("Invalid UTF-8 (byte %(n)s)"), n=exc.start + 1)
            raise _Refused(Finding(ERROR, "", line, None, message)) from None
    elif isinstance(source, str):
        text = source
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_BYTES:
            raise _Refused(Finding(ERROR, "", None, None, _too_large(size)))
    else:
        message = Message(gettext_noop("expected the text of a publiccode.yml"))
        raise _Refused(Finding(ERROR, "", None, None, message))
    text = text.removeprefix("\ufeff")
    try:
        documents = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(part for part in (exc.context, exc.problem) if part) or str(exc)
        raise _Refused(
            Finding(
                ERROR,
                "",
                mark.line + 1 if mark else None,
                mark.column + 1 if mark else None,
                Message(gettext_noop("invalid YAML: %(problem)s"), problem=message),
            )
        ) from None
    except yaml.YAMLError as exc:
        position = getattr(exc, "position", None)
        line = text.count("\n", 0, position) + 1 if isinstance(position, int) else None
        message = Message(gettext_noop("invalid YAML: %(problem)s"), problem=str(exc))
        raise _Refused(Finding(ERROR, "", line, None, message)) from None
    except RecursionError:
        raise _Refused(Finding(ERROR, "", None, None, _TOO_DEEP)) from None
    except (UnicodeError, ValueError) as exc:
        message = Message(gettext_noop("unreadable text: %(problem)s"), problem=str(exc))
        raise _Refused(Finding(ERROR, "", None, None, message)) from None
    if len(documents) > 1:
        line, column = _position(documents[1])
        raise _Refused(
            Finding(
                ERROR,
                "",
                line,
                column,
                Message(gettext_noop("multiple YAML documents in one file are not supported")),
            )
        )
    if not documents:
        return None, findings
    try:
        return _Builder(findings).build(documents[0]), findings
    except RecursionError:
        raise _Refused(Finding(ERROR, "", None, None, _TOO_DEEP)) from None


def _positions(node, path="", into=None):
    into = {} if into is None else into
    if isinstance(node, _Map):
        for key, (key_node, value) in node.entries.items():
            child = _join(path, key)
            into.setdefault(child, (key_node.line, key_node.column))
            _positions(value, child, into)
    elif isinstance(node, _Seq):
        for i, item in enumerate(node.items):
            child = f"{path}[{i}]"
            into.setdefault(child, (item.line, item.column))
            _positions(item, child, into)
    return into


def _plain(node):
    """A node as plain Python data, for keys this module does not interpret."""
    if isinstance(node, _Map):
        return {key: _plain(value) for key, (_, value) in node.entries.items()}
    if isinstance(node, _Seq):
        return [_plain(item) for item in node.items]
    if node.is_null:
        return None
    if node.tag == _BOOL_TAG:
        return node.text.lower() in ("true", "yes", "on")
    if node.tag == _TAG + "int":
        try:
            return int(node.text.replace("_", ""), 0)
        except ValueError:
            return node.text
    return node.text
