"""Automatic evidence from the registry itself: checks run on a subject (a design doc, a
component, an architecture example), each with a sentence and a link to the evidence. A
registry: maturity/apps.py registers the checks below, one `register` call each. A check may name the items of a maturity model it can pre-fill
(`prefills`: {model slug: [item codes]}); pre-filling proposes "yes", the assessor decides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from catalogue.choices import Lifecycle, RaciActivity
from designdocs.choices import RaciRole


@dataclass(frozen=True)
class Finding:
    passed: bool
    detail: str
    url: str


@dataclass(frozen=True)
class EvidenceCheck:
    key: str
    label: str
    model_label: str
    check: Callable[[Any], Finding]
    prefills: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class CardRow:
    check: EvidenceCheck
    finding: Finding


_checks: dict[str, EvidenceCheck] = {}


def register(check: EvidenceCheck) -> EvidenceCheck:
    _checks[check.key] = check
    return check


def checks_for(model_label: str) -> list[EvidenceCheck]:
    return [c for c in _checks.values() if c.model_label == model_label]


def scorecard(subject) -> list[CardRow]:
    """Every check of the subject's type, run (the subject's rows prefetched)."""
    return [CardRow(check, check.check(subject)) for check in checks_for(subject._meta.label_lower)]


def evidence_for(subject, model_slug: str) -> dict[str, CardRow]:
    """{item code: the passing check (and its finding) that evidences it} for `model_slug`."""
    found: dict[str, CardRow] = {}
    for row in scorecard(subject):
        if row.finding.passed:
            for code in row.check.prefills.get(model_slug, ()):
                found[code] = row
    return found


def prefill(subject, model_slug: str) -> dict[str, str]:
    """{item code: "yes"} for the items of `model_slug` that a passing check evidences."""
    return dict.fromkeys(evidence_for(subject, model_slug), "yes")


# --- design docs ----------------------------------------------------------------------------

DOC = "designdocs.designdoc"
APPROVAL_MAX_AGE = timedelta(days=365)


def _section(doc, key: str) -> str:
    return f"{doc.get_absolute_url()}#section-{key.replace('_', '-')}"


def owner_team_set(doc) -> Finding:
    ok = doc.owner_team_id is not None
    return Finding(ok, f"Owned by {doc.owner_team.name}." if ok else "No owner team.",
                   doc.get_absolute_url())  # fmt: skip


def raci_complete(doc) -> Finding:
    rows = list(doc.raci_assignments.all())
    if not rows:
        return Finding(False, "No RACI rows.", _section(doc, "raci"))
    activities: dict[str, set[str]] = {}
    for row in rows:
        activities.setdefault(row.activity, set()).add(row.role)
    missing = [a for a, roles in activities.items() if RaciRole.ACCOUNTABLE not in roles]
    if missing:
        return Finding(False, f"No Accountable for: {', '.join(sorted(missing))}.",
                       _section(doc, "raci"))  # fmt: skip
    return Finding(True, f"{len(activities)} activities, each with one Accountable.",
                   _section(doc, "raci"))  # fmt: skip


def risks_treated(doc) -> Finding:
    risks = list(doc.risks.all())
    if not risks:
        return Finding(False, "No risk recorded.", _section(doc, "risks"))
    above_low = [r for r in risks if r.level not in ("very_low", "low")]
    open_ = [r.title for r in above_low if not r.mitigation.strip() or not r.owner_id]
    if open_:
        return Finding(False, f"Without mitigation or owner: {', '.join(open_[:5])}.",
                       _section(doc, "risks"))  # fmt: skip
    return Finding(True, f"{len(risks)} risks; every one above low has a mitigation and an owner.",
                   _section(doc, "risks"))  # fmt: skip


def monitoring_agreed(doc) -> Finding:
    items = list(doc.monitoring_items.all())
    if not items:
        return Finding(False, "No monitoring contract.", _section(doc, "monitoring"))
    agreed = [i for i in items if i.stakeholders.strip()]
    if not agreed:
        return Finding(False, "The monitoring contract is not agreed by any stakeholder.",
                       _section(doc, "monitoring"))  # fmt: skip
    return Finding(True, f"{len(items)} rows, agreed by stakeholders.", _section(doc, "monitoring"))


def recent_approval(doc) -> Finding:
    revision = doc.approved_revision
    if revision is None:
        return Finding(False, "No approved revision.", doc.get_absolute_url())
    age = timezone.now() - revision.created_at
    url = revision.get_absolute_url()
    if age > APPROVAL_MAX_AGE:
        return Finding(
            False, f"Approved revision {revision.number} is over twelve months old.", url
        )
    return Finding(True, f"Revision {revision.number} approved, under twelve months old.", url)


def success_targets(doc) -> Finding:
    rows = list(doc.success_criteria.all())
    if not rows:
        return Finding(False, "No success criteria.", _section(doc, "success_criteria"))
    without = [r.metric for r in rows if not r.target.strip()]
    if without:
        return Finding(False, f"No target for: {', '.join(without)}.",
                       _section(doc, "success_criteria"))  # fmt: skip
    return Finding(True, f"{len(rows)} criteria, each with a target.",
                   _section(doc, "success_criteria"))  # fmt: skip


# --- the catalogue ----------------------------------------------------------------------------

COMPONENT = "catalogue.component"
ARCHITECTURE = "catalogue.architectureexample"
OUTDATED = (Lifecycle.DEPRECATED, Lifecycle.RETIRED)


def _outdated(components, *, verb: str, none: str, url: str) -> Finding:
    """No component of `components` is deprecated or retired; the first outdated ones named,
    with a link to the first (its page says what replaces it). `verb`: "uses", "depends on"."""
    components = list(components)
    outdated = [c for c in components if c.lifecycle in OUTDATED]
    if outdated:
        named = ", ".join(f"{c.name} ({c.get_lifecycle_display().lower()})" for c in outdated[:5])
        return Finding(False, f"{verb.capitalize()} a deprecated or retired component: {named}.",
                       outdated[0].get_absolute_url())  # fmt: skip
    if not components:
        return Finding(True, none, url)
    n = len(components)
    return Finding(True, f"The {n} component{'s' if n != 1 else ''} it {verb} "
                   f"{'are' if n != 1 else 'is'} experimental or in production.", url)  # fmt: skip


def doc_no_outdated_component(doc) -> Finding:
    return _outdated(doc.components_used.all(), verb="uses",
                     none="No catalogue component named as used.",
                     url=_section(doc, "architecture"))  # fmt: skip


def component_no_outdated_dependency(component) -> Finding:
    return _outdated(component.depends_on.all(), verb="depends on", none="No dependency recorded.",
                     url=f"{component.get_absolute_url()}#graph-title")  # fmt: skip


def architecture_no_outdated_component(architecture) -> Finding:
    return _outdated([role.component for role in architecture.component_roles.all()],
                     verb="uses", none="No component listed.",
                     url=f"{architecture.get_absolute_url()}#components-title")  # fmt: skip


def catalogue_owner_team_set(entry) -> Finding:
    ok = entry.owner_team_id is not None
    return Finding(ok, f"Owned by {entry.owner_team.name}." if ok else "No owner team.",
                   entry.owner_team.get_absolute_url() if ok else entry.get_absolute_url())  # fmt: skip


def component_raci_complete(component) -> Finding:
    """Every activity of a component's life (design, deploy, run) has its one Accountable."""
    url = f"{component.get_absolute_url()}#raci-title"
    rows = list(component.raci.all())
    if not rows:
        return Finding(False, "No RACI rows.", url)
    accountable = {row.activity for row in rows if row.role == RaciRole.ACCOUNTABLE}
    missing = [a.label for a in RaciActivity if a.value not in accountable]
    if missing:
        return Finding(False, f"No Accountable for: {', '.join(missing)}.", url)
    return Finding(True, "Design, deploy and run each have one Accountable.", url)


