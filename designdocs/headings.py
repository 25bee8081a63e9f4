"""Which section of a design doc a heading written elsewhere belongs to.

The table of synonyms is data (`heading_synonyms.yaml`, or the file the
`DESIGNDOC_HEADING_SYNONYMS` setting names) so that operators extend it without a release.
Headings and synonyms go through the same `normalise_heading`, so the table is written in
plain words and matches `## 3. Success metrics:`, `### **III. Success Metrics**` and
`Métriques de succès` alike.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from designdocs.sections import NARRATIVE_KEYS, SECTIONS_BY_KEY

DEFAULT_TABLE_PATH = Path(__file__).with_name("heading_synonyms.yaml")

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]{0,200}>")
_EMPHASIS = re.compile(r"[*_`~]+")
_ROMAN = r"m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
# One leading numbering token: `3.`, `2.1`, `2.1.3)`, `4 `, `III.`, `iv)`, `A)`, `(b)`, `§2`.
# Roman numerals and letters need their punctuation: "I" or "A" alone may be a word.
_NUMBERING = re.compile(
    rf"^(?:\d+(?:[.\-]\d+)*[.):\-]?|(?=[ivxlcdm])(?:{_ROMAN})[.):]|[a-z][.):]|\([a-z0-9]{{1,6}}\)|§\s*\d+[.):]?)(?:\s+|$)",
    re.IGNORECASE,
)
_NOT_WORD = re.compile(r"[^\w\s]+")
#: Small words that headings add or leave out freely ("Roles & responsibilities").
_CONNECTORS = frozenset(
    {
        "a",
        "an",
        "and",
        "the",
        "of",
        "for",
        "et",
        "de",
        "des",
        "du",
        "la",
        "le",
        "les",
        "l",
        "d",
        "и",
    }
)


def normalise_heading(text: str) -> str:
    """The words of a heading that say what it is about: no numbering, emphasis, links,
    punctuation, case, accents or connecting words."""
    text = _TAG.sub(" ", _LINK.sub(r"\1", text))
    text = _EMPHASIS.sub(" ", text).strip()
    while True:
        stripped = _NUMBERING.sub("", text, count=1).strip()
        if stripped == text:
            break
        text = stripped
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    text = _NOT_WORD.sub(" ", text.replace("&", " and ").replace("+", " and "))
    return " ".join(word for word in text.split() if word not in _CONNECTORS)


@dataclass(frozen=True)
class HeadingMatch:
    #: The section the heading is about (may be a structured one, e.g. `risks`).
    section: str
    #: The narrative section its text goes to: `section` itself, or where a structured
    #: section's text is kept as Markdown.
    target: str
    synonym: str

    @property
    def kept_as_markdown(self) -> bool:
        return self.section != self.target


class SynonymTable:
    """Normalised synonym -> section, read from the YAML table."""

    def __init__(self, data: object, *, source: str = "heading synonyms") -> None:
        self.source = source
        self.by_synonym: dict[str, str] = {}
        self.kept_under: dict[str, str] = {}
        self.synonyms: dict[str, dict[str, list[str]]] = {}
        sections = data.get("sections") if isinstance(data, dict) else None
        if not isinstance(sections, dict):
            self._fail("it must hold a mapping `sections:` of section key -> synonyms")
        for key, spec in sections.items():
            section = SECTIONS_BY_KEY.get(key)
            if section is None:
                self._fail(f"unknown section “{key}” (known: {', '.join(SECTIONS_BY_KEY)})")
            if not isinstance(spec, dict):
                self._fail(f"“{key}” must map language codes to lists of synonyms")
            if section.is_rows and "kept_under" not in spec:
                self._fail(f"“{key}” holds rows: say where its text is kept (kept_under)")
            target = spec.get("kept_under", key)
            if target not in NARRATIVE_KEYS:
                self._fail(f"“{key}”: kept_under must name a narrative section, not “{target}”")
            self.kept_under[key] = target
            self.synonyms[key] = {}
            for language, words in spec.items():
                if language == "kept_under":
                    continue
                if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                    self._fail(f"“{key}.{language}” must be a list of headings")
                self.synonyms[key][str(language)] = words
                for word in words:
                    normal = normalise_heading(word)
                    if not normal:
                        self._fail(f"“{key}.{language}”: “{word}” has no words left to match")
                    other = self.by_synonym.setdefault(normal, key)
                    if other != key:
                        self._fail(f"“{word}” is a synonym of both “{other}” and “{key}”")

    def _fail(self, problem: str) -> None:
        raise ImproperlyConfigured(
            f"The heading synonym table ({self.source}) is invalid: {problem}."
        )

    def match(self, heading: str) -> HeadingMatch | None:
        """The section of `heading`: an exact synonym, else the longest synonym the heading
        starts with (whole words)."""
        normal = normalise_heading(heading)
        if not normal:
            return None
        key = self.by_synonym.get(normal)
        synonym = normal
        if key is None:
            words = normal.split()
            for length in range(len(words) - 1, 0, -1):
                synonym = " ".join(words[:length])
                key = self.by_synonym.get(synonym)
                if key is not None:
                    break
        if key is None:
            return None
        return HeadingMatch(section=key, target=self.kept_under[key], synonym=synonym)


_cache: dict[str, tuple[int, SynonymTable]] = {}


def table_path() -> Path:
    configured = getattr(settings, "DESIGNDOC_HEADING_SYNONYMS", "")
    return Path(configured) if configured else DEFAULT_TABLE_PATH


def synonym_table() -> SynonymTable:
    """The table in force, re-read when its file changes (an operator's edit applies to the
    next import without a restart)."""
    path = table_path()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as exc:
        raise ImproperlyConfigured(
            f"The heading synonym table {path} cannot be read: {exc.strerror or exc}."
        ) from None
    cached = _cache.get(str(path))
    if cached and cached[0] == stamp:
        return cached[1]
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ImproperlyConfigured(
            f"The heading synonym table {path} is not readable YAML: {exc}"
        ) from None
    table = SynonymTable(data, source=str(path))
    _cache[str(path)] = (stamp, table)
    return table
