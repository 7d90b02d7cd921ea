"""A crisis as one archive for the municipality's records (archiefexport).

``write_archive(crisis, fileobj)`` writes one ZIP: the data of every log entry, decision,
assignment, meeting, analysis version and audit event as JSON, the PDFs (every handed-over
version of the strategic analysis and the besluitenlijst of the whole crisis), a manifest with
the SHA-256 of every file and the result of the log's hash-chain check, and a README in Dutch
for the archivist.

Two exports of the same crisis differ only in ``generated_at`` in manifest.json: the JSON has
sorted keys and a fixed order, the PDFs come out of WeasyPrint byte for byte the same (the
analysis PDFs are cached anyway), and every zip entry is dated at the crisis's close.

Times are ISO 8601 in UTC with microseconds, the form the hash chain uses, so every entry's
``chain_hash`` can be recomputed from data/entries.json alone. People appear as internal id,
username and full name: no e-mail addresses, no password hashes.
"""

import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from crisisroom.models import AuditEvent, Crisis
from crisisroom.services import audit_record
from formats.services import analysis_pdf

from ..chain import ChainReport
from ..pdf import render_decision_list_pdf
from ..record import CrisisRecord, crisis_record_read
from .records import (
    analysis_pdf_name,
    as_json,
    assignments_json,
    audit_json,
    chain_json,
    crisis_head,
    crisis_json,
    decisions_json,
    entries_json,
    meetings_json,
    messages_json,
    stakeholders_json,
    ts,
    versions_json,
)

ARCHIVE_FORMAT = "crisisroom-crisis-archive"
ARCHIVE_FORMAT_VERSION = 1
DECISION_LIST_PDF = "pdf/besluitenlijst.pdf"


class Writable(Protocol):
    """Where an archive goes: a file, a BytesIO, an HttpResponse."""

    def write(self, data: bytes, /) -> Any: ...


class CrisisStillActive(ValidationError):
    """An archive is made of a closed crisis; a snapshot of an active one only when asked."""


@dataclass(frozen=True)
class ArchiveFile:
    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class ArchiveSummary:
    crisis_id: int
    generated_at: datetime
    snapshot: bool  # the crisis was still active: not its final state
    size: int  # of the whole ZIP, in bytes
    sha256: str  # of the whole ZIP
    counts: dict[str, int]
    chain: ChainReport
    chain_head: str | None  # chain_hash of the last entry; None when the log is empty
    files: tuple[ArchiveFile, ...]  # every file but manifest.json, which lists them
    fingerprint_mismatches: tuple[int, ...]  # analysis versions whose content no longer matches

    @property
    def problems(self) -> list[str]:
        """What the municipality must know about the integrity of what it archives."""
        found = []
        if not self.chain.intact:
            found.append(
                f"the log's hash chain is broken at entry #{self.chain.broken_seq}: "
                f"{self.chain.reason}"
            )
        found += [
            f"analysis version {n} no longer matches its fingerprint"
            for n in self.fingerprint_mismatches
        ]
        return found


def archive_filename(crisis: Crisis, *, on: datetime | None = None) -> str:
    """``crisis-<id>-<slug>-<YYYY-MM-DD>.zip``, dated on the day of export (local time)."""
    slug = slugify(crisis.title)[:50].strip("-") or "crisis"
    day = timezone.localtime(on or timezone.now()).date()
    return f"crisis-{crisis.pk}-{slug}-{day.isoformat()}.zip"


def write_archive(
    crisis: Crisis,
    fileobj: Writable,
    *,
    allow_active: bool = False,
    now: datetime | None = None,
) -> ArchiveSummary:
    """Write the crisis as one ZIP to ``fileobj`` (a file, a BytesIO, an HttpResponse).

    An active crisis raises ``CrisisStillActive`` unless ``allow_active``; the archive then says
    it is a snapshot. A broken log chain does not stop the export: the archive is written and
    its manifest, README and the summary's ``problems`` say where the chain breaks.
    """
    crisis = Crisis.objects.select_related("organisation").get(pk=crisis.pk)
    if crisis.is_active and not allow_active:
        raise CrisisStillActive(
            _("This crisis is still active: close it first, or export a snapshot.")
        )
    generated_at = now or timezone.now()
    with translation.override("nl"), timezone.override(settings.TIME_ZONE):
        data = crisis_record_read(crisis)
        files = _files(crisis, data)
        summary_files = tuple(
            ArchiveFile(path, len(content), hashlib.sha256(content).hexdigest())
            for path, content in files
        )
        manifest = _manifest(crisis, data, summary_files, generated_at)
    buffer = io.BytesIO()
    stamp = _zip_time(crisis)
    with zipfile.ZipFile(buffer, "w") as archive:
        # README first, then the manifest: what a person opening the archive reads first.
        readme, *rest = files
        _add(archive, *readme, stamp)
        _add(archive, "manifest.json", as_json(manifest), stamp)
        for path, content in rest:
            _add(archive, path, content, stamp)
    payload = buffer.getvalue()
    fileobj.write(payload)
    return ArchiveSummary(
        crisis_id=crisis.pk,
        generated_at=generated_at,
        snapshot=crisis.is_active,
        size=len(payload),
        sha256=hashlib.sha256(payload).hexdigest(),
        counts=data.counts,
        chain=data.chain,
        chain_head=data.entries[-1].chain_hash if data.entries else None,
        files=summary_files,
        fingerprint_mismatches=tuple(data.fingerprint_mismatches),
    )


