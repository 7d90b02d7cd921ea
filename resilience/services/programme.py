"""Writes of the programmaplan: measures (versioned, never silently overwritten), their
progress, critical processes, partners and the cold-phase roles."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from crisisroom.models import AuditEvent, Organisation, OrganisationMember, Partner
from crisisroom.services import audit_record
from crisisroom.text import display_name

from ..models import (
    CriticalProcess,
    Measure,
    MeasureRevision,
    ProgressNote,
    ResilienceRole,
    ThreatScenario,
)

# A second submit of the same form (a double click, a reload that posts again) within these
# times is the first one repeated: it saves nothing twice and reports no conflict.
REPEATED_CREATE = timedelta(minutes=2)
REPEATED_CHANGE = timedelta(minutes=10)


@dataclass
class MeasureInput:
    title: str
    theme: str
    phase: str
    description: str = ""
    owner: User | None = None
    owner_function: str = ""
    owner_partner: Partner | None = None
    means: str = ""
    budget: Decimal | None = None
    starts_on: date | None = None
    due_on: date | None = None
    status: str = "gepland"
    scenarios: list[ThreatScenario] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)


def _snapshot_of(measure: Measure, scenarios: Iterable[str], partners: Iterable[str]) -> dict:
    return {
        "title": measure.title,
        "description": measure.description,
        "theme": measure.theme,
        "phase": measure.phase,
        "owner": (measure.owner.get_full_name() or measure.owner.username) if measure.owner else "",
        "owner_function": measure.owner_function,
        "owner_partner": measure.owner_partner.name if measure.owner_partner else "",
        "means": measure.means,
        "budget": str(measure.budget) if measure.budget is not None else "",
        "starts_on": measure.starts_on.isoformat() if measure.starts_on else "",
        "due_on": measure.due_on.isoformat() if measure.due_on else "",
        "status": measure.status,
        "scenarios": sorted(scenarios),
        "partners": sorted(partners),
    }


def measure_snapshot(measure: Measure) -> dict:
    """What a revision keeps: readable on its own, even after partners or scenarios are gone."""
    return _snapshot_of(
        measure,
        (s.title for s in measure.scenarios.all()),
        (p.name for p in measure.partners.all()),
    )


def _snapshot_for(data: MeasureInput) -> dict:
    """The snapshot a measure saved from ``data`` gets, without saving it."""
    probe = Measure()
    measure_apply(probe, data)
    return _snapshot_of(
        probe,
        {s.pk: s.title for s in data.scenarios}.values(),
        {p.pk: p.name for p in data.partners}.values(),
    )


def _is_repeat(revision: MeasureRevision | None, actor: User | None, data: MeasureInput) -> bool:
    """``revision`` (a measure's newest) is what ``actor`` just saved from this same ``data``."""
    return (
        revision is not None
        and actor is not None
        and revision.changed_by_id == actor.pk
        and revision.snapshot == _snapshot_for(data)
    )


def measure_check_belongs(organisation: Organisation, data: MeasureInput) -> None:
    """The checks a model cannot make: everything named belongs to the organisation, an owner
    is named, the dates are in order."""
    if any(s.organisation_id != organisation.pk for s in data.scenarios):
        raise ValidationError(_("A chosen scenario is not one of this organisation."))
    partners = [*data.partners, *([data.owner_partner] if data.owner_partner else [])]
    if any(p.organisation_id != organisation.pk for p in partners):
        raise ValidationError(_("A chosen partner is not one of this organisation."))
    if (
        data.owner is not None
        and not OrganisationMember.objects.filter(
            organisation=organisation, user=data.owner
        ).exists()
    ):
        raise ValidationError(_("The owner must be someone of the organisation."))
    if data.owner is None and not data.owner_function.strip() and data.owner_partner is None:
        raise ValidationError(_("Name an owner: a person, a function or a partner."))
    if data.starts_on and data.due_on and data.starts_on > data.due_on:
        raise ValidationError(_("The due date lies before the start date."))


def measure_apply(measure: Measure, data: MeasureInput) -> None:
    measure.title = data.title.strip()
    measure.description = data.description.strip()
    measure.theme = data.theme
    measure.phase = data.phase
    measure.owner = data.owner
    measure.owner_function = data.owner_function.strip()
    measure.owner_partner = data.owner_partner
    measure.means = data.means.strip()
    measure.budget = data.budget
    measure.starts_on = data.starts_on
    measure.due_on = data.due_on
    measure.status = data.status


def _revise(measure: Measure, actor: User | None) -> None:
    MeasureRevision.objects.create(
        measure=measure,
        revision=measure.revision,
        snapshot=measure_snapshot(measure),
        changed_by=actor,
        changed_at=measure.updated_at,
    )


def measure_create(
    *, organisation: Organisation, actor: User | None, data: MeasureInput
) -> Measure:
    measure_check_belongs(organisation, data)
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        newest = Measure.objects.filter(organisation=organisation).order_by("-number").first()
        if (
            newest is not None
            and actor is not None
            and newest.created_by_id == actor.pk
            and newest.created_at >= timezone.now() - REPEATED_CREATE
            and _is_repeat(newest.revisions.order_by("-revision").first(), actor, data)
        ):
            return newest  # the same new measure, submitted twice
        number = (newest.number if newest else 0) + 1
        measure = Measure(organisation=organisation, number=number, created_by=actor)
        measure_apply(measure, data)
        measure.full_clean()
        measure.save()
        measure.scenarios.set(data.scenarios)
        measure.partners.set(data.partners)
        _revise(measure, actor)
        audit_record(
            action=AuditEvent.Action.MEASURE_CHANGED,
            organisation=organisation,
            actor=actor,
            detail={"measure": measure.pk, "number": number, "created": True},
        )
    return measure


def measure_create_many(
    *, organisation: Organisation, actor: User | None, items: Sequence[MeasureInput]
) -> list[Measure]:
    """Many new measures at once (an import): the same checks as ``measure_create``, numbered
    in order, saved in a few queries instead of a dozen per measure. The caller audits."""
    for data in items:
        measure_check_belongs(organisation, data)
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        base = (
            Measure.objects.filter(organisation=organisation).aggregate(n=Max("number"))["n"] or 0
        )
        now = timezone.now()
        measures = []
        for offset, data in enumerate(items, start=1):
            measure = Measure(
                organisation=organisation,
                number=base + offset,
                created_by=actor,
                created_at=now,
                updated_at=now,
            )
            measure_apply(measure, data)
            # The numbers are fresh under the lock, the dates checked above, the budget by its
            # validator: no query per measure for what the database enforces anyway.
            measure.full_clean(validate_unique=False, validate_constraints=False)
            measures.append(measure)
        Measure.objects.bulk_create(measures)
        if not all(m.pk for m in measures):  # a backend that does not return keys
            by_number = dict(
                Measure.objects.filter(organisation=organisation, number__gt=base).values_list(
                    "number", "pk"
                )
            )
            for measure in measures:
                measure.pk = by_number[measure.number]
        Scenarios = Measure.scenarios.through
        Partners = Measure.partners.through
        Scenarios.objects.bulk_create(
            Scenarios(measure_id=m.pk, threatscenario_id=s.pk)
            for m, data in zip(measures, items, strict=True)
            for s in {s.pk: s for s in data.scenarios}.values()
        )
        Partners.objects.bulk_create(
            Partners(measure_id=m.pk, partner_id=p.pk)
            for m, data in zip(measures, items, strict=True)
            for p in {p.pk: p for p in data.partners}.values()
        )
        MeasureRevision.objects.bulk_create(
            MeasureRevision(
                measure=m,
                revision=m.revision,
                snapshot=_snapshot_of(
                    m, (s.title for s in data.scenarios), (p.name for p in data.partners)
                ),
                changed_by=actor,
                changed_at=now,
            )
            for m, data in zip(measures, items, strict=True)
        )
    return measures


def measure_update(
    *, measure: Measure, actor: User, data: MeasureInput, based_on_revision: int
) -> Measure:
    """Change a measure opened at ``based_on_revision``. If someone changed it since, nothing
    is saved and the editor is told who and when: no silent overwrite. The same change sent
    twice by the same editor (a double click) is saved once, without a conflict."""
    measure_check_belongs(measure.organisation, data)
    with transaction.atomic():
        current = Measure.objects.select_for_update().get(pk=measure.pk)
        if current.revision != based_on_revision:
            newest = current.revisions.select_related("changed_by").order_by("-revision").first()
            if (
                newest is not None
                and newest.changed_at >= timezone.now() - REPEATED_CHANGE
                and _is_repeat(newest, actor, data)
            ):
                return current
            who = (
                (newest.changed_by.get_full_name() or newest.changed_by.username)
                if newest and newest.changed_by
                else _("someone")
            )
            raise ValidationError(
                _(
                    "%(who)s changed this measure at %(when)s, while you were editing it. "
                    "Your changes are not saved: compare them with the current measure below "
                    "and save again."
                )
                % {
                    "who": who,
                    "when": timezone.localtime(current.updated_at).strftime("%d-%m-%Y %H:%M"),
                },
                code="stale",
            )
        measure_apply(current, data)
        current.revision += 1
        current.updated_at = timezone.now()
        current.full_clean()
        current.save()
        current.scenarios.set(data.scenarios)
        current.partners.set(data.partners)
        _revise(current, actor)
        audit_record(
            action=AuditEvent.Action.MEASURE_CHANGED,
            organisation=current.organisation,
            actor=actor,
            detail={"measure": current.pk, "number": current.number, "revision": current.revision},
        )
    return current


def measure_progress_record(
    *, measure: Measure, actor: User, on: date, text: str, status: str
) -> ProgressNote:
    """A dated progress note; the measure takes the status it reports. A double submit of the
    same note records it once."""
    if not text.strip():
        raise ValidationError(_("Write what happened."))
    if on > timezone.localdate():
        raise ValidationError(_("Progress is recorded for today or a day that has passed."))
    with transaction.atomic():
        current = Measure.objects.select_for_update().get(pk=measure.pk)
        last = current.progress.order_by("-written_at").first()
        if last and last.text == text.strip() and last.on == on and last.status == status:
            return last
        note = ProgressNote(
            measure=current, on=on, text=text.strip(), status=status, written_by=actor
        )
        note.full_clean()
        note.save()
        if current.status != status:
            current.status = status
            current.revision += 1
            current.updated_at = timezone.now()
            current.save(update_fields=["status", "revision", "updated_at"])
            _revise(current, actor)
        audit_record(
            action=AuditEvent.Action.MEASURE_PROGRESS,
            organisation=current.organisation,
            actor=actor,
            detail={"measure": current.pk, "number": current.number, "status": status},
        )
    return note


def _number(measure: Measure) -> int:
    return measure.number


def _process_values(process: CriticalProcess, measures: Iterable[Measure]) -> dict:
    """What the audit trail keeps of a critical process, and what a repeated save compares."""
    return {
        "name": process.name,
        "description": process.description,
        "max_outage_hours": process.max_outage_hours,
        "fallback": process.fallback,
        "owner_function": process.owner_function,
        "measures": [m.code for m in sorted({m.pk: m for m in measures}.values(), key=_number)],
    }


def critical_process_save(
    *,
    organisation: Organisation,
    actor: User,
    process: CriticalProcess | None = None,
    name: str,
    description: str = "",
    max_outage_hours: int,
    fallback: str,
    owner_function: str = "",
    measures: Iterable[Measure] = (),
    based_on_revision: int | None = None,
) -> CriticalProcess:
    """Register a critical process, or change ``process`` as opened at ``based_on_revision``:
    if someone changed it since, nothing is saved and the editor is told who and when."""
    measures = list(measures)
    if any(m.organisation_id != organisation.pk for m in measures):
        raise ValidationError(_("A chosen measure is not one of this organisation."))
    with transaction.atomic():
        previous: dict | None = None
        if process is None:
            process = CriticalProcess(organisation=organisation)
        else:
            # The saved process, not the caller's copy (a form may have changed that one).
            process = CriticalProcess.objects.select_for_update().get(
                pk=process.pk, organisation=organisation
            )
            previous = _process_values(process, process.measures.all())
        wanted = CriticalProcess(
            name=name.strip(),
            description=description.strip(),
            max_outage_hours=max_outage_hours,
            fallback=fallback.strip(),
            owner_function=owner_function.strip(),
        )
        if (
            previous is not None
            and based_on_revision is not None
            and process.revision != based_on_revision
        ):
            if (
                process.updated_by_id == actor.pk
                and process.updated_at >= timezone.now() - REPEATED_CHANGE
                and _process_values(wanted, measures) == previous
            ):
                return process  # the editor's own change of a moment ago, sent twice
            raise _process_stale(process)
        if previous is not None:
            process.revision += 1
        process.name = wanted.name
        process.description = wanted.description
        process.max_outage_hours = wanted.max_outage_hours
        process.fallback = wanted.fallback
        process.owner_function = wanted.owner_function
        process.updated_by = actor
        process.updated_at = timezone.now()
        process.full_clean()
        process.save()
        process.measures.set(measures)
        detail: dict = {"process": process.pk, "name": process.name, "revision": process.revision}
        if previous is None:
            detail["created"] = True
        else:
            detail["previous"] = previous
        audit_record(
            action=AuditEvent.Action.PROCESS_CHANGED,
            organisation=organisation,
            actor=actor,
            detail=detail,
        )
    return process


def _process_stale(current: CriticalProcess) -> ValidationError:
    who = display_name(current.updated_by) if current.updated_by else _("someone")
    return ValidationError(
        _(
            "%(who)s changed this critical process at %(when)s, while you were editing it. "
            "Your changes are not saved: compare them with the process as saved now and "
            "save again."
        )
        % {"who": who, "when": timezone.localtime(current.updated_at).strftime("%d-%m-%Y %H:%M")},
        code="stale",
    )


def partner_save(
    *,
    organisation: Organisation,
    actor: User,
    partner: Partner | None = None,
    name: str,
    kind: str,
    contact_route: str = "",
    is_active: bool = True,
) -> Partner:
    """The one partner register: the crisis desk's stakeholders and the programme's partners."""
    with transaction.atomic():
        if partner is None:
            partner = Partner(organisation=organisation)
        partner.name = name.strip()
        partner.kind = kind
        partner.contact_route = contact_route.strip()
        partner.is_active = is_active
        partner.full_clean()
        partner.save()
        audit_record(
            action=AuditEvent.Action.PARTNER_CHANGED,
            organisation=organisation,
            actor=actor,
            detail={"partner": partner.pk, "name": partner.name},
        )
    return partner


def resilience_role_set(
    *, organisation: Organisation, actor: User, user: User, kind: str
) -> ResilienceRole | None:
    """Give someone of the organisation a cold-phase role, change it, or (kind "") end it."""
    if not OrganisationMember.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError(_("Only people of the organisation can have a cold-phase role."))
    with transaction.atomic():
        ResilienceRole.objects.filter(organisation=organisation, user=user).delete()
        role = None
        if kind:
            role = ResilienceRole(organisation=organisation, user=user, kind=kind, granted_by=actor)
            role.full_clean()
            role.save()
        audit_record(
            action=AuditEvent.Action.RESILIENCE_ROLE_SET,
            organisation=organisation,
            actor=actor,
            subject=user,
            detail={"role": kind},
        )
    return role
