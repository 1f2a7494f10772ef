from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Supervision, User

admin.site.register(User, UserAdmin)


@admin.register(Supervision)
class SupervisionAdmin(admin.ModelAdmin):
    list_display = ("supervisor", "clinician", "created_at")
