"""Organisation administrators manage their organisations here, and nothing else.

Every admin below is scoped to the organisations the user administers (guardian permission
``administer_organisation``) and writes through the services, so permissions and the audit trail
stay right. Nothing is deleted: memberships end, crises close.
"""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from . import services
from .models import AuditEvent, Crisis, Membership, Organisation, OrganisationMember, RosterEntry
from .selectors import organisations_administered_by

admin.site.site_header = _("Crisisroom administration")
admin.site.site_title = _("Crisisroom administration")


def _administered(request) -> QuerySet[Organisation]:
    if request.user.is_superuser:
        return Organisation.objects.all()
    return organisations_administered_by(user=request.user)


class OrganisationScopedAdmin(admin.ModelAdmin):
    organisation_path = "organisation"  # how to get from this model to its organisation

    def _organisation_of(self, obj) -> Organisation:
        target = obj
        for part in self.organisation_path.split("__") if self.organisation_path else []:
            target = getattr(target, part)
        return target

    def get_queryset(self, request):
        orgs = _administered(request)
        lookup = f"{self.organisation_path}__in" if self.organisation_path else "pk__in"
        return super().get_queryset(request).filter(**{lookup: orgs})

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff and _administered(request).exists()

    def _may(self, request, obj) -> bool:
        if not self.has_module_permission(request):
            return False
        return (
            obj is None or _administered(request).filter(pk=self._organisation_of(obj).pk).exists()
        )

    def has_view_permission(self, request, obj=None) -> bool:
        return self._may(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._may(request, obj)

    def has_add_permission(self, request) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = _administered(request)
        elif db_field.name == "crisis":
            kwargs["queryset"] = Crisis.objects.filter(
                organisation__in=_administered(request), status=Crisis.Status.ACTIVE
            )
        elif db_field.name == "user":
            kwargs["queryset"] = get_user_model().objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class OrganisationMemberInline(admin.TabularInline):
    model = OrganisationMember
    extra = 1
    fields = ["user", "function_title", "is_administrator"]
    autocomplete_fields = []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class RosterEntryInline(admin.TabularInline):
    model = RosterEntry
    extra = 1
    fields = ["role", "function_title", "user", "rank"]


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    organisation_path = ""
    list_display = ["name", "kind"]
    inlines = [OrganisationMemberInline, RosterEntryInline]

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def save_formset(self, request, form, formset, change):
        if formset.model is not OrganisationMember:
            return super().save_formset(request, form, formset, change)
        # Through the service, so the administrator right becomes a real permission.
        for inline_form in formset.forms:
            if not inline_form.has_changed() or not inline_form.cleaned_data:
                continue
            data = inline_form.cleaned_data
            services.organisation_member_set(
                organisation=form.instance,
                user=data["user"],
                function_title=data.get("function_title", ""),
                is_administrator=data.get("is_administrator", False),
                actor=request.user,
            )


@admin.register(RosterEntry)
class RosterEntryAdmin(OrganisationScopedAdmin):
    list_display = ["organisation", "role", "function_title", "rank", "user"]
    list_filter = ["organisation", "role"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # The roster is planning data, not a record: an administrator may take people off it.
        return self._may(request, obj)


@admin.register(Crisis)
class CrisisAdmin(OrganisationScopedAdmin):
    list_display = ["title", "organisation", "team_kind", "scaling_label", "status", "is_exercise"]
    list_filter = ["organisation", "status", "is_exercise"]
    actions = ["staff_from_roster", "close"]

    def get_fields(self, request, obj=None):
        base = ["organisation", "title", "team_kind", "scaling_label", "summary", "is_exercise"]
        return base if obj is None else [*base, "status", "started_at", "closed_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Whether it is an exercise, and whose and which team, is fixed once work has started.
        return ["organisation", "team_kind", "is_exercise", "status", "started_at", "closed_at"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.full_clean()
            obj.save()
            return
        crisis = services.crisis_open(
            organisation=obj.organisation,
            title=obj.title,
            team_kind=obj.team_kind,
            scaling_label=obj.scaling_label,
            summary=obj.summary,
            is_exercise=obj.is_exercise,
            actor=request.user,
        )
        obj.pk = crisis.pk
        obj.started_at = crisis.started_at
        messages.info(
            request,
            _("The team was staffed from the standing roster (%(n)d people).")
            % {"n": crisis.memberships.count()},
        )

    @admin.action(description=_("Staff from the standing roster"))
    def staff_from_roster(self, request, queryset):
        for crisis in queryset:
            try:
                added = services.crisis_staff_from_roster(crisis=crisis, actor=request.user)
            except ValidationError as error:
                self.message_user(request, f"{crisis}: {'; '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(crisis)s: %(n)d people added.") % {"crisis": crisis, "n": len(added)},
                )

    @admin.action(description=_("Close crisis"))
    def close(self, request, queryset):
        for crisis in queryset:
            services.crisis_close(crisis=crisis, actor=request.user)


@admin.register(Membership)
class MembershipAdmin(OrganisationScopedAdmin):
    organisation_path = "crisis__organisation"
    list_display = ["crisis", "user", "role", "function_title", "started_at", "ended_at"]
    list_filter = ["crisis__organisation", "role"]
    actions = ["end"]

    def get_fields(self, request, obj=None):
        base = ["crisis", "user", "role", "function_title"]
        return base if obj is None else [*base, "started_at", "added_by", "ended_at", "ended_by"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return  # Memberships are not edited; they end and a new one starts.
        membership = services.membership_add(
            crisis=obj.crisis,
            user=obj.user,
            role=obj.role,
            function_title=obj.function_title,
            actor=request.user,
        )
        obj.pk = membership.pk

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            clean = form.clean

            def clean_through_service_rules(form_self):
                data = clean(form_self)
                crisis, user, role = data.get("crisis"), data.get("user"), data.get("role")
                if crisis and user and role:
                    probe = Membership(crisis=crisis, user=user, role=role)
                    services.membership_validate(membership=probe)
                return data

            form.clean = clean_through_service_rules
        return form

    @admin.action(description=_("End membership"))
    def end(self, request, queryset):
        for membership in queryset.filter(ended_at__isnull=True):
            services.membership_end(membership=membership, actor=request.user)


@admin.register(AuditEvent)
class AuditEventAdmin(OrganisationScopedAdmin):
    list_display = ["at", "action", "organisation", "crisis", "actor", "subject"]
    list_filter = ["organisation", "action"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
