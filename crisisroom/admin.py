"""Organisation administrators manage their organisations here, and nothing else.

Every admin below is scoped to the organisations the user administers (guardian permission
``administer_organisation``): querysets, list filters and every choice list. Writes go through
the services, so permissions and the audit trail stay right. Nothing is deleted: memberships
end, crises close. Creating login accounts is the platform operator's job (superuser); an
administrator registers an existing account with the organisation by its exact username, so no
list of other organisations' people is ever shown.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import attach_validation_error
from .models import (
    AuditEvent,
    Crisis,
    Membership,
    Organisation,
    OrganisationMember,
    Partner,
    RosterEntry,
)
from .selectors import organisations_administered_by

admin.site.site_header = _("Crisisroom administration")
admin.site.site_title = _("Crisisroom administration")


def _administered(request) -> QuerySet[Organisation]:
    if request.user.is_superuser:
        return Organisation.objects.all()
    return organisations_administered_by(user=request.user)


def _registered_people(request):
    return (
        get_user_model()
        .objects.filter(
            is_active=True, organisation_memberships__organisation__in=_administered(request)
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class AdministeredOrganisationFilter(admin.SimpleListFilter):
    """Filter by organisation, offering only the organisations the user administers."""

    title = _("organisation")
    parameter_name = "org"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.path = model_admin.organisation_path or "pk"

    def lookups(self, request, model_admin):
        return [(org.pk, org.name) for org in _administered(request)]

    def queryset(self, request, queryset):
        if self.value():
            lookup = "pk" if self.path == "pk" else f"{self.path}__pk"
            return queryset.filter(**{lookup: self.value()})
        return queryset


class OrganisationScopedAdmin(admin.ModelAdmin):
    organisation_path = "organisation"  # from this model to its organisation; "" for itself

    def _organisation_of(self, obj) -> Organisation:
        target = obj
        for part in self.organisation_path.split("__") if self.organisation_path else []:
            target = getattr(target, part)
        return target

    def get_queryset(self, request):
        lookup = f"{self.organisation_path}__in" if self.organisation_path else "pk__in"
        return super().get_queryset(request).filter(**{lookup: _administered(request)})

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff and _administered(request).exists()

    def _may(self, request, obj) -> bool:
        if not self.has_module_permission(request):
            return False
        if obj is None:
            return True
        return _administered(request).filter(pk=self._organisation_of(obj).pk).exists()

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
        elif db_field.name in ("user", "actor", "subject", "added_by", "ended_by", "default_owner"):
            kwargs["queryset"] = _registered_people(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    organisation_path = ""
    list_display = ["name", "kind", "region", "require_two_factor"]
    fields = ["name", "kind", "region", "require_two_factor"]

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new organisation starts with every app's defaults: created through the service.
        created = services.organisation_create(
            name=obj.name,
            kind=obj.kind,
            require_two_factor=obj.require_two_factor,
            region=obj.region,
            actor=request.user,
        )
        obj.pk, obj.created_at = created.pk, created.created_at


class OrganisationMemberForm(forms.ModelForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("The exact username of an existing Crisisroom account."),
    )

    class Meta:
        model = OrganisationMember
        fields = ["organisation", "function_title", "is_administrator", "is_exercise_leader"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise ValidationError(_("No active account with this username."))
        self.instance.user = user
        return username


@admin.register(OrganisationMember)
class OrganisationMemberAdmin(OrganisationScopedAdmin):
    list_display = [
        "user",
        "organisation",
        "function_title",
        "is_administrator",
        "is_exercise_leader",
    ]
    list_filter = [AdministeredOrganisationFilter, "is_administrator"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "function_title"]
    actions = ["reset_two_factor"]

    @admin.action(description=_("Reset the authenticator app (lost phone)"))
    def reset_two_factor(self, request, queryset):
        count = 0
        for member in queryset.select_related("organisation", "user"):
            try:
                count += services.two_factor_reset(
                    organisation=member.organisation, user=member.user, actor=request.user
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
        self.message_user(
            request,
            _("%(count)d authenticator app(s) reset; they set up a new one at their next login.")
            % {"count": count},
            messages.SUCCESS,
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = OrganisationMemberForm
            return super().get_form(request, obj, change=change, **kwargs)
        kwargs["fields"] = ["function_title", "is_administrator", "is_exercise_leader"]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return ["user", "organisation"] if obj is not None else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return [
                "organisation",
                "username",
                "function_title",
                "is_administrator",
                "is_exercise_leader",
            ]
        return ["user", "organisation", "function_title", "is_administrator", "is_exercise_leader"]

    def save_model(self, request, obj, form, change):
        member = services.organisation_member_set(
            organisation=obj.organisation,
            user=obj.user,
            function_title=form.cleaned_data.get("function_title", ""),
            is_administrator=form.cleaned_data.get("is_administrator", False),
            is_exercise_leader=form.cleaned_data.get("is_exercise_leader", False),
            actor=request.user,
        )
        obj.pk = member.pk


class RosterEntryForm(forms.ModelForm):
    class Meta:
        model = RosterEntry
        fields = ["organisation", "role", "function_title", "user", "rank"]

    def clean(self):
        data = super().clean() or {}
        if data.get("organisation") and data.get("user"):
            try:
                services.roster_entry_validate(
                    entry=RosterEntry(
                        **{
                            k: data.get(k)
                            for k in ("organisation", "role", "function_title", "user")
                        }
                    )
                )
            except ValidationError as error:
                attach_validation_error(self, error)
        return data


@admin.register(RosterEntry)
class RosterEntryAdmin(OrganisationScopedAdmin):
    form = RosterEntryForm
    list_display = ["organisation", "role", "function_title", "rank", "user"]
    list_filter = [AdministeredOrganisationFilter, "role"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # The roster is planning data, not a record: an administrator may take people off it.
        return self._may(request, obj)


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["organisation", "name", "kind", "contact_route", "default_owner", "is_active"]

    def clean(self):
        data = super().clean() or {}
        if data.get("organisation"):
            probe = Partner(
                organisation=data["organisation"], default_owner=data.get("default_owner")
            )
            try:
                services.partner_validate(partner=probe)
            except ValidationError as error:
                attach_validation_error(self, error)
        return data


@admin.register(Partner)
class PartnerAdmin(OrganisationScopedAdmin):
    """The register of stakeholders and partners: crisis teams take theirs from it. Nothing is
    deleted (crises refer to it): take one out of use instead."""

    list_display = ["name", "kind", "organisation", "default_owner", "is_active"]
    list_filter = [AdministeredOrganisationFilter, "kind", "is_active"]
    form = PartnerForm

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CrisisAddForm(forms.ModelForm):
    staff_from_roster = forms.BooleanField(
        label=_("Staff the team from the standing roster"), required=False, initial=True
    )

    class Meta:
        model = Crisis
        fields = ["organisation", "title", "team_kind", "scaling_label", "summary", "is_exercise"]

    def clean(self):
        data = super().clean() or {}
        if data.get("organisation") and data.get("title"):
            model_fields = ["organisation", "title", "team_kind", "scaling_label", "summary"]
            probe = Crisis(**{name: data.get(name) for name in model_fields})
            try:
                services.crisis_validate(crisis=probe)
            except ValidationError as error:
                attach_validation_error(self, error)
        return data


@admin.register(Crisis)
class CrisisAdmin(OrganisationScopedAdmin):
    list_display = ["title", "organisation", "team_kind", "scaling_label", "status", "is_exercise"]
    list_filter = [AdministeredOrganisationFilter, "status", "is_exercise"]
    actions = ["staff_from_roster", "close"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = CrisisAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        base = ["organisation", "title", "team_kind", "scaling_label", "summary", "is_exercise"]
        if obj is None:
            return [*base, "staff_from_roster"]
        return [*base, "status", "started_at", "closed_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Whose crisis, which team and whether it is an exercise are fixed once work started.
        fixed = ["organisation", "team_kind", "is_exercise", "status", "started_at", "closed_at"]
        if not obj.is_active:
            return [*fixed, "title", "scaling_label", "summary"]
        return fixed

    def save_model(self, request, obj, form, change):
        if change:
            services.crisis_update(
                crisis=obj,
                actor=request.user,
                title=obj.title,
                scaling_label=obj.scaling_label,
                summary=obj.summary,
            )
            return
        crisis = services.crisis_open(
            organisation=obj.organisation,
            title=obj.title,
            team_kind=obj.team_kind,
            scaling_label=obj.scaling_label,
            summary=obj.summary,
            is_exercise=obj.is_exercise,
            staff_from_roster=form.cleaned_data.get("staff_from_roster", False),
            actor=request.user,
        )
        obj.pk = crisis.pk
        obj.started_at = crisis.started_at
        messages.info(
            request,
            _("The team has %(n)d people.") % {"n": crisis.memberships.count()},
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


class MembershipAddForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["crisis", "user", "role", "function_title"]

    def clean(self):
        data = super().clean() or {}
        crisis, user, role = data.get("crisis"), data.get("user"), data.get("role")
        if crisis and user and role:
            try:
                services.membership_validate(
                    membership=Membership(crisis=crisis, user=user, role=role)
                )
            except ValidationError as error:
                attach_validation_error(self, error)
        return data


@admin.register(Membership)
class MembershipAdmin(OrganisationScopedAdmin):
    organisation_path = "crisis__organisation"
    list_display = ["crisis", "user", "role", "function_title", "started_at", "ended_at"]
    list_filter = [AdministeredOrganisationFilter, "role"]
    actions = ["end"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = MembershipAddForm
        return super().get_form(request, obj, change=change, **kwargs)

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

    @admin.action(description=_("End membership"))
    def end(self, request, queryset):
        for membership in queryset.filter(ended_at__isnull=True).select_related("crisis"):
            try:
                services.membership_end(membership=membership, actor=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{membership}: {'; '.join(error.messages)}", messages.ERROR
                )


@admin.register(AuditEvent)
class AuditEventAdmin(OrganisationScopedAdmin):
    list_display = ["at", "action", "organisation", "crisis", "actor", "subject"]
    list_filter = [AdministeredOrganisationFilter, "action"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
