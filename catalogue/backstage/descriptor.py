"""Reading and checking Backstage descriptors (catalog-info.yaml), as Backstage's own
catalog does: the entity envelope, name and namespace rules, per-kind required fields,
entity references. Pure: no database.

YAML is read with the safe loader, bounded: file size, expanded node count (aliases
included, so no "billion laughs"), nesting depth. Every document keeps the line of its
start and of its keys (YAML node marks) so that errors point at a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
MAX_ALIASES = 100
MAX_DOCUMENTS = 5_000

API_VERSIONS = ("backstage.io/v1alpha1", "backstage.io/v1beta1")
#: kind (lower case) -> its spelling in descriptors
IMPORTED_KINDS = {
    "component": "Component",
    "api": "API",
    "resource": "Resource",
    "system": "System",
    "domain": "Domain",
    "group": "Group",
    "user": "User",
}
#: Kinds Backstage knows that the registry does not import (reported as skipped).
SKIPPED_KINDS = {
    "location": "a Location points at other descriptor files: import those files instead",
    "template": "a Template is a scaffolder form, not a catalogue entry",
}
#: kind -> spec fields Backstage requires (text unless listed in LIST_FIELDS).
REQUIRED_SPEC = {
    "component": ("type", "lifecycle", "owner"),
    "api": ("type", "lifecycle", "owner", "definition"),
    "resource": ("type", "owner"),
    "system": ("owner",),
    "domain": ("owner",),
    "group": ("type", "children"),
    "user": ("memberOf",),
}
LIST_FIELDS = frozenset(
    {"children", "memberOf", "members", "dependsOn", "dependencyOf", "providesApis",
     "consumesApis"}
)  # fmt: skip
TEXT_FIELDS = frozenset(
    {"type", "lifecycle", "owner", "system", "domain", "subdomainOf", "subcomponentOf", "parent"}
)

NAME_RE = re.compile(r"^[a-zA-Z0-9]+([-_.][a-zA-Z0-9]+)*$")
NAMESPACE_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TAG_RE = re.compile(r"^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$")
LABEL_VALUE_RE = re.compile(r"^([a-zA-Z0-9]+([-_.][a-zA-Z0-9]+)*)?$")
KEY_PREFIX_RE = re.compile(r"^[a-z0-9]+([-.][a-z0-9]+)*$")
MAX_NAME = 63


class DescriptorError(Exception):
    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Document:
    index: int  # 1-based, as a person counts the documents of the file
    line: int  # line of the document's first node, 1-based
    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)

    def line_of(self, *path: str) -> int:
        """The line of the deepest known key on `path` (the document's start if none)."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(tuple(path[:end]))
            if line:
                return line
        return self.line


class _BoundedLoader(yaml.SafeLoader):
    def __init__(self, stream) -> None:
        super().__init__(stream)
        self.alias_count = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self.alias_count += 1
            if self.alias_count > MAX_ALIASES:
                event = self.peek_event()
                raise DescriptorError(
                    f"More than {MAX_ALIASES} YAML aliases: refused.",
                    line=event.start_mark.line + 1,
                )
        return super().compose_node(parent, index)


def _expanded_size(node: Node, memo: dict[int, int]) -> int:
    known = memo.get(id(node))
    if known is not None:
        return known
    memo[id(node)] = MAX_NODES + 1  # a node reached through itself (recursive alias)
    if isinstance(node, MappingNode):
        size = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    elif isinstance(node, SequenceNode):
        size = 1 + sum(_expanded_size(v, memo) for v in node.value)
    else:
        size = 1
    size = min(size, MAX_NODES + 1)
    memo[id(node)] = size
    return size


def _key_lines(node: Node, prefix: tuple, lines: dict[tuple, int], depth: int = 0) -> None:
    if depth > 3 or not isinstance(node, MappingNode):
        return
    for key, value in node.value:
        if isinstance(key, ScalarNode):
            path = (*prefix, str(key.value))
            lines.setdefault(path, key.start_mark.line + 1)
            _key_lines(value, path, lines, depth + 1)


def read_documents(data: bytes | str) -> list[Document]:
    """The YAML documents of one file, empty documents left out. Raises DescriptorError
    (with the line) for a file that is not readable YAML at all."""
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise DescriptorError(f"The file is larger than {MAX_FILE_BYTES // 1024} KB.")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DescriptorError(f"The file is not UTF-8 text (byte {exc.start}).") from None
    else:
        text = data
    if "\x00" in text:
        raise DescriptorError("The file holds a NUL character.")
    loader = _BoundedLoader(text)
    documents = []
    index = 0
    try:
        while loader.check_node():
            node = loader.get_node()
            index += 1
            if index > MAX_DOCUMENTS:
                raise DescriptorError(f"More than {MAX_DOCUMENTS} documents in one file.")
            if node is None:
                continue
            if _expanded_size(node, {}) > MAX_NODES:
                raise DescriptorError(
                    f"Document {index} expands to more than {MAX_NODES} YAML nodes: refused.",
                    line=node.start_mark.line + 1,
                )
            value = loader.construct_document(node)
            if value is None:
                continue  # an empty document (a trailing ---)
            lines: dict[tuple, int] = {}
            _key_lines(node, (), lines)
            documents.append(Document(index, node.start_mark.line + 1, value, lines))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise DescriptorError(f"Not valid YAML: {exc.problem or exc}", line=line) from None
    except yaml.YAMLError as exc:
        raise DescriptorError(f"Not valid YAML: {exc}") from None
    except RecursionError:
        raise DescriptorError("The YAML is nested too deeply.") from None
    finally:
        loader.dispose()
    return documents


# --- entity references ----------------------------------------------------------------------


@dataclass(frozen=True)
class EntityRef:
    kind: str  # lower case
    namespace: str
    name: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.namespace}/{self.name}".lower()


