from django.contrib import admin

from .models import QuestionSet, QuestionSetVersion, WhatIfRun


class ReadOnlyAdmin(admin.ModelAdmin):
    """Question sets are edited in the app, where every save is checked by the engine
    and published versions are refused; the Django admin only shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(QuestionSet)
class QuestionSetAdmin(ReadOnlyAdmin):
    list_display = ("slug", "title")


@admin.register(QuestionSetVersion)
class QuestionSetVersionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status", "published_at", "retired_at")
    list_filter = ("status",)
    list_select_related = ("question_set",)


@admin.register(WhatIfRun)
class WhatIfRunAdmin(ReadOnlyAdmin):
    list_display = ("version", "status", "total", "changed", "created_at")
    exclude = ("changes", "refusals")
