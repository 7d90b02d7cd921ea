"""Reads of the documents: formats and cards as versioned content, and the strategic analysis.

Selectors only read: the defaults an organisation starts with are made when it is created."""

import difflib
import re
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from crisisroom.boboc import PHASE_ORDER
from crisisroom.models import Crisis, Organisation, OrganisationMember

from .models import Analysis, AnalysisFormat, AnalysisRead, AnalysisShare, AnalysisVersion, CardSet


def format_current(*, organisation: Organisation) -> AnalysisFormat:
    """The organisation's newest analysis format (every organisation starts with the default)."""
    return organisation.analysis_formats.latest("version")


def cards_current(*, organisation: Organisation) -> CardSet:
    """The organisation's newest attention card and task cards."""
    return organisation.card_sets.latest("version")


def version_latest(*, analysis: Analysis | None) -> AnalysisVersion | None:
    if analysis is None:
        return None
    return (
        analysis.versions.select_related("handed_over_by", "format")
        .defer("pdf")
        .order_by("-number")
        .first()
    )


def analysis_version_newest(*, crisis: Crisis) -> AnalysisVersion | None:
    """The newest handed-over version's number and time (one light query, no content)."""
    return (
        AnalysisVersion.objects.filter(analysis__crisis=crisis)
        .only("pk", "number", "handed_over_at")
        .order_by("-number")
        .first()
    )


def versions_of(*, analysis: Analysis) -> QuerySet[AnalysisVersion]:
    return analysis.versions.select_related("handed_over_by").defer("pdf").order_by("-number")


def version_by_number(*, analysis: Analysis, number: int) -> AnalysisVersion | None:
    return (
        analysis.versions.select_related("handed_over_by", "format").filter(number=number).first()
    )


def sections_with_text(*, version: AnalysisVersion) -> list[tuple]:
    """(section, text) in the order of the format the version was written in."""
    return [(s, version.content.get(s.key, "")) for s in version.format.sections.all()]


def kernbeeld_latest(*, crisis: Crisis) -> tuple[AnalysisVersion | None, str]:
    """The latest handed-over analysis as the kernbeeld a meeting starts from.

    This is the one function the meetings app calls: meetings never reach into formats'
    models. Returns (None, "") when nothing has been handed over yet.
    """
    analysis = Analysis.objects.filter(crisis=crisis).first()
    version = version_latest(analysis=analysis)
    if version is None:
        return None, ""
    parts = [
        f"{section.title}\n{text.strip()}"
        for section, text in sections_with_text(version=version)
        if section.in_kernbeeld and text.strip()
    ]
    text = "\n\n".join(parts)
    if len(text) > KERNBEELD_MAX:
        # The kernbeeld is a summary to work with at the table, and its editor has a limit.
        marker = _("\n\n[Shortened: the full text is in the strategic analysis.]")
        text = text[: KERNBEELD_MAX - len(marker)] + marker
    return version, text


def shares_active(*, analysis: Analysis) -> QuerySet[AnalysisShare]:
    return analysis.shares.filter(revoked_at__isnull=True).select_related("user", "shared_by")


def shares_all(*, analysis: Analysis) -> QuerySet[AnalysisShare]:
    """Every share, with ``still_in_organisation``: someone who left lost access with it."""
    in_org = OrganisationMember.objects.filter(
        organisation_id=analysis.crisis.organisation_id, user=OuterRef("user")
    )
    return analysis.shares.select_related("user", "shared_by", "revoked_by").annotate(
        still_in_organisation=Exists(in_org)
    )


def reads_of(*, analysis: Analysis, limit: int = 200) -> QuerySet[AnalysisRead]:
    return (
        AnalysisRead.objects.filter(version__analysis=analysis)
        .select_related("user", "version")
        .order_by("-at", "-pk")[:limit]
    )


def analyses_shared_with(*, user: User) -> QuerySet[AnalysisShare]:
    """Analyses shared with the user, only while they still belong to the organisation."""
    return (
        AnalysisShare.objects.filter(
            user=user,
            revoked_at__isnull=True,
            analysis__crisis__organisation__members__user=user,
        )
        .select_related("analysis__crisis__organisation")
        .order_by("-shared_at")
    )


KERNBEELD_MAX = 20_000

_TOKENS = re.compile(r"\s+|[^\s]+")


def diff_html(old: str, new: str) -> SafeString:
    """Word-level difference, escaped: <del> for removed words, <ins> for added ones."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 - user text escaped above  # nosec B308 B703


def versions_diff(*, old: AnalysisVersion, new: AnalysisVersion) -> list[dict]:
    """Per section of the newer version's format: title, whether it changed, and the diff."""
    titles = {s.key: s.title for s in old.format.sections.all()}
    rows = []
    for section in new.format.sections.all():
        before, after = old.content.get(section.key, ""), new.content.get(section.key, "")
        titles.pop(section.key, None)
        rows.append(
            {"title": section.title, "changed": before != after, "html": diff_html(before, after)}
        )
    for key, title in titles.items():  # sections the newer format dropped
        before = old.content.get(key, "")
        rows.append({"title": title, "changed": bool(before), "html": diff_html(before, "")})
    return rows


def card_items(*, card: dict) -> dict:
    """The card as keyed items: {"agenda": [(key, text)], "phases": {phase: [(key, text)]}, ...}."""
    items: dict[str, Any] = {
        name: [(f"{name}:{i}", text) for i, text in enumerate(card.get(name, []), start=1)]
        for name in ("agenda", "roles", "challenges", "uitgangspunten", "families")
    }
    # In BOBOC order: a card's JSON keeps no order on PostgreSQL (jsonb sorts its keys).
    phases = card.get("phases", {})
    items["phases"] = {
        phase: [(f"{phase}:{i}", text) for i, text in enumerate(phases[phase], start=1)]
        for phase in PHASE_ORDER
        if phase in phases
    }
    return items


def card_label(*, card: dict, key: str) -> str | None:
    """The text of a card item by key, or None when the card has no such item."""
    name, _sep, number = key.partition(":")
    if not (number.isascii() and number.isdigit() and len(number) <= 4):
        return None
    source = card.get("phases", {}).get(name) if name in card.get("phases", {}) else card.get(name)
    if not isinstance(source, list) or not 1 <= int(number) <= len(source):
        return None
    return source[int(number) - 1]
