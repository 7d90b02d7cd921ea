"""Forms of the registers: critical processes, partners, cold-phase roles."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from crisisroom.forms import (
    IdsModelMultipleChoiceField,
    PersonChoiceField,
    attach_validation_error,
    model_choice_field,
)
from crisisroom.models import Organisation, Partner

from ..models import CriticalProcess, Measure, ResilienceRole
from .programme import revision_field


class MeasureChoiceField(IdsModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code}. {obj.title} ({obj.get_status_display()})"


class CriticalProcessForm(forms.ModelForm):
    measures = MeasureChoiceField(
        label=_("Secured by these measures"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A process that no measure secures is marked as not secured."),
    )
    # Only when changing a process: the revision it was opened on.
    revision = revision_field(
        _(
            "This form has lost the version of the critical process it was opened on. Open "
            "the process again and make your change once more."
        )
    )

    class Meta:
        model = CriticalProcess
        fields = ["name", "description", "max_outage_hours", "fallback", "owner_function"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "max_outage_hours": forms.NumberInput(attrs={"min": 1}),
            "fallback": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "max_outage_hours": _("How long the process may stop before residents are harmed."),
            "fallback": _("How the process goes on when its systems are down."),
            "owner_function": _("For example team leader of civil affairs."),
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "measures").queryset = Measure.objects.filter(
            organisation=organisation
        ).order_by("number")
        if self.instance.pk is None:
            del self.fields["revision"]
        elif not self.is_bound:
            self.initial["measures"] = list(self.instance.measures.values_list("pk", flat=True))
            self.initial["revision"] = self.instance.revision


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "kind", "contact_route", "is_active"]
        help_texts = {
            "is_active": _(
                "A partner no longer in use stays on the measures and crises that name it."
            ),
        }


class RoleSetForm(forms.Form):
    """One person's cold-phase role; no role ends it."""

    user = PersonChoiceField(
        label=_("Person"), queryset=get_user_model().objects.none(), widget=forms.HiddenInput
    )
    kind = forms.ChoiceField(
        label=_("Cold-phase role"),
        choices=[("", _("no role")), *ResilienceRole.Kind.choices],
        required=False,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "user").queryset = get_user_model().objects.filter(
            organisation_memberships__organisation=organisation
        )


def attach_save_error(form: forms.BaseForm, error: ValidationError, *, duplicate: str) -> None:
    """A service's error on the form; a name the register already holds gets ``duplicate``
    next to the name field instead of the model's generic "… with this Organisation and Name
    already exists"."""
    if hasattr(error, "error_dict"):
        general = error.error_dict.get(NON_FIELD_ERRORS, [])
        if any(e.code == "unique_together" for e in general):
            form.add_error("name", duplicate)
            rest = {
                field: errors
                for field, errors in error.error_dict.items()
                if field != NON_FIELD_ERRORS
            }
            rest_general = [e for e in general if e.code != "unique_together"]
            if rest_general:
                rest[NON_FIELD_ERRORS] = rest_general
            if rest:
                attach_validation_error(form, ValidationError(rest))
            return
    attach_validation_error(form, error)
