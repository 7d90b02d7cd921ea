"""The evaluation after the run: the participants' feedback (optionally anonymous), a rating per
learning objective, leerpunten with an owner and a deadline (a measure in the programme plan
where the organisation keeps one), and the close after which nothing changes and the players
read the observations and the report."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from crisisroom.models import AuditEvent, Organisation, OrganisationMember
from crisisroom.services import audit_record
from crisisroom.text import refuse_nul
from resilience import services as resilience_services
from resilience.models import Measure, MeasurePhase, MeasureTheme

from ..models import (
    Exercise,
    Feedback,
    FeedbackReceipt,
    LearningObjective,
    LessonLearned,
    Rating,
    ScenarioVersion,
)

MAX_FEEDBACK = 4000
MAX_RATING_NOTE = 2000
MAX_LESSON = 2000
MAX_MEASURE_TITLE = 200
# A leerpunt is followed up within a few years, or it is no action: a typing slip of a century
# (year 2205) is refused.
MAX_DEADLINE_YEARS = 5


def programme_plan_available(organisation: Organisation) -> bool:
    """A municipality keeps a programme plan in the cold phase: a leerpunt can become one of its
    measures. Anywhere else the lesson stays a lesson."""
    return organisation.kind == Organisation.Kind.MUNICIPALITY


def _locked(exercise: Exercise) -> Exercise:
    return Exercise.objects.select_for_update().select_related("crisis").get(pk=exercise.pk)


def _check_open(exercise: Exercise, field: str | None = None) -> None:
    """The evaluation is open between the end of the play and its close."""
    if exercise.ended_at is None:
        message = _("The evaluation opens when the exercise leader ends the exercise.")
    elif exercise.evaluation_closed_at is not None:
        message = _("The evaluation is closed: nothing can be changed any more.")
    else:
        return
    raise ValidationError({field: message} if field else message)


def _too_long(text: str, limit: int) -> str:
    return _("Keep it under %(max)d characters (now %(n)d).") % {"max": limit, "n": len(text)}


def _audit(exercise: Exercise, actor: User | None, detail: dict) -> None:
    audit_record(
        action=AuditEvent.Action.EVALUATION_CHANGED,
        crisis=exercise.crisis,
        actor=actor,
        detail=detail,
    )


# -- feedback -----------------------------------------------------------------------------------


def feedback_give(
    *, exercise: Exercise, user: User, went_well: str, to_improve: str, anonymous: bool
) -> Feedback:
    """A participant's feedback, once per person. Anonymous feedback keeps no author and no
    moment that could be matched with a receipt or the audit trail: it carries the end of the
    play as its time, every receipt carries that same time, and its audit names nobody."""
    refuse_nul(went_well, field="went_well")
    refuse_nul(to_improve, field="to_improve")
    went_well, to_improve = went_well.strip(), to_improve.strip()
    errors: dict[str, str] = {}
    if len(went_well) > MAX_FEEDBACK:
        errors["went_well"] = _too_long(went_well, MAX_FEEDBACK)
    if len(to_improve) > MAX_FEEDBACK:
        errors["to_improve"] = _too_long(to_improve, MAX_FEEDBACK)
    if not went_well and not to_improve:
        errors["went_well"] = _("Write what went well, what could be better, or both.")
    if errors:
        raise ValidationError(errors)
    already = _("You have already given your feedback on this exercise.")
    try:
        with transaction.atomic():
            current = _locked(exercise)
            _check_open(current)
            if FeedbackReceipt.objects.filter(exercise=current, user=user).exists():
                raise ValidationError(already)
            assert current.ended_at is not None  # nosec B101 - _check_open says so
            FeedbackReceipt.objects.create(exercise=current, user=user, at=current.ended_at)
            feedback = Feedback.objects.create(
                exercise=current,
                author=None if anonymous else user,
                went_well=went_well,
                to_improve=to_improve,
                submitted_at=current.ended_at if anonymous else timezone.now(),
            )
            if not anonymous:
                # Anonymous feedback leaves no audit event: its moment would tell who gave it.
                _audit(current, user, {"feedback": "named"})
    except IntegrityError:
        # Two submits at once: the receipt's unique constraint let one through.
        raise ValidationError(already) from None
    return feedback


# -- ratings ------------------------------------------------------------------------------------


def rating_set(
    *,
    exercise: Exercise,
    objective: LearningObjective,
    level: str,
    note: str,
    actor: User,
) -> Rating:
    """Rate how the team performed a learning objective; rating it again replaces the rating.
    The same rating twice (a double click) changes nothing and audits nothing."""
    refuse_nul(note, field="note")
    note = note.strip()
    errors: dict[str, str] = {}
    if objective.version_id != exercise.scenario_version_id:
        errors["objective"] = _("That learning objective belongs to another scenario.")
    if level not in Rating.Level.values:
        errors["level"] = _("Choose one of the four ratings.")
    if len(note) > MAX_RATING_NOTE:
        errors["note"] = _too_long(note, MAX_RATING_NOTE)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = _locked(exercise)
        _check_open(current, "level")
        rating = Rating.objects.filter(exercise=current, objective=objective).first()
        if rating is not None and rating.level == level and rating.note == note:
            return rating
        if rating is None:
            rating = Rating(exercise=current, objective=objective)
        rating.level = level
        rating.note = note
        rating.rated_by = actor
        rating.rated_at = timezone.now()
        rating.save()
        # The level itself stays out of the audit trail (and so out of the archive) until
        # the evaluation is closed: only that the objective was rated.
        _audit(current, actor, {"rating": objective.pk})
    return rating


def ratings_set(
    *,
    exercise: Exercise,
    ratings: list[tuple[LearningObjective, str, str]],
    actor: User,
) -> list[Rating]:
    """Rate several learning objectives at once, all or none: a refused one keeps the others
    unsaved too. Raises ValidationError keyed ``level_<objective pk>`` for each refused one."""
    errors: dict[str, list[str]] = {}
    saved = []
    with transaction.atomic():
        for objective, level, note in ratings:
            try:
                saved.append(
                    rating_set(
                        exercise=exercise, objective=objective, level=level, note=note, actor=actor
                    )
                )
            except ValidationError as error:
                errors[f"level_{objective.pk}"] = error.messages
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ValidationError(errors)
    return saved


# -- leerpunten ---------------------------------------------------------------------------------


def _measure_input(
    exercise: Exercise, lesson_number: int, text: str, owner: User, deadline: date
) -> resilience_services.MeasureInput:
    version = exercise.scenario_version
    # The programme plan is the organisation's record: in its language, whatever the screen's.
    with translation.override(settings.LANGUAGE_CODE):
        return _measure_input_texts(exercise, version, lesson_number, text, owner, deadline)


def _measure_input_texts(
    exercise: Exercise,
    version: ScenarioVersion,
    lesson_number: int,
    text: str,
    owner: User,
    deadline: date,
) -> resilience_services.MeasureInput:
    title = _("Lesson L%(number)d from exercise: %(text)s") % {
        "number": lesson_number,
        "text": " ".join(text.split()),
    }
    if len(title) > MAX_MEASURE_TITLE:
        title = title[: MAX_MEASURE_TITLE - 1].rstrip() + "…"
    description = _(
        "Lesson L%(number)d of the exercise “%(exercise)s” (scenario “%(scenario)s”, version "
        "%(version)d, %(date)s):\n\n%(text)s"
    ) % {
        "number": lesson_number,
        "exercise": exercise.crisis.title,
        "scenario": version.title,
        "version": version.number,
        "date": timezone.localtime(exercise.crisis.started_at).strftime("%d-%m-%Y"),
        "text": text,
    }
    return resilience_services.MeasureInput(
        title=title,
        theme=MeasureTheme.ANDERS,
        phase=MeasurePhase.KOUD,
        description=description[:4000],
        owner=owner,
        due_on=deadline,
    )


def lesson_record(
    *,
    exercise: Exercise,
    text: str,
    owner: User,
    deadline: date,
    actor: User,
    objective: LearningObjective | None = None,
    as_measure: bool = False,
) -> LessonLearned:
    """A leerpunt with an owner of the organisation and a deadline; with ``as_measure`` it also
    becomes a measure in the organisation's programme plan (cold phase), where a municipality
    keeps one.

    The same text recorded again by the same person in this exercise (a double click, a
    reload that posts again) is the first lesson, returned as it is: no second lesson, no
    second measure.
    """
    refuse_nul(text, field="text")
    text = text.strip()
    organisation = exercise.crisis.organisation
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Write the lesson.")
    elif len(text) > MAX_LESSON:
        errors["text"] = _too_long(text, MAX_LESSON)
    if not OrganisationMember.objects.filter(organisation=organisation, user=owner).exists():
        errors["owner"] = _("The owner must be someone of %(organisation)s.") % {
            "organisation": organisation.name
        }
    today = timezone.localdate()
    if deadline < today:
        errors["deadline"] = _("The deadline lies in the past.")
    elif deadline > today + timedelta(days=366 * MAX_DEADLINE_YEARS):
        errors["deadline"] = _("Choose a deadline within %(years)d years.") % {
            "years": MAX_DEADLINE_YEARS
        }
    if objective is not None and objective.version_id != exercise.scenario_version_id:
        errors["objective"] = _("That learning objective belongs to another scenario.")
    if as_measure and not programme_plan_available(organisation):
        errors["as_measure"] = _(
            "%(organisation)s keeps no programme plan here: the lesson stays a lesson."
        ) % {"organisation": organisation.name}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = _locked(exercise)
        _check_open(current, "text")
        for earlier in LessonLearned.objects.filter(exercise=current, recorded_by=actor):
            if " ".join(earlier.text.split()) == " ".join(text.split()):
                return earlier  # the same lesson, submitted twice
        number = (
            LessonLearned.objects.filter(exercise=current).aggregate(n=Max("number"))["n"] or 0
        ) + 1
        measure: Measure | None = None
        if as_measure:
            measure = resilience_services.measure_create(
                organisation=organisation,
                actor=actor,
                data=_measure_input(current, number, text, owner, deadline),
            )
        lesson = LessonLearned(
            exercise=current,
            number=number,
            text=text,
            owner=owner,
            deadline=deadline,
            objective=objective,
            measure=measure,
            recorded_by=actor,
        )
        lesson.full_clean()
        lesson.save()
        _audit(
            current,
            actor,
            {
                "lesson": number,
                "owner": owner.pk,
                "deadline": deadline.isoformat(),
                "measure": measure.number if measure else None,
            },
        )
    return lesson


# -- closing ------------------------------------------------------------------------------------


def evaluation_close(*, exercise: Exercise, actor: User) -> Exercise:
    """Close the evaluation: from now on nothing changes, and the players read the
    observations, the ratings, the leerpunten and the report. Twice changes nothing."""
    with transaction.atomic():
        current = _locked(exercise)
        if current.ended_at is None:
            raise ValidationError(
                _("The evaluation opens when the exercise leader ends the exercise.")
            )
        if current.evaluation_closed_at is None:
            current.evaluation_closed_at = timezone.now()
            current.save(update_fields=["evaluation_closed_at"])
            _audit(current, actor, {"evaluation": "closed"})
    return current
