"""The chair's wall screen forms, and the code a wall computer types."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import WallSettings


class WallSettingsForm(forms.ModelForm):
    class Meta:
        model = WallSettings
        fields = [
            "show_decisions",
            "show_assignments",
            "show_kernbeeld",
            "show_agenda",
            "show_clock",
        ]


class WallPairForm(forms.Form):
    label = forms.CharField(
        label=_("Name of the screen"),
        max_length=80,
        required=False,
        help_text=_("For example: wall of the crisis room. Helps to tell screens apart."),
    )


class WallCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the chair"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
