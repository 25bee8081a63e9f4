from django.db import models


class ScoringRule(models.TextChoices):
    ML_TEST_SCORE = "ml_test_score", "ML Test Score: minimum of the section sums (0 / 0.5 / 1)"
    LEVELS = "levels", "Levels: the lowest level reached by every area"
    ALL_YES = "all_yes", "All statements of the required sections hold"
    WEIGHTED = "weighted", "Weighted points (0 / 0.5 / 1) as a percentage"


class AnswerValue(models.TextChoices):
    NO = "no", "No / not done"
    MANUAL = "manual", "Manual, results documented and distributed"
    AUTOMATED = "automated", "Automated, run repeatedly"
    YES = "yes", "Yes"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class Tier(models.TextChoices):
    """The tiers a classification gives (designdocs.choices.RiskTier without "unclassified")."""

    MINIMAL = "minimal", "Minimal risk"
    LIMITED = "limited", "Limited risk (transparency obligations)"
    HIGH = "high", "High risk"
    UNACCEPTABLE = "unacceptable", "Unacceptable risk (prohibited)"
