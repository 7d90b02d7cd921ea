"""Writes of the scenario library: a scenario with its first version, a draft version's fields,
learning objectives and injects, and the next version when the newest is frozen.

A version that was published or run is frozen (``run.version_freeze``): nothing here changes it;
every write takes the scenario row first, then the version row, and checks it is still a draft,
so a freeze arriving at the same moment either waits for the write or refuses it.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crisisroom.boboc import Phase
from crisisroom.models import AuditEvent, Organisation
from crisisroom.roles import ROLES_FOR_TEAM, Role, TeamKind
from crisisroom.services import audit_record
from crisisroom.text import refuse_nul
from formats.services import MAX_SECTION

from ..models import (
    MAX_OFFSET_MINUTES,
    Inject,
    LearningObjective,
    Scenario,
    ScenarioVersion,
)

MAX_OBJECTIVES = 12
MAX_OBJECTIVE = 300
MAX_TITLE = 200
MAX_BACKGROUND = 10_000
MAX_NOTE = 300
MAX_SUMMARY = 300
MAX_SENDER = 200
MAX_INJECT_TEXT = 10_000
MAX_EXCON = 4000
# The same new scenario submitted twice (a double click, a reload that posts again) within this
# time is the first one repeated.
REPEATED_CREATE = timedelta(minutes=2)
# Who plays: an inject is for one of the team's players, never for the exercise control.
NOT_ADDRESSEES = frozenset({Role.EXERCISE_LEADER, Role.OBSERVER})


def addressee_roles(team_kind: str) -> list[str]:
    """The roles an inject of a scenario for ``team_kind`` may be addressed to, in the order
    of ``Role``."""
    allowed = ROLES_FOR_TEAM.get(team_kind, frozenset()) - NOT_ADDRESSEES
    return [role for role in Role.values if role in allowed]


@dataclass
class VersionInput:
    """The fields of a scenario version as typed in its form."""

    title: str
    team_kind: str
    background: str = ""
    planned_minutes: int = 120
    objectives: list[str] = field(default_factory=list)
    # The starting strategic analysis by section key; empty sections are left out.
    analysis: dict[str, str] = field(default_factory=dict)
    note: str = ""


@dataclass
class InjectInput:
    """An inject as typed: at ``offset_minutes`` after the start, or when the meeting reaches
    ``trigger_phase``, or (neither) released by hand only."""

    channel: str
    sender: str
    addressee_role: str
    summary: str
    offset_minutes: int | None = None
    trigger_phase: str = ""
    text: str = ""
    excon_note: str = ""
    expected_response: str = ""


# -- checks -------------------------------------------------------------------------------------


def _too_long(max_length: int, n: int) -> str:
    return _("Keep it under %(max)d characters (now %(n)d).") % {"max": max_length, "n": n}


def objectives_clean(lines: list[str]) -> list[str]:
    """Learning objectives as typed, one per line: trimmed, empty lines left out; too many, too
    long or the same twice is refused with the line it is about."""
    objectives = [line.strip() for line in lines if line.strip()]
    errors = []
    if len(objectives) > MAX_OBJECTIVES:
        errors.append(
            _("At most %(max)d learning objectives (now %(n)d): an exercise cannot train more.")
            % {"max": MAX_OBJECTIVES, "n": len(objectives)}
        )
    seen: set[str] = set()
    for number, text in enumerate(objectives, start=1):
        if len(text) > MAX_OBJECTIVE:
            errors.append(
                _("Learning objective %(number)d is too long: at most %(max)d characters.")
                % {"number": number, "max": MAX_OBJECTIVE}
            )
        if text.casefold() in seen:
            errors.append(
                _("Learning objective %(number)d is the same as an earlier one.")
                % {"number": number}
            )
        seen.add(text.casefold())
    if errors:
        raise ValidationError({"objectives": errors})
    return objectives


def _version_errors(data: VersionInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    title = data.title.strip()
    if not title:
        add("title", _("Give the scenario a title."))
    elif len(title) > MAX_TITLE:
        add("title", _too_long(MAX_TITLE, len(title)))
    if len(data.background.strip()) > MAX_BACKGROUND:
        add("background", _too_long(MAX_BACKGROUND, len(data.background.strip())))
    if data.team_kind not in TeamKind.values:
        add("team_kind", _("Choose the team the scenario is for: a GBT or a CMT."))
    if not 1 <= data.planned_minutes <= MAX_OFFSET_MINUTES:
        add(
            "planned_minutes",
            _("Plan between 1 and %(max)d minutes.") % {"max": MAX_OFFSET_MINUTES},
        )
    if len(data.note.strip()) > MAX_NOTE:
        add("note", _too_long(MAX_NOTE, len(data.note.strip())))
    try:
        objectives_clean(data.objectives)
    except ValidationError as error:
        for message in error.message_dict["objectives"]:
            add("objectives", message)
    for key, text in data.analysis.items():
        if not isinstance(key, str) or not key or len(key) > 40:
            add("analysis", _("A section of the starting analysis has no valid key."))
        elif not isinstance(text, str):
            add("analysis", _("A section of the starting analysis is not text."))
        elif len(text) > MAX_SECTION:
            add(f"analysis_{key}", _too_long(MAX_SECTION, len(text)))
    return errors


def _version_check(data: VersionInput) -> None:
    refuse_nul(data.title, field="title")
    refuse_nul(data.background, field="background")
    refuse_nul(data.note, field="note")
    refuse_nul(*data.objectives, field="objectives")
    for key, text in data.analysis.items():
        refuse_nul(text, field=f"analysis_{key}")
    errors = _version_errors(data)
    if errors:
        raise ValidationError(errors)


def _analysis_of(data: VersionInput) -> dict[str, str]:
    return {key: text.strip() for key, text in data.analysis.items() if text.strip()}


def _apply(version: ScenarioVersion, data: VersionInput) -> None:
    version.title = data.title.strip()
    version.background = data.background.strip()
    version.team_kind = data.team_kind
    version.planned_minutes = data.planned_minutes
    version.analysis = _analysis_of(data)


def _objectives_set(version: ScenarioVersion, texts: list[str]) -> bool:
    """Make the version's objectives ``texts``, in that order. An unchanged objective keeps
    its row. Says whether anything changed."""
    wanted = objectives_clean(texts)
    current = list(version.objectives.order_by("order", "pk"))
    if [o.text for o in current] == wanted:
        return False
    by_text = {o.text: o for o in current}
    kept = set()
    for order, text in enumerate(wanted, start=1):
        objective = by_text.get(text)
        if objective is None:
            LearningObjective.objects.create(version=version, order=order, text=text)
        else:
            kept.add(objective.pk)
            if objective.order != order:
                objective.order = order
                objective.save(update_fields=["order"])
    version.objectives.exclude(pk__in=kept).exclude(text__in=wanted).delete()
    return True


def _frozen_error() -> ValidationError:
    return ValidationError(
        _(
            "This version was published or run and can no longer change. Make a new version "
            "to change the scenario."
        ),
        code="frozen",
    )


def _lock_draft(version: ScenarioVersion) -> ScenarioVersion:
    """Take the scenario row, then the version's, and return the version as it is now; a
    frozen version is refused."""
    Scenario.objects.select_for_update().get(pk=version.scenario_id)
    current = ScenarioVersion.objects.select_for_update().get(pk=version.pk)
    if current.frozen_at is not None:
        raise _frozen_error()
    return current


def _audit(scenario: Scenario, actor: User | None, change: str, **detail: object) -> None:
    audit_record(
        action=AuditEvent.Action.EXERCISE_SCENARIO_CHANGED,
        organisation=scenario.organisation,
        actor=actor,
        detail={"scenario": scenario.pk, "change": change, **detail},
    )


def _team_fits_injects(version: ScenarioVersion, team_kind: str) -> None:
    allowed = set(addressee_roles(team_kind))
    misfits = [
        str(number)
        for number, role in version.injects.order_by("number").values_list(
            "number", "addressee_role"
        )
        if role not in allowed
    ]
    if misfits:
        raise ValidationError(
            {
                "team_kind": _(
                    "Inject %(numbers)s is addressed to a role this team does not have: "
                    "change its addressee first."
                )
                % {"numbers": ", ".join(misfits)}
            }
        )


# -- scenarios and versions ---------------------------------------------------------------------


def scenario_create(*, organisation: Organisation, actor: User, data: VersionInput) -> Scenario:
    """A new scenario in ``organisation``'s library with its version 1, a draft."""
    _version_check(data)
    objectives = objectives_clean(data.objectives)
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        newest = (
            Scenario.objects.filter(organisation=organisation, created_by=actor)
            .order_by("-pk")
            .first()
        )
        if newest is not None and newest.created_at >= timezone.now() - REPEATED_CREATE:
            first = newest.versions.filter(number=1).first()
            if (
                first is not None
                and newest.versions.count() == 1
                and first.title == data.title.strip()
                and first.background == data.background.strip()
                and first.team_kind == data.team_kind
                and first.analysis == _analysis_of(data)
                and list(first.objectives.values_list("text", flat=True)) == objectives
            ):
                return newest  # the same new scenario, submitted twice
        scenario = Scenario.objects.create(organisation=organisation, created_by=actor)
        version = ScenarioVersion(scenario=scenario, number=1, created_by=actor)
        _apply(version, data)
        version.note = ""
        version.full_clean()
        version.save()
        _objectives_set(version, objectives)
        _audit(scenario, actor, "created", version=1, title=version.title)
    return scenario


