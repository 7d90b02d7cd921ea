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
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from weasyprint import HTML

from crisisroom.models import AuditEvent, Crisis, Membership
from formats.models import AnalysisRead, AnalysisShare, AnalysisVersion
from formats.services import analysis_pdf, fingerprint_of

from .chain import CHAINED_FIELDS, ChainReport, genesis, verify_chain
from .models import Assignment, Attendance, CardTick, Entry, Logbook, Meeting, MeetingEvent

ARCHIVE_FORMAT = "crisisroom-crisis-archive"
ARCHIVE_FORMAT_VERSION = 1
DECISION_LIST_PDF = "pdf/besluitenlijst.pdf"

# How a reader recomputes the chain from data/entries.json (the archive must explain itself).
CHAIN_RECIPE = (
    "genesis = sha256('crisisroom-log:<crisis id>') as hex. For each entry in seq order: "
    "chain_hash = sha256 over the UTF-8 JSON (keys sorted, separators ',' and ':', no ASCII "
    "escaping) of the chained fields plus 'previous' (the chain_hash of the entry before, the "
    "genesis for entry 1). crisis_id is the crisis id; author_id and decided_by_id are the 'id' "
    "of 'author' and 'decided_by'; meeting_id, corrects_id, checks_id are ids as numbers or "
    "null; times as in this archive (UTC, microseconds); every other field as text."
)


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
    fileobj: BinaryIO,
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
        data = _read(crisis)
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
        _add(archive, "manifest.json", _json(manifest), stamp)
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


def archive_record_export(*, crisis: Crisis, summary: ArchiveSummary, actor, via: str) -> None:
    """Put a written archive in the audit trail: who took it (None: the system), how, and the
    SHA-256 that identifies the file they have."""
    from crisisroom.models import AuditEvent
    from crisisroom.services import audit_record

    audit_record(
        action=AuditEvent.Action.ARCHIVE_EXPORTED,
        actor=actor,
        crisis=crisis,
        detail={"sha256": summary.sha256, "size": summary.size, "via": via},
    )


def render_decision_list_pdf(*, crisis: Crisis) -> bytes:
    """The besluitenlijst of the whole crisis as an A4 PDF (also what the archive holds)."""
    crisis = Crisis.objects.select_related("organisation").get(pk=crisis.pk)
    with translation.override("nl"), timezone.override(settings.TIME_ZONE):
        return _decision_list_pdf(crisis, _read(crisis))


# -- reading -----------------------------------------------------------------------------------


@dataclass
class _Data:
    last_seq: int | None
    entries: list[Entry]
    assignments: list[Assignment]
    meetings: list[Meeting]
    memberships: list[Membership]
    versions: list[AnalysisVersion]
    audit_events: list[AuditEvent]
    shares: list[AnalysisShare]
    reads: list[AnalysisRead]
    chain: ChainReport
    fingerprint_mismatches: list[int]
    seq_by_id: dict[int, int]
    corrected_by: dict[int, int]  # entry id -> seq of the entry that corrects it
    checked_in: dict[int, list[int]]  # assignment id -> seqs of its controle entries
    assignment_seq: dict[int, int]  # assignment id -> seq of its opdracht entry
    meeting_number: dict[int, int]  # meeting id -> number

    @property
    def counts(self) -> dict[str, int]:
        return {
            "memberships": len(self.memberships),
            "meetings": len(self.meetings),
            "entries": len(self.entries),
            "corrections": sum(1 for e in self.entries if e.corrects_id),
            "decisions": sum(1 for e in self.entries if e.kind == Entry.Kind.BESLUIT),
            "assignments": len(self.assignments),
            "analysis_versions": len(self.versions),
            "audit_events": len(self.audit_events),
            "analysis_shares": len(self.shares),
            "analysis_reads": len(self.reads),
        }


