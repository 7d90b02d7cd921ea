from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from crisisroom.models import Crisis


class ShareForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=get_user_model().objects.none())

    def __init__(self, *args, crisis: Crisis, **kwargs):
        super().__init__(*args, **kwargs)
        # People of the organisation who are not in the crisis team.
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(
                is_active=True, organisation_memberships__organisation=crisis.organisation
            )
            .exclude(crisis_memberships__crisis=crisis, crisis_memberships__ended_at__isnull=True)
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username


class SectionForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=200)
    help_text = forms.CharField(
        label=_("Guiding questions"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    required = forms.BooleanField(label=_("Required"), required=False)
    in_kernbeeld = forms.BooleanField(label=_("Into the core picture"), required=False)


SectionFormSet = forms.formset_factory(
    SectionForm, extra=2, can_delete=True, can_order=True, max_num=40, validate_max=True
)