def parse_ref(value: Any, *, default_kind: str, default_namespace: str = "default") -> EntityRef:
    """`kind:namespace/name`, `kind:name`, `namespace/name` or `name`, as Backstage reads
    them. Raises ValueError with a sentence for anything else."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("an entity reference must be non-empty text")
    text = value.strip()
    kind, sep, rest = text.partition(":")
    if not sep:
        kind, rest = default_kind, text
    namespace, sep, name = rest.partition("/")
    if not sep:
        namespace, name = default_namespace, rest
    if not kind or not re.match(r"^[a-zA-Z][a-zA-Z0-9]*$", kind):
        raise ValueError(f"“{text}” names no valid kind")
    if not NAMESPACE_RE.match(namespace.lower()) or len(namespace) > MAX_NAME:
        raise ValueError(f"“{text}” has an invalid namespace")
    if not NAME_RE.match(name) or len(name) > MAX_NAME:
        raise ValueError(f"“{text}” has an invalid name")
    return EntityRef(kind.lower(), namespace.lower(), name.lower())


# --- the envelope -------------------------------------------------------------------------


@dataclass
class Entity:
    document: Document
    kind: str  # lower case
    api_version: str
    namespace: str
    name: str  # as written
    metadata: dict[str, Any]
    spec: dict[str, Any]

    @property
    def ref(self) -> EntityRef:
        return EntityRef(self.kind, self.namespace, self.name.lower())


class Rejected(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class Skipped(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _check_key(key: Any) -> bool:
    if not isinstance(key, str) or not key:
        return False
    prefix, sep, name = key.rpartition("/")
    if sep and (not prefix or len(prefix) > 253 or not KEY_PREFIX_RE.match(prefix)):
        return False
    return bool(NAME_RE.match(name)) and len(name) <= MAX_NAME


def check_entity(document: Document) -> Entity:
    """The document as a valid entity, or Rejected / Skipped with a sentence and a line."""
    data = document.data
    at = document.line_of
    if not isinstance(data, dict):
        raise Rejected("A document must be a mapping (apiVersion, kind, metadata, spec).", at())
    kind = data.get("kind")
    if not isinstance(kind, str) or not kind.strip():
        raise Rejected("kind is required and must be non-empty text.", at("kind"))
    kind_key = kind.strip().lower()
    if kind_key in SKIPPED_KINDS:
        raise Skipped(f"{kind} not imported: {SKIPPED_KINDS[kind_key]}.", at("kind"))
    if kind_key not in IMPORTED_KINDS:
        raise Rejected(
            f"Unknown kind “{kind}”: the importer reads {', '.join(IMPORTED_KINDS.values())}.",
            at("kind"),
        )
    api_version = data.get("apiVersion")
    if api_version not in API_VERSIONS:
        raise Rejected(
            f"apiVersion must be {' or '.join(API_VERSIONS)} for {kind} (not {api_version!r}).",
            at("apiVersion"),
        )
    metadata = data.get("metadata")
    if not isinstance(metadata, dict):
        raise Rejected("metadata is required and must be a mapping.", at("metadata"))
    name = metadata.get("name")
    if not isinstance(name, str) or not name:
        raise Rejected("metadata.name is required.", at("metadata", "name"))
    if len(name) > MAX_NAME or not NAME_RE.match(name):
        raise Rejected(
            f"metadata.name “{name[:80]}” is invalid: 1 to {MAX_NAME} characters, letters and "
            "digits separated by single - _ or .",
            at("metadata", "name"),
        )
    namespace = metadata.get("namespace", "default")
    if (
        not isinstance(namespace, str)
        or len(namespace) > MAX_NAME
        or not NAMESPACE_RE.match(namespace)
    ):
        raise Rejected(
            f"metadata.namespace {namespace!r} is invalid: lower-case letters and digits "
            "separated by single hyphens, at most 63 characters.",
            at("metadata", "namespace"),
        )
    for text_field in ("title", "description"):
        if text_field in metadata and not isinstance(metadata[text_field], str):
            raise Rejected(f"metadata.{text_field} must be text.", at("metadata", text_field))
    for map_field in ("labels", "annotations"):
        value = metadata.get(map_field, {})
        if not isinstance(value, dict):
            raise Rejected(f"metadata.{map_field} must be a mapping.", at("metadata", map_field))
        for key, item in value.items():
            if not _check_key(key):
                raise Rejected(
                    f"metadata.{map_field} key {key!r} is invalid (an optional prefix/, then "
                    "letters and digits separated by - _ .).",
                    at("metadata", map_field, str(key)),
                )
            if not isinstance(item, str):
                raise Rejected(
                    f"metadata.{map_field}.{key} must be text.",
                    at("metadata", map_field, str(key)),
                )
            if map_field == "labels" and (len(item) > MAX_NAME or not LABEL_VALUE_RE.match(item)):
                raise Rejected(
                    f"metadata.labels.{key} value {item!r} is invalid (letters and digits "
                    "separated by - _ ., at most 63).",
                    at("metadata", "labels", str(key)),
                )
    tags = metadata.get("tags", [])
    if not isinstance(tags, list):
        raise Rejected("metadata.tags must be a list.", at("metadata", "tags"))
    for tag in tags:
        if not isinstance(tag, str) or len(tag) > MAX_NAME or not TAG_RE.match(tag):
            raise Rejected(
                f"Tag {tag!r} is invalid: lower-case letters, digits and : + # in words "
                "joined by -, at most 63 characters.",
                at("metadata", "tags"),
            )
    links = metadata.get("links", [])
    if not isinstance(links, list):
        raise Rejected("metadata.links must be a list.", at("metadata", "links"))
    for number, link in enumerate(links, start=1):
        if not isinstance(link, dict) or not isinstance(link.get("url"), str) or not link["url"]:
            raise Rejected(f"metadata.links item {number} needs a url.", at("metadata", "links"))
        for key in ("title", "icon", "type"):
            if key in link and not isinstance(link[key], str):
                raise Rejected(
                    f"metadata.links item {number}: {key} must be text.", at("metadata", "links")
                )
    spec = data.get("spec", {})
    if not isinstance(spec, dict):
        raise Rejected("spec must be a mapping.", at("spec"))
    for required in REQUIRED_SPEC[kind_key]:
        value = spec.get(required)
        if required in LIST_FIELDS:
            if not isinstance(value, list):
                raise Rejected(
                    f"spec.{required} is required for {kind} and must be a list (it may be empty).",
                    at("spec", required),
                )
        elif required == "definition":
            if not (isinstance(value, str) and value) and not _is_substitution(value):
                raise Rejected(
                    "spec.definition is required for an API: the definition text or a "
                    "substitution such as {$text: <url>}.",
                    at("spec", required),
                )
        elif not isinstance(value, str) or not value.strip():
            raise Rejected(
                f"spec.{required} is required for {kind} and must be non-empty text.",
                at("spec", required),
            )
    for key, value in spec.items():
        if key in LIST_FIELDS and not (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            raise Rejected(f"spec.{key} must be a list of entity references.", at("spec", key))
        if key in TEXT_FIELDS and not isinstance(value, str):
            raise Rejected(f"spec.{key} must be text.", at("spec", key))
    if kind_key == "user" and "profile" in spec and not isinstance(spec["profile"], dict):
        raise Rejected("spec.profile must be a mapping.", at("spec", "profile"))
    if kind_key == "group" and "profile" in spec and not isinstance(spec["profile"], dict):
        raise Rejected("spec.profile must be a mapping.", at("spec", "profile"))
    return Entity(document, kind_key, api_version, namespace, name, metadata, spec)


def _is_substitution(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and len(value) == 1
        and isinstance(next(iter(value)), str)
        and next(iter(value)).startswith("$")
    )
