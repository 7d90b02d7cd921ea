"""The documents as versioned content: what a new organisation starts with, and new versions
of its analysis format and of its cards."""

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from crisisroom.boboc import PHASE_ORDER
from crisisroom.models import Organisation
from crisisroom.roles import Role, TeamKind
from crisisroom.text import refuse_nul

from ..card_defaults import DEFAULT_CARD_FOR_TEAM, DEFAULT_TASKS_FOR_TEAM
from ..defaults import DEFAULT_SECTIONS_FOR_TEAM
from ..models import (
    AnalysisFormat,
    CardSet,
    FormatSection,
)
from ..teams import team_kind_for

DEFAULT_FORMAT_NOTE = "Crisisroom default (public practice of strategic analyses)"
DEFAULT_CARDS_NOTE = "Crisisroom default (public practice and the CMT chair's task card)"
# Labels of the defaults per team kind (a GBT's are the notes above, as they always were).
DEFAULT_NOTES_FOR_TEAM = {
    TeamKind.GBT: (DEFAULT_FORMAT_NOTE, DEFAULT_CARDS_NOTE),
    TeamKind.CMT: (
        "Crisisroom-standaard voor een CMT (openbare praktijk van strategische analyses)",
        "Crisisroom-standaard voor een CMT (openbare taakkaart van de CMT-voorzitter)",
    ),
}


def organisation_seed_defaults(organisation: Organisation) -> None:
    """Give a new organisation Crisisroom's default format and cards for its kind of team,
    labelled as defaults: a municipality a GBT's, a company or institution a CMT's.

    Registered with crisisroom's organisation_create (see FormatsConfig.ready); the data
    migrations that seeded existing organisations (0006, and 0007 for companies) do the same
    with the same defaults.
    """
    team = team_kind_for(organisation)
    format_note, cards_note = DEFAULT_NOTES_FOR_TEAM[team]
    if not organisation.analysis_formats.exists():
        fmt = AnalysisFormat.objects.create(
            organisation=organisation, version=1, is_default=True, note=format_note
        )
        FormatSection.objects.bulk_create(
            FormatSection(
                format=fmt,
                key=key,
                title=title,
                help_text=help_text,
                required=required,
                in_kernbeeld=kernbeeld,
                order=i,
            )
            for i, (key, title, help_text, required, kernbeeld) in enumerate(
                DEFAULT_SECTIONS_FOR_TEAM[team]
            )
        )
    if not organisation.card_sets.exists():
        CardSet.objects.create(
            organisation=organisation,
            version=1,
            card=DEFAULT_CARD_FOR_TEAM[team],
            tasks=DEFAULT_TASKS_FOR_TEAM[team],
            is_default=True,
            note=cards_note,
        )


def format_revise(
    *,
    organisation: Organisation,
    actor: User,
    sections: list[dict],
    note: str = "",
) -> AnalysisFormat:
    """Save a new format version. Analyses already written keep the version they used."""
    refuse_nul(note, *(str(value) for s in sections for value in s.values()))
    errors = []
    keys = [s["key"] for s in sections]
    if not sections:
        errors.append(_("A format needs at least one section."))
    if len(set(keys)) != len(keys):
        errors.append(_("Two sections have the same key."))
    if any(not s["title"].strip() for s in sections):
        errors.append(_("Every section needs a title."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        last = organisation.analysis_formats.aggregate(n=Max("version"))["n"] or 0
        fmt = AnalysisFormat.objects.create(
            organisation=organisation, version=last + 1, note=note.strip()[:300], created_by=actor
        )
        for i, s in enumerate(sections):
            section = FormatSection(
                format=fmt,
                key=s["key"],
                title=s["title"].strip(),
                help_text=s.get("help_text", "").strip(),
                required=bool(s.get("required")),
                in_kernbeeld=bool(s.get("in_kernbeeld")),
                order=i,
            )
            section.full_clean(exclude=["format"])
            section.save()
    return fmt


# -- attention card and task cards -----------------------------------------------------------

CARD_LISTS = ("agenda", "roles", "challenges", "uitgangspunten", "families")
MAX_ITEM = 500


def _clean_list(items, name: str) -> list[str]:
    cleaned = [str(item).strip() for item in items if str(item).strip()]
    if any(len(item) > MAX_ITEM for item in cleaned):
        raise ValidationError(
            _("%(list)s: keep each line under %(max)d characters.")
            % {"list": name, "max": MAX_ITEM}
        )
    return cleaned


def cards_revise(
    *, organisation: Organisation, actor: User, card: dict, tasks: dict, note: str = ""
) -> CardSet:
    """Save a new version of the card and task cards; meetings keep the version they used."""
    clean_card: dict[str, Any] = {
        name: _clean_list(card.get(name, []), name) for name in CARD_LISTS
    }
    clean_card["phases"] = {
        phase: _clean_list(card.get("phases", {}).get(phase, []), phase) for phase in PHASE_ORDER
    }
    if not clean_card["agenda"]:
        raise ValidationError(_("The agenda needs at least one item."))
    clean_tasks = {
        role: _clean_list(tasks.get(role, []), role) for role in Role.values if tasks.get(role)
    }
    clean_tasks = {role: items for role, items in clean_tasks.items() if items}
    if not clean_tasks:
        raise ValidationError(_("Keep at least one task card: the paper pack needs them."))
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        last = organisation.card_sets.aggregate(n=Max("version"))["n"] or 0
        return CardSet.objects.create(
            organisation=organisation,
            version=last + 1,
            card=clean_card,
            tasks=clean_tasks,
            note=note.strip()[:300],
            created_by=actor,
        )