COMPONENT_CHECKS = (
    EvidenceCheck("component_owner_team", "Owner team set", COMPONENT, catalogue_owner_team_set),
    EvidenceCheck("component_raci", "RACI complete (design, deploy, run)", COMPONENT,
                  component_raci_complete),
    EvidenceCheck("component_dependencies", "No dependency on a deprecated or retired component",
                  COMPONENT, component_no_outdated_dependency),
)  # fmt: skip
ARCHITECTURE_CHECKS = (
    EvidenceCheck("architecture_owner_team", "Owner team set", ARCHITECTURE,
                  catalogue_owner_team_set),
    EvidenceCheck("architecture_components", "No deprecated or retired component", ARCHITECTURE,
                  architecture_no_outdated_component),
)  # fmt: skip
CATALOGUE_CHECKS = (*COMPONENT_CHECKS, *ARCHITECTURE_CHECKS)


DESIGNDOC_CHECKS = (
    EvidenceCheck("owner_team", "Owner team set", DOC, owner_team_set),
    EvidenceCheck("raci", "RACI complete", DOC, raci_complete,
                  {"marvelous-mlops": ("1.1.2",)}),
    EvidenceCheck("risks", "Risks above low have a mitigation and an owner", DOC, risks_treated,
                  {"marvelous-mlops": ("1.1.3",)}),
    EvidenceCheck("monitoring", "Monitoring contract present and agreed", DOC, monitoring_agreed,
                  {"marvelous-mlops": ("4.3.2",)}),
    EvidenceCheck("approval", "Approved revision younger than twelve months", DOC,
                  recent_approval),
    EvidenceCheck("success_criteria", "Success criteria with targets", DOC, success_targets,
                  {"marvelous-mlops": ("1.1.1",)}),
    EvidenceCheck("components", "No dependency on a deprecated or retired component", DOC,
                  doc_no_outdated_component),
)  # fmt: skip
