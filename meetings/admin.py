"""The admin's crisis list gains the archive download: the archive holds the meetings' log, so
this app adds the action to the core app's crisis admin (the core never imports upward)."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from crisisroom.admin import CrisisAdmin
from crisisroom.models import Crisis

from .archive import archive_response


class CrisisArchiveAdmin(CrisisAdmin):
    actions = [*CrisisAdmin.actions, "export_archive"]

    @admin.action(description=_("Download the archive (one closed crisis)"))
    def export_archive(
        self, request: HttpRequest, queryset: QuerySet[Crisis]
    ) -> HttpResponse | None:
        crises = list(queryset[:2])
        if len(crises) != 1 or crises[0].is_active:
            self.message_user(
                request, _("Select exactly one closed crisis to export."), messages.ERROR
            )
            return None
        actor = request.user if request.user.is_authenticated else None
        return archive_response(crisis=crises[0], actor=actor, via="admin")


admin.site.unregister(Crisis)
admin.site.register(Crisis, CrisisArchiveAdmin)
