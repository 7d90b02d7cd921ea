from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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
