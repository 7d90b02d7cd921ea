"""A crisis as one archive for the municipality's records (archiefexport): reading the crisis,
its records as JSON, and the ZIP with manifest, PDFs and a README for the archivist."""

from .export import (
    ArchiveFile,
    ArchiveSummary,
    CrisisStillActive,
    archive_filename,
    archive_record_export,
    archive_response,
    write_archive,
)

__all__ = [
    "ArchiveFile",
    "ArchiveSummary",
    "CrisisStillActive",
    "archive_filename",
    "archive_record_export",
    "archive_response",
    "write_archive",
]
