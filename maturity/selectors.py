"""Reads of maturity. Each starts from what the user may see and runs a fixed number of
queries whatever the number of subjects, teams or assessments shown."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import timezone

from designdocs.choices import MLStage, WorkflowStatus
from designdocs.lifecycle import ORDER
from designdocs.models import DesignDoc
from maturity import charts, scoring, subjects
from maturity.models import Answer, Assessment, Classification, MaturityModel

#: The model a subject's "current maturity" is read from when it has several.
PRIMARY_MODEL = "ml-test-score"


def rubric_of(model: MaturityModel) -> scoring.Rubric:
    """The pure-function view of a model (its items, categories and bands prefetched or read)."""
    categories = list(model.categories.all())
    codes = {c.pk: c.code for c in categories}
    items = tuple(
        scoring.Item(i.code, codes[i.category_id], Decimal(i.weight), i.level)
        for i in model.items.all()
    )
    bands = tuple(
        scoring.Band(
            b.code,
            b.label,
            None if b.lower is None else Decimal(b.lower),
            None if b.upper is None else Decimal(b.upper),
            b.lower_inclusive,
        )
        for b in model.bands.all()
    )
    return scoring.Rubric(
        rule=model.rule,
        items=items,
        bands=bands,
        categories=tuple(c.code for c in categories),
        required_categories=frozenset(c.code for c in categories if c.required),
    )


def model_list(*, user) -> QuerySet[MaturityModel]:
    return MaturityModel.objects.restrict(user, "view").prefetch_related(
        "categories", "items", "bands"
    )


def assessments_of(subject, *, user) -> QuerySet[Assessment]:
    subject_type = subjects.of(subject)
    return (
        Assessment.objects.restrict(user, "view")
        .filter(subject_type=subjects.content_type(subject_type), subject_id=subject.pk)
        .select_related("model", "assessor")
        .order_by("-assessed_at", "-id")
    )


def latest_with_answers(subject, *, model: MaturityModel, user) -> Assessment | None:
    """The subject's latest assessment against `model` that `user` may see, its answers
    (with their items) loaded: what a new assessment of it starts from."""
    return (
        assessments_of(subject, user=user)
        .filter(model=model)
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("item")))
        .first()
    )


def assessment_detail(*, user) -> QuerySet[Assessment]:
    return (
        Assessment.objects.restrict(user, "view")
        .select_related("model", "assessor", "subject_type")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("item")))
    )


def latest_by_subject(subject_ids, *, model_label: str, user) -> dict[int, Assessment]:
    """{subject id: its latest assessment, of any model (the portfolio counts the primary
    model only)}, in two queries whatever the number of subjects."""
    subject_type = subjects.by_model_label(model_label)
    if subject_type is None:
        return {}
    ct = subjects.content_type(subject_type)
    base = Assessment.objects.restrict(user, "view").filter(subject_type=ct)
    latest_ids = (
        base.filter(subject_id=OuterRef("subject_id"))
        .order_by("-assessed_at", "-id")
        .values("id")[:1]
    )
    rows = (
        base.filter(subject_id__in=list(subject_ids))
        .values("subject_id")
        .annotate(latest=Subquery(latest_ids))
        .values_list("latest", flat=True)
        .distinct()
    )
    return {
        a.subject_id: a
        for a in Assessment.objects.filter(pk__in=list(rows)).select_related("model")
    }


def maturity_facts(objects, user) -> dict[int, dict[str, Any]]:
    """The facts provider of design docs (registry.core.facts): current maturity."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    latest = latest_by_subject([o.pk for o in objects], model_label=objects[0]._meta.label_lower,
                               user=user)  # fmt: skip
    return {pk: fact_of(a) for pk, a in latest.items()}


def fact_of(assessment: Assessment) -> dict[str, Any]:
    return {
        "model": assessment.model.slug,
        "model_name": assessment.model.name,
        "model_version": assessment.model_version,
        "score": str(assessment.score),
        "band": assessment.band,
        "band_label": assessment.band_label,
        "label": f"{assessment.model.name}: {assessment.score} (band {assessment.band})",
        "title": f"{assessment.model.name} {assessment.score}: {assessment.band_label}",
        "assessed_at": assessment.assessed_at,
        "assessment": assessment.pk,
    }


def current_classification(doc) -> Classification | None:
    return doc.classifications.select_related("answered_by").order_by("-answered_at", "-id").first()


def summary_of(subject, *, user=None) -> dict[str, Any] | None:
    """For the PDF (exports) and anyone else: the subject's current maturity — model,
    score, band or level, date — and an SVG chart of its scores per category. None before
    any assessment."""
    subject_type = subjects.of(subject)
    if subject_type is None:
        return None
    ct = subjects.content_type(subject_type)
    assessment = (
        Assessment.objects.filter(subject_type=ct, subject_id=subject.pk)
        .select_related("model")
        .order_by("-assessed_at", "-id")
        .first()
    )
    if assessment is None:
        return None
    by_category = {k: Decimal(v) for k, v in assessment.by_category.items()}
    maximum = max([Decimal(1), *by_category.values()])
    if assessment.model.rule == "ml_test_score":
        maximum = Decimal(7)
    return {
        **fact_of(assessment),
        "svg": charts.bars(
            [(k, float(v)) for k, v in by_category.items()],
            maximum=float(maximum),
            title=f"{assessment.model.name} per category",
        ),
    }


