"""Forms of the message desk and of who informs whom."""

import uuid
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisisroom.forms import PersonChoiceField, model_choice_field
from crisisroom.models import Crisis, Partner

from ..models import CrisisStakeholder, Entry, Message
from ..services import HandleOutcome
from ..services.desk import LOG_KINDS, MAX_BODY, MAX_SUMMARY
from .meeting import DateTimeLocalInput, MeetingDateTimeField, member_choices

# -- the message desk and who informs whom -----------------------------------------------------


def _partners(crisis: Crisis) -> QuerySet[Partner]:
    return Partner.objects.filter(organisation=crisis.organisation, is_active=True).order_by(
        "kind", "name"
    )


class MessageForm(forms.Form):
    """A message in or out, as the berichtenmanager types it; Enter in the summary saves."""

    client_token = forms.UUIDField(widget=forms.HiddenInput)
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=Message.Direction.choices,
        initial=Message.Direction.IN,
        widget=forms.RadioSelect,
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Message.Channel.choices, widget=forms.RadioSelect
    )
    counterpart = forms.CharField(label=_("From / to"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("Message in one line"),
        max_length=MAX_SUMMARY,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    body = forms.CharField(
        label=_("Full text (optional)"),
        max_length=MAX_BODY,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Message.Priority.choices, initial=Message.Priority.NORMAL
    )
    routed_to = PersonChoiceField(
        label=_("For"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("the chair"),
    )
    partner = forms.ModelChoiceField(
        label=_("Stakeholder (optional)"), queryset=Partner.objects.none(), required=False
    )
    at = MeetingDateTimeField(
        label=_("Received or sent at"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("Leave empty for now."),
    )
    needs_approval = forms.BooleanField(
        label=_("Outgoing: wait for the chair's approval"), required=False
    )

    def __init__(self, *args: Any, crisis: Crisis, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("client_token", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.crisis = crisis
        model_choice_field(self, "routed_to").queryset = member_choices(crisis)
        model_choice_field(self, "partner").queryset = _partners(crisis)

    @classmethod
    def correcting(cls, message: Message, data: QueryDict | None = None) -> "MessageForm":
        """A correction starts from what the message said."""
        initial = {
            name: getattr(message, name)
            for name in (
                "direction",
                "channel",
                "counterpart",
                "summary",
                "body",
                "priority",
                "routed_to",
                "partner",
            )
        }
        initial["at"] = timezone.localtime(message.at)
        initial["needs_approval"] = message.status == Message.Status.AWAITING_APPROVAL
        return cls(data, crisis=message.crisis, initial=initial)

    def fresh(self) -> "MessageForm":
        """An empty form for the next message, keeping direction and channel."""
        return MessageForm(
            crisis=self.crisis,
            initial={
                "direction": self.cleaned_data.get("direction", Message.Direction.IN),
                "channel": self.cleaned_data.get("channel"),
            },
        )


class HandleForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(HandleOutcome.HANDLED, _("dealt with")), (HandleOutcome.FILED, _("filed"))],
        widget=forms.RadioSelect,
        initial=HandleOutcome.HANDLED,
    )
    note = forms.CharField(label=_("How (optional)"), max_length=1000, required=False)


class MessageLogForm(forms.Form):
    """Take a message into the log: as a fact, a bottleneck, a note or an assignment."""

    client_token = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Into the log as"),
        choices=[(k, Entry.Kind(k).label) for k in LOG_KINDS],
        initial=Entry.Kind.BEELD,
        widget=forms.RadioSelect,
    )
    owner = PersonChoiceField(
        label=_("Owner (assignment)"), queryset=get_user_model().objects.none(), required=False
    )
    owner_function = forms.CharField(label=_("or function"), max_length=100, required=False)
    deadline = MeetingDateTimeField(
        label=_("Deadline (assignment)"), required=False, widget=DateTimeLocalInput()
    )

    def __init__(self, *args: Any, crisis: Crisis, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("client_token", uuid.uuid4())
        super().__init__(*args, **kwargs)
        model_choice_field(self, "owner").queryset = member_choices(crisis)


class RouteForm(forms.Form):
    routed_to = PersonChoiceField(
        label=_("Route to"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("the chair"),
    )

    def __init__(self, *args: Any, crisis: Crisis, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "routed_to").queryset = member_choices(crisis)


class StakeholderAddForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Stakeholder"), queryset=Partner.objects.none())
    keeper = PersonChoiceField(
        label=_("Keeps contact"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("the default from the list"),
    )

    def __init__(self, *args: Any, crisis: Crisis, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taken = CrisisStakeholder.objects.filter(crisis=crisis).values("partner")
        model_choice_field(self, "partner").queryset = _partners(crisis).exclude(pk__in=taken)
        model_choice_field(self, "keeper").queryset = member_choices(crisis)


class KeeperForm(forms.Form):
    keeper = PersonChoiceField(
        label=_("Keeps contact"), queryset=get_user_model().objects.none(), required=False
    )

    def __init__(self, *args: Any, crisis: Crisis, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "keeper").queryset = member_choices(crisis)


class InformForm(forms.Form):
    client_token = forms.UUIDField(widget=forms.HiddenInput)
    channel = forms.ChoiceField(label=_("Channel"), choices=Message.Channel.choices)
    core_message = forms.CharField(
        label=_("Core message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    at = MeetingDateTimeField(
        label=_("Informed at"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("Leave empty for now."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("client_token", uuid.uuid4())
        super().__init__(*args, **kwargs)