def version_update(*, version: ScenarioVersion, actor: User, data: VersionInput) -> ScenarioVersion:
    """Change a draft version's fields and learning objectives. A frozen version is refused
    (code ``frozen``). Saving the same values again changes and audits nothing."""
    _version_check(data)
    with transaction.atomic():
        current = _lock_draft(version)
        if data.team_kind != current.team_kind:
            _team_fits_injects(current, data.team_kind)
        before = (
            current.title,
            current.background,
            current.team_kind,
            current.planned_minutes,
            current.analysis,
            current.note,
        )
        _apply(current, data)
        if current.number > 1:
            current.note = data.note.strip()
        if current.number > 1 and not current.note:
            raise ValidationError({"note": _("Say in a line what changed in this version.")})
        current.full_clean()
        after = (
            current.title,
            current.background,
            current.team_kind,
            current.planned_minutes,
            current.analysis,
            current.note,
        )
        changed = before != after
        if changed:
            current.save()
        changed = _objectives_set(current, data.objectives) or changed
        if changed:
            _audit(current.scenario, actor, "updated", version=current.number)
    return current


def version_new(*, scenario: Scenario, actor: User, note: str) -> ScenarioVersion:
    """The next version of ``scenario``, a draft copy of the newest (fields, learning
    objectives, injects) with ``note`` saying what changes. When the newest is still a draft
    (a double click, or nothing was frozen yet) that draft is returned and nothing is made."""
    refuse_nul(note, field="note")
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say in a line what changes in the new version.")})
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": _too_long(MAX_NOTE, len(note))})
    with transaction.atomic():
        Scenario.objects.select_for_update().get(pk=scenario.pk)
        latest = (
            ScenarioVersion.objects.select_for_update()
            .filter(scenario=scenario)
            .order_by("-number")
            .first()
        )
        if latest is None:  # pragma: no cover - every scenario is created with version 1
            raise ValidationError(_("This scenario has no version to build on."))
        if latest.frozen_at is None:
            return latest
        version = ScenarioVersion.objects.create(
            scenario=scenario,
            number=latest.number + 1,
            title=latest.title,
            background=latest.background,
            team_kind=latest.team_kind,
            analysis=dict(latest.analysis),
            planned_minutes=latest.planned_minutes,
            note=note,
            based_on=latest,
            created_by=actor,
        )
        LearningObjective.objects.bulk_create(
            LearningObjective(version=version, order=o.order, text=o.text)
            for o in latest.objectives.order_by("order", "pk")
        )
        Inject.objects.bulk_create(
            Inject(
                version=version,
                number=i.number,
                offset_minutes=i.offset_minutes,
                trigger_phase=i.trigger_phase,
                channel=i.channel,
                sender=i.sender,
                addressee_role=i.addressee_role,
                summary=i.summary,
                text=i.text,
                excon_note=i.excon_note,
                expected_response=i.expected_response,
            )
            for i in latest.injects.order_by("number")
        )
        _audit(scenario, actor, "new_version", version=version.number, note=note)
    return version


