"""Writes for the strategic analysis and its format."""

import hashlib
import json
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from crisisroom.boboc import PHASE_ORDER
from crisisroom.models import AuditEvent, Crisis, Membership, Organisation, OrganisationMember
from crisisroom.roles import Role, TeamKind
from crisisroom.services import audit_record
from crisisroom.text import display_name, refuse_nul

from .card_defaults import DEFAULT_CARD_FOR_TEAM, DEFAULT_TASKS_FOR_TEAM
from .defaults import DEFAULT_SECTIONS_FOR_TEAM
from .models import (
    Analysis,
    AnalysisFormat,
    AnalysisRead,
    AnalysisShare,
    AnalysisVersion,
    CardSet,
    FormatSection,
)
from .pdf import render_analysis_pdf
from .selectors import format_current
from .teams import team_kind_for

MAX_SECTION = 20_000


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


def analysis_get_or_start(*, crisis: Crisis) -> Analysis:
    """The crisis's analysis, started on the organisation's current format when first needed."""
    analysis = Analysis.objects.filter(crisis=crisis).first()
    if analysis is not None:
        return analysis
    fmt = format_current(organisation=crisis.organisation)
    with transaction.atomic():
        analysis, _created = Analysis.objects.get_or_create(crisis=crisis, defaults={"format": fmt})
    return analysis


class DraftConflict(ValidationError):
    """Someone else saved the draft since this editor loaded it."""

    def __init__(self, analysis: Analysis):
        who = analysis.draft_saved_by
        name = display_name(who) if who else "?"
        when = timezone.localtime(analysis.draft_saved_at).strftime("%H:%M:%S")
        super().__init__(
            _(
                "%(name)s saved a newer version at %(when)s. Your text is not saved and still on "
                "your screen: copy what you need, then load the newest version."
            )
            % {"name": name, "when": when}
        )
        self.analysis = analysis


def _clean_sections(analysis: Analysis, sections: dict) -> dict:
    keys = set(analysis.format.sections.values_list("key", flat=True))
    cleaned = {}
    for key, text in sections.items():
        if key not in keys:
            continue
        text = str(text)
        if len(text) > MAX_SECTION:
            raise ValidationError(
                _("Keep each section under %(max)d characters.") % {"max": MAX_SECTION}
            )
        cleaned[key] = text
    return cleaned


def analysis_save_draft(
    *, analysis: Analysis, actor: User, sections: dict, base_revision: int
) -> Analysis:
    """Save the draft if nobody saved since ``base_revision``; otherwise raise DraftConflict."""
    refuse_nul(*sections.values())
    cleaned = _clean_sections(analysis, sections)
    with transaction.atomic():
        # Lock only the analysis row: PostgreSQL cannot lock the nullable side of a join.
        current = (
            Analysis.objects.select_for_update(of=("self",))
            .select_related("draft_saved_by")
            .get(pk=analysis.pk)
        )
        if not current.crisis.is_active:
            raise ValidationError(_("This crisis is closed: its analysis can no longer change."))
        if all(current.draft.get(key, "") == text for key, text in cleaned.items()):
            return current  # nothing new (a repeated post, a late autosave): not a conflict
        if current.draft_revision != base_revision:
            raise DraftConflict(current)
        current.draft = {**current.draft, **cleaned}
        current.draft_revision += 1
        current.draft_saved_at = timezone.now()
        current.draft_saved_by = actor
        current.save(update_fields=["draft", "draft_revision", "draft_saved_at", "draft_saved_by"])
    return current


