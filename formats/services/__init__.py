"""Writes of the documents, one module each: versioned content (formats and cards), the
analysis draft, and the analysis after it (hand-over, sharing, reads, PDF)."""

from .analysis import (
    analysis_hand_over,
    analysis_pdf,
    analysis_record_read,
    analysis_share,
    analysis_share_revoke,
    fingerprint_of,
    render_analysis_pdf,
)
from .content import (
    CARD_LISTS,
    DEFAULT_CARDS_NOTE,
    DEFAULT_FORMAT_NOTE,
    DEFAULT_NOTES_FOR_TEAM,
    MAX_ITEM,
    cards_revise,
    format_revise,
    organisation_seed_defaults,
)
from .drafts import (
    MAX_SECTION,
    DraftConflict,
    DraftSave,
    SectionBase,
    SectionConflict,
    analysis_get_or_start,
    analysis_merge_draft,
    analysis_save_draft,
    same_text,
    section_base,
    section_digest,
)

__all__ = [
    "CARD_LISTS",
    "DEFAULT_CARDS_NOTE",
    "DEFAULT_FORMAT_NOTE",
    "DEFAULT_NOTES_FOR_TEAM",
    "DraftConflict",
    "DraftSave",
    "MAX_ITEM",
    "MAX_SECTION",
    "SectionBase",
    "SectionConflict",
    "analysis_get_or_start",
    "analysis_hand_over",
    "analysis_merge_draft",
    "analysis_pdf",
    "analysis_record_read",
    "analysis_save_draft",
    "analysis_share",
    "analysis_share_revoke",
    "cards_revise",
    "fingerprint_of",
    "format_revise",
    "organisation_seed_defaults",
    "render_analysis_pdf",
    "same_text",
    "section_base",
    "section_digest",
]
