"""Forms of the first 72 hours in a crisis. They only parse and offer choices; the services
decide what may be recorded and say why not."""

import uuid
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from crisisroom.forms import IdsModelMultipleChoiceField, model_choice_field
from crisisroom.models import Crisis, Partner
from crisisroom.roles import Role
from crisisroom.selectors import crisis_team
from crisisroom.text import display_name

from ..models import (
    AllocationRequest,
    AllocationRuleVersion,
    District,
    EmergencyPoint,
    PointStatus,
    RequestStatus,
    ScarceGood,
)
from ..selectors.crisis72 import quantity_text, requester_of
from ..selectors.scarce import rule_versions_in_force


def _token_initial(kwargs: dict) -> None:
    kwargs.setdefault("initial", {})
    kwargs["initial"].setdefault("client_token", uuid.uuid4())


class DistrictsField(IdsModelMultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=District.objects.none(), required=False, **kwargs)
        self.error_messages["invalid_choice"] = _(
            "Only districts of this crisis's organisation can be marked; %(value)s is not one."
        )


class AffectedAreaForm(forms.Form):
    """The checked districts, and those that were marked when the page was loaded: the
    difference is what this screen changes, so two screens never undo each other."""

    districts = DistrictsField(label=_("Affected districts"))
    shown = DistrictsField(label=_("Marked when the page was loaded"))

    def __init__(self, *args: Any, crisis: Crisis, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset = District.objects.filter(organisation=crisis.organisation)
        model_choice_field(self, "districts").queryset = queryset
        model_choice_field(self, "shown").queryset = queryset


class PointStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=PointStatus.choices)
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)
    # The status the screen showed: a change made meanwhile is not silently overwritten.
    shown = forms.ChoiceField(choices=PointStatus.choices, required=False, widget=forms.HiddenInput)


class RequestForm(forms.Form):
    client_token = forms.UUIDField(widget=forms.HiddenInput)
    good = forms.ModelChoiceField(label=_("Good or service"), queryset=ScarceGood.objects.none())
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=12, decimal_places=2, required=False
    )
    point = forms.ModelChoiceField(
        label=_("From emergency support point"),
        queryset=EmergencyPoint.objects.none(),
        required=False,
    )
    partner = forms.ModelChoiceField(
        label=_("From partner"), queryset=Partner.objects.none(), required=False
    )
    requester = forms.CharField(
        label=_("Or requested by (name or function)"), max_length=200, required=False
    )
    description = forms.CharField(
        label=_("What and for whom"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,  # the service says what is missing
    )
    needed_by = forms.DateTimeField(
        label=_("Needed by"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, crisis: Crisis, **kwargs: Any) -> None:
        _token_initial(kwargs)
        kwargs.setdefault("auto_id", "request_%s")  # ids apart from the decision form's
        super().__init__(*args, **kwargs)
        org = crisis.organisation
        model_choice_field(self, "good").queryset = ScarceGood.objects.filter(organisation=org)
        model_choice_field(self, "point").queryset = EmergencyPoint.objects.filter(
            organisation=org, is_active=True
        )
        model_choice_field(self, "partner").queryset = Partner.objects.filter(
            organisation=org, is_active=True
        )


class RuleVersionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(
            _("%(rule)s version %(version)d — %(title)s (%(good)s)")
            % {
                "rule": obj.rule.code,
                "version": obj.version,
                "title": obj.rule.title,
                "good": obj.rule.good.name,
            }
        )


class RequestsField(IdsModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        quantity = quantity_text(obj.quantity, obj.good.unit)
        return f"V{obj.number}. {obj.good.name}{': ' + quantity if quantity else ''} — " + (
            requester_of(obj)
        )


class DecisionForm(forms.Form):
    FOLLOWS, DEPARTS, NO_RULE = "volgt", "wijkt_af", "geen_regel"

    client_token = forms.UUIDField(widget=forms.HiddenInput)
    good = forms.ModelChoiceField(label=_("Good or service"), queryset=ScarceGood.objects.none())
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=12, decimal_places=2, required=False
    )
    recipient = forms.CharField(label=_("To"), max_length=200, required=False)
    requests = RequestsField(
        label=_("Requests this decides"),
        queryset=AllocationRequest.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    rule_version = RuleVersionField(
        label=_("Allocation rule applied"),
        queryset=AllocationRuleVersion.objects.none(),
        required=False,
    )
    how = forms.ChoiceField(
        label=_("The rule"),
        choices=[
            (FOLLOWS, _("applied as decided")),
            (DEPARTS, _("departed from")),
            (NO_RULE, _("no rule applies")),
        ],
        widget=forms.RadioSelect,
        initial=FOLLOWS,
    )
    deviation_reasons = forms.CharField(
        label=_("Why departing from the rule, or why no rule applies"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reasons = forms.CharField(
        label=_("Reasons for the decision"),
        max_length=2000,
        required=False,  # the service says so, with the same words as the log
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    decided_by = forms.ModelChoiceField(
        label=_("Decided by"),
        queryset=get_user_model().objects.none(),
        error_messages={"required": _("Say who took this decision.")},
    )

    def __init__(self, *args: Any, crisis: Crisis, user: Any = None, **kwargs: Any) -> None:
        _token_initial(kwargs)
        kwargs.setdefault("auto_id", "decide_%s")  # ids apart from the request form's
        super().__init__(*args, **kwargs)
        org = crisis.organisation
        model_choice_field(self, "good").queryset = ScarceGood.objects.filter(organisation=org)
        # Any request of this crisis validates (the service says when one was decided
        # meanwhile, and a repeated post returns the first decision); open ones are offered.
        requests = model_choice_field(self, "requests")
        requests.queryset = AllocationRequest.objects.filter(crisis=crisis).select_related(
            "good", "point", "partner"
        )
        offered = list(requests.queryset.filter(status=RequestStatus.OPEN).order_by("number"))
        requests.widget.choices = [(r.pk, requests.label_from_instance(r)) for r in offered]
        self.has_open_requests = bool(offered)
        model_choice_field(self, "rule_version").queryset = rule_versions_in_force(organisation=org)
        seats = list(crisis_team(crisis=crisis))
        people: dict[int, Any] = {}
        for seat in seats:
            people.setdefault(seat.user_id, seat.user)
        field = model_choice_field(self, "decided_by")
        field.queryset = get_user_model().objects.filter(pk__in=list(people))
        field.widget.choices = [("", "---------")] + [
            (pk, display_name(user)) for pk, user in people.items()
        ]
        if "decided_by" not in self.initial:
            # The mayor decides in a GBT; without a mayor in the team, whoever records it.
            mayor = next((seat.user_id for seat in seats if seat.role == Role.MAYOR), None)
            own = user.pk if user is not None and user.pk in people else None
            self.initial["decided_by"] = mayor or own


class RefuseForm(forms.Form):
    client_token = forms.UUIDField(widget=forms.HiddenInput)
    reasons = forms.CharField(
        label=_("Reasons for refusing"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        _token_initial(kwargs)
        super().__init__(*args, **kwargs)