def fingerprint_of(*, fmt: AnalysisFormat, content: dict) -> str:
    """SHA-256 of the format version and the section texts in format order: equal prints, equal
    content."""
    ordered = [[s.key, s.title, content.get(s.key, "")] for s in fmt.sections.all()]
    canonical = json.dumps(
        {"format": [fmt.organisation_id, fmt.version], "sections": ordered},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def analysis_hand_over(
    *, analysis: Analysis, actor: User, base_revision: int | None = None
) -> AnalysisVersion:
    """Freeze the draft as version N+1 (overdracht). Refused while required sections are empty.

    A second click on the same draft returns the version already made from it.
    """
    with transaction.atomic():
        current = (
            Analysis.objects.select_for_update(of=("self",))
            .select_related("draft_saved_by")
            .get(pk=analysis.pk)
        )
        if base_revision is not None and current.draft_revision != base_revision:
            # Someone saved after the text being handed over: never freeze their words
            # under this author's name.
            raise DraftConflict(current)
        if not current.crisis.is_active:
            raise ValidationError(_("This crisis is closed: its analysis can no longer change."))
        sections = list(current.format.sections.all())
        missing = [
            s.title for s in sections if s.required and not current.draft.get(s.key, "").strip()
        ]
        if missing:
            raise ValidationError(
                _("Fill in before handing over: %(sections)s.") % {"sections": "; ".join(missing)}
            )
        content = {s.key: current.draft.get(s.key, "") for s in sections}
        fingerprint = fingerprint_of(fmt=current.format, content=content)
        last = current.versions.order_by("-number").first()
        if last is not None and last.fingerprint == fingerprint:
            return last  # nothing changed since the last hand-over (or a double click)
        crisis = current.crisis
        version = AnalysisVersion.objects.create(
            analysis=current,
            number=(last.number + 1) if last else 1,
            format=current.format,
            content=content,
            handed_over_by=actor,
            fingerprint=fingerprint,
            # What the PDF's header says is fixed at hand-over too, like the content.
            header={
                "organisation": crisis.organisation.name,
                "crisis": crisis.title,
                "scaling_label": crisis.scaling_label,
                "exercise": crisis.is_exercise,
            },
        )
    return version


def analysis_share(*, analysis: Analysis, user: User, actor: User) -> AnalysisShare:
    """Share with someone of the same organisation who is not in the crisis team."""
    crisis = analysis.crisis
    if (
        not user.is_active
        or not OrganisationMember.objects.filter(
            organisation=crisis.organisation, user=user
        ).exists()
    ):
        raise ValidationError(
            {
                "user": _("Only people of %(org)s can be given the analysis.")
                % {"org": crisis.organisation}
            }
        )
    if Membership.objects.filter(crisis=crisis, user=user, ended_at__isnull=True).exists():
        raise ValidationError(
            {"user": _("This person is in the crisis team and reads it already.")}
        )
    with transaction.atomic():
        Analysis.objects.select_for_update().get(pk=analysis.pk)
        existing = analysis.shares.filter(user=user, revoked_at__isnull=True).first()
        if existing is not None:
            return existing
        share = AnalysisShare.objects.create(analysis=analysis, user=user, shared_by=actor)
        audit_record(
            action=AuditEvent.Action.ANALYSIS_SHARED, actor=actor, crisis=crisis, subject=user
        )
        return share


def analysis_share_revoke(*, share: AnalysisShare, actor: User) -> AnalysisShare:
    with transaction.atomic():
        share = AnalysisShare.objects.select_for_update().get(pk=share.pk)
        if share.revoked_at is None:
            share.revoked_at, share.revoked_by = timezone.now(), actor
            share.save(update_fields=["revoked_at", "revoked_by"])
            audit_record(
                action=AuditEvent.Action.ANALYSIS_UNSHARED,
                actor=actor,
                crisis=share.analysis.crisis,
                subject=share.user,
            )
    return share


def analysis_record_read(*, version: AnalysisVersion, user: User, kind: str) -> None:
    """Who read which version, for the mayor's list of readers and for the audit trail."""
    AnalysisRead.objects.create(version=version, user=user, kind=kind)
    audit_record(
        action=AuditEvent.Action.ANALYSIS_DOWNLOADED
        if kind == AnalysisRead.Kind.PDF
        else AuditEvent.Action.ANALYSIS_VIEWED,
        actor=user,
        crisis=version.analysis.crisis,
        detail={"version": version.number},
    )


def analysis_pdf(*, version: AnalysisVersion) -> bytes:
    """The version's PDF, made once and kept: a handed-over version never changes."""
    if version.pdf:
        return bytes(version.pdf)
    pdf = render_analysis_pdf(version=version)
    AnalysisVersion.objects.filter(pk=version.pk, pdf__isnull=True).update(pdf=pdf)
    return pdf


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
