from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import auth
from .models import Crisis, OrganisationMember
from .roles import ROLES_FOR_TEAM, Role


class MemberAddForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=get_user_model().objects.none())
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
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, organisation_memberships__in=registered)
            .order_by("last_name", "first_name", "username")
            .distinct()
        )
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username
        allowed = ROLES_FOR_TEAM[crisis.team_kind]
        self.fields["role"].choices = [(v, label) for v, label in Role.choices if v in allowed]


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
