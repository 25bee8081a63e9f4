"""Staff define their own maturity models here (or through POST /api/maturity-models/)."""

from django.contrib import admin

from maturity.models import (
    Assessment,
    Classification,
    MaturityBand,
    MaturityCategory,
    MaturityItem,
    MaturityModel,
)


class CategoryInline(admin.TabularInline):
    model = MaturityCategory
    extra = 1


class ItemInline(admin.TabularInline):
    model = MaturityItem
    extra = 1


class BandInline(admin.TabularInline):
    model = MaturityBand
    extra = 1


@admin.register(MaturityModel)
class MaturityModelAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "rule", "version", "builtin")
    inlines = [CategoryInline, ItemInline, BandInline]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("model", "subject_type", "subject_id", "score", "band", "assessed_at")
    list_select_related = ("model", "subject_type")

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # history is never overwritten


@admin.register(Classification)
class ClassificationAdmin(admin.ModelAdmin):
    list_display = ("design_doc", "tier", "answered_by", "answered_at")

    def has_change_permission(self, request, obj=None) -> bool:
        return False
