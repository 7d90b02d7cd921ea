"""Everything of a crisis the archive and the besluitenlijst hold, read in a fixed number of
queries."""

from dataclasses import dataclass

from django.db.models import Prefetch

from crisisroom.models import AuditEvent, Crisis, Membership
from formats.models import AnalysisRead, AnalysisShare, AnalysisVersion
from formats.services import fingerprint_of

from .chain import ChainReport, verify_chain
from .models import (
    Assignment,
    Attendance,
    CardTick,
    CrisisStakeholder,
    Entry,
    InformAction,
    Logbook,
    Meeting,
    MeetingEvent,
    Message,
)


@dataclass
class CrisisRecord:
    last_seq: int | None
    entries: list[Entry]
    assignments: list[Assignment]
    meetings: list[Meeting]
    memberships: list[Membership]
    versions: list[AnalysisVersion]
    audit_events: list[AuditEvent]
    shares: list[AnalysisShare]
    reads: list[AnalysisRead]
    messages: list[Message]
    stakeholders: list[CrisisStakeholder]
    informings: list[InformAction]
    chain: ChainReport
    fingerprint_mismatches: list[int]
    # Keyed by id; a lookup with a missing (None) id finds nothing.
    seq_by_id: dict[int | None, int]
    corrected_by: dict[int | None, int]  # entry id -> seq of the entry that corrects it
    checked_in: dict[int | None, list[int]]  # assignment id -> seqs of its controle entries
    assignment_seq: dict[int | None, int]  # assignment id -> seq of its opdracht entry
    meeting_number: dict[int | None, int]  # meeting id -> number
    message_seq: dict[int | None, int]  # message id -> number

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
            "messages": len(self.messages),
            "stakeholders": len(self.stakeholders),
            "informings": len(self.informings),
        }


def crisis_record_read(crisis: Crisis) -> CrisisRecord:
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
    data = CrisisRecord(
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
        messages=list(
            Message.objects.filter(crisis=crisis)
            .select_related(
                "routed_to", "recorded_by", "handled_by", "approved_by", "partner", "entry"
            )
            .order_by("seq")
        ),
        stakeholders=list(
            CrisisStakeholder.objects.filter(crisis=crisis)
            .select_related("partner", "keeper", "added_by")
            .order_by("pk")
        ),
        informings=list(
            InformAction.objects.filter(crisis=crisis)
            .select_related("by", "stakeholder__partner")
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
        message_seq={},
    )
    data.message_seq.update({m.pk: m.seq for m in data.messages})
    for entry in entries:
        if entry.checks_id:
            data.checked_in.setdefault(entry.checks_id, []).append(entry.seq)
    return data