# -- injects ------------------------------------------------------------------------------------


def _inject_check(version: ScenarioVersion, data: InjectInput) -> None:
    for name in ("sender", "summary", "text", "excon_note", "expected_response"):
        refuse_nul(getattr(data, name), field=name)
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    if data.offset_minutes is not None and data.trigger_phase:
        add(
            "trigger_phase",
            _("An inject comes at a time or at a phase, not both: choose one."),
        )
    if data.offset_minutes is not None and not 0 <= data.offset_minutes <= MAX_OFFSET_MINUTES:
        add(
            "offset_minutes",
            _("Give the minutes after the start: from 0 to %(max)d (12 hours).")
            % {"max": MAX_OFFSET_MINUTES},
        )
    if data.trigger_phase and data.trigger_phase not in Phase.values:
        add("trigger_phase", _("Choose a BOBOC phase."))
    if data.channel not in Inject.Channel.values:
        add("channel", _("Choose how the inject reaches the team."))
    if data.addressee_role not in addressee_roles(version.team_kind):
        add(
            "addressee_role",
            _("Choose a role of the team this scenario is for (%(team)s).")
            % {"team": TeamKind(version.team_kind).label},
        )
    lengths = [
        ("sender", data.sender, MAX_SENDER),
        ("summary", data.summary, MAX_SUMMARY),
        ("text", data.text, MAX_INJECT_TEXT),
        ("excon_note", data.excon_note, MAX_EXCON),
        ("expected_response", data.expected_response, MAX_EXCON),
    ]
    for key, text, max_length in lengths:
        if len(text.strip()) > max_length:
            add(key, _too_long(max_length, len(text.strip())))
    if not data.summary.strip():
        add("summary", _("Write the line the players see first: what the inject is about."))
    if not data.sender.strip():
        add("sender", _("Say who the players hear it from."))
    if errors:
        raise ValidationError(errors)


