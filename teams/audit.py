"""The audit actions of teams and memberships (registered with registry.core.audit)."""

from registry.core.audit import AuditAction

TEAM_CREATE = AuditAction("team.create", "created")
TEAM_UPDATE = AuditAction("team.update", "edited")
TEAM_DELETE = AuditAction("team.delete", "deleted")
MEMBERSHIP_ADD = AuditAction("team.member_add", "added")
MEMBERSHIP_CHANGE = AuditAction("team.member_change", "changed the role of")
MEMBERSHIP_REMOVE = AuditAction("team.member_remove", "removed")

ACTIONS = (
    TEAM_CREATE,
    TEAM_UPDATE,
    TEAM_DELETE,
    MEMBERSHIP_ADD,
    MEMBERSHIP_CHANGE,
    MEMBERSHIP_REMOVE,
)
