"""Forms of the afwegingskader: a scenario, a score, the framework's criteria, the priority
decision. They only check what the user typed; the services decide what is allowed."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crisisroom.forms import choice_field

from ..models import (
    LIKELIHOOD,
    ImpactClass,
    LikelihoodClass,
    PriorityDecision,
    RiskTheme,
    ThreatScenario,
)
from ..selectors import RankRow
from ..services import CriterionInput
from ..services.weighing import decided_in_future_message, reserved_code_message

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def two_places(value: Decimal | None) -> str:
    """An impact or a risk as the tables show it, "2,67" in Dutch; "—" for none. Made in
    Python because the tables have a row per scenario, and the floatformat filter on every
    row was a good part of the page's time."""
    if value is None:
        return "—"
    return f"{value:.2f}".replace(".", str(formats.get_format("DECIMAL_SEPARATOR")))


class ScenarioForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    theme = forms.ChoiceField(label=gettext_lazy("National risk theme"), choices=RiskTheme.choices)
    sources = forms.CharField(
        label=gettext_lazy("Sources"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
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
    """One aspect of one scenario: an impact criterion (0 = no impact, or class A–E, 1–5) or
    the likelihood (A–E). The aspect travels unprefixed beside the form, so the view knows
    which form was sent."""

    value = forms.TypedChoiceField(
        label=gettext_lazy("Class"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=ImpactClass.choices,
    )
    reasoning = forms.CharField(
        label=gettext_lazy("Reasoning"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Why this class: what the scenario does to this criterion."),
    )
    source = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("A report, the regional risk profile, an expert."),
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        aspect: str,
        is_likelihood: bool,
        initial: dict[str, Any] | None = None,
        name: str = "",
    ) -> None:
        super().__init__(data, prefix=f"score-{aspect}", initial=initial)
        self.aspect = aspect
        value = choice_field(self, "value")
        value.choices = LikelihoodClass.choices if is_likelihood else ImpactClass.choices
        if is_likelihood:
            value.label = gettext_lazy("Likelihood class")
            self.fields["reasoning"].help_text = gettext_lazy("Why this class: how likely it is.")
        elif name:
            self.name_criterion(name)

    def name_criterion(self, name: str) -> None:
        """The radio group's legend says which criterion it scores: a screen reader that jumps
        from group to group hears "Class for Deaths", not "Class" eleven times."""
        if self.aspect != LIKELIHOOD:
            label = _("Class for %(criterion)s") % {"criterion": name}
            choice_field(self, "value").label = label
            self["value"].label = label  # a checked form has made its bound field already


class CommaDecimalField(forms.DecimalField):
    """A decimal that also takes the Dutch comma: "12,5"."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class CriterionForm(forms.Form):
    code = forms.SlugField(
        label=gettext_lazy("Code"),
        max_length=40,
        help_text=gettext_lazy(
            "Short, without spaces; scores stay with the code when weights change."
        ),
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    weight = CommaDecimalField(
        label=gettext_lazy("Weight (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if code == LIKELIHOOD:
            raise ValidationError(reserved_code_message(), code="reserved")
        return code


class BaseCriterionFormSet(forms.BaseFormSet):
    # What the rows added after the saved ones showed when the editor asked for another row;
    # read by get_form_kwargs, so those rows stay extra (they may be left empty).
    extra_initial: list[dict[str, Any]] = []

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs(index)
        if index is not None and not self.is_bound:
            extra = index - self.initial_form_count()
            if 0 <= extra < len(self.extra_initial):
                kwargs["initial"] = self.extra_initial[extra]
        return kwargs

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


MAX_CRITERIA = 40

CriterionFormSet = forms.formset_factory(
    CriterionForm,
    formset=BaseCriterionFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_CRITERIA,
    validate_max=True,
)


CRITERION_FIELDS = ("code", "name", "description", "weight")


def criterion_formset(
    data: Mapping[str, Any] | None = None, *, initial: list[dict[str, Any]] | None = None
) -> BaseCriterionFormSet:
    """The criteria of a framework as rows to edit, one empty row to add one."""
    return cast(BaseCriterionFormSet, CriterionFormSet(data, prefix="criteria", initial=initial))


def criterion_formset_with_another_row(data: Mapping[str, Any]) -> BaseCriterionFormSet:
    """The rows as the editor sent them, not checked and not saved, and one more empty row:
    several criteria are added in one go without JavaScript. Rows that were saved criteria stay
    required; the added ones may be left empty."""
    prefix = "criteria"

    def count(name: str) -> int:
        try:
            return max(0, min(int(str(data.get(f"{prefix}-{name}", "0"))), MAX_CRITERIA))
        except ValueError:
            return 0

    total = count("TOTAL_FORMS")
    saved = min(count("INITIAL_FORMS"), total)
    rows: list[dict[str, Any]] = []
    for i in range(total):
        row: dict[str, Any] = {
            name: str(data.get(f"{prefix}-{i}-{name}", "")) for name in CRITERION_FIELDS
        }
        row["DELETE"] = bool(data.get(f"{prefix}-{i}-DELETE"))
        rows.append(row)
    formset = cast(BaseCriterionFormSet, CriterionFormSet(prefix=prefix, initial=rows[:saved]))
    formset.extra_initial = rows[saved:]
    formset.extra = min(len(rows) - saved + 1, MAX_CRITERIA - saved)
    return formset


class FrameworkForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What changed and why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Saved with the new version, for the next reader and the council."),
    )
    # The version the editor opened; without it a conflict could not be seen.
    based_on_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


@dataclass(frozen=True)
class PositionInput:
    """One scenario's priority number in the decision form, its texts made once: the table has
    a row per scenario, and fifty bound fields through the template engine cost the page more
    than all the rest of the form."""

    row: RankRow
    name: str
    id: str
    value: str
    errors: list[str]
    risk: str


class DecisionForm(forms.Form):
    """The priority order as the mayor or the college decided it. The order is a number per
    scenario (1 = first), so it can be entered without JavaScript; blank is not prioritised."""

    decided_by = forms.ChoiceField(
        label=gettext_lazy("Decided by"),
        choices=PriorityDecision.DecidedBy.choices,
        initial=PriorityDecision.DecidedBy.MAYOR,
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label=gettext_lazy("Decided on"), widget=DATE_WIDGET)
    review_on = forms.DateField(
        label=gettext_lazy("Review on"),
        widget=DATE_WIDGET,
        help_text=gettext_lazy("When the priority is looked at again."),
    )
    reasons = forms.CharField(
        label=gettext_lazy("Reasons"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Why this order; where it departs from the computed ranking, why."),
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, rows: Sequence[RankRow]) -> None:
        today = timezone.localdate()
        initial: dict[str, Any] = {"decided_on": today, "review_on": _a_year_after(today)}
        # Filled in from the computed order, one number each: scenarios that share a rank get
        # consecutive numbers in the order listed, which the form can take as it is.
        ranked = (row for row in rows if row.rank is not None)
        for position, row in enumerate(ranked, start=1):
            initial[self.position_name(row.scenario.pk)] = position
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

    def position_fields(self) -> list[PositionInput]:
        errors = self.errors if self.is_bound else {}
        inputs = []
        for row in self.rows:
            field = self.position_name(row.scenario.pk)
            name = self.add_prefix(field)
            value = self.data.get(name) if self.is_bound else self.initial.get(field)
            inputs.append(
                PositionInput(
                    row=row,
                    name=name,
                    id=f"id_{name}",
                    value="" if value is None else str(value),
                    errors=[str(e) for e in errors.get(field, [])],
                    risk=two_places(row.risk),
                )
            )
        return inputs

    def clean_decided_on(self) -> date:
        decided_on: date = self.cleaned_data["decided_on"]
        if decided_on > timezone.localdate():
            raise ValidationError(decided_in_future_message(), code="future")
        return decided_on

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