def _inject_apply(inject: Inject, data: InjectInput) -> None:
    inject.offset_minutes = data.offset_minutes
    inject.trigger_phase = data.trigger_phase
    inject.channel = data.channel
    inject.sender = data.sender.strip()
    inject.addressee_role = data.addressee_role
    inject.summary = data.summary.strip()
    inject.text = data.text.strip()
    inject.excon_note = data.excon_note.strip()
    inject.expected_response = data.expected_response.strip()


_INJECT_FIELDS = (
    "offset_minutes",
    "trigger_phase",
    "channel",
    "sender",
    "addressee_role",
    "summary",
    "text",
    "excon_note",
    "expected_response",
)


def _same_inject(a: Inject, b: Inject) -> bool:
    return all(getattr(a, name) == getattr(b, name) for name in _INJECT_FIELDS)


def inject_save(
    *,
    version: ScenarioVersion,
    actor: User,
    data: InjectInput,
    inject: Inject | None = None,
) -> Inject:
    """Add an inject to a draft version (numbered after the last), or change ``inject``.

    Refused on a frozen version (code ``frozen``). The same new inject submitted twice in a
    row (a double click) is added once."""
    if inject is not None and inject.version_id != version.pk:
        raise ValidationError(_("This inject belongs to another version."))
    _inject_check(version, data)
    with transaction.atomic():
        current = _lock_draft(version)
        if inject is None:
            probe = Inject(version=current)
            _inject_apply(probe, data)
            last = current.injects.order_by("-number").first()
            if last is not None and _same_inject(last, probe):
                return last  # the same new inject, submitted twice
            probe.number = (last.number if last else 0) + 1
            probe.full_clean()
            probe.save()
            _audit(
                current.scenario,
                actor,
                "inject_added",
                version=current.number,
                inject=probe.number,
            )
            return probe
        saved = Inject.objects.select_for_update().filter(pk=inject.pk, version=current).first()
        if saved is None:
            raise ValidationError(_("This inject no longer exists."), code="gone")
        before = Inject(**{name: getattr(saved, name) for name in _INJECT_FIELDS})
        _inject_apply(saved, data)
        if _same_inject(before, saved):
            return saved
        saved.full_clean()
        saved.save()
        _audit(
            current.scenario,
            actor,
            "inject_changed",
            version=current.number,
            inject=saved.number,
        )
        return saved


def inject_delete(*, inject: Inject, actor: User) -> None:
    """Take an inject out of a draft version; the injects after it move up one number, so the
    numbers stay 1..n. Refused on a frozen version (code ``frozen``); an inject already gone
    (a double click) is nothing to do."""
    with transaction.atomic():
        current = _lock_draft(inject.version)
        gone = Inject.objects.filter(pk=inject.pk, version=current).first()
        if gone is None:
            return
        number = gone.number
        gone.delete()
        # One row at a time, upwards: each number is free when it is taken, whatever order
        # the database would check a single bulk update in.
        for later in current.injects.filter(number__gt=number).order_by("number"):
            later.number -= 1
            later.save(update_fields=["number"])
        _audit(current.scenario, actor, "inject_deleted", version=current.number, inject=number)
