"""Running an exercise: the crisis marked OEFENING staffed from the roster with the exercise
leader beside the team, the starting analysis handed over as version 1, the exercise clock,
injects released by hand, on schedule or at a phase onto the team's message desk, and the
observers' notes."""

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crisisroom import services as core
from crisisroom.boboc import Phase
from crisisroom.models import AuditEvent, Crisis, Membership, Organisation
from crisisroom.roles import Role
from crisisroom.text import display_name, refuse_nul
from formats import services as format_services
from formats.models import Analysis
from meetings import services as meeting_services
from meetings.models import Entry, Meeting, MeetingEvent, Message

from ..models import (
    Exercise,
    Inject,
    InjectRelease,
    LearningObjective,
    Observation,
    ScenarioVersion,
)

# How an inject's channel reaches the message desk (the desk has no channel "ROL": the ROL's
# word comes in as internal, with the ROL as its sender).
DESK_CHANNEL = {
    Inject.Channel.TELEFOON: Message.Channel.TELEFOON,
    Inject.Channel.EMAIL: Message.Channel.EMAIL,
    Inject.Channel.SOCIAL: Message.Channel.SOCIAL,
    Inject.Channel.PERS: Message.Channel.PERS,
    Inject.Channel.ROL: Message.Channel.INTERN,
    Inject.Channel.KETENPARTNER: Message.Channel.KETENPARTNER,
}
MAX_OBSERVATION = 4000
CLOCK_SLACK = timedelta(minutes=5)


def version_freeze(*, version: ScenarioVersion) -> None:
    """A version that is run or published never changes again; changes make a new version."""
    if version.frozen_at is None:
        ScenarioVersion.objects.filter(pk=version.pk, frozen_at__isnull=True).update(
            frozen_at=timezone.now()
        )
        version.refresh_from_db(fields=["frozen_at"])


def _starting_analysis(*, crisis: Crisis, version: ScenarioVersion, actor: User) -> None:
    """The scenario's starting analysis becomes the exercise's handed-over version 1."""
    if not any(str(text).strip() for text in version.analysis.values()):
        return
    analysis = format_services.analysis_get_or_start(crisis=crisis)
    keys = set(analysis.format.sections.values_list("key", flat=True))
    missing = sorted(set(version.analysis) - keys)
    if missing:
        raise ValidationError(
            _(
                "The scenario's starting analysis has sections your format does not have: "
                "%(keys)s. Adapt the scenario to your format first."
            )
            % {"keys": ", ".join(missing)}
        )
    empty = [
        section.title
        for section in analysis.format.sections.all()
        if section.required and not str(version.analysis.get(section.key, "")).strip()
    ]
    if empty:
        raise ValidationError(
            _(
                "The scenario's starting analysis leaves sections empty that your format needs "
                "for a hand-over: %(sections)s. Fill them in the scenario (a new version) first."
            )
            % {"sections": "; ".join(empty)}
        )
    sections = {key: str(text) for key, text in version.analysis.items() if key in keys}
    Analysis.objects.filter(pk=analysis.pk).update(draft=sections)
    analysis.refresh_from_db()
    format_services.analysis_hand_over(analysis=analysis, actor=actor)


def exercise_create(
    *,
    organisation: Organisation,
    version: ScenarioVersion,
    title: str,
    actor: User,
    client_token: uuid.UUID,
    observers: Iterable[User] = (),
    staff_from_roster: bool = True,
) -> Exercise:
    """Open the exercise crisis (OEFENING) of ``organisation`` from a scenario version.

    The team is staffed from the roster as in a real crisis; the exercise leader (``actor``)
    and the observers join as EXCON. The scenario's background is the crisis summary and its
    starting analysis is handed over as version 1. The same ``client_token`` twice (a double
    click) returns the first exercise.
    """
    existing = Exercise.objects.filter(client_token=client_token).first()
    if existing is not None:
        return existing
    refuse_nul(title)
    if organisation.is_region:
        raise ValidationError(
            {"organisation": _("A region has no crisis team: choose a member organisation.")}
        )
    own_or_region = {organisation.pk, organisation.region_id}
    if version.scenario.organisation_id not in own_or_region:
        raise ValidationError({"version": _("This scenario is not available to this team.")})
    title = title.strip() or version.title
    try:
        with transaction.atomic():
            crisis = core.crisis_open(
                organisation=organisation,
                title=title,
                team_kind=version.team_kind,
                actor=actor,
                summary=version.background[:4000],
                is_exercise=True,
                staff_from_roster=staff_from_roster,
            )
            # The exercise leader seats themselves: creating the exercise is that step.
            core.membership_add(
                crisis=crisis,
                user=actor,
                role=Role.EXERCISE_LEADER,
                actor=actor,
                function_title=_("exercise leader"),
                from_roster=True,
            )
            for observer in observers:
                if observer.pk == actor.pk:
                    continue
                seat = Membership.objects.filter(
                    crisis=crisis, user=observer, ended_at__isnull=True
                ).first()
                if seat is not None:
                    raise ValidationError(
                        {
                            "observers": _(
                                "%(person)s plays in this team (%(role)s): choose another "
                                "observer, or take them off the roster for this exercise."
                            )
                            % {"person": display_name(observer), "role": seat.get_role_display()}
                        }
                    )
                core.membership_add(
                    crisis=crisis,
                    user=observer,
                    role=Role.OBSERVER,
                    actor=actor,
                    from_roster=True,
                )
            version_freeze(version=version)
            exercise = Exercise.objects.create(
                crisis=crisis, scenario_version=version, created_by=actor, client_token=client_token
            )
            _starting_analysis(crisis=crisis, version=version, actor=actor)
            core.audit_record(
                action=AuditEvent.Action.EXERCISE_CREATED,
                organisation=organisation,
                crisis=crisis,
                actor=actor,
                detail={"scenario": version.title, "version": version.number},
            )
    except IntegrityError:
        existing = Exercise.objects.filter(client_token=client_token).first()
        if existing is not None:
            return existing
        raise
    return exercise


