"""Architecture diagrams: uploaded PNG or SVG, checked before anything is stored.

PNG: the file signature and a size cap. SVG: parsed with defusedxml (no entities, no
external DTDs), then rebuilt from an allowlist of elements and attributes, so that no
script, event handler, foreignObject, external reference (href other than a same-document
`#fragment`, `url()` pointing elsewhere in style) survives. What cannot be parsed is
refused, never guessed at.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.conf import settings
from django.core.files.base import ContentFile

from registry.core.errors import DomainError

MAX_DIAGRAM_BYTES = getattr(settings, "CATALOGUE_MAX_DIAGRAM_BYTES", 2 * 1024 * 1024)
MAX_SVG_ELEMENTS = 20_000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

ELEMENTS = frozenset(
    [
        "svg",
        "g",
        "defs",
        "title",
        "desc",
        "symbol",
        "use",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "textPath",
        "linearGradient",
        "radialGradient",
        "stop",
        "marker",
        "clipPath",
        "mask",
        "pattern",
        "style",
        "image",
    ]
)
ATTRIBUTES = frozenset(
    [
        "id",
        "class",
        "viewBox",
        "width",
        "height",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "d",
        "points",
        "transform",
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-miterlimit",
        "opacity",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "text-anchor",
        "dominant-baseline",
        "alignment-baseline",
        "letter-spacing",
        "offset",
        "stop-color",
        "stop-opacity",
        "gradientUnits",
        "gradientTransform",
        "spreadMethod",
        "fx",
        "fy",
        "markerWidth",
        "markerHeight",
        "markerUnits",
        "refX",
        "refY",
        "orient",
        "preserveAspectRatio",
        "clip-path",
        "clip-rule",
        "mask",
        "patternUnits",
        "patternContentUnits",
        "dx",
        "dy",
        "rotate",
        "textLength",
        "lengthAdjust",
        "visibility",
        "display",
        "color",
        "style",
        "version",
        "href",
    ]
)
_URL_RE = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_BAD_CSS = re.compile(r"@import|expression\s*\(|javascript:|behavior\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class CheckedDiagram:
    name: str
    format: str  # "png" or "svg"
    content: ContentFile


def _read(upload) -> bytes:
    if isinstance(upload, (bytes, bytearray)):
        data = bytes(upload)
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > MAX_DIAGRAM_BYTES:
            raise DomainError(_too_big(size), field="diagram")
        data = upload.read(MAX_DIAGRAM_BYTES + 1)
    if len(data) > MAX_DIAGRAM_BYTES:
        raise DomainError(_too_big(len(data)), field="diagram")
    if not data:
        raise DomainError("The diagram file is empty.", field="diagram")
    return data


def _too_big(size: int) -> str:
    return (
        f"The diagram is at most {MAX_DIAGRAM_BYTES // 1024} KB (this file has {size // 1024} KB)."
    )


def checked_diagram(upload) -> CheckedDiagram:
    """The upload as a stored file: a PNG as it is, an SVG sanitised. Refused (field
    `diagram`) when it is neither, too large or unparseable."""
    data = _read(upload)
    stem = uuid.uuid4().hex
    if data.startswith(PNG_SIGNATURE):
        return CheckedDiagram(f"{stem}.png", "png", ContentFile(data))
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml") or head.startswith(b"<svg") or head.startswith(b"<!--"):
        return CheckedDiagram(f"{stem}.svg", "svg", ContentFile(sanitise_svg(data)))
    raise DomainError("The diagram must be a PNG or an SVG image.", field="diagram")


def _local(name: str) -> tuple[str, str]:
    if name.startswith("{"):
        ns, _, local = name[1:].partition("}")
        return ns, local
    return "", name


def _safe_style(value: str) -> str | None:
    if _BAD_CSS.search(value):
        return None
    for match in _URL_RE.finditer(value):
        if not match.group(2).strip().startswith("#"):
            return None
    return value


def sanitise_svg(data: bytes) -> bytes:
    """The SVG rebuilt from the allowlist. Raises DomainError(field="diagram")."""
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ET.ParseError, DefusedXmlException, ValueError) as exc:
        raise DomainError(f"The SVG diagram cannot be read: {exc}.", field="diagram") from None
    ns, local = _local(root.tag)
    if local != "svg" or ns not in ("", SVG_NS):
        raise DomainError("The diagram is not an SVG image (no <svg> root).", field="diagram")
    count = sum(1 for _ in root.iter())
    if count > MAX_SVG_ELEMENTS:
        raise DomainError(
            f"The SVG has {count} elements; at most {MAX_SVG_ELEMENTS}.", field="diagram"
        )
    clean_root = _clean(root)
    clean_root.set("xmlns", SVG_NS)
    text = ET.tostring(clean_root, encoding="unicode", short_empty_elements=True)
    return text.encode("utf-8")


def _clean(element) -> ET.Element:
    _, tag = _local(element.tag)
    out = ET.Element(tag)
    for name, value in element.attrib.items():
        ns, attr = _local(name)
        if ns not in ("", XLINK_NS) or attr not in ATTRIBUTES or attr.lower().startswith("on"):
            continue
        if attr == "href":
            if not value.strip().startswith("#"):
                continue
            out.set("href", value.strip())
            continue
        if "url(" in value.lower() or attr == "style":
            value = _safe_style(value)
            if value is None:
                continue
        out.set(attr, value)
    if tag == "style" and element.text:
        safe = _safe_style(element.text)
        out.text = safe or ""
    else:
        out.text = element.text
    for child in element:
        if not isinstance(child.tag, str):
            continue  # comments, processing instructions
        _, child_tag = _local(child.tag)
        child_ns, _ = _local(child.tag)
        if child_tag in ELEMENTS and child_ns in ("", SVG_NS):
            cleaned = _clean(child)
            cleaned.tail = child.tail
            out.append(cleaned)
    return out