def archive_record_export(
    *, crisis: Crisis, summary: ArchiveSummary, actor: User | None, via: str
) -> None:
    """Put a written archive in the audit trail: who took it (None: the system), how, and the
    SHA-256 that identifies the file they have."""
    audit_record(
        action=AuditEvent.Action.ARCHIVE_EXPORTED,
        actor=actor,
        crisis=crisis,
        detail={"sha256": summary.sha256, "size": summary.size, "via": via},
    )


def _files(crisis: Crisis, data: CrisisRecord) -> list[tuple[str, bytes]]:
    files = [
        ("README.txt", _readme(crisis, data).encode()),
        ("data/crisis.json", as_json(crisis_json(crisis, data))),
        ("data/meetings.json", as_json(meetings_json(crisis, data))),
        ("data/entries.json", as_json(entries_json(crisis, data))),
        ("data/decisions.json", as_json(decisions_json(crisis, data))),
        ("data/assignments.json", as_json(assignments_json(crisis, data))),
        ("data/analysis_versions.json", as_json(versions_json(crisis, data))),
        ("data/audit_events.json", as_json(audit_json(crisis, data))),
        ("data/messages.json", as_json(messages_json(crisis, data))),
        ("data/stakeholders.json", as_json(stakeholders_json(crisis, data))),
        (DECISION_LIST_PDF, render_decision_list_pdf(crisis=crisis, data=data)),
    ]
    # The cached PDF of each version: what the mayor received, never re-rendered differently.
    files += [(analysis_pdf_name(v.number), analysis_pdf(version=v)) for v in data.versions]
    return files


def _generator() -> dict:
    try:
        version = metadata.version("crisisroom")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return {"name": "Crisisroom", "version": version}


def _manifest(crisis: Crisis, data: CrisisRecord, files, generated_at: datetime) -> dict:
    return {
        "format": ARCHIVE_FORMAT,
        "format_version": ARCHIVE_FORMAT_VERSION,
        "generator": _generator(),
        "generated_at": ts(generated_at),
        "snapshot": crisis.is_active,
        "crisis": crisis_head(crisis),
        "counts": data.counts,
        "log_chain": chain_json(crisis, data),
        "analysis_fingerprints": {
            "checked": len(data.versions),
            "mismatched_versions": data.fingerprint_mismatches,
        },
        "conventions": {
            "timestamps": "ISO 8601, UTC, microseconds",
            "people": "internal id, username and full name; no e-mail addresses or passwords",
            "json": "UTF-8, keys sorted, lists in a fixed order (log order, then time, then id)",
            "pdf_times": f"local time ({settings.TIME_ZONE})",
        },
        "files": [
            {
                "path": f.path,
                "size": f.size,
                "sha256": f.sha256,
                "media_type": "application/pdf"
                if f.path.endswith(".pdf")
                else "application/json"
                if f.path.endswith(".json")
                else "text/plain; charset=utf-8",
            }
            for f in files
        ],
    }


# -- the zip -------------------------------------------------------------------------------------


def _zip_time(crisis: Crisis) -> tuple[int, int, int, int, int, int]:
    """Every entry carries the crisis's close (its start, for a snapshot), in UTC.

    Zip times count in two-second steps from 1980.
    """
    moment = max((crisis.closed_at or crisis.started_at).astimezone(UTC), _ZIP_EPOCH)
    return (*moment.timetuple()[:5], moment.second - moment.second % 2)


_ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)


def _add(archive: zipfile.ZipFile, path: str, content: bytes, stamp) -> None:
    info = zipfile.ZipInfo(path, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, whatever the platform: the same bytes everywhere
    info.external_attr = 0o100644 << 16
    archive.writestr(info, content, compresslevel=9)


def _readme(crisis: Crisis, data: CrisisRecord) -> str:
    """The Dutch README for the archivist (templates/meetings/archive/README.txt)."""
    return render_to_string(
        "meetings/archive/README.txt",
        {
            "crisis": crisis,
            "chain": data.chain,
            "entries": len(data.entries),
            "last": data.entries[-1] if data.entries else None,
            "fingerprint_mismatches": ", ".join(str(n) for n in data.fingerprint_mismatches),
        },
    )


def archive_response(*, crisis: Crisis, actor: User | None, via: str) -> HttpResponse:
    """The archive as a download, recorded as taken by ``actor``: the one way the chair's or
    mayor's download and the admin's action serve it (the command writes a file likewise)."""
    response = HttpResponse(content_type="application/zip")
    summary = write_archive(crisis, response)
    archive_record_export(crisis=crisis, summary=summary, actor=actor, via=via)
    response["Content-Disposition"] = f'attachment; filename="{archive_filename(crisis)}"'
    response["Cache-Control"] = "private, no-store"
    return response
