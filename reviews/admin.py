from django.contrib import admin

from reviews.models import Comment, Notification, Review, ReviewRequest


@admin.register(ReviewRequest)
class ReviewRequestAdmin(admin.ModelAdmin):
    list_display = ("design_doc", "revision", "requested_by", "state", "due_date", "created_at")
    list_filter = ("state",)
    readonly_fields = [f.name for f in ReviewRequest._meta.fields]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("design_doc", "revision", "reviewer", "decision", "created_at")
    list_filter = ("decision",)
    readonly_fields = [f.name for f in Review._meta.fields]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("design_doc", "section", "author", "created_at", "resolved_at")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "verb", "design_doc", "created_at", "read_at", "emailed_at")
