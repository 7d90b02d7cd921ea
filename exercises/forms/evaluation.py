"""Forms of the evaluation: a participant's feedback, the exercise leader's ratings per learning
objective, and a leerpunt with owner and deadline."""

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisisroom.forms import PersonChoiceField, model_choice_field
from resilience.forms.programme import DateInput

from ..models import Exercise, LearningObjective, Rating
from ..services.evaluation import (
    MAX_FEEDBACK,
    MAX_LESSON,
    MAX_RATING_NOTE,
    programme_plan_available,
)


class FeedbackForm(forms.Form):
    went_well = forms.CharField(
        label=_("What went well"),
        max_length=MAX_FEEDBACK,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    to_improve = forms.CharField(
        label=_("What could be better"),
        max_length=MAX_FEEDBACK,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    anonymous = forms.BooleanField(
        label=_("Give anonymously"),
        required=False,
        help_text=_(
            "Your name is not kept with your feedback. We only note that you gave feedback, "
            "so nobody gives it twice."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not (data.get("went_well") or data.get("to_improve")):
            self.add_error("went_well", _("Write what went well, what could be better, or both."))
        return data


class RatingForm(forms.Form):
    """One radio group and one explanation per learning objective of the exercise's version.
    An objective left without a choice stays as it is."""

    def __init__(self, *args: Any, exercise: Exercise, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.objectives = list(
            LearningObjective.objects.filter(version=exercise.scenario_version_id)
        )
        current = {r.objective_id: r for r in Rating.objects.filter(exercise=exercise)}
        for objective in self.objectives:
            rating = current.get(objective.pk)
            self.fields[f"level_{objective.pk}"] = forms.ChoiceField(
                label=_("Rating"),
                choices=Rating.Level.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=rating.level if rating else None,
            )
            self.fields[f"note_{objective.pk}"] = forms.CharField(
                label=_("Explanation"),
                max_length=MAX_RATING_NOTE,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=rating.note if rating else "",
            )

    def groups(self) -> list[tuple[LearningObjective, forms.BoundField, forms.BoundField]]:
        """For the template: each objective with its radio group and its explanation."""
        return [(o, self[f"level_{o.pk}"], self[f"note_{o.pk}"]) for o in self.objectives]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for objective in self.objectives:
            level, note = data.get(f"level_{objective.pk}"), data.get(f"note_{objective.pk}")
            if note and not level:
                self.add_error(
                    f"level_{objective.pk}", _("Choose a rating to go with the explanation.")
                )
        if not self.errors and not any(data.get(f"level_{o.pk}") for o in self.objectives):
            raise forms.ValidationError(_("Choose a rating for at least one learning objective."))
        return data

    def ratings(self) -> Iterator[tuple[LearningObjective, str, str]]:
        for objective in self.objectives:
            level = self.cleaned_data.get(f"level_{objective.pk}")
            if level:
                yield objective, level, self.cleaned_data.get(f"note_{objective.pk}") or ""


class LessonForm(forms.Form):
    text = forms.CharField(
        label=_("Lesson"),
        max_length=MAX_LESSON,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the lesson.")},
    )
    owner = PersonChoiceField(
        label=_("Owner"),
        queryset=get_user_model().objects.none(),
        empty_label="—",
        help_text=_("Someone of the organisation who sees to it that the lesson is acted on."),
        error_messages={
            "required": _("Choose who owns the lesson."),
            "invalid_choice": _("Choose someone of the organisation."),
        },
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=DateInput(),
        error_messages={
            "required": _("Give a deadline."),
            "invalid": _("Give the deadline as a date."),
        },
    )
    objective = forms.ModelChoiceField(
        label=_("Learning objective"),
        queryset=LearningObjective.objects.none(),
        required=False,
        empty_label="—",
        error_messages={"invalid_choice": _("Choose a learning objective of this scenario.")},
    )
    as_measure = forms.BooleanField(
        label=_("Add as a measure to the programme plan"),
        required=False,
        help_text=_(
            "The lesson becomes a measure of the cold phase, with its owner and deadline as "
            "owner and due date."
        ),
    )

    def __init__(self, *args: Any, exercise: Exercise, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = exercise.crisis.organisation
        model_choice_field(self, "owner").queryset = (
            get_user_model()
            .objects.filter(is_active=True, organisation_memberships__organisation=organisation)
            .order_by("last_name", "first_name", "username")
            .distinct()
        )
        model_choice_field(self, "objective").queryset = LearningObjective.objects.filter(
            version=exercise.scenario_version_id
        )
        today = timezone.localdate()
        self.fields["deadline"].widget.attrs["min"] = today.isoformat()
        if not programme_plan_available(organisation):
            del self.fields["as_measure"]

    def clean_deadline(self) -> Any:
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline lies in the past."))
        return deadline
