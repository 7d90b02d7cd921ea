"""The analysis draft: written by several people, in several tabs, without losing a word.

Each section keeps its own revision: saves of different sections merge; the same section
changed twice is refused, and both texts are shown side by side."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from crisisroom.models import Crisis
from crisisroom.text import display_name, refuse_nul

from ..models import (
    Analysis,
)
from ..selectors import format_current

MAX_SECTION = 20_000


def analysis_get_or_start(*, crisis: Crisis) -> Analysis:
    """The crisis's analysis, started on the organisation's current format when first needed."""
    analysis = Analysis.objects.filter(crisis=crisis).first()
    if analysis is not None:
        return analysis
    fmt = format_current(organisation=crisis.organisation)
    with transaction.atomic():
        analysis, _created = Analysis.objects.get_or_create(crisis=crisis, defaults={"format": fmt})
    return analysis


def section_digest(text: str) -> str:
    """A short fingerprint of a section's text as the browser sends it back (line ends as LF),
    so the server can tell a section the user left alone from one they changed."""
    normal = _newlines(text)
    return hashlib.sha256(normal.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def same_text(a: str, b: str) -> bool:
    """Equal as the browser shows them (a textarea sends every line end as CRLF)."""
    return _newlines(a) == _newlines(b)


@dataclass(frozen=True)
class SectionBase:
    """What a screen's text of one section was based on: the revision at which that section
    last changed, and the digest of its text then. Travels with the form as "<rev>:<digest>"."""

    revision: int
    digest: str

    @property
    def token(self) -> str:
        return f"{self.revision}:{self.digest}"

    @classmethod
    def parse(cls, token: str) -> "SectionBase | None":
        revision, _sep, digest = (token or "").partition(":")
        if not revision.isdigit() or len(revision) > 9 or len(digest) > 64:
            return None
        return cls(revision=int(revision), digest=digest)


def section_base(analysis: Analysis, key: str) -> SectionBase:
    """The base of ``key`` as the analysis holds it now."""
    last = (analysis.draft_sections or {}).get(key) or {}
    return SectionBase(
        revision=int(last.get("revision", 0)),
        digest=section_digest(analysis.draft.get(key, "")),
    )


@dataclass(frozen=True)
class SectionConflict:
    """One section changed on this screen and, since its base, by someone else."""

    key: str
    title: str
    theirs: str  # the text on this screen
    newer: str  # the text saved in the meantime
    newer_base: SectionBase
    saved_by: User | None
    saved_at: datetime | None
    by_self: bool  # the same person, in another window or tab

    @property
    def saved_line(self) -> str:
        return _saved_by_line(by=self.saved_by, by_self=self.by_self, at=self.saved_at)


def _saved_by_line(*, by: User | None, by_self: bool, at: datetime | None) -> str:
    when = timezone.localtime(at).strftime("%H:%M:%S") if at else "?"
    if by_self:
        name = _("you yourself, in another window or tab")
    else:
        name = display_name(by) if by else "?"
    return _("saved at %(when)s by %(name)s") % {"when": when, "name": name}


class DraftConflict(ValidationError):
    """Someone saved the draft since this editor loaded it, so this save is refused.

    ``sections`` lists the sections both changed (empty when a hand-over met a newer save).
    """

    def __init__(
        self,
        analysis: Analysis,
        actor: User | None = None,
        sections: list[SectionConflict] | None = None,
    ):
        self.analysis = analysis
        self.sections = sections or []
        if self.sections:
            messages = [
                _(
                    "“%(section)s” has a newer text, %(saved)s. Your text is not saved and still "
                    "on your screen: keep yours, take the newer one, or combine them."
                )
                % {
                    "section": c.title,
                    "saved": c.saved_line,
                }
                for c in self.sections
            ]
        else:
            who = analysis.draft_saved_by
            saved = _saved_by_line(
                by=who,
                by_self=actor is not None and who is not None and who.pk == actor.pk,
                at=analysis.draft_saved_at,
            )
            messages = [
                _(
                    "A newer version was %(saved)s. Your text is not saved and still on your "
                    "screen: copy what you need, then load the newest version."
                )
                % {"saved": saved}
            ]
        super().__init__(messages)


def _clean_sections(analysis: Analysis, sections: dict) -> dict:
    titles = dict(analysis.format.sections.values_list("key", "title"))
    cleaned = {}
    too_long = []
    for key, text in sections.items():
        if key not in titles:
            continue
        text = str(text)
        if len(text) > MAX_SECTION:
            too_long.append(
                _("“%(section)s” has %(n)s characters; a section may have at most %(max)s.")
                % {
                    "section": titles[key],
                    "n": number_format(len(text), force_grouping=True),
                    "max": number_format(MAX_SECTION, force_grouping=True),
                }
            )
        cleaned[key] = text
    if too_long:
        raise ValidationError(too_long)
    return cleaned


@dataclass(frozen=True)
class DraftSave:
    """What a save did: the analysis after it, the sections it changed, and the sections it
    left alone because someone else saved newer text there that this screen had not touched."""

    analysis: Analysis
    saved: list[str]
    newer: list[str]


def analysis_merge_draft(
    *,
    analysis: Analysis,
    actor: User,
    sections: dict,
    base_revision: int,
    bases: dict[str, SectionBase] | None = None,
    editor: str = "",
) -> DraftSave:
    """Save the sections this screen changed, merged with what others saved meanwhile.

    A section counts as changed by someone else when it changed after the screen's base for
    it (``bases[key]``, else ``base_revision``) on another screen (``editor``). Such a section
    that this screen left as it was (its digest equals the base's) keeps the newer text; one
    that both changed refuses the whole save with DraftConflict, which carries both texts.
    """
    refuse_nul(*sections.values())
    cleaned = _clean_sections(analysis, sections)
    bases = bases or {}
    with transaction.atomic():
        # Lock only the analysis row: PostgreSQL cannot lock the nullable side of a join.
        current = (
            Analysis.objects.select_for_update(of=("self",))
            .select_related("draft_saved_by")
            .get(pk=analysis.pk)
        )
        if not current.crisis.is_active:
            raise ValidationError(_("This crisis is closed: its analysis can no longer change."))
        saves = dict(current.draft_sections or {})
        changes: dict[str, str] = {}
        newer: list[str] = []
        conflicting: list[str] = []
        for key, text in cleaned.items():
            server = current.draft.get(key, "")
            if same_text(text, server):
                continue  # nothing new (a repeated post, a late autosave): not a conflict
            base = bases.get(key)
            last = saves.get(key) or {}
            changed_elsewhere = int(last.get("revision", 0)) > (
                base.revision if base else base_revision
            ) and not (editor and last.get("editor") == editor)
            if not changed_elsewhere:
                changes[key] = text
            elif base is not None and base.digest == section_digest(text):
                newer.append(key)  # untouched here: the newer text stays
            else:
                conflicting.append(key)
        if conflicting:
            raise DraftConflict(
                current, actor, _section_conflicts(current, actor, cleaned, conflicting)
            )
        if changes:
            now = timezone.now()
            current.draft = {**current.draft, **changes}
            current.draft_revision += 1
            for key in changes:
                saves[key] = {
                    "revision": current.draft_revision,
                    "by": actor.pk,
                    "at": now.isoformat(),
                    "editor": editor[:40],
                }
            current.draft_sections = saves
            current.draft_saved_at = now
            current.draft_saved_by = actor
            current.save(
                update_fields=[
                    "draft",
                    "draft_revision",
                    "draft_sections",
                    "draft_saved_at",
                    "draft_saved_by",
                ]
            )
    return DraftSave(analysis=current, saved=list(changes), newer=newer)


def _section_conflicts(
    current: Analysis, actor: User, texts: dict, keys: list[str]
) -> list[SectionConflict]:
    titles = dict(current.format.sections.values_list("key", "title"))
    saves = current.draft_sections or {}
    people = User.objects.in_bulk([saves[k].get("by") for k in keys if saves.get(k, {}).get("by")])
    conflicts = []
    for key in keys:
        last = saves.get(key) or {}
        at = parse_datetime(last.get("at") or "") if last.get("at") else None
        conflicts.append(
            SectionConflict(
                key=key,
                title=titles.get(key, key),
                theirs=texts[key],
                newer=current.draft.get(key, ""),
                newer_base=section_base(current, key),
                saved_by=people.get(last.get("by")),
                saved_at=at or current.draft_saved_at,
                by_self=last.get("by") == actor.pk,
            )
        )
    return conflicts


def analysis_save_draft(
    *, analysis: Analysis, actor: User, sections: dict, base_revision: int
) -> Analysis:
    """Save the sections against one revision for all (scripts, the demo, older screens):
    what changed since ``base_revision`` and differs here raises DraftConflict."""
    return analysis_merge_draft(
        analysis=analysis, actor=actor, sections=sections, base_revision=base_revision
    ).analysis
