"""Forms of the scenario library: a scenario version (with its learning objectives and its
starting analysis, one text box per section of the organisation's format), the note of a new
version, and an inject."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from crisisroom.boboc import Phase
from crisisroom.roles import Role, TeamKind
from formats.services import MAX_SECTION

from ..models import MAX_OFFSET_MINUTES, Inject, ScenarioVersion
from ..selectors.library import AnalysisSection
from ..services.library import (
    MAX_BACKGROUND,
    MAX_EXCON,
    MAX_INJECT_TEXT,
    MAX_NOTE,
    MAX_OBJECTIVE,
    MAX_OBJECTIVES,
    MAX_SENDER,
    MAX_SUMMARY,
    MAX_TITLE,
    InjectInput,
    VersionInput,
    addressee_roles,
    objectives_clean,
)

ANALYSIS_PREFIX = "analysis_"


class VersionForm(forms.Form):
    """A scenario's version: new (version 1) or a draft being edited. ``sections`` are the
    starting analysis's text boxes; ``with_note`` asks what changed (versions after the
    first)."""

    title = forms.CharField(
        label=_("Title"),
        max_length=MAX_TITLE,
        error_messages={"required": _("Give the scenario a title.")},
    )
    team_kind = forms.ChoiceField(
        label=_("For team"),
        choices=TeamKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the team the scenario is for: a GBT or a CMT."),
            "invalid_choice": _("Choose the team the scenario is for: a GBT or a CMT."),
        },
    )
    planned_minutes = forms.IntegerField(
        label=_("Planned duration (minutes)"),
        min_value=1,
        max_value=MAX_OFFSET_MINUTES,
        initial=120,
        error_messages={
            "required": _("Say how long the exercise is planned to last, in minutes."),
        },
    )
    background = forms.CharField(
        label=_("Background"),
        max_length=MAX_BACKGROUND,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the players are told at the start: the situation so far."),
    )
    objectives = forms.CharField(
        label=_("Learning objectives"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(
        self,
        *args: Any,
        sections: Sequence[AnalysisSection],
        with_note: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Messages with numbers in them are made here, in the language of the request.
        planned = gettext("Plan between 1 and %(max)d minutes.") % {"max": MAX_OFFSET_MINUTES}
        self.fields["planned_minutes"].error_messages.update(
            {"min_value": planned, "max_value": planned}
        )
        self.fields["objectives"].help_text = gettext(
            "One per line, at most %(count)d, each at most %(max)d characters. For example: "
            "going through beeldvorming and oordeelsvorming together; decisions with "
            "arguments."
        ) % {"count": MAX_OBJECTIVES, "max": MAX_OBJECTIVE}
        self.sections = list(sections)
        if with_note:
            self.fields["note"] = forms.CharField(
                label=_("What changed in this version"),
                max_length=MAX_NOTE,
                error_messages={"required": _("Say in a line what changed in this version.")},
            )
        for section in self.sections:
            help_text = section.help_text
            if not section.in_format:
                help_text = gettext(
                    "Your current format no longer has this section: empty it to remove it, "
                    "or the exercise cannot start from this analysis."
                )
            self.fields[ANALYSIS_PREFIX + section.key] = forms.CharField(
                label=section.title,
                max_length=MAX_SECTION,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=help_text,
            )

    @staticmethod
    def initial_of(version: ScenarioVersion) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "title": version.title,
            "team_kind": version.team_kind,
            "planned_minutes": version.planned_minutes,
            "background": version.background,
            "objectives": "\n".join(o.text for o in version.objectives.order_by("order", "pk")),
            "note": version.note,
        }
        for key, text in (version.analysis or {}).items():
            initial[ANALYSIS_PREFIX + key] = text
        return initial

    def analysis_fields(self) -> list[forms.BoundField]:
        return [self[ANALYSIS_PREFIX + section.key] for section in self.sections]

    def clean_objectives(self) -> list[str]:
        try:
            return objectives_clean(self.cleaned_data["objectives"].splitlines())
        except ValidationError as error:
            raise ValidationError(error.message_dict["objectives"]) from None

    def version_input(self) -> VersionInput:
        data = self.cleaned_data
        return VersionInput(
            title=data["title"],
            team_kind=data["team_kind"],
            background=data["background"],
            planned_minutes=data["planned_minutes"],
            objectives=data["objectives"],
            analysis={
                section.key: data.get(ANALYSIS_PREFIX + section.key) or ""
                for section in self.sections
            },
            note=data.get("note") or "",
        )


class NewVersionForm(forms.Form):
    note = forms.CharField(
        label=_("What changes in the new version"),
        max_length=MAX_NOTE,
        help_text=_("One line, for example: inject 4 comes earlier; objective on press added."),
        error_messages={"required": _("Say in a line what changes in the new version.")},
    )


TIMING_OFFSET = "tijd"
TIMING_PHASE = "fase"
TIMING_HAND = "hand"
TIMING_CHOICES = [
    (TIMING_OFFSET, _("At a time: minutes after the exercise clock starts")),
    (TIMING_PHASE, _("When the meeting reaches a BOBOC phase")),
    (TIMING_HAND, _("By hand only: the exercise leader releases it")),
]


class InjectForm(forms.Form):
    timing = forms.ChoiceField(
        label=_("When does it come?"),
        choices=TIMING_CHOICES,
        widget=forms.RadioSelect,
        initial=TIMING_OFFSET,
        error_messages={
            "required": _("Choose when the inject comes."),
            "invalid_choice": _("Choose when the inject comes."),
        },
    )
    offset_minutes = forms.IntegerField(
        label=_("Minutes after the start"),
        required=False,
        min_value=0,
        max_value=MAX_OFFSET_MINUTES,
        error_messages={"invalid": _("Give the minutes as a whole number.")},
    )
    trigger_phase = forms.ChoiceField(
        label=_("Phase"),
        required=False,
        choices=[("", "—"), *Phase.choices],
        error_messages={"invalid_choice": _("Choose a BOBOC phase.")},
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=Inject.Channel.choices,
        error_messages={
            "required": _("Choose how the inject reaches the team."),
            "invalid_choice": _("Choose how the inject reaches the team."),
        },
    )
    sender = forms.CharField(
        label=_("From"),
        max_length=MAX_SENDER,
        help_text=_("Who the players hear it from, for example the director of a care home."),
        error_messages={"required": _("Say who the players hear it from.")},
    )
    addressee_role = forms.ChoiceField(label=_("For (role)"), choices=())
    summary = forms.CharField(
        label=_("Summary"),
        max_length=MAX_SUMMARY,
        help_text=_("One line the players see first."),
        error_messages={
            "required": _("Write the line the players see first: what the inject is about.")
        },
    )
    text = forms.CharField(
        label=_("Text the players see"),
        max_length=MAX_INJECT_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    excon_note = forms.CharField(
        label=_("Note for the exercise control only"),
        max_length=MAX_EXCON,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The players never see this: what to watch for, what the truth is."),
    )
    expected_response = forms.CharField(
        label=_("Expected response"),
        max_length=MAX_EXCON,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What a team that follows the method does with it. Only EXCON sees this."),
    )

    def __init__(self, *args: Any, team_kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offset = self.fields["offset_minutes"]
        offset.help_text = gettext("From 0 to %(max)d (12 hours).") % {"max": MAX_OFFSET_MINUTES}
        out_of_range = gettext(
            "Give the minutes after the start: from 0 to %(max)d (12 hours)."
        ) % {"max": MAX_OFFSET_MINUTES}
        offset.error_messages.update({"min_value": out_of_range, "max_value": out_of_range})
        labels = dict(Role.choices)
        field = self.fields["addressee_role"]
        assert isinstance(field, forms.ChoiceField)  # nosec B101 - declared above
        field.choices = [(role, labels[role]) for role in addressee_roles(team_kind)]
        team = TeamKind(team_kind).label if team_kind in TeamKind.values else team_kind
        field.error_messages = {
            **field.error_messages,
            "required": _("Choose who the inject is for."),
            "invalid_choice": gettext("Choose a role of the team this scenario is for (%(team)s).")
            % {"team": team},
        }

    @staticmethod
    def initial_of(inject: Inject) -> dict[str, Any]:
        if inject.offset_minutes is not None:
            timing = TIMING_OFFSET
        elif inject.trigger_phase:
            timing = TIMING_PHASE
        else:
            timing = TIMING_HAND
        return {
            "timing": timing,
            "offset_minutes": inject.offset_minutes,
            "trigger_phase": inject.trigger_phase,
            "channel": inject.channel,
            "sender": inject.sender,
            "addressee_role": inject.addressee_role,
            "summary": inject.summary,
            "text": inject.text,
            "excon_note": inject.excon_note,
            "expected_response": inject.expected_response,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        timing = data.get("timing")
        if timing == TIMING_OFFSET:
            if data.get("offset_minutes") is None and "offset_minutes" not in self.errors:
                self.add_error("offset_minutes", _("Give the minutes after the start."))
            data["trigger_phase"] = ""
        elif timing == TIMING_PHASE:
            if not data.get("trigger_phase") and "trigger_phase" not in self.errors:
                self.add_error("trigger_phase", _("Choose the phase at which it comes."))
            data["offset_minutes"] = None
        elif timing == TIMING_HAND:
            data["offset_minutes"] = None
            data["trigger_phase"] = ""
            # A time or phase left in a field the choice does not use is not an error.
            self.errors.pop("offset_minutes", None)
            self.errors.pop("trigger_phase", None)
        if timing == TIMING_OFFSET:
            self.errors.pop("trigger_phase", None)
        if timing == TIMING_PHASE:
            self.errors.pop("offset_minutes", None)
        return data

    def inject_input(self) -> InjectInput:
        data = self.cleaned_data
        return InjectInput(
            channel=data["channel"],
            sender=data["sender"],
            addressee_role=data["addressee_role"],
            summary=data["summary"],
            offset_minutes=data.get("offset_minutes"),
            trigger_phase=data.get("trigger_phase") or "",
            text=data["text"],
            excon_note=data["excon_note"],
            expected_response=data["expected_response"],
        )
