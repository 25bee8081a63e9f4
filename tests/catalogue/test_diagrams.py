"""Diagram uploads: PNG by signature, SVG rebuilt from an allowlist."""

import pytest

from catalogue.diagrams import MAX_DIAGRAM_BYTES, PNG_SIGNATURE, checked_diagram, sanitise_svg
from registry.core.errors import DomainError

HOSTILE_SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)" viewBox="0 0 10 10">
  <script>alert(1)</script>
  <foreignObject><div>x</div></foreignObject>
  <a href="https://evil.example/"><rect width="5" height="5"/></a>
  <use xlink:href="https://evil.example/sprite.svg#x"/>
  <use href="#local"/>
  <rect id="local" width="1" height="1" style="fill: url(https://evil.example/p.png)" onclick="x()"/>
  <circle r="2" fill="url(#grad)"/>
  <style>@import url(https://evil.example/x.css);</style>
</svg>"""


def test_svg_loses_scripts_handlers_and_external_references():
    clean = sanitise_svg(HOSTILE_SVG).decode()
    for bad in ("script", "alert", "foreignObject", "onload", "onclick", "evil.example", "@import"):
        assert bad not in clean, bad
    assert 'href="#local"' in clean
    assert 'fill="url(#grad)"' in clean


@pytest.mark.parametrize(
    "data",
    [
        b"<svg><unclosed></svg>",
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>',
        b"<html><body/></html>",
    ],
)
def test_unparseable_or_non_svg_is_refused(data):
    with pytest.raises(DomainError) as caught:
        checked_diagram(data)
    assert caught.value.field == "diagram"


def test_png_is_kept_by_signature_and_other_bytes_refused():
    assert checked_diagram(PNG_SIGNATURE + b"\x00" * 20).format == "png"
    with pytest.raises(DomainError, match="PNG or an SVG"):
        checked_diagram(b"GIF89a....")


def test_oversized_diagram_is_refused():
    with pytest.raises(DomainError, match="at most"):
        checked_diagram(PNG_SIGNATURE + b"\x00" * MAX_DIAGRAM_BYTES)
