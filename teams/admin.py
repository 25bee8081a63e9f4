"""Teams in the admin: to look up, not to edit. Every change goes through the team pages
or the API (teams.services), which check the rules, keep the version and write the audit
trail; an admin edit would do none of that."""

from django.contrib import admin

from teams.models import Team, TeamMembership


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class TeamMembershipInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = TeamMembership
    fields = ("user", "role", "created_at")
    readonly_fields = fields
    extra = 0


@admin.register(Team)
class TeamAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "email", "chat_channel", "parent", "version")
    list_filter = ("kind",)
    search_fields = ("name", "slug", "description")
    inlines = [TeamMembershipInline]