def _locked(exercise: Exercise) -> Exercise:
    return Exercise.objects.select_for_update().select_related("crisis").get(pk=exercise.pk)


def exercise_clock_start(*, exercise: Exercise, actor: User) -> Exercise:
    """Start the exercise clock; scheduled injects count from here. Twice changes nothing."""
    with transaction.atomic():
        meeting_services.logbook_touch(crisis=exercise.crisis)
        current = _locked(exercise)
        if not current.crisis.is_active:
            raise ValidationError(_("This exercise is closed."))
        if current.clock_started_at is None:
            current.clock_started_at = timezone.now()
            current.save(update_fields=["clock_started_at"])
            core.audit_record(
                action=AuditEvent.Action.EXERCISE_CLOCK,
                organisation=current.crisis.organisation,
                crisis=current.crisis,
                actor=actor,
                detail={"clock": "started"},
            )
    return current


def exercise_end(*, exercise: Exercise, actor: User) -> Exercise:
    """End the play: no more injects; the evaluation starts. Twice changes nothing."""
    with transaction.atomic():
        meeting_services.logbook_touch(crisis=exercise.crisis)
        current = _locked(exercise)
        if current.clock_started_at is None:
            raise ValidationError(_("The exercise has not started yet."))
        if current.ended_at is None:
            current.ended_at = timezone.now()
            current.save(update_fields=["ended_at"])
            core.audit_record(
                action=AuditEvent.Action.EXERCISE_CLOCK,
                organisation=current.crisis.organisation,
                crisis=current.crisis,
                actor=actor,
                detail={"clock": "ended"},
            )
    return current


def addressee_of(*, crisis: Crisis, role: str) -> User | None:
    """Who holds the inject's role at this table now (the first seated), if anyone."""
    membership = (
        Membership.objects.filter(crisis=crisis, role=role, ended_at__isnull=True)
        .select_related("user")
        .order_by("started_at", "pk")
        .first()
    )
    return membership.user if membership else None


def inject_release(
    *,
    exercise: Exercise,
    inject: Inject,
    actor: User | None,
    how: str = InjectRelease.How.HAND,
) -> InjectRelease:
    """Put an inject into the game: an incoming message on the team's desk, routed to the
    member holding the addressed role, so it appears live on their screen and the desk.

    Released once: a second release (a double click, or the schedule at the same moment)
    returns the first. Refused before the clock starts and after the exercise ended.
    """
    if inject.version_id != exercise.scenario_version_id:
        raise ValidationError(_("This inject belongs to another scenario."))
    existing = InjectRelease.objects.filter(exercise=exercise, inject=inject).first()
    if existing is not None:
        return existing
    recorder = actor or exercise.created_by
    try:
        with transaction.atomic():
            current = _locked(exercise)
            if current.clock_started_at is None:
                raise ValidationError(_("Start the exercise clock first."))
            if current.ended_at is not None:
                raise ValidationError(_("The exercise has ended: no more injects."))
            existing = InjectRelease.objects.filter(exercise=exercise, inject=inject).first()
            if existing is not None:
                return existing
            crisis = current.crisis
            message = meeting_services.message_record(
                crisis=crisis,
                actor=recorder,
                direction=Message.Direction.IN,
                channel=DESK_CHANNEL[Inject.Channel(inject.channel)],
                counterpart=inject.sender,
                summary=inject.summary,
                body=inject.text,
                routed_to=addressee_of(crisis=crisis, role=inject.addressee_role),
                # One message per inject and run, whoever releases it.
                client_token=uuid.uuid5(current.client_token, f"inject-{inject.pk}"),
            )
            release = InjectRelease.objects.create(
                exercise=current, inject=inject, released_by=actor, how=how, message=message
            )
            core.audit_record(
                action=AuditEvent.Action.INJECT_RELEASED,
                organisation=crisis.organisation,
                crisis=crisis,
                actor=actor,
                detail={"inject": inject.number, "how": how, "message": message.seq},
            )
    except IntegrityError:
        existing = InjectRelease.objects.filter(exercise=exercise, inject=inject).first()
        if existing is not None:
            return existing
        raise
    return release


