"""The audit actions of maturity (registered with registry.core.audit)."""

from registry.core.audit import AuditAction

CLASSIFICATION_ANSWER = AuditAction("maturity.classify", "answered the EU AI Act questionnaire")
ASSESSMENT_CREATE = AuditAction("maturity.assess", "assessed maturity")
MODEL_CREATE = AuditAction("maturity.model_create", "defined a maturity model")

ACTIONS = (CLASSIFICATION_ANSWER, ASSESSMENT_CREATE, MODEL_CREATE)
