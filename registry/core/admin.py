from django.contrib import admin

from registry.core.audit import action_label, audit_actions
from registry.core.models import ApiToken, AuditEvent, WorkerHeartbeat
from registry.core.tokens import token_revoke


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by services only: the admin lists and shows them, never edits them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DeclaredActionFilter(admin.SimpleListFilter):
    """Filter by action, labelled as the apps declared them (registry.core.audit)."""

    title = "action"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return [(action.code, f"{action.code} ({action.label})") for action in audit_actions()]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the audit trail is written by services and never edited by hand."""

    list_display = ("created_at", "actor_username", "action", "what", "object_type", "object_repr")
    list_filter = (DeclaredActionFilter, "object_type")
    search_fields = ("actor_username", "action", "object_repr", "object_id", "request_id")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    @admin.display(description="what happened")
    def what(self, event: AuditEvent) -> str:
        return action_label(event.action)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("hostname", "last_seen")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are created by their owners (the key is shown to them once) and never edited;
    staff revoke them here, through the service, so the audit log records it."""

    list_display = ("name", "user", "prefix", "state", "created_at", "last_used_at", "expires_at")
    list_filter = ("revoked_reason",)
    search_fields = ("user__username", "name", "prefix")
    list_select_related = ("user",)
    readonly_fields = [f.name for f in ApiToken._meta.fields if f.name != "digest"]
    exclude = ("digest",)
    actions = ["revoke_tokens"]

    @admin.display(description="state")
    def state(self, token: ApiToken) -> str:
        return token.get_state_display()

    @admin.action(description="Revoke the selected tokens", permissions=["view"])
    def revoke_tokens(self, request, queryset):
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            token_revoke(actor=request.user, token=token)
            revoked += 1
        self.message_user(request, f"Revoked {revoked} token{'s' if revoked != 1 else ''}.")