def _read(crisis: Crisis) -> _Data:
    # The counter first: an entry added while we read then never looks like a removed one.
    last_seq = Logbook.objects.filter(pk=crisis.pk).values_list("last_seq", flat=True).first()
    # Every entry, not only up to the counter: the archive must hold whatever is in the log.
    entries = list(
        Entry.objects.filter(crisis=crisis).select_related("author", "decided_by").order_by("seq")
    )
    assignments = list(
        Assignment.objects.filter(crisis=crisis)
        .select_related("owner", "entry__author")
        .order_by("entry__seq", "pk")
    )
    meetings = list(
        Meeting.objects.filter(crisis=crisis)
        .select_related("started_by", "ended_by", "kernbeeld_updated_by")
        .prefetch_related(
            Prefetch("events", MeetingEvent.objects.select_related("by").order_by("at", "pk")),
            Prefetch(
                "attendance", Attendance.objects.select_related("user", "delegate").order_by("pk")
            ),
            Prefetch("card_ticks", CardTick.objects.select_related("by").order_by("at", "pk")),
        )
        .order_by("number")
    )
    versions = list(
        AnalysisVersion.objects.filter(analysis__crisis=crisis)
        .select_related("handed_over_by", "format")
        .prefetch_related("format__sections")
        .order_by("number")
    )
    data = _Data(
        last_seq=last_seq,
        entries=entries,
        assignments=assignments,
        meetings=meetings,
        memberships=list(
            Membership.objects.filter(crisis=crisis)
            .select_related("user", "added_by", "ended_by")
            .order_by("started_at", "pk")
        ),
        versions=versions,
        audit_events=list(
            AuditEvent.objects.filter(crisis=crisis)
            .select_related("actor", "subject", "organisation")
            .order_by("at", "pk")
        ),
        shares=list(
            AnalysisShare.objects.filter(analysis__crisis=crisis)
            .select_related("user", "shared_by", "revoked_by")
            .order_by("shared_at", "pk")
        ),
        # Not select_related("version"): that would load the version's PDF once per read.
        reads=list(
            AnalysisRead.objects.filter(version__analysis__crisis=crisis)
            .select_related("user")
            .order_by("at", "pk")
        ),
        chain=verify_chain(crisis.pk, entries, last_seq),
        fingerprint_mismatches=[
            v.number
            for v in versions
            if fingerprint_of(fmt=v.format, content=v.content) != v.fingerprint
        ],
        seq_by_id={e.pk: e.seq for e in entries},
        corrected_by={e.corrects_id: e.seq for e in entries if e.corrects_id},
        checked_in={},
        assignment_seq={a.pk: a.entry.seq for a in assignments},
        meeting_number={m.pk: m.number for m in meetings},
    )
    for entry in entries:
        if entry.checks_id:
            data.checked_in.setdefault(entry.checks_id, []).append(entry.seq)
    return data


# -- the files -----------------------------------------------------------------------------------


