from registry.core.audit import AuditAction

EXPORT_REQUEST = AuditAction("export.request", "asked for a PDF of")
EXPORT_RETRY = AuditAction("export.retry", "retried the PDF export of")

ACTIONS = (EXPORT_REQUEST, EXPORT_RETRY)
