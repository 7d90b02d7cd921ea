"""Forms of the afwegingskader: a scenario, a score, the framework's criteria, the priority
decision. They only check what the user typed; the services decide what is allowed."""

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from crisisroom.forms import choice_field

from ..models import ImpactClass, LikelihoodClass, PriorityDecision, RiskTheme, ThreatScenario
from ..selectors import RankRow
from ..services import CriterionInput

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ScenarioForm(forms.Form):
    title = forms.CharField(label=_lazy("Title"), max_length=200)
    description = forms.CharField(
        label=_lazy("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    theme = forms.ChoiceField(label=_lazy("National risk theme"), choices=RiskTheme.choices)
    sources = forms.CharField(
        label=_lazy("Sources"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_lazy(
            "Where the scenario comes from: the regional risk profile, a report, a link."
        ),
    )

    @classmethod
    def of(cls, scenario: ThreatScenario) -> "ScenarioForm":
        return cls(
            initial={
                "title": scenario.title,
                "description": scenario.description,
                "theme": scenario.theme,
                "sources": scenario.sources,
            }
        )


class ScoreForm(forms.Form):
    """One aspect of one scenario: an impact criterion or the likelihood, class A–E (1–5).
    The aspect travels unprefixed beside the form, so the view knows which form was sent."""

    value = forms.TypedChoiceField(
        label=_lazy("Class"), coerce=int, widget=forms.RadioSelect, choices=ImpactClass.choices
    )
    reasoning = forms.CharField(
        label=_lazy("Reasoning"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_lazy("Why this class: what the scenario does to this criterion."),
    )
    source = forms.CharField(
        label=_lazy("Source"),
        max_length=500,
        required=False,
        help_text=_lazy("A report, the regional risk profile, an expert."),
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        aspect: str,
        is_likelihood: bool,
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, prefix=f"score-{aspect}", initial=initial)
        self.aspect = aspect
        value = choice_field(self, "value")
        value.choices = LikelihoodClass.choices if is_likelihood else ImpactClass.choices
        if is_likelihood:
            value.label = _lazy("Likelihood class")
            self.fields["reasoning"].help_text = _lazy("Why this class: how likely it is.")


class CommaDecimalField(forms.DecimalField):
    """A decimal that also takes the Dutch comma: "12,5"."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class CriterionForm(forms.Form):
    code = forms.SlugField(
        label=_lazy("Code"),
        max_length=40,
        help_text=_lazy("Short, without spaces; scores stay with the code when weights change."),
    )
    name = forms.CharField(label=_lazy("Name"), max_length=200)
    description = forms.CharField(
        label=_lazy("Description"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    weight = CommaDecimalField(
        label=_lazy("Weight (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )


class BaseCriterionFormSet(forms.BaseFormSet):
    def criteria(self) -> list[CriterionInput]:
        """The rows to keep, in the order on screen: not removed, not left empty."""
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            rows.append(
                CriterionInput(
                    code=data["code"],
                    name=data["name"],
                    description=data.get("description", ""),
                    weight=data["weight"],
                )
            )
        return rows

    def weight_total(self) -> Decimal | None:
        if not self.is_bound or any(form.errors for form in self.forms):
            return None
        return sum((c.weight for c in self.criteria()), Decimal(0))


CriterionFormSet = forms.formset_factory(
    CriterionForm,
    formset=BaseCriterionFormSet,
    extra=1,
    can_delete=True,
    max_num=40,
    validate_max=True,
)


def criterion_formset(
    data: Mapping[str, Any] | None = None, *, initial: list[dict[str, Any]] | None = None
) -> BaseCriterionFormSet:
    """The criteria of a framework as rows to edit, one empty row to add one."""
    return cast(BaseCriterionFormSet, CriterionFormSet(data, prefix="criteria", initial=initial))


class FrameworkForm(forms.Form):
    note = forms.CharField(
        label=_lazy("What changed and why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_lazy("Saved with the new version, for the next reader and the council."),
    )
    based_on_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DecisionForm(forms.Form):
    """The priority order as the mayor or the college decided it. The order is a number per
    scenario (1 = first), so it can be entered without JavaScript; blank is not prioritised."""

    decided_by = forms.ChoiceField(
        label=_lazy("Decided by"),
        choices=PriorityDecision.DecidedBy.choices,
        initial=PriorityDecision.DecidedBy.MAYOR,
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label=_lazy("Decided on"), widget=DATE_WIDGET)
    review_on = forms.DateField(
        label=_lazy("Review on"),
        widget=DATE_WIDGET,
        help_text=_lazy("When the priority is looked at again."),
    )
    reasons = forms.CharField(
        label=_lazy("Reasons"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_lazy("Why this order; where it departs from the computed ranking, why."),
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, rows: Sequence[RankRow]) -> None:
        today = timezone.localdate()
        initial: dict[str, Any] = {"decided_on": today, "review_on": _a_year_after(today)}
        for row in rows:
            initial[self.position_name(row.scenario.pk)] = row.rank
        super().__init__(data, initial=initial)
        self.rows = list(rows)
        for row in self.rows:
            self.fields[self.position_name(row.scenario.pk)] = forms.IntegerField(
                label=row.scenario.title,
                required=False,
                min_value=1,
                max_value=999,
                widget=forms.NumberInput(
                    attrs={
                        "min": 1,
                        "step": 1,
                        "class": "position",
                        "aria-describedby": "order-help",
                    }
                ),
            )

    @staticmethod
    def position_name(scenario_pk: int) -> str:
        return f"position-{scenario_pk}"

    def position_fields(self) -> list[tuple[RankRow, forms.BoundField]]:
        return [(row, self[self.position_name(row.scenario.pk)]) for row in self.rows]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        taken: dict[int, list[RankRow]] = {}
        for row in self.rows:
            position = cleaned.get(self.position_name(row.scenario.pk))
            if position is not None:
                taken.setdefault(position, []).append(row)
        for position, rows in sorted(taken.items()):
            if len(rows) > 1:
                titles = ", ".join(r.scenario.title for r in rows)
                self.add_error(
                    None,
                    ValidationError(
                        _(
                            "Priority %(position)s is given to more than one scenario "
                            "(%(titles)s). Give each scenario its own number, or leave it "
                            "blank."
                        ),
                        params={"position": position, "titles": titles},
                        code="duplicate_position",
                    ),
                )
                for row in rows:
                    self.add_error(
                        self.position_name(row.scenario.pk), _("This number is used twice.")
                    )
        if not taken and not self.errors:
            self.add_error(None, _("Give at least one scenario a priority number."))
        return cleaned

    def scenario_ids(self) -> list[int]:
        """The chosen scenarios, first priority first."""
        chosen = [
            (self.cleaned_data[self.position_name(row.scenario.pk)], row.scenario.pk)
            for row in self.rows
            if self.cleaned_data.get(self.position_name(row.scenario.pk)) is not None
        ]
        return [pk for _position, pk in sorted(chosen)]


def _a_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day + timedelta(days=365)