def _ts(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with microseconds: the form the hash chain hashes."""
    return None if value is None else value.astimezone(UTC).isoformat(timespec="microseconds")


def _person(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.get_username(), "full_name": user.get_full_name()}


def _json(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


def _pdf_name(number: int) -> str:
    return f"pdf/analysis-v{number}.pdf"


def _files(crisis: Crisis, data: _Data) -> list[tuple[str, bytes]]:
    files = [
        ("README.txt", _readme(crisis, data).encode()),
        ("data/crisis.json", _json(_crisis_json(crisis, data))),
        ("data/meetings.json", _json(_meetings_json(crisis, data))),
        ("data/entries.json", _json(_entries_json(crisis, data))),
        ("data/decisions.json", _json(_decisions_json(crisis, data))),
        ("data/assignments.json", _json(_assignments_json(crisis, data))),
        ("data/analysis_versions.json", _json(_versions_json(crisis, data))),
        ("data/audit_events.json", _json(_audit_json(crisis, data))),
        (DECISION_LIST_PDF, _decision_list_pdf(crisis, data)),
    ]
    # The cached PDF of each version: what the mayor received, never re-rendered differently.
    files += [(_pdf_name(v.number), analysis_pdf(version=v)) for v in data.versions]
    return files


def _crisis_head(crisis: Crisis) -> dict:
    return {
        "id": crisis.pk,
        "title": crisis.title,
        "organisation": {
            "id": crisis.organisation_id,
            "name": crisis.organisation.name,
            "kind": crisis.organisation.kind,
        },
        "team_kind": crisis.team_kind,
        "team_kind_label": str(crisis.get_team_kind_display()),
        "scaling_label": crisis.scaling_label,
        "is_exercise": crisis.is_exercise,
        "status": crisis.status,
        "started_at": _ts(crisis.started_at),
        "closed_at": _ts(crisis.closed_at),
    }


def _crisis_json(crisis: Crisis, data: _Data) -> dict:
    return {
        "crisis": {**_crisis_head(crisis), "summary": crisis.summary},
        "memberships": [
            {
                "id": m.pk,
                "person": _person(m.user),
                "role": m.role,
                "role_label": str(m.get_role_display()),
                "function_title": m.function_title,
                "started_at": _ts(m.started_at),
                "added_by": _person(m.added_by),
                "ended_at": _ts(m.ended_at),
                "ended_by": _person(m.ended_by),
            }
            for m in data.memberships
        ],
    }


def _meetings_json(crisis: Crisis, data: _Data) -> dict:
    versions = {v.pk: v for v in data.versions}

    def source(meeting):
        version = versions.get(meeting.kernbeeld_source_id)
        if version is None:
            return None
        return {"analysis_version": version.number, "fingerprint": version.fingerprint}

    return {
        "crisis_id": crisis.pk,
        "meetings": [
            {
                "id": m.pk,
                "number": m.number,
                "status": m.status,
                "phase": m.phase,
                "planned_minutes": m.planned_minutes,
                "started_at": _ts(m.started_at),
                "started_by": _person(m.started_by),
                "ended_at": _ts(m.ended_at),
                "ended_by": _person(m.ended_by),
                "kernbeeld": m.kernbeeld,
                "kernbeeld_source": source(m),
                "kernbeeld_revision": m.kernbeeld_revision,
                "kernbeeld_updated_at": _ts(m.kernbeeld_updated_at),
                "kernbeeld_updated_by": _person(m.kernbeeld_updated_by),
                "card_set_id": m.card_set_id,
                "next_meeting": {
                    "at": _ts(m.next_at),
                    "minutes": m.next_minutes,
                    "input_due_at": _ts(m.next_input_due_at),
                },
                "events": [
                    {
                        "kind": ev.kind,
                        "kind_label": str(ev.get_kind_display()),
                        "at": _ts(ev.at),
                        "by": _person(ev.by),
                        "from_phase": ev.from_phase,
                        "to_phase": ev.to_phase,
                        "note": ev.note,
                    }
                    for ev in m.events.all()
                ],
                "attendance": [
                    {
                        "person": _person(a.user),
                        "present": a.present,
                        "delegate": _person(a.delegate),
                    }
                    for a in m.attendance.all()
                ],
                "card_ticks": [
                    {"key": t.key, "label": t.label, "at": _ts(t.at), "by": _person(t.by)}
                    for t in m.card_ticks.all()
                ],
            }
            for m in data.meetings
        ],
    }


def _entry_json(entry: Entry, data: _Data) -> dict:
    return {
        "id": entry.pk,
        "seq": entry.seq,
        "kind": entry.kind,
        "kind_label": str(entry.get_kind_display()),
        "phase": entry.phase,
        "meeting_id": entry.meeting_id,
        "meeting_number": data.meeting_number.get(entry.meeting_id),
        "text": entry.text,
        "author": _person(entry.author),
        "recorded_at": _ts(entry.recorded_at),
        "occurred_at": _ts(entry.occurred_at),
        "corrects_id": entry.corrects_id,
        "corrects_seq": data.seq_by_id.get(entry.corrects_id),
        "corrected_by_seq": data.corrected_by.get(entry.pk),
        "reasoning": entry.reasoning,
        "decided_by": _person(entry.decided_by),
        "checks_id": entry.checks_id,
        "checks_seq": data.assignment_seq.get(entry.checks_id),
        "check_state_before": entry.check_state_before,
        "client_token": str(entry.client_token),
        "chain_hash": entry.chain_hash,
    }


def _entries_json(crisis: Crisis, data: _Data) -> dict:
    return {"crisis_id": crisis.pk, "entries": [_entry_json(e, data) for e in data.entries]}


def _decisions_json(crisis: Crisis, data: _Data) -> dict:
    return {
        "crisis_id": crisis.pk,
        "decisions": [
            {
                "entry_id": e.pk,
                "seq": e.seq,
                "meeting_number": data.meeting_number.get(e.meeting_id),
                "phase": e.phase,
                "text": e.text,
                "reasoning": e.reasoning,
                "decided_by": _person(e.decided_by),
                "recorded_by": _person(e.author),
                "recorded_at": _ts(e.recorded_at),
                "occurred_at": _ts(e.occurred_at),
                "corrects_seq": data.seq_by_id.get(e.corrects_id),
                "corrected_by_seq": data.corrected_by.get(e.pk),
            }
            for e in data.entries
            if e.kind == Entry.Kind.BESLUIT
        ],
    }


def _assignments_json(crisis: Crisis, data: _Data) -> dict:
    return {
        "crisis_id": crisis.pk,
        "assignments": [
            {
                "id": a.pk,
                "entry_id": a.entry_id,
                "seq": a.entry.seq,
                "meeting_number": data.meeting_number.get(a.entry.meeting_id),
                "text": a.entry.text,
                "recorded_by": _person(a.entry.author),
                "recorded_at": _ts(a.entry.recorded_at),
                "owner": _person(a.owner),
                "owner_function": a.owner_function,
                "owner_label": a.owner_label,
                "deadline": _ts(a.deadline),
                "status": a.status,
                "status_label": str(a.get_status_display()),
                "postponements": a.postponements,
                "closed_at": _ts(a.closed_at),
                "checked_in_seqs": data.checked_in.get(a.pk, []),
                "corrects_seq": data.seq_by_id.get(a.entry.corrects_id),
                "corrected_by_seq": data.corrected_by.get(a.entry_id),
            }
            for a in data.assignments
        ],
    }


def _versions_json(crisis: Crisis, data: _Data) -> dict:
    def sections(version):
        rows = [
            {
                "key": s.key,
                "title": s.title,
                "required": s.required,
                "in_kernbeeld": s.in_kernbeeld,
                "text": version.content.get(s.key, ""),
            }
            for s in version.format.sections.all()
        ]
        known = {row["key"] for row in rows}
        # Nothing of the content is left out, even a key its format does not (or no longer) name.
        rows += [
            {"key": k, "title": None, "required": None, "in_kernbeeld": None, "text": v}
            for k, v in sorted(version.content.items())
            if k not in known
        ]
        return rows

    return {
        "crisis_id": crisis.pk,
        "analysis_versions": [
            {
                "id": v.pk,
                "number": v.number,
                "handed_over_at": _ts(v.handed_over_at),
                "handed_over_by": _person(v.handed_over_by),
                "fingerprint": v.fingerprint,
                "fingerprint_matches_content": v.number not in data.fingerprint_mismatches,
                "format": {
                    "id": v.format_id,
                    "version": v.format.version,
                    "note": v.format.note,
                    "is_default": v.format.is_default,
                },
                "header": v.header,
                "sections": sections(v),
                "pdf": _pdf_name(v.number),
            }
            for v in data.versions
        ],
    }


def _audit_json(crisis: Crisis, data: _Data) -> dict:
    numbers = {v.pk: v.number for v in data.versions}
    return {
        "crisis_id": crisis.pk,
        "audit_events": [
            {
                "id": ev.pk,
                "at": _ts(ev.at),
                "action": ev.action,
                "action_label": str(ev.get_action_display()),
                "actor": _person(ev.actor),
                "subject": _person(ev.subject),
                "organisation": {"id": ev.organisation_id, "name": ev.organisation.name},
                "crisis_id": ev.crisis_id,
                "detail": ev.detail,
            }
            for ev in data.audit_events
        ],
        "analysis_shares": [
            {
                "id": s.pk,
                "person": _person(s.user),
                "shared_at": _ts(s.shared_at),
                "shared_by": _person(s.shared_by),
                "revoked_at": _ts(s.revoked_at),
                "revoked_by": _person(s.revoked_by),
            }
            for s in data.shares
        ],
        "analysis_reads": [
            {
                "id": r.pk,
                "at": _ts(r.at),
                "person": _person(r.user),
                "kind": r.kind,
                "kind_label": str(r.get_kind_display()),
                "analysis_version": numbers.get(r.version_id),
            }
            for r in data.reads
        ],
    }


def _chain_json(crisis: Crisis, data: _Data) -> dict:
    last = data.entries[-1] if data.entries else None
    return {
        "intact": data.chain.intact,
        "entries": len(data.entries),
        "broken_at_seq": data.chain.broken_seq,
        "reason": data.chain.reason,
        "logbook_last_seq": data.last_seq,
        "head_seq": last.seq if last else None,
        "head_hash": last.chain_hash if last else None,
        "genesis": genesis(crisis.pk),
        "algorithm": "SHA-256",
        "chained_fields": list(CHAINED_FIELDS),
        "recipe": CHAIN_RECIPE,
    }


def _generator() -> dict:
    try:
        version = metadata.version("crisisroom")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return {"name": "Crisisroom", "version": version}


def _manifest(crisis: Crisis, data: _Data, files, generated_at: datetime) -> dict:
    return {
        "format": ARCHIVE_FORMAT,
        "format_version": ARCHIVE_FORMAT_VERSION,
        "generator": _generator(),
        "generated_at": _ts(generated_at),
        "snapshot": crisis.is_active,
        "crisis": _crisis_head(crisis),
        "counts": data.counts,
        "log_chain": _chain_json(crisis, data),
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


def _local(value: datetime | None) -> str:
    return "—" if value is None else timezone.localtime(value).strftime("%d-%m-%Y %H:%M")


def _readme(crisis: Crisis, data: _Data) -> str:
    chain = data.chain
    if not data.entries:
        chain_text = "Het logboek is leeg."
    elif chain.intact:
        chain_text = (
            f"Bij het maken van deze export klopte de keten: {len(data.entries)} logregels, "
            f"laatste regel #{data.entries[-1].seq}, hash {data.entries[-1].chain_hash}."
        )
    else:
        chain_text = (
            f"LET OP: bij het maken van deze export was de keten GEBROKEN bij logregel "
            f"#{chain.broken_seq} ({chain.reason}). Vanaf die regel is niet aan te tonen dat het "
            "logboek ongewijzigd is. De export is toch gemaakt, zodat alles wat er is bewaard "
            "blijft."
        )
    lines = [
        "Archiefexport Crisisroom",
        "========================",
        "",
        f"Crisis:       {crisis.title} (nummer {crisis.pk})",
        f"Organisatie:  {crisis.organisation.name}",
        f"Team:         {crisis.get_team_kind_display()}"
        + (f", {crisis.scaling_label}" if crisis.scaling_label else ""),
        f"Begonnen:     {_local(crisis.started_at)}",
        f"Gesloten:     {_local(crisis.closed_at)}",
        "",
    ]
    if crisis.is_exercise:
        lines += ["OEFENING: dit is een oefening. Niets hierin betreft een echte crisis.", ""]
    if crisis.is_active:
        lines += [
            "MOMENTOPNAME: de crisis was bij het maken van deze export nog niet gesloten. Dit is",
            "niet de eindstand; maak na het sluiten een nieuwe export voor het archief.",
            "",
        ]
    lines += [
        "Dit ZIP-bestand bevat het verslag van een crisis zoals Crisisroom het vastlegde, om te",
        "bewaren onder de archiefverplichtingen van de organisatie. Het logboek is onveranderlijk:",
        "een correctie is een nieuwe regel die naar de oorspronkelijke verwijst; niets is gewist.",
        "",
        "Inhoud",
        "------",
        "manifest.json                  beschrijving van de export: crisis, tijdstip van export,",
        "                               aantallen, per bestand grootte en SHA-256, en de uitkomst",
        "                               van de controle van de hashketen van het logboek",
        "data/crisis.json               de crisis en de teamleden met rol, begin en einde",
        "data/meetings.json             de overleggen: verloop (fasen, reflectie, aanwezigheid,",
        "                               volgend overleg), kernbeeld en de versie van de",
        "                               strategische analyse waarop het kernbeeld is gebaseerd",
        "data/entries.json              elke regel van het logboek, in volgorde, met correcties",
        "data/decisions.json            de besluiten, met argumenten en wie besloot",
        "data/assignments.json          de opdrachten: actiehouder, deadline, status, uitstel",
        "data/analysis_versions.json    elke overgedragen versie van de strategische analyse",
        "data/audit_events.json         wie wat deed: team, openen en sluiten, delen en lezen",
        "                               van de strategische analyse",
        "pdf/besluitenlijst.pdf         de besluitenlijst van de hele crisis, leesbaar",
        "pdf/analysis-vN.pdf            de strategische analyse, versie N, zoals overgedragen",
        "",
        "Afspraken",
        "---------",
        "Tijden in de JSON-bestanden: ISO 8601 in UTC (Nederlandse tijd is UTC+1 in de winter,",
        "UTC+2 in de zomer). Tijden in de PDF's en in dit bestand: Nederlandse tijd.",
        "Personen: intern nummer, gebruikersnaam en volledige naam; geen e-mailadressen.",
        "Tekens: UTF-8.",
        "",
        "Echtheid controleren",
        "--------------------",
        "1. Bestanden: de SHA-256 van elk bestand staat in manifest.json (bijv. met sha256sum).",
        "2. Logboek: elke logregel heeft een chain_hash, een SHA-256 over de inhoud van de regel",
        "   en de chain_hash van de regel ervoor. Wie later een regel wijzigt, weghaalt of",
        "   verplaatst, breekt de keten vanaf die regel. manifest.json (log_chain.recipe)",
        "   beschrijft hoe de keten uit data/entries.json opnieuw te berekenen is.",
        f"   {chain_text}",
        "3. Strategische analyse: elke versie heeft een vingerafdruk (SHA-256 van de inhoud); de",
        "   eerste 12 tekens staan onderaan elke pagina van de PDF.",
    ]
    if data.fingerprint_mismatches:
        numbers = ", ".join(str(n) for n in data.fingerprint_mismatches)
        lines.append(
            f"   LET OP: de inhoud van versie {numbers} past niet meer bij de vingerafdruk."
        )
    return "\n".join(lines) + "\n"


def _decision_list_pdf(crisis: Crisis, data: _Data) -> bytes:
    rows = [e for e in data.entries if e.kind in (Entry.Kind.BESLUIT, Entry.Kind.OPDRACHT)]
    assignments = {a.entry_id: a for a in data.assignments}
    # Looked up here rather than joined per row: the template then makes no queries.
    for row in rows:
        row.archive_meeting_number = data.meeting_number.get(row.meeting_id)
        row.archive_assignment = assignments.get(row.pk)
        row.archive_corrects_seq = data.seq_by_id.get(row.corrects_id)
        row.archive_corrected_by_seq = data.corrected_by.get(row.pk)
    statuses = [a.status for a in data.assignments]
    html = render_to_string(
        "meetings/pdf/decision_list.html",
        {
            "crisis": crisis,
            "rows": rows,
            "meetings": data.meetings,
            "last_seq": data.entries[-1].seq if data.entries else 0,
            "decisions": sum(1 for e in rows if e.kind == Entry.Kind.BESLUIT),
            "assignments": {
                "all": len(statuses),
                "open": statuses.count(Assignment.Status.OPEN),
                "done": statuses.count(Assignment.Status.DONE),
                "dropped": statuses.count(Assignment.Status.DROPPED),
                "superseded": statuses.count(Assignment.Status.SUPERSEDED),
            },
            "time_zone": settings.TIME_ZONE,
        },
    )
    return HTML(string=html).write_pdf()


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
