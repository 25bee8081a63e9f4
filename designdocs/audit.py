"""The audit actions of design documents (registered with registry.core.audit)."""

from registry.core.audit import AuditAction

DESIGNDOC_CREATE = AuditAction("designdoc.create", "created")
DESIGNDOC_UPDATE = AuditAction("designdoc.update", "edited")
DESIGNDOC_IMPORT = AuditAction("designdoc.import", "imported")
DESIGNDOC_DELETE = AuditAction("designdoc.delete", "deleted")

ACTIONS = (DESIGNDOC_CREATE, DESIGNDOC_UPDATE, DESIGNDOC_IMPORT, DESIGNDOC_DELETE)