@dataclass
class Comparison:
    item: Any
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


def compare(a: Assessment, b: Assessment) -> list[Comparison]:
    """Item by item, two assessments of the same model (answers prefetched)."""
    olds = {ans.item.code: ans.value for ans in a.answers.all()}
    news = {ans.item.code: ans.value for ans in b.answers.all()}
    items = {ans.item.code: ans.item for ans in [*a.answers.all(), *b.answers.all()]}
    order = sorted(items.values(), key=lambda i: (i.position, i.pk))
    return [Comparison(i, olds.get(i.code, ""), news.get(i.code, "")) for i in order]


def what_next_of(assessment: Assessment) -> list[dict[str, Any]]:
    """The next steps of the subject from its assessment (maturity.scoring.what_next)."""
    model = MaturityModel.objects.prefetch_related("categories", "items", "bands").get(
        pk=assessment.model_id
    )
    rubric = rubric_of(model)
    answers = {ans.item.code: ans.value for ans in assessment.answers.all()}
    titles = {i.code: i.title for i in model.items.all()}
    return [
        {"item": s.item, "title": titles[s.item], "effect": s.effect,
         "raises_band": s.raises_band, "holds_back": s.holds_back, "answer": answers.get(s.item)}
        for s in scoring.what_next(rubric, answers)
    ]  # fmt: skip


def portfolio(*, user) -> dict[str, Any]:
    """The portfolio: latest primary-model score per subject, averaged per team (heat map),
    the distribution of bands, the trend (mean score per month) and the number of
    assessments. A fixed number of queries whatever the number of teams and subjects."""
    return portfolio_of(
        assessments=Assessment.objects.restrict(user, "view"),
        docs=DesignDoc.objects.restrict(user, "view"),
    )


def portfolio_of(*, assessments: QuerySet[Assessment], docs: QuerySet[DesignDoc]) -> dict[str, Any]:
    """The portfolio over the given assessments and design docs (`portfolio` restricts
    them to a user; the printed portfolio report, maturity.printing, to what every
    registry role sees)."""
    visible = assessments.filter(model__slug=PRIMARY_MODEL)
    # The latest assessed (as every other read of "current maturity"), not the last
    # recorded: an older assessment typed in late is history.
    # A window, not PostgreSQL's DISTINCT ON: the embedded SQLite default has no DISTINCT ON.
    newest_first = Window(
        RowNumber(),
        partition_by=[F("subject_type"), F("subject_id")],
        order_by=[F("assessed_at").desc(), F("id").desc()],
    )
    latest = list(
        visible.annotate(_nth=newest_first)
        .filter(_nth=1)
        .values("team__name", "band", "band_label", "score")
    )
    by_team: dict[str, list[Decimal]] = {}
    for row in latest:
        by_team.setdefault(row["team__name"] or "No team", []).append(row["score"])
    heat = sorted(
        (name, float(sum(scores) / len(scores)), len(scores)) for name, scores in by_team.items()
    )
    bands: dict[str, int] = {}
    labels: dict[str, str] = {}
    for row in latest:
        bands[row["band"]] = bands.get(row["band"], 0) + 1
        labels[row["band"]] = row["band_label"]
    trend = list(
        visible.annotate(month=TruncMonth("assessed_at"))
        .values("month")
        .annotate(n=Count("id"), mean=Avg("score"))
        .order_by("month")
        .values_list("month", "n", "mean")
    )
    per_stage = dict(docs.values("stage").annotate(n=Count("id")).values_list("stage", "n"))
    funnel = [(MLStage(s).label, per_stage.get(s, 0)) for s in ORDER]
    year_ago = timezone.now() - timezone.timedelta(days=365)
    stale = list(
        docs.filter(approved_revision__isnull=False)
        .filter(~Q(status=WorkflowStatus.APPROVED) | Q(approved_revision__created_at__lt=year_ago))
        .select_related("owner_team", "approved_revision")
        .defer("approved_revision__content")
        .order_by("approved_revision__created_at")[:50]
    )
    return {
        "heat": heat,
        "heat_svg": charts.heat_map(heat, maximum=7.0),
        "bands": sorted(bands.items()),
        "band_labels": labels,
        "bands_svg": charts.bars(
            [(f"Band {b}", float(n)) for b, n in sorted(bands.items())],
            maximum=float(max(bands.values(), default=1)),
            title="Subjects per band",
        ),
        "trend": trend,
        "trend_svg": charts.line(
            [(m.strftime("%Y-%m"), float(mean)) for m, _n, mean in trend],
            maximum=7.0,
            title="Mean ML Test Score of the assessments made each month",
        ),
        "funnel": funnel,
        "funnel_svg": charts.bars(
            funnel, maximum=float(max([1, *(n for _, n in funnel)])), title="Solutions per stage"
        ),
        "stale": stale,
        "subjects": len(latest),
    }