def phases_reached(*, exercise: Exercise) -> set[str]:
    """The BOBOC phases the team's meetings reached since the exercise clock started."""
    if exercise.clock_started_at is None:
        return set()
    reached = set(
        MeetingEvent.objects.filter(
            meeting__crisis=exercise.crisis,
            at__gte=exercise.clock_started_at,
            kind__in=(MeetingEvent.Kind.PHASE, MeetingEvent.Kind.STARTED),
        )
        .exclude(to_phase="")
        .values_list("to_phase", flat=True)
    )
    reached |= set(
        Meeting.objects.filter(crisis=exercise.crisis, status=Meeting.Status.RUNNING).values_list(
            "phase", flat=True
        )
    )
    return reached


def injects_due(*, exercise: Exercise, now: datetime | None = None) -> list[Inject]:
    """The injects whose time or phase has come and that are not yet released."""
    if not exercise.is_running:
        return []
    assert exercise.clock_started_at is not None  # nosec B101 - is_running says so
    now = now or timezone.now()
    elapsed = (now - exercise.clock_started_at).total_seconds() / 60
    released = set(exercise.releases.values_list("inject_id", flat=True))
    reached = phases_reached(exercise=exercise)
    due = []
    for inject in exercise.scenario_version.injects.all():
        if inject.pk in released:
            continue
        on_time = inject.offset_minutes is not None and inject.offset_minutes <= elapsed
        at_phase = bool(inject.trigger_phase) and inject.trigger_phase in reached
        if on_time or at_phase:
            due.append(inject)
    return due


def injects_release_due(*, exercise: Exercise, now: datetime | None = None) -> list[InjectRelease]:
    """Release what the schedule says is due. Called by the control screen every few seconds
    and by ``manage.py exercise_tick``; running it twice at once releases each inject once."""
    releases = []
    for inject in injects_due(exercise=exercise, now=now):
        how = (
            InjectRelease.How.SCHEDULE
            if inject.offset_minutes is not None
            else InjectRelease.How.PHASE
        )
        try:
            releases.append(inject_release(exercise=exercise, inject=inject, actor=None, how=how))
        except ValidationError:
            break  # ended or closed meanwhile
    return releases


def observation_record(
    *,
    exercise: Exercise,
    observer: User,
    text: str,
    client_token: uuid.UUID,
    at: datetime | None = None,
    phase: str = "",
    entry: Entry | None = None,
    inject: Inject | None = None,
    objective: LearningObjective | None = None,
) -> Observation:
    """An observer's note. The same ``client_token`` twice (a double Enter) is one note."""
    existing = Observation.objects.filter(exercise=exercise, client_token=client_token).first()
    if existing is not None:
        return existing
    refuse_nul(text)
    text = text.strip()
    at = at or timezone.now()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Write what you observed.")
    elif len(text) > MAX_OBSERVATION:
        errors["text"] = _("Keep it under %(max)d characters (now %(n)d).") % {
            "max": MAX_OBSERVATION,
            "n": len(text),
        }
    if at > timezone.now() + CLOCK_SLACK:
        errors["at"] = _("This time is in the future.")
    elif at < exercise.crisis.started_at - timedelta(hours=1):
        errors["at"] = _("This time is before the exercise started.")
    if phase and phase not in Phase.values:
        errors["phase"] = _("Choose a BOBOC phase.")
    if entry is not None and entry.crisis_id != exercise.crisis_id:
        errors["entry"] = _("That log entry belongs to another crisis.")
    if inject is not None and inject.version_id != exercise.scenario_version_id:
        errors["inject"] = _("That inject belongs to another scenario.")
    if objective is not None and objective.version_id != exercise.scenario_version_id:
        errors["objective"] = _("That learning objective belongs to another scenario.")
    if exercise.is_evaluated:
        errors["text"] = _("The evaluation is closed: observations can no longer be added.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return Observation.objects.create(
                exercise=exercise,
                observer=observer,
                at=at,
                phase=phase,
                entry=entry,
                inject=inject,
                objective=objective,
                text=text,
                client_token=client_token,
            )
    except IntegrityError:
        existing = Observation.objects.filter(exercise=exercise, client_token=client_token).first()
        if existing is not None:
            return existing
        raise
