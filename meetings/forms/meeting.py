"""Forms of the meeting, the log and the team's cards."""

import uuid
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisisroom.forms import IdsModelMultipleChoiceField, choice_field, model_choice_field
from crisisroom.models import Crisis
from crisisroom.roles import Role, TeamKind
from crisisroom.selectors import crisis_team
from crisisroom.text import display_name

from .. import selectors
from ..models import Entry, KernbeeldVersion, Meeting, PersonalItem, Phase
from ..services import MAX_TEXT, CheckOutcome


class MeetingDateTimeField(forms.DateTimeField):
    """A date and time a crisis can be about: this century. Year 1 or 9999 is a typo (and
    would not survive a time-zone conversion in every database)."""

    def clean(self, value):
        value = super().clean(value)
        if value is not None and not 2000 <= value.year <= 2099:
            raise forms.ValidationError(_("Enter a date between 2000 and 2099."), code="range")
        return value


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def member_choices(crisis: Crisis):
    return (
        get_user_model()
        .objects.filter(
            crisis_memberships__crisis=crisis, crisis_memberships__ended_at__isnull=True
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


class EntryForm(forms.Form):
    """One log entry. The token travels with the form so a repeat post is the same entry."""

    client_token = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=Entry.Kind.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Text"),
        max_length=MAX_TEXT,
        required=False,  # the service says what is missing, in the user's words
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reasoning = forms.CharField(
        label=_("Reasons (arguments, options weighed)"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    without_reasoning = forms.BooleanField(required=False, widget=forms.HiddenInput)
    decided_by = forms.ModelChoiceField(
        label=_("Decided by"), queryset=get_user_model().objects.none(), required=False
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=get_user_model().objects.none(), required=False
    )
    owner_function = forms.CharField(
        label=_("or function"),
        max_length=100,
        required=False,
        help_text=_("For example communicatieadviseur."),
    )
    deadline = MeetingDateTimeField(
        label=_("Deadline"), required=False, widget=DateTimeLocalInput()
    )
    occurred_at = MeetingDateTimeField(
        label=_("Time on paper"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("Only when typing in what was written on paper while systems were down."),
    )

    def __init__(self, *args, crisis: Crisis, decisions_only: bool = False, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("client_token", uuid.uuid4())
        kwargs["initial"].setdefault("kind", Entry.Kind.BESLUIT if decisions_only else "beeld")
        super().__init__(*args, **kwargs)
        self.crisis, self.decisions_only = crisis, decisions_only
        # One query for the team: both person lists and the default decider come from it.
        # In the order people sit around the table (chair and mayor first), named with their
        # role, so the owner or decider is picked without guessing.
        seats = list(crisis_team(crisis=crisis))
        roles_of: dict[int, list[str]] = {}
        people: dict[int, Any] = {}
        for seat in seats:
            people.setdefault(seat.user_id, seat.user)
            roles_of.setdefault(seat.user_id, []).append(
                seat.function_title or str(seat.get_role_display())
            )
        choices = [("", "---------")] + [
            (pk, f"{display_name(user)} ({', '.join(roles_of[pk])})") for pk, user in people.items()
        ]
        for name in ("decided_by", "owner"):
            # The queryset validates a submitted choice; the list renders without a query.
            model_choice_field(self, name).queryset = get_user_model().objects.filter(
                pk__in=list(people)
            )
            model_choice_field(self, name).widget.choices = choices
        if decisions_only:
            choice_field(self, "kind").choices = [(Entry.Kind.BESLUIT, Entry.Kind.BESLUIT.label)]
        if "decided_by" not in self.initial:
            chief = Role.MAYOR if crisis.team_kind == TeamKind.GBT else Role.CMT_CHAIR
            self.initial["decided_by"] = next(
                (seat.user_id for seat in seats if seat.role == chief), None
            )

    def fresh(self, *, crisis: Crisis, decisions_only: bool) -> "EntryForm":
        """An empty form for the next entry, keeping the kind the logger was using."""
        return EntryForm(
            crisis=crisis,
            decisions_only=decisions_only,
            initial={"kind": self.cleaned_data.get("kind", "beeld")},
        )


class CorrectionForm(EntryForm):
    """A correction starts from what the original entry said."""

    @classmethod
    def from_entry(
        cls, original: Entry, data: QueryDict | None = None, *, crisis: Crisis
    ) -> "CorrectionForm":
        initial: dict[str, Any] = {
            "kind": original.kind,
            "text": original.text,
            "reasoning": original.reasoning,
            "decided_by": original.decided_by,
        }
        assignment = getattr(original, "assignment", None)
        if assignment is not None:
            initial.update(
                owner=assignment.owner,
                owner_function=assignment.owner_function,
                deadline=timezone.localtime(assignment.deadline),
            )
        return cls(data, crisis=crisis, initial=initial)


class KernbeeldForm(forms.Form):
    """The meeting's kernbeeld as typed, and the revision the screen's text was based on."""

    kernbeeld = forms.CharField(required=False, strip=False)
    kernbeeld_revision = forms.IntegerField(required=False)

    def base_revision(self) -> int:
        """A missing or garbled revision never matches, so the save is refused, not forced."""
        self.is_valid()  # each valid field is in cleaned_data, whatever the others hold
        revision = self.cleaned_data.get("kernbeeld_revision")
        return -1 if revision is None else revision

    def text(self) -> str:
        return str(self.data.get("kernbeeld", ""))


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(choices=Phase.choices)


class ReflectionForm(forms.Form):
    note = forms.CharField(label=_("Reflection (optional)"), max_length=500, required=False)


class StartMeetingForm(forms.Form):
    planned_minutes = forms.IntegerField(
        label=_("Time box (minutes)"), min_value=5, max_value=240, initial=30
    )
    kernbeeld_from = forms.ChoiceField(
        label=_("The core picture starts from"),
        choices=[
            (KernbeeldVersion.Source.PREVIOUS, _("the previous meeting's core picture")),
            (KernbeeldVersion.Source.ANALYSIS, _("the newest strategic analysis")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )

    @classmethod
    def for_crisis(cls, crisis: Crisis, start: selectors.KernbeeldStart) -> "StartMeetingForm":
        """The agreed length of the next meeting, and what its kernbeeld builds on."""
        return cls(
            initial={
                "planned_minutes": selectors.next_meeting_minutes(crisis=crisis),
                "kernbeeld_from": start.default,
            }
        )


class NextMeetingForm(forms.Form):
    next_at = MeetingDateTimeField(label=_("Next meeting at"), widget=DateTimeLocalInput())
    minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=5, max_value=240, initial=30
    )
    input_due_at = MeetingDateTimeField(
        label=_("Input due at"), required=False, widget=DateTimeLocalInput()
    )

    @classmethod
    def for_meeting(cls, meeting: Meeting) -> "NextMeetingForm":
        """The next meeting lasts as long as agreed, else as long as this one."""
        return cls(initial={"minutes": meeting.next_minutes or meeting.planned_minutes})


class AttendanceForm(forms.Form):
    user = forms.ModelChoiceField(queryset=get_user_model().objects.none())
    present = forms.TypedChoiceField(
        choices=[("1", _("present")), ("0", _("absent"))], coerce=lambda v: v == "1"
    )
    delegate = forms.ModelChoiceField(
        label=_("Tasks delegated to"), queryset=get_user_model().objects.none(), required=False
    )

    def __init__(self, *args, crisis: Crisis, **kwargs):
        super().__init__(*args, **kwargs)
        members = member_choices(crisis)
        model_choice_field(self, "user").queryset = members
        model_choice_field(self, "delegate").queryset = members


class CheckForm(forms.Form):
    client_token = forms.UUIDField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (CheckOutcome.DONE, _("done")),
            (CheckOutcome.ADJUSTED, _("adjusted")),
            (CheckOutcome.DROPPED, _("dropped")),
        ],
        widget=forms.RadioSelect,
    )
    new_deadline = MeetingDateTimeField(
        label=_("New deadline"), required=False, widget=DateTimeLocalInput()
    )
    remark = forms.CharField(label=_("Remark"), max_length=1000, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("client_token", uuid.uuid4())
        super().__init__(*args, **kwargs)


class PersonalItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PersonalItem.Kind.choices)
    text = forms.CharField(
        label=_("Text"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=PersonalItem.Priority.choices, initial="normaal"
    )


class TaskTickForm(forms.Form):
    """Tick or untick task ``number`` of one of the member's role cards."""

    role = forms.CharField(required=False)
    number = forms.IntegerField(required=False)
    done = forms.BooleanField(required=False)

    def clean_number(self) -> int:
        return self.cleaned_data.get("number") or 0  # the service names what is wrong

    def clean_done(self) -> bool:
        return self.data.get("done") == "1"


class PaperMeetingForm(forms.Form):
    """A meeting held on paper, as written: start, end, when each phase began, who was absent."""

    started_at = MeetingDateTimeField(label=_("Started at"), widget=DateTimeLocalInput())
    ended_at = MeetingDateTimeField(label=_("Ended at"), widget=DateTimeLocalInput())
    planned_minutes = forms.IntegerField(
        label=_("Time box (minutes)"), min_value=5, max_value=240, initial=30
    )
    absent = IdsModelMultipleChoiceField(
        label=_("Absent"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Note (where the paper is kept)"), max_length=500, required=False
    )

    def __init__(self, *args: Any, crisis: Crisis, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["absent"].queryset = member_choices(crisis)  # type: ignore[attr-defined]
        for phase, label in Phase.choices:
            if phase == Phase.BEELDVORMING:
                continue  # a meeting starts in Beeldvorming
            self.fields[f"phase_{phase}"] = MeetingDateTimeField(
                label=_("%(phase)s from") % {"phase": label},
                required=False,
                widget=DateTimeLocalInput(),
            )

    def phases(self) -> dict[str, Any]:
        return {
            phase: self.cleaned_data.get(f"phase_{phase}")
            for phase in Phase.values
            if self.cleaned_data.get(f"phase_{phase}")
        }
