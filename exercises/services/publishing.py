"""Regional publishing (seed 000: "een gezamenlijke eenduidige werkwijze voor de gehele regio",
with room for nuances): a safety region publishes a version of its analysis format, its cards
or a scenario to its member organisations; a member adopts it as a copy of its own, which it
may adapt afterwards."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from crisisroom import services as core
from crisisroom.models import AuditEvent, Organisation
from crisisroom.text import refuse_nul
from formats import services as format_services
from formats.models import AnalysisFormat, CardSet

from ..models import (
    Adoption,
    Inject,
    LearningObjective,
    Publication,
    Scenario,
    ScenarioVersion,
)
from .run import version_freeze

MAX_NOTE = 500
# The field of a publication that holds the one object of its kind.
KIND_FIELD: dict[str, str] = {
    Publication.Kind.FORMAT: "format",
    Publication.Kind.CARDS: "card_set",
    Publication.Kind.SCENARIO: "scenario_version",
}
Publishable = AnalysisFormat | CardSet | ScenarioVersion

# The columns of a section the member's copy takes over, as ``format_revise`` reads them.
SECTION_FIELDS = ("key", "title", "help_text", "required", "in_kernbeeld")
# What a member's scenario version copies of the region's (``number`` and ``based_on`` apart).
VERSION_FIELDS = ("title", "background", "team_kind", "analysis", "planned_minutes")
INJECT_FIELDS = (
    "number",
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


def _kind_of(target: Publishable) -> str:
    if isinstance(target, AnalysisFormat):
        return Publication.Kind.FORMAT
    if isinstance(target, CardSet):
        return Publication.Kind.CARDS
    return Publication.Kind.SCENARIO


def _owner_id(target: Publishable) -> int:
    if isinstance(target, ScenarioVersion):
        return target.scenario.organisation_id
    return target.organisation_id


def publication_of(target: Publishable) -> Publication | None:
    """The publication of this very version, if it was published."""
    return Publication.objects.filter(**{KIND_FIELD[_kind_of(target)]: target}).first()


def version_number_of(target: Publishable) -> int:
    return target.number if isinstance(target, ScenarioVersion) else target.version


def publication_create(
    *, region: Organisation, actor: User, target: Publishable, note: str = ""
) -> Publication:
    """Publish one version of the region's format, cards or a scenario to its members.

    Only the region's own versions; a published scenario version is frozen (a change makes the
    next version). Publishing the same version twice (a double click) is one publication.
    """
    if not region.is_region:
        raise ValidationError(_("Only a safety region publishes to member organisations."))
    if _owner_id(target) != region.pk:
        raise ValidationError(_("This version belongs to another organisation."))
    refuse_nul(note, field="note")
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ValidationError(
            {
                "note": _("Keep it under %(max)d characters (now %(n)d).")
                % {"max": MAX_NOTE, "n": len(note)}
            }
        )
    existing = publication_of(target)
    if existing is not None:
        return existing
    kind = _kind_of(target)
    try:
        with transaction.atomic():
            # Two leaders publishing the same version at once: the second waits, then finds it.
            Organisation.objects.select_for_update().get(pk=region.pk)
            existing = publication_of(target)
            if existing is not None:
                return existing
            publication = Publication(
                region=region,
                kind=kind,
                note=note,
                published_by=actor,
                **{KIND_FIELD[kind]: target},
            )
            publication.full_clean()
            publication.save()
            if isinstance(target, ScenarioVersion):
                version_freeze(version=target)
            core.audit_record(
                action=AuditEvent.Action.PUBLISHED,
                organisation=region,
                actor=actor,
                detail={
                    "kind": kind,
                    "version": version_number_of(target),
                    "publication": publication.pk,
                    **({"title": target.title} if isinstance(target, ScenarioVersion) else {}),
                },
            )
    except IntegrityError:
        existing = publication_of(target)
        if existing is not None:
            return existing
        raise
    return publication


def _adopted_note(publication: Publication) -> str:
    number = version_number_of(_target_of(publication))
    return _("Adopted from %(region)s, version %(n)d") % {
        "region": publication.region.name,
        "n": number,
    }


def _target_of(publication: Publication) -> Publishable:
    target = publication.format or publication.card_set or publication.scenario_version
    if target is None:  # the check constraint rules it out
        raise ValueError("A publication without its object.")
    return target


def _copy_scenario(
    *, publication: Publication, organisation: Organisation, actor: User
) -> Scenario:
    """The member's own copy of a regional scenario version, with its learning objectives and
    injects. A member that already has a copy of this scenario gets the version as the next
    version of that copy, so its library keeps one scenario with its history."""
    source = publication.scenario_version
    if source is None:
        raise ValueError("Not a scenario publication.")
    scenario = (
        Scenario.objects.filter(organisation=organisation, origin_id=source.scenario_id)
        .order_by("pk")
        .first()
    )
    if scenario is None:
        scenario = Scenario.objects.create(
            organisation=organisation, origin_id=source.scenario_id, created_by=actor
        )
    last = scenario.versions.aggregate(n=Max("number"))["n"] or 0
    version = ScenarioVersion(
        scenario=scenario,
        number=last + 1,
        based_on=source,
        note=_adopted_note(publication)[:300],
        created_by=actor,
        **{name: getattr(source, name) for name in VERSION_FIELDS},
    )
    version.full_clean()
    version.save()
    LearningObjective.objects.bulk_create(
        LearningObjective(version=version, order=o.order, text=o.text)
        for o in source.objectives.all()
    )
    Inject.objects.bulk_create(
        Inject(version=version, **{name: getattr(i, name) for name in INJECT_FIELDS})
        for i in source.injects.all()
    )
    return scenario


def publication_adopt(
    *, publication: Publication, organisation: Organisation, actor: User
) -> Adoption:
    """A member organisation takes over what its region published, as a copy of its own: a new
    version of its format or cards, or a scenario in its library. Twice is one adoption."""
    if organisation.is_region or organisation.region_id != publication.region_id:
        raise ValidationError(_("Only member organisations of the region adopt what it published."))
    existing = Adoption.objects.filter(publication=publication, organisation=organisation).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            # A double click or two leaders at once: the second waits here, then finds it.
            Organisation.objects.select_for_update().get(pk=organisation.pk)
            existing = Adoption.objects.filter(
                publication=publication, organisation=organisation
            ).first()
            if existing is not None:
                return existing
            adoption = Adoption(
                publication=publication, organisation=organisation, adopted_by=actor
            )
            note = _adopted_note(publication)
            if publication.format is not None:
                adoption.format = format_services.format_revise(
                    organisation=organisation,
                    actor=actor,
                    sections=[
                        {name: getattr(s, name) for name in SECTION_FIELDS}
                        for s in publication.format.sections.all()
                    ],
                    note=note,
                )
            elif publication.card_set is not None:
                adoption.card_set = format_services.cards_revise(
                    organisation=organisation,
                    actor=actor,
                    card=publication.card_set.card,
                    tasks=publication.card_set.tasks,
                    note=note,
                )
            else:
                adoption.scenario = _copy_scenario(
                    publication=publication, organisation=organisation, actor=actor
                )
            adoption.save()
            core.audit_record(
                action=AuditEvent.Action.ADOPTED,
                organisation=organisation,
                actor=actor,
                detail={
                    "kind": publication.kind,
                    "region": publication.region.name,
                    "version": version_number_of(_target_of(publication)),
                    "publication": publication.pk,
                },
            )
    except IntegrityError:
        existing = Adoption.objects.filter(
            publication=publication, organisation=organisation
        ).first()
        if existing is not None:
            return existing
        raise
    return adoption
