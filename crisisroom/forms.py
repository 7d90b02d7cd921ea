from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext_lazy as _

from . import auth
from .models import Crisis, CrisisStart, OrganisationMember
from .roles import EXERCISE_ONLY_ROLES, ROLES_FOR_TEAM, Role
from .text import display_name


class PersonChoiceField(forms.ModelChoiceField):
    """A choice of people, each named as everywhere on screen."""

    def label_from_instance(self, obj: Any) -> str:
        return display_name(obj)


class IdsModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of objects by id that refuses an id outside the database's integer
    range as an invalid choice. Django guards a single id against that, not a list: SQLite
    would raise OverflowError on ``pk__in`` and the page would answer with a server error."""

    def _check_values(self, value: Any) -> Any:
        low, high = connection.ops.integer_field_range("BigIntegerField")
        for pk in value or ():
            try:
                number = int(str(pk))
            except (TypeError, ValueError):
                continue  # Django's own check names a non-number
            if (low is not None and number < low) or (high is not None and number > high):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)  # type: ignore[misc]  # a private hook stubs omit


class MemberAddForm(forms.Form):
    user = PersonChoiceField(label=_("Person"), queryset=get_user_model().objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=())
    function_title = forms.CharField(
        label=_("Function"),
        max_length=100,
        required=False,
        help_text=_("Optional, for example gemeentesecretaris or AOV."),
    )

    def __init__(self, *args, crisis: Crisis, **kwargs):
        super().__init__(*args, **kwargs)
        registered = OrganisationMember.objects.filter(organisation=crisis.organisation)
        model_choice_field(self, "user").queryset = (
            get_user_model()
            .objects.filter(is_active=True, organisation_memberships__in=registered)
            .order_by("last_name", "first_name", "username")
            .distinct()
        )
        allowed = ROLES_FOR_TEAM[crisis.team_kind]
        if not crisis.is_exercise:
            allowed = allowed - EXERCISE_ONLY_ROLES
        choice_field(self, "role").choices = [
            (v, label) for v, label in Role.choices if v in allowed
        ]


class CrisisStartForm(forms.ModelForm):
    """The chair's first decision with the crisis coordinator (CMT task card, tasks 1 and 7)."""

    class Meta:
        model = CrisisStart
        fields = ["scope", "response", "coordinator", "agreements", "meeting_cycle"]
        widgets = {
            "scope": forms.RadioSelect,
            "response": forms.RadioSelect,
            "agreements": forms.Textarea(attrs={"rows": 3}),
        }


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's field ``name``, which the form declares as a model choice."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    return field


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    return field


def attach_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: field messages next to their field, the
    rest at the top, so the user sees what to change and keeps what they typed."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing to even try a password after too many recent failures."""

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        address = auth.client_address(self.request) if self.request else None
        wait = auth.login_wait_minutes(username=username, address=address)
        if wait:
            raise ValidationError(
                _("Too many failed attempts. Try again in %(minutes)d minutes.")
                % {"minutes": wait},
                code="throttled",
            )
        try:
            return super().clean()
        except ValidationError:
            auth.login_failed(username=username, address=address)
            raise


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
