"""Load the published rubrics (maturity.rubrics, from shared/reference/maturity-and-risk.md):
ML Test Score 2017, Microsoft MLOps maturity model, Marvelous MLOps assessment."""

from decimal import Decimal

from django.db import migrations

from maturity import rubrics

NA_ML_TEST_SCORE = (
    "A test marked “not applicable” scores 0, as a test not done: the paper defines no such "
    "state, and a score must not rise by declaring tests away. It is shown apart from “not "
    "done”, so the reader sees which tests were judged not to apply."
)
NA_HOLDS = (
    "A statement marked “not applicable” counts as holding: the model's statements are "
    "themselves conditional (“For real time inference use cases…”). It is shown as such."
)


def load(apps, schema_editor):
    Model = apps.get_model("maturity", "MaturityModel")
    Category = apps.get_model("maturity", "MaturityCategory")
    Item = apps.get_model("maturity", "MaturityItem")
    Band = apps.get_model("maturity", "MaturityBand")

    mts = Model.objects.create(
        slug="ml-test-score", name="ML Test Score", rule="ml_test_score", builtin=True,
        description="E. Breck, S. Cai, E. Nielsen, M. Salib, D. Sculley, “The ML Test Score: A "
        "Rubric for ML Production Readiness and Technical Debt Reduction”, IEEE Big Data 2017. "
        "Half a point for a test executed manually with the results documented and "
        "distributed; a full point when a system runs it automatically on a repeated basis. "
        "Each section sums its tests; the final score is the minimum of the four sections.",
        source="https://research.google/pubs/the-ml-test-score-a-rubric-for-ml-production-"
        "readiness-and-technical-debt-reduction/",
        not_applicable_rule=NA_ML_TEST_SCORE,
    )  # fmt: skip
    categories = {}
    for position, (code, title) in enumerate(rubrics.ML_TEST_SCORE_SECTIONS):
        categories[code] = Category.objects.create(
            model=mts, code=code, title=title, position=position
        )
    for position, (section, code, title, heading) in enumerate(rubrics.ML_TEST_SCORE_TESTS):
        Item.objects.create(model=mts, category=categories[section], code=code, title=title,
                            detail=heading, position=position)  # fmt: skip
    for position, (code, lower, upper, label) in enumerate(rubrics.ML_TEST_SCORE_BANDS):
        Band.objects.create(
            model=mts, code=str(code), label=label, position=position,
            lower=Decimal(0) if lower is None else Decimal(lower),
            lower_inclusive=lower is None,
            upper=None if upper is None else Decimal(upper),
        )  # fmt: skip

    ms = Model.objects.create(
        slug="microsoft-mlops", name="Microsoft MLOps maturity model", rule="levels",
        builtin=True,
        description="“The MLOps maturity model encompasses five levels of technical capability” "
        "and “qualitatively assesses people/culture, processes/structures, and "
        "objects/technology”. Each area is at the highest level whose characteristics, and "
        "those of every level below, describe the solution; the solution is at the lowest "
        "level of its four areas (our reading: the model states no aggregation rule).",
        source="https://learn.microsoft.com/en-us/azure/architecture/ai-ml/guide/"
        "mlops-maturity-model",
        not_applicable_rule=NA_HOLDS,
    )  # fmt: skip
    position = 0
    for c_pos, (code, title) in enumerate(rubrics.MICROSOFT_AREAS):
        category = Category.objects.create(model=ms, code=code, title=title, position=c_pos)
        for level, name, _alias in rubrics.MICROSOFT_LEVELS:
            Item.objects.create(
                model=ms, category=category, code=f"{code}-{level}",
                title=f"{title}, level {level} ({name})",
                detail=rubrics.MICROSOFT_CHARACTERISTICS[(code, level)],
                position=position, level=level,
            )  # fmt: skip
            position += 1
    for level, name, alias in rubrics.MICROSOFT_LEVELS:
        Band.objects.create(
            model=ms, code=str(level), label=name, position=level,
            description="" if alias == name else f"Also headed “Level {level}: {alias}”.",
            lower=Decimal(level), lower_inclusive=True, upper=Decimal(level),
        )  # fmt: skip

    mv = Model.objects.create(
        slug="marvelous-mlops", name="Marvelous MLOps maturity assessment", rule="all_yes",
        builtin=True,
        description="“A machine learning project can be considered MLOps mature if all "
        "statements in sections 1–4 (documentation, traceability & reproducibility, code "
        "quality, monitoring & support) can be answered with “yes”. … Sections 5–7 go beyond "
        "basic MLOps maturity.” The score shown is the share of statements that hold.",
        source="https://github.com/marvelousmlops/mlops_maturity_assessment",
        not_applicable_rule=NA_HOLDS,
    )  # fmt: skip
    categories = {}
    for position, (section, title, sub, sub_title, code, text) in enumerate(
        rubrics.MARVELOUS_STATEMENTS
    ):
        if section not in categories:
            categories[section] = Category.objects.create(
                model=mv, code=section, title=f"{section}. {title}", position=int(section),
                required=section in ("1", "2", "3", "4"),
            )  # fmt: skip
        Item.objects.create(model=mv, category=categories[section], code=code, title=text,
                            detail=f"{sub} {sub_title}".strip(), position=position)  # fmt: skip
    Band.objects.create(model=mv, code="mature", label="MLOps mature", position=0)
    Band.objects.create(model=mv, code="not_mature", label="Not yet MLOps mature", position=1)


def unload(apps, schema_editor):
    Model = apps.get_model("maturity", "MaturityModel")
    Model.objects.filter(
        slug__in=["ml-test-score", "microsoft-mlops", "marvelous-mlops"], assessments=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("maturity", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
