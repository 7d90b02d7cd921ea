"""Forms of running an exercise: preparing a run from a scenario version, and the observer's
note."""

import uuid
from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from crisisroom.boboc import Phase
from crisisroom.forms import IdsModelMultipleChoiceField, model_choice_field
from crisisroom.models import Organisation
from crisisroom.text import display_name
from meetings.models import Entry

from ..access import versions_visible_to
from ..models import Exercise, Inject, LearningObjective, ScenarioVersion
from ..selectors.run import entries_to_observe, injects_released


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _("%(title)s (version %(number)d) — %(owner)s") % {
            "title": obj.title,
            "number": obj.number,
            "owner": obj.scenario.organisation.name,
        }


class PeopleChoiceField(IdsModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return display_name(obj)


def _people_of(organisations: list[Organisation], *, leaving_out: User) -> QuerySet[Any]:
    return (
        get_user_model()
        .objects.filter(is_active=True, organisation_memberships__organisation__in=organisations)
        .exclude(pk=leaving_out.pk)
        .order_by("last_name", "first_name", "username")
        .distinct()
    )


class ExerciseNewForm(forms.Form):
    """A run of a scenario version at one team's table. A region chooses the member
    organisation it is played at; a municipality plays at its own table."""

    client_token = forms.UUIDField(widget=forms.HiddenInput)
    version = VersionChoiceField(
        label=_("Scenario"), queryset=ScenarioVersion.objects.none(), empty_label=None
    )
    organisation = forms.ModelChoiceField(
        label=_("Played at"),
        queryset=Organisation.objects.none(),
        help_text=_("A member organisation of the region: its crisis team plays."),
    )
    title = forms.CharField(
        label=_("Title of the exercise"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for the scenario's title."),
    )
    observers = PeopleChoiceField(
        label=_("Observers (waarnemers)"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "They join the exercise control: they see the injects' notes and record "
            "observations. You join as the exercise leader."
        ),
    )

    def __init__(self, *args: Any, organisation: Organisation, actor: User, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("client_token", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.home = organisation
        if organisation.is_region:
            versions = ScenarioVersion.objects.filter(scenario__organisation=organisation)
            members = list(Organisation.objects.filter(region=organisation).order_by("name"))
            model_choice_field(self, "organisation").queryset = Organisation.objects.filter(
                region=organisation
            ).order_by("name")
            people_from = [organisation, *members]
        else:
            versions = versions_visible_to(organisation)
            del self.fields["organisation"]
            people_from = [organisation, *([organisation.region] if organisation.region else [])]
        model_choice_field(self, "version").queryset = (
            ScenarioVersion.objects.filter(pk__in=versions.values("pk"))
            .select_related("scenario__organisation")
            .order_by("title", "-number")
        )
        observers = self.fields["observers"]
        assert isinstance(observers, forms.ModelMultipleChoiceField)  # nosec B101 - declared
        observers.queryset = _people_of(people_from, leaving_out=actor)

    @property
    def has_members(self) -> bool:
        field = self.fields.get("organisation")
        return field is None or (
            isinstance(field, forms.ModelChoiceField)
            and field.queryset is not None
            and field.queryset.exists()
        )

    def target(self) -> Organisation:
        """The organisation whose table plays."""
        return self.cleaned_data.get("organisation") or self.home

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        target = data.get("organisation") if self.home.is_region else self.home
        observers = data.get("observers")
        if target is not None and observers:
            allowed = {target.pk, *([target.region_id] if target.region_id else [])}
            strangers = [
                display_name(person)
                for person in observers
                if not person.organisation_memberships.filter(organisation_id__in=allowed).exists()
            ]
            if strangers:
                self.add_error(
                    "observers",
                    _("Not a member of %(organisation)s or its region: %(names)s.")
                    % {"organisation": target.name, "names": ", ".join(strangers)},
                )
        return data


class EntryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"#{obj.seq} {Truncator(obj.text).chars(70)}"


class InjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number}. {Truncator(obj.summary).chars(70)}"


class ObservationForm(forms.Form):
    """What the observer saw, typed fast: the text first; Ctrl+Enter saves (static JS), the
    button does without it."""

    client_token = forms.UUIDField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("What did you observe?"),
        max_length=4000,
        widget=forms.Textarea(
            attrs={"rows": 4, "autofocus": True, "data-ctrl-enter-submits": "true"}
        ),
        error_messages={"required": _("Write what you observed.")},
        help_text=_("Ctrl+Enter saves."),
    )
    at = forms.TimeField(
        label=_("Time"),
        input_formats=["%H:%M", "%H.%M", "%H:%M:%S"],
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
        error_messages={"invalid": _("Give the time as HH:MM, for example 14:05.")},
    )
    phase = forms.ChoiceField(label=_("Phase"), choices=[("", "—"), *Phase.choices], required=False)
    entry = EntryChoiceField(
        label=_("About log entry (optional)"),
        queryset=Entry.objects.none(),
        required=False,
        empty_label="—",
    )
    inject = InjectChoiceField(
        label=_("About inject (optional)"),
        queryset=Inject.objects.none(),
        required=False,
        empty_label="—",
    )
    objective = forms.ModelChoiceField(
        label=_("Learning objective (optional)"),
        queryset=LearningObjective.objects.none(),
        required=False,
        empty_label="—",
    )

    def __init__(self, *args: Any, exercise: Exercise, phase: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("client_token", uuid.uuid4())
        kwargs["initial"].setdefault("at", timezone.localtime().time().replace(second=0))
        kwargs["initial"].setdefault("phase", phase)
        super().__init__(*args, **kwargs)
        model_choice_field(self, "entry").queryset = entries_to_observe(exercise=exercise)
        model_choice_field(self, "inject").queryset = injects_released(exercise=exercise)
        model_choice_field(self, "objective").queryset = LearningObjective.objects.filter(
            Q(version_id=exercise.scenario_version_id)
        ).order_by("order", "pk")

    def observed_at(self) -> datetime:
        """The time typed, on the most recent day it can be: 23:58 typed at 00:01 is
        yesterday's, not tomorrow's."""
        at: time = self.cleaned_data["at"]
        now = timezone.localtime()
        moment = timezone.make_aware(
            datetime.combine(now.date(), at.replace(second=0, microsecond=0))
        )
        if moment > now + timedelta(minutes=5):
            moment -= timedelta(days=1)
        return moment
