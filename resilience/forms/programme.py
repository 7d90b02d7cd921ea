"""Forms of the programmaplan: a measure (the adviser's form, and its owner's narrower one), its
progress, and the programme page's filters."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crisisroom.forms import IdsModelMultipleChoiceField, PersonChoiceField, model_choice_field
from crisisroom.models import Organisation, Partner

from ..models import Measure, MeasurePhase, MeasureStatus, MeasureTheme, ThreatScenario
from ..services import MeasureInput


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as ISO, whatever the language."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _multiple(form: forms.BaseForm, name: str) -> forms.ModelMultipleChoiceField:
    field = form.fields[name]
    if not isinstance(field, forms.ModelMultipleChoiceField):
        raise TypeError(f"{name} is not a multiple model choice field")
    return field


class MeasureForm(forms.Form):
    """A new measure; ``MeasureEditForm`` adds the revision it was opened on."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    theme = forms.ChoiceField(label=_("Theme"), choices=MeasureTheme.choices)
    phase = forms.ChoiceField(label=_("Phase"), choices=MeasurePhase.choices)
    scenarios = IdsModelMultipleChoiceField(
        label=_("Threat scenarios it addresses"),
        queryset=ThreatScenario.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    owner = PersonChoiceField(
        label=_("Owner (person)"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="—",
    )
    owner_function = forms.CharField(
        label=_("Owner (function)"),
        max_length=100,
        required=False,
        help_text=_("For example teamleider burgerzaken."),
    )
    owner_partner = forms.ModelChoiceField(
        label=_("Owner (partner)"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label="—",
    )
    partners = IdsModelMultipleChoiceField(
        label=_("Partners"),
        queryset=Partner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    means = forms.CharField(
        label=_("Means"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    budget = forms.DecimalField(
        label=_("Budget (euro)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
    )
    starts_on = forms.DateField(label=_("Start"), required=False, widget=DateInput())
    due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput())
    status = forms.ChoiceField(
        label=_("Status"), choices=MeasureStatus.choices, initial=MeasureStatus.GEPLAND
    )

    def __init__(
        self, *args: Any, organisation: Organisation, measure: Measure | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # An archived scenario or a partner no longer in use stays choosable for the measure
        # that has it already, so saving another change does not drop it silently.
        kept_scenarios = Q(pk__in=measure.scenarios.all()) if measure else Q(pk__in=[])
        kept_partners = (
            Q(pk__in=measure.partners.all()) | Q(pk=measure.owner_partner_id)
            if measure
            else Q(pk__in=[])
        )
        _multiple(self, "scenarios").queryset = ThreatScenario.objects.filter(
            Q(is_archived=False) | kept_scenarios, organisation=organisation
        ).order_by("title")
        partners = Partner.objects.filter(
            Q(is_active=True) | kept_partners, organisation=organisation
        ).order_by("name")
        _multiple(self, "partners").queryset = partners
        model_choice_field(self, "owner_partner").queryset = partners
        model_choice_field(self, "owner").queryset = (
            get_user_model()
            .objects.filter(is_active=True, organisation_memberships__organisation=organisation)
            .order_by("last_name", "first_name", "username")
            .distinct()
        )

    @staticmethod
    def initial_of(measure: Measure) -> dict[str, Any]:
        return {
            "title": measure.title,
            "description": measure.description,
            "theme": measure.theme,
            "phase": measure.phase,
            "scenarios": list(measure.scenarios.all()),
            "owner": measure.owner,
            "owner_function": measure.owner_function,
            "owner_partner": measure.owner_partner,
            "partners": list(measure.partners.all()),
            "means": measure.means,
            "budget": measure.budget,
            "starts_on": measure.starts_on,
            "due_on": measure.due_on,
            "status": measure.status,
            "revision": measure.revision,
        }

    def measure_input(self) -> MeasureInput:
        data = self.cleaned_data
        return MeasureInput(
            title=data["title"],
            description=data["description"],
            theme=data["theme"],
            phase=data["phase"],
            owner=data["owner"],
            owner_function=data["owner_function"],
            owner_partner=data["owner_partner"],
            means=data["means"],
            budget=data["budget"],
            starts_on=data["starts_on"],
            due_on=data["due_on"],
            status=data["status"],
            scenarios=list(data["scenarios"]),
            partners=list(data["partners"]),
        )


def revision_field(message: str | Any) -> forms.IntegerField:
    """The revision a form was opened on, hidden: a change made by someone else since is not
    overwritten. ``message`` is said when it is missing or garbled (a truncated form)."""
    return forms.IntegerField(
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={"required": message, "invalid": message, "min_value": message},
    )


REVISION_LOST = _(
    "This form has lost the version of the measure it was opened on. Open the measure again "
    "and make your change once more."
)


class MeasureEditForm(MeasureForm):
    revision = revision_field(REVISION_LOST)


class MeasureOwnerForm(forms.Form):
    """The measure's owner without a role: they report on the work (description, means, dates,
    status). What ties the measure into the programme (title, theme, phase, scenarios, owner,
    partners, budget) stays the adviser's, and the form lists none of the organisation's other
    scenarios, partners or people."""

    description = MeasureForm.base_fields["description"]
    means = MeasureForm.base_fields["means"]
    starts_on = MeasureForm.base_fields["starts_on"]
    due_on = MeasureForm.base_fields["due_on"]
    status = MeasureForm.base_fields["status"]
    revision = revision_field(REVISION_LOST)

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.measure = measure

    @staticmethod
    def initial_of(measure: Measure) -> dict[str, Any]:
        return {
            "description": measure.description,
            "means": measure.means,
            "starts_on": measure.starts_on,
            "due_on": measure.due_on,
            "status": measure.status,
            "revision": measure.revision,
        }

    def measure_input(self) -> MeasureInput:
        """The measure as saved, with the owner's changes."""
        measure = self.measure
        data = self.cleaned_data
        return MeasureInput(
            title=measure.title,
            theme=measure.theme,
            phase=measure.phase,
            owner=measure.owner,
            owner_function=measure.owner_function,
            owner_partner=measure.owner_partner,
            budget=measure.budget,
            scenarios=list(measure.scenarios.all()),
            partners=list(measure.partners.all()),
            description=data["description"],
            means=data["means"],
            starts_on=data["starts_on"],
            due_on=data["due_on"],
            status=data["status"],
        )


class ProgressForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())
    text = forms.CharField(
        label=_("What happened"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    status = forms.ChoiceField(label=_("Status afterwards"), choices=MeasureStatus.choices)

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate(), "status": measure.status})
        kwargs.setdefault("auto_id", "progress-%s")
        super().__init__(*args, **kwargs)


def _any(label: str | Any, choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class ProgrammeFilterForm(forms.Form):
    """The programme page's filters, sent with GET so a filtered list can be bookmarked."""

    theme = forms.ChoiceField(
        label=_("Theme"), choices=_any(_("all themes"), MeasureTheme.choices), required=False
    )
    phase = forms.ChoiceField(
        label=_("Phase"), choices=_any(_("all phases"), MeasurePhase.choices), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=_any(_("all statuses"), MeasureStatus.choices), required=False
    )
    overdue = forms.BooleanField(label=pgettext_lazy("measure", "only overdue"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)

    def chosen(self) -> dict[str, Any]:
        """The valid filters; a value that is not a choice (an edited address) filters nothing."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "theme": data.get("theme", ""),
            "phase": data.get("phase", ""),
            "status": data.get("status", ""),
            "overdue_only": bool(data.get("overdue", False)),
        }

    @property
    def is_filtered(self) -> bool:
        chosen = self.chosen()
        return any(chosen.values())
