"""Every write of maturity: answering the EU AI Act questionnaire, recording an assessment,
defining a maturity model. Each checks the permission, runs in one transaction and records
an audit event."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from designdocs.models import DesignDoc
from designdocs.services import designdoc_set_risk_tier
from maturity import scoring, subjects
from maturity.audit import ASSESSMENT_CREATE, CLASSIFICATION_ANSWER, MODEL_CREATE
from maturity.classification import AnswerError, derive_tier, normalize_answers
from maturity.models import (
    Answer,
    Assessment,
    Classification,
    MaturityBand,
    MaturityCategory,
    MaturityItem,
    MaturityModel,
)
from maturity.selectors import rubric_of
from registry.core.audit import record_audit_event
from registry.core.errors import DomainError
from registry.core.permissions import require as require_permission
from registry.core.text import refuse_hostile_data

MAX_LINKS = 20
MAX_COMMENT = 5000
MAX_NOTES = 10000


def classification_answer(*, doc: DesignDoc, actor, answers: Any) -> Classification:
    """Record `actor`'s answers to the questionnaire of `doc`, derive the tier
    (maturity.classification.derive_tier) and write it to the document through designdocs
    (a change of tier is a revision; an approved doc returns to draft). Refused (400 naming
    the question) on an invalid answer; nothing is written then."""
    require_permission(actor, "designdocs.classify_designdoc", doc)
    refuse_hostile_data(answers if isinstance(answers, dict) else {})
    try:
        normalized = normalize_answers(answers)
    except AnswerError as exc:
        raise DomainError(exc.message, field=exc.field) from None
    derived = derive_tier(normalized)
    with transaction.atomic():
        classification = Classification.objects.create(
            design_doc=doc,
            answers=normalized,
            tier=derived.tier,
            art50_transparency=derived.art50_transparency,
            reasons=list(derived.reasons),
            answered_by=actor,
        )
        result = designdoc_set_risk_tier(
            doc=doc, actor=actor, tier=derived.tier, reasons=derived.reasons
        )
        record_audit_event(
            actor=actor,
            action=CLASSIFICATION_ANSWER,
            obj=doc,
            payload={
                "classification": classification.pk,
                "tier": derived.tier,
                "revision": result.revision.number if result.revision else None,
            },
        )
    doc.risk_tier = derived.tier
    return classification


def _links(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DomainError(f"{where}: evidence links are a list of URLs.", field=where)
    if len(value) > MAX_LINKS:
        raise DomainError(f"{where}: at most {MAX_LINKS} evidence links.", field=where)
    for link in value:
        if not (link.startswith("https://") or link.startswith("http://") or link.startswith("/")):
            raise DomainError(
                f"{where}: “{link[:80]}” is not a link (http://, https:// or a path).", field=where
            )
        if len(link) > 2000:
            raise DomainError(f"{where}: a link is at most 2000 characters.", field=where)
    return value


def assessment_create(
    *,
    actor,
    subject,
    model: MaturityModel,
    answers: Any,
    notes: str = "",
    assessed_at=None,
) -> Assessment:
    """Score `subject` against `model`. `answers`: {item code: {"value": ..., "evidence_links":
    [...], "comment": "..."}} or {item code: value}; an item left out is "no". The score,
    band and per-category sums are computed (maturity.scoring) and stored with the model's
    version. Never overwrites: every assessment is a new record."""
    subject_type = subjects.of(subject)
    if subject_type is None:
        raise DomainError("This kind of object cannot be assessed.", field="subject")
    team_id = subject_type.team_id(subject)
    probe = Assessment(team_id=team_id)
    require_permission(actor, "maturity.add_assessment", probe)
    if not isinstance(answers, dict):
        raise DomainError("answers: an object of item code -> answer.", field="answers")
    refuse_hostile_data({"answers": answers, "notes": notes})
    if not isinstance(notes, str) or len(notes) > MAX_NOTES:
        raise DomainError(f"notes: text of at most {MAX_NOTES} characters.", field="notes")
    items = {item.code: item for item in model.items.all()}
    allowed = scoring.ANSWERS_BY_RULE[model.rule]
    unknown = [code for code in answers if code not in items]
    if unknown:
        raise DomainError(
            f"answers: “{str(unknown[0])[:50]}” is not an item of {model.name}.", field="answers"
        )
    parsed: dict[str, dict[str, Any]] = {}
    for code, raw in answers.items():
        where = f"answers.{code}"
        entry = raw if isinstance(raw, dict) else {"value": raw}
        extra = set(entry) - {"value", "evidence_links", "comment"}
        if extra:
            raise DomainError(f"{where}: unknown key “{sorted(extra)[0][:50]}”.", field=where)
        value = entry.get("value")
        if value not in allowed:
            raise DomainError(
                f"{where}: one of {', '.join(allowed)} (this model's answers).", field=where
            )
        comment = entry.get("comment", "") or ""
        if not isinstance(comment, str) or len(comment) > MAX_COMMENT:
            raise DomainError(
                f"{where}: a comment of at most {MAX_COMMENT} characters.", field=where
            )
        parsed[code] = {
            "value": value,
            "evidence_links": _links(entry.get("evidence_links"), where),
            "comment": comment.strip(),
        }
    result = scoring.score(rubric_of(model), {c: e["value"] for c, e in parsed.items()})
    with transaction.atomic():
        assessment = Assessment.objects.create(
            subject_type=subjects.content_type(subject_type),
            subject_id=subject.pk,
            team_id=team_id,
            model=model,
            model_version=model.version,
            assessor=actor,
            assessed_at=assessed_at or timezone.now(),
            score=result.score,
            band=result.band,
            band_label=result.label,
            by_category={k: str(v) for k, v in result.by_category.items()},
            notes=notes.strip(),
        )
        Answer.objects.bulk_create(
            Answer(
                assessment=assessment,
                item=items[code],
                value=parsed.get(code, {}).get("value", scoring.NO),
                evidence_links=parsed.get(code, {}).get("evidence_links", []),
                comment=parsed.get(code, {}).get("comment", ""),
            )
            for code in items
        )
        record_audit_event(
            actor=actor,
            action=ASSESSMENT_CREATE,
            obj=assessment,
            payload={"model": model.slug, "version": model.version, "score": str(result.score),
                     "band": result.band},
        )  # fmt: skip
    return assessment


def maturity_model_create(*, actor, data: dict[str, Any]) -> MaturityModel:
    """A staff-defined model: {slug, name, rule, description, not_applicable_rule,
    categories: [{code, title, required, items: [{code, title, weight, level}]}],
    bands: [{code, label, lower, upper, lower_inclusive}]}. Whole or not at all."""
    require_permission(actor, "maturity.add_maturitymodel")
    refuse_hostile_data(data)
    if data.get("rule") not in scoring.ANSWERS_BY_RULE:
        raise DomainError("rule: one of " + ", ".join(scoring.ANSWERS_BY_RULE) + ".", field="rule")
    if MaturityModel.objects.filter(slug=data.get("slug")).exists():
        raise DomainError("slug: a model with this slug exists.", field="slug")
    with transaction.atomic():
        model = MaturityModel.objects.create(
            slug=data["slug"],
            name=data["name"],
            rule=data["rule"],
            description=data.get("description", ""),
            not_applicable_rule=data.get("not_applicable_rule")
            or "A “not applicable” item leaves the sum and the denominator.",
        )
        position = 0
        for c_pos, cat in enumerate(data.get("categories", [])):
            category = MaturityCategory.objects.create(
                model=model, code=cat["code"], title=cat["title"], position=c_pos,
                required=cat.get("required", True),
            )  # fmt: skip
            for item in cat.get("items", []):
                MaturityItem.objects.create(
                    model=model, category=category, code=item["code"], title=item["title"],
                    position=position, weight=Decimal(str(item.get("weight", 1))),
                    level=item.get("level"),
                )  # fmt: skip
                position += 1
        for b_pos, band in enumerate(data.get("bands", [])):
            MaturityBand.objects.create(
                model=model, code=band["code"], label=band["label"], position=b_pos,
                lower=band.get("lower"), upper=band.get("upper"),
                lower_inclusive=band.get("lower_inclusive", False),
            )  # fmt: skip
        record_audit_event(
            actor=actor, action=MODEL_CREATE, obj=model, payload={"slug": model.slug}
        )
    return model
