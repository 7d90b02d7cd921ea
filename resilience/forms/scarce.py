"""Forms of scarce goods and services: a good, a stock row, and an allocation rule's decision."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisisroom.forms import model_choice_field
from crisisroom.models import Organisation

from ..models import AllocationRuleVersion, EmergencyPoint, GoodKind, ScarceGood, Stock
from ..services.scarce import RuleVersionInput, norm_default_for
from .programme import DateInput


class ScarceGoodForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=GoodKind.choices)
    unit = forms.CharField(
        label=_("Unit"),
        max_length=40,
        help_text=_("How stocks of it are counted, for example liter, stuks, uur zorg."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @staticmethod
    def initial_of(good: ScarceGood) -> dict[str, Any]:
        return {"name": good.name, "kind": good.kind, "unit": good.unit, "notes": good.notes}


QUANTITY_NEGATIVE = _("A quantity cannot be negative. Enter 0 if nothing is left.")


class StockForm(forms.Form):
    place = forms.CharField(
        label=_("Where"),
        max_length=200,
        required=False,
        help_text=_("For example gemeentewerf, magazijn Noord. Empty: the noodsteunpunt's name."),
    )
    point = forms.ModelChoiceField(
        label=_("At noodsteunpunt"),
        queryset=EmergencyPoint.objects.none(),
        required=False,
        empty_label="—",
    )
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        widget=forms.NumberInput(attrs={"step": "any", "min": "0"}),
        error_messages={
            "min_value": QUANTITY_NEGATIVE,
            "max_digits": _("That quantity is too large: at most 10 digits before the comma."),
            "max_whole_digits": _(
                "That quantity is too large: at most 10 digits before the comma."
            ),
            "max_decimal_places": _("Give the quantity with at most 2 decimals."),
        },
    )
    as_of = forms.DateField(
        label=_("As of"),
        widget=DateInput(),
        help_text=_("The day the quantity was counted or reported."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        help_text=_("Who counted or reported it, for example the supplier's contract."),
    )

    def __init__(
        self, *args: Any, organisation: Organisation, stock: Stock | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # A noodsteunpunt no longer in use stays choosable for the row that names it already.
        kept = Q(pk=stock.point_id) if stock is not None and stock.point_id else Q(pk__in=[])
        model_choice_field(self, "point").queryset = EmergencyPoint.objects.filter(
            Q(is_active=True) | kept, organisation=organisation
        ).order_by("name")
        if not self.is_bound and stock is None:
            self.initial.setdefault("as_of", timezone.localdate())

    @staticmethod
    def initial_of(stock: Stock) -> dict[str, Any]:
        return {
            "place": stock.place,
            "point": stock.point_id,
            "quantity": stock.quantity,
            "as_of": stock.as_of,
            "source": stock.source,
        }


class RuleVersionForm(forms.Form):
    """One decision on an allocation rule: a new version. ``based_on`` carries the version the
    form was opened on, so a decision recorded by someone else meanwhile is not passed over."""

    priority_order = forms.CharField(
        label=_("Priority order"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One group or location per line, first served first. For example: "
            "zorginstellingen; thuisdialyse; gezinnen met kinderen onder 1 jaar."
        ),
        error_messages={
            "required": _(
                "Give the priority order: at least one group or location, one per line, "
                "first served first."
            )
        },
    )
    norm_amount = forms.DecimalField(
        label=_("Norm (amount)"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "min": "0"}),
        error_messages={"min_value": _("A norm cannot be negative.")},
    )
    norm_unit = forms.CharField(
        label=_("Norm unit"),
        max_length=80,
        required=False,
        help_text=_("For example liter per persoon per dag."),
    )
    norm_source = forms.CharField(
        label=_("Source of the norm"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A public standard, or the body that set the norm."),
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("When the rule applies, and what may be departed from."),
    )
    decided_by = forms.CharField(
        label=_("Decided by"),
        max_length=200,
        help_text=_("For example: college van B en W, or the mayor."),
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    reasons = forms.CharField(
        label=_("Reasons"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("A decision needs its reasons.")},
    )
    based_on = forms.IntegerField(
        min_value=1,
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("decided_on", timezone.localdate())

    @staticmethod
    def initial_of(version: AllocationRuleVersion) -> dict[str, Any]:
        """A new decision starts from the current one; the date and the reasons are new."""
        return {
            "priority_order": version.priority_order,
            "norm_amount": version.norm_amount,
            "norm_unit": version.norm_unit,
            "norm_source": version.norm_source,
            "conditions": version.conditions,
            "decided_by": version.decided_by,
            "decided_on": timezone.localdate(),
            "based_on": version.version,
        }

    def version_input(self) -> RuleVersionInput:
        data = self.cleaned_data
        return RuleVersionInput(
            priority_order=data["priority_order"],
            norm_amount=data["norm_amount"],
            norm_unit=data["norm_unit"],
            norm_source=data["norm_source"],
            conditions=data["conditions"],
            decided_by=data["decided_by"],
            decided_on=data["decided_on"],
            reasons=data["reasons"],
        )


class RuleCreateForm(RuleVersionForm):
    """A new rule for one good, with its first decision. For a good with a labelled default
    norm (drinking water), the norm starts from that default; there is no default order."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example: Drinkwater bij uitval van de waterleiding."),
    )
    field_order = ["title"]

    def __init__(self, *args: Any, good: ScarceGood, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["based_on"]
        default = norm_default_for(good.kind)
        if default is not None and not self.is_bound:
            self.initial.setdefault("norm_amount", default.amount)
            self.initial.setdefault("norm_unit", default.unit)
            self.initial.setdefault("norm_source", default.source)
