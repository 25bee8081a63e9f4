from django.contrib import admin

from registry.core.audit import action_label, audit_actions
from registry.core.models import ApiToken, AuditEvent, WorkerHeartbeat
from registry.core.tokens import token_revoke


class DeclaredActionFilter(admin.SimpleListFilter):
    """Every action the apps declared (registry.core.audit), with its label: an app's
    actions are listed from the moment it is installed, before any event exists."""

    title = "action"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return [(a.code, f"{a.code} ({a.label})") for a in audit_actions()]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is written by services and never edited by hand."""

    list_display = ("created_at", "actor_username", "action_shown", "object_type", "object_repr")
    list_filter = (DeclaredActionFilter, "object_type")
    search_fields = ("actor_username", "action", "object_repr", "object_id", "request_id")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    @admin.display(description="action", ordering="action")
    def action_shown(self, event: AuditEvent) -> str:
        return f"{event.action} ({action_label(event.action)})"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("hostname", "last_seen")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by their owners (the key is shown to them once) and never edited;
    staff revoke them here, through the service, so the audit log records it."""

    list_display = ("name", "user", "prefix", "state", "created_at", "last_used_at", "expires_at")
    list_filter = ("revoked_reason",)
    search_fields = ("user__username", "name", "prefix")
    list_select_related = ("user",)
    readonly_fields = [f.name for f in ApiToken._meta.fields if f.name != "digest"]
    exclude = ("digest",)
    actions = ["revoke_tokens"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

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
