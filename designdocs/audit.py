"""The audit actions of design documents (registered with registry.core.audit)."""

from registry.core.audit import AuditAction

DESIGNDOC_CREATE = AuditAction("designdoc.create", "created")
DESIGNDOC_UPDATE = AuditAction("designdoc.update", "edited")
DESIGNDOC_IMPORT = AuditAction("designdoc.import", "imported")
DESIGNDOC_DELETE = AuditAction("designdoc.delete", "deleted")
DESIGNDOC_TRANSITION = AuditAction("designdoc.transition", "moved in the lifecycle")
DESIGNDOC_CLASSIFY = AuditAction("designdoc.classify", "classified (EU AI Act tier)")

ACTIONS = (
    DESIGNDOC_CREATE,
    DESIGNDOC_UPDATE,
    DESIGNDOC_IMPORT,
    DESIGNDOC_DELETE,
    DESIGNDOC_TRANSITION,
    DESIGNDOC_CLASSIFY,
)
