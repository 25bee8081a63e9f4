"""Design docs in the shape of public templates, written by the tests themselves.

Each generator returns a `ForeignDoc`: the Markdown text, and for every paragraph (a
uniquely tagged prose paragraph, list or table) the section it must land in, so that a
test can prove every paragraph is in exactly one section of the imported document. The
shapes follow eugeneyan's ml-design-docs template (numbered `##`/`###` headings) and the
MLSystemDesign basic template (Roman numerals, bold headings), plus a French design doc;
the text is the tests' own, mixing English, accented French and German, and Cyrillic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

SENTENCES = (
    "Stores over-order fresh produce before long weekends, and waste grows with every promotion.",
    "Les magasins commandent trop de produits frais ; le gaspillage coûte cher à l'entreprise.",
    "Прогноз спроса обновляется каждую ночь для каждого магазина и каждого товара.",
    "Die Qualität der Daten schwankt je nach Filiale, besonders nach Feiertagen.",
    "Latency above 200 ms at the 99th percentile blocks the ordering run at 04:00.",
    "Éviter les ruptures de stock reste prioritaire : l'équipe préfère un léger surstock.",
    "Модель обучается на данных за два года, включая погоду и календарь акций.",
    "We retrain weekly; a drift alarm pages the on-call engineer within fifteen minutes.",
    "Señales de temporada y días festivos cambian la demanda más de lo que creemos.",
    "Чувствительные данные клиентов псевдонимизируются до попадания в хранилище.",
)


@dataclass
class ForeignDoc:
    text: str = ""
    #: paragraph text -> the section it must land in
    expected: dict[str, str] = field(default_factory=dict)
    #: heading text (as written) -> the section its text goes to
    headings: dict[str, str] = field(default_factory=dict)
    title: str = ""

    @property
    def size(self) -> int:
        return len(self.text.encode("utf-8"))


class Writer:
    """Builds a document a heading at a time, each with several tagged paragraphs."""

    def __init__(self, seed: int, paragraphs_per_heading: int) -> None:
        self.rng = random.Random(seed)
        self.per_heading = paragraphs_per_heading
        self.doc = ForeignDoc()
        self.lines: list[str] = []
        self.count = 0

    def _paragraph(self, kind: str) -> str:
        self.count += 1
        tag = f"[P{self.count:04d}]"
        if kind == "list":
            first, *rest = self.rng.sample(SENTENCES, 3)
            return "\n".join([f"- {tag} {first}", *(f"- {s}" for s in rest)])
        if kind == "table":
            return (
                f"| Metric {tag} | Baseline | Target |\n"
                "|:--|--:|--:|\n"
                "| Waste — déchets | 9 % | 6 % |\n"
                "| Доля наличия | 94 % | 97 % |"
            )
        body = " ".join(self.rng.choice(SENTENCES) for _ in range(self.rng.randint(3, 6)))
        return f"{tag} {body}"

    def text(self, section: str, kinds: tuple[str, ...] = ()) -> None:
        kinds = kinds or tuple(
            self.rng.choice(("prose", "prose", "prose", "list")) for _ in range(self.per_heading)
        )
        for kind in kinds:
            paragraph = self._paragraph(kind)
            self.doc.expected[paragraph] = section
            self.lines += [paragraph, ""]

    def heading(self, line: str, section: str, kinds: tuple[str, ...] = ()) -> None:
        self.lines += [line, ""]
        self.doc.headings[line] = section
        self.text(section, kinds)

    def finish(self, title: str) -> ForeignDoc:
        self.doc.text = "\n".join(self.lines)
        self.doc.title = title
        return self.doc


def eugeneyan_shaped(*, seed: int = 1, paragraphs: int = 6) -> ForeignDoc:
    """Overview, Motivation, Success metrics, Requirements & constraints, Methodology,
    Implementation (with its nine subsections), Appendix; numbered like the template."""
    w = Writer(seed, paragraphs)
    title = "Prévision de la demande — магазины"
    w.lines += [f"# {title}", ""]
    w.text("problem_statement", ("prose",))  # the opening, under the title
    w.heading("## 1. Overview", "problem_statement")
    w.heading("## 2. Motivation", "problem_statement")
    w.heading("## 3. Success metrics", "business_value", ("prose", "table", "prose"))
    w.heading("## 4. Requirements & Constraints", "deployment_constraints")
    w.heading("### 4.1 What's in-scope & out-of-scope?", "deployment_constraints")
    w.heading("## 5. Methodology", "architecture", ("prose",))
    w.heading("### 5.1. Problem statement", "problem_statement")
    w.heading("### 5.2. Data", "data", ("prose", "table", "list"))
    w.heading("### 5.3. Techniques", "architecture")
    w.heading("### 5.4. Experimentation & Validation", "architecture")
    w.heading("### 5.5. Human-in-the-loop", "architecture")
    w.heading("## 6. Implementation", "architecture", ("prose",))
    w.heading("### 6.1. High-level design", "architecture")
    w.lines += [
        "```text",
        "# not a heading: a comment in a diagram",
        "store -> forecast",
        "```",
        "",
    ]
    w.heading("### 6.2. Infra", "deployment_constraints")
    w.heading("### 6.3. Performance (Throughput, Latency)", "deployment_constraints")
    w.heading("### 6.4. Security", "deployment_constraints")
    w.heading("### 6.5. Data privacy", "data")
    w.heading("### 6.6. Monitoring & Alarms", "deployment_constraints", ("table", "prose"))
    w.heading("### 6.7. Cost", "deployment_constraints")
    w.heading("### 6.8. Integration points", "architecture")
    w.heading("### 6.9. Risks & Uncertainties", "other_notes", ("table", "prose"))
    w.heading("## 7. Appendix", "other_notes", ("prose",))
    w.heading("### 7.1. Alternatives", "alternatives")
    w.heading("### 7.2. Experiment Results", "other_notes", ("table", "prose"))
    w.heading("## Zebra crossings near the Савёловская store", "other_notes")
    return w.finish(title)


def mlsystemdesign_shaped(*, seed: int = 2, paragraphs: int = 6) -> ForeignDoc:
    """A subtitle, an executive summary, then Roman-numbered bold parts with lower-case
    Roman subparts."""
    w = Writer(seed, paragraphs)
    title = "Machine Learning System Design Document: fraud scoring"
    w.lines += [f"# {title}", ""]
    # A subtitle matching no section: it and the unmatched parts under it go to Other notes.
    w.heading("## Версия 2.1 — карточное мошенничество", "other_notes", ("prose",))
    w.heading("### Executive Summary", "problem_statement", ("list",))
    w.heading("### **I. Problem definition**", "problem_statement", ("prose",))
    w.heading("#### i. Origin", "problem_statement")
    w.heading("#### ii. Relevance & Reasons", "business_value")
    w.heading("#### iii. Previous Work", "alternatives")
    w.heading("### **II. Data Analysis**", "data", ("prose",))
    w.heading("#### i. Data Sources", "data", ("table", "prose"))
    w.heading("#### ii. Data Pipeline", "data")
    w.heading("### **III. ML System Design**", "architecture", ("prose",))
    w.heading("#### i. Model Selection", "architecture")
    w.heading("#### ii. Training Pipeline", "architecture")
    w.heading("#### iii. Inference Pipeline", "architecture")
    w.heading("### **IV. Evaluation & Metrics**", "business_value", ("prose",))
    w.heading("#### i. Success Metrics", "business_value", ("table", "prose"))
    w.heading("#### ii. A/B Testing Strategy", "business_value")
    w.heading("### **V. System Architecture**", "architecture", ("prose",))
    w.heading("#### i. Infrastructure", "deployment_constraints")
    w.heading("#### ii. Monitoring & Maintenance", "deployment_constraints")
    w.heading("### **VI. Timeline & Resources**", "deployment_constraints")
    w.heading("#### i. Project Timeline", "deployment_constraints")
    w.heading("### **VII. Риски и ограничения**", "other_notes", ("table", "prose"))
    w.heading("### **VIII. Команда проекта**", "other_notes")
    return w.finish(title)


def french_design_doc(*, seed: int = 3, paragraphs: int = 3) -> ForeignDoc:
    """A design doc written in French, in the shape of a classic design-doc template
    (context, goals, design, alternatives), with a setext title."""
    w = Writer(seed, paragraphs)
    title = "Détection de fraude à la carte"
    w.lines += [title, "=" * len(title), ""]
    w.heading("## Contexte", "problem_statement")
    w.heading("## Objectifs et non-objectifs", "problem_statement")
    w.heading("## Valeur métier", "business_value")
    w.heading("## Critères de succès :", "business_value", ("table",))
    w.heading("## Rôles et responsabilités", "other_notes", ("table",))
    w.heading("## A) Conception détaillée", "architecture")
    w.heading("## B) Données", "data")
    w.heading("## C) Supervision", "deployment_constraints")
    w.heading("## Contraintes de déploiement", "deployment_constraints")
    w.heading("## Alternatives envisagées", "alternatives")
    w.heading("## Questions ouvertes", "open_questions")
    w.heading("## Remerciements", "other_notes")
    return w.finish(title)
