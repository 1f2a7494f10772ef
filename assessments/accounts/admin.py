from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Supervision, User
from .two_factor_services import two_factor_reset


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    actions = ["reset_two_factor"]

    @admin.action(description=gettext_lazy("Reset two-factor and issue an enrolment code"))
    def reset_two_factor(self, request, queryset):
        if not request.user.is_superuser:
            self.message_user(request, _("Only an administrator can reset two-factor."), messages.ERROR)
            return
        for user in queryset:
            code = two_factor_reset(user=user, by=request.user)
            # Shown once, in this message only; the database keeps a hash.
            self.message_user(
                request,
                _("Two-factor reset for %(user)s. Enrolment code (shown once): %(code)s")
                % {"user": user.get_username(), "code": code},
                messages.WARNING,
            )


@admin.register(Supervision)
class SupervisionAdmin(admin.ModelAdmin):
    list_display = ("supervisor", "clinician", "created_at")
