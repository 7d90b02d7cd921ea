"""The form a region publishes with: which version (kind and id) and a note to its members."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Publication
from ..services.publishing import MAX_NOTE


class PublishForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What"),
        choices=Publication.Kind.choices,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Choose the format, the cards or a scenario.")},
    )
    target = forms.IntegerField(
        label=_("Version"),
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("Choose a version to publish.")},
    )
    note = forms.CharField(
        label=_("Note to the members"),
        max_length=MAX_NOTE,
        required=False,
        strip=True,
    )
