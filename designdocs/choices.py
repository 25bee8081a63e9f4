from django.db import models

from registry.core.choices import RaciRole as _RaciRole

#: The stage and the risk tier of a document nobody has classified yet (the same value in
#: both, so that a page or a count can treat them alike).
UNCLASSIFIED = "unclassified"


class WorkflowStatus(models.TextChoices):
    """Where the document stands in review. The transitions between them are the review
    app's services; designdocs itself only returns an approved document to draft when its
    content changes (an approval holds for one revision)."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    SUPERSEDED = "superseded", "Superseded"
    ARCHIVED = "archived", "Archived"


class MLStage(models.TextChoices):
    """The ML lifecycle stage of the solution the document describes. A new document is not
    yet classified until someone chooses its stage."""

    UNCLASSIFIED = UNCLASSIFIED, "Not yet classified"
    PROBLEM_DEFINITION = "problem_definition", "Problem definition"
    DATA_PREPARATION = "data_preparation", "Data collection and preparation"
    MODEL_TRAINING = "model_training", "Model training"
    ERROR_ANALYSIS = "error_analysis", "Error analysis"
    DEPLOYMENT = "deployment", "Deployment"
    MONITORING = "monitoring", "Monitoring"
    RETIRED = "retired", "Retired"


class RiskTier(models.TextChoices):
    """EU AI Act risk tiers (Regulation (EU) 2024/1689). A new document claims no tier until
    someone classifies it."""

    UNCLASSIFIED = UNCLASSIFIED, "Not yet classified"
    MINIMAL = "minimal", "Minimal risk"
    LIMITED = "limited", "Limited risk (transparency obligations)"
    HIGH = "high", "High risk"
    UNACCEPTABLE = "unacceptable", "Unacceptable risk (prohibited)"


#: The RACI letters, one set for design docs and the catalogue (registry.core.raci).
RaciRole = _RaciRole


class RiskCategory(models.TextChoices):
    DATA = "data", "Data quality or availability"
    MODEL = "model", "Model performance"
    FAIRNESS = "fairness", "Fairness and bias"
    PRIVACY = "privacy", "Privacy"
    SECURITY = "security", "Security"
    OPERATIONAL = "operational", "Operational"
    REGULATORY = "regulatory", "Regulatory and compliance"
    BUSINESS = "business", "Business"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "Mitigation in progress"
    CLOSED = "closed", "Closed"
    ACCEPTED = "accepted", "Accepted"


class RiskLevel(models.TextChoices):
    """Levels of NIST SP 800-30 Rev. 1, Table I-2."""

    VERY_LOW = "very_low", "Very low"
    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"
