"""The audit actions of the catalogue (registered with registry.core.audit)."""

from registry.core.audit import AuditAction

COMPONENT_CREATE = AuditAction("component.create", "created")
COMPONENT_UPDATE = AuditAction("component.update", "edited")
COMPONENT_DELETE = AuditAction("component.delete", "deleted")
COMPONENT_TRANSITION = AuditAction("component.transition", "moved in its lifecycle")
ARCHITECTURE_CREATE = AuditAction("architecture.create", "created")
ARCHITECTURE_UPDATE = AuditAction("architecture.update", "edited")
ARCHITECTURE_DELETE = AuditAction("architecture.delete", "deleted")
ARCHITECTURE_TRANSITION = AuditAction("architecture.transition", "moved in its lifecycle")
CATALOG_IMPORT = AuditAction("catalog.import", "imported a Backstage catalog file")
CATALOG_EXPORT = AuditAction("catalog.export", "exported the catalogue")

ACTIONS = (
    COMPONENT_CREATE,
    COMPONENT_UPDATE,
    COMPONENT_DELETE,
    COMPONENT_TRANSITION,
    ARCHITECTURE_CREATE,
    ARCHITECTURE_UPDATE,
    ARCHITECTURE_DELETE,
    ARCHITECTURE_TRANSITION,
    CATALOG_IMPORT,
    CATALOG_EXPORT,
)
