"""The analysis after the draft: hand-over as a frozen version, sharing, reads, the PDF."""

import hashlib
import json
from datetime import timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crisisroom.models import AuditEvent, Membership, OrganisationMember
from crisisroom.services import audit_record

from ..models import (
    Analysis,
    AnalysisFormat,
    AnalysisRead,
    AnalysisShare,
    AnalysisVersion,
)
from ..pdf import render_analysis_pdf
from .drafts import DraftConflict


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
            raise DraftConflict(current, actor)
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


# Reloading the page (or a live refresh) is not reading it again: one row per sitting.
READ_AGAIN_AFTER = timedelta(minutes=10)


def analysis_record_read(*, version: AnalysisVersion, user: User, kind: str) -> None:
    """Who read which version, for the mayor's list of readers and for the audit trail.

    Every download counts; views of the same version by the same person within ten minutes
    count once, so the trail shows who read what, not how often a page was reloaded.
    """
    if (
        kind == AnalysisRead.Kind.VIEW
        and AnalysisRead.objects.filter(
            version=version,
            user=user,
            kind=kind,
            at__gte=timezone.now() - READ_AGAIN_AFTER,
        ).exists()
    ):
        return
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
