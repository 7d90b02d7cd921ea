"""The archive's data files: every record of the crisis as JSON, in a fixed order.

Times are ISO 8601 in UTC with microseconds, the form the hash chain uses, so every entry's
``chain_hash`` can be recomputed from data/entries.json alone. People appear as internal id,
username and full name: no e-mail addresses, no password hashes.
"""

import json
from datetime import UTC, datetime

from crisisroom.models import Crisis

from ..chain import CHAINED_FIELDS, genesis
from ..models import Entry
from ..record import CrisisRecord

# How a reader recomputes the chain from data/entries.json (the archive must explain itself).
CHAIN_RECIPE = (
    "genesis = sha256('crisisroom-log:<crisis id>') as hex. For each entry in seq order: "
    "chain_hash = sha256 over the UTF-8 JSON (keys sorted, separators ',' and ':', no ASCII "
    "escaping) of the chained fields plus 'previous' (the chain_hash of the entry before, the "
    "genesis for entry 1). crisis_id is the crisis id; author_id and decided_by_id are the 'id' "
    "of 'author' and 'decided_by'; meeting_id, corrects_id, checks_id are ids as numbers or "
    "null; times as in this archive (UTC, microseconds); every other field as text."
)


def ts(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with microseconds: the form the hash chain hashes."""
    return None if value is None else value.astimezone(UTC).isoformat(timespec="microseconds")


def person(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.get_username(), "full_name": user.get_full_name()}


def as_json(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


def analysis_pdf_name(number: int) -> str:
    return f"pdf/analysis-v{number}.pdf"


def crisis_head(crisis: Crisis) -> dict:
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
        "started_at": ts(crisis.started_at),
        "closed_at": ts(crisis.closed_at),
    }


def crisis_json(crisis: Crisis, data: CrisisRecord) -> dict:
    return {
        "crisis": {**crisis_head(crisis), "summary": crisis.summary},
        "memberships": [
            {
                "id": m.pk,
                "person": person(m.user),
                "role": m.role,
                "role_label": str(m.get_role_display()),
                "function_title": m.function_title,
                "started_at": ts(m.started_at),
                "added_by": person(m.added_by),
                "ended_at": ts(m.ended_at),
                "ended_by": person(m.ended_by),
            }
            for m in data.memberships
        ],
    }


def meetings_json(crisis: Crisis, data: CrisisRecord) -> dict:
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
                "started_at": ts(m.started_at),
                "started_by": person(m.started_by),
                "ended_at": ts(m.ended_at),
                "ended_by": person(m.ended_by),
                "kernbeeld": m.kernbeeld,
                "kernbeeld_source": source(m),
                "kernbeeld_revision": m.kernbeeld_revision,
                "kernbeeld_updated_at": ts(m.kernbeeld_updated_at),
                "kernbeeld_updated_by": person(m.kernbeeld_updated_by),
                "card_set_id": m.card_set_id,
                "next_meeting": {
                    "at": ts(m.next_at),
                    "minutes": m.next_minutes,
                    "input_due_at": ts(m.next_input_due_at),
                },
                "events": [
                    {
                        "kind": ev.kind,
                        "kind_label": str(ev.get_kind_display()),
                        "at": ts(ev.at),
                        "by": person(ev.by),
                        "from_phase": ev.from_phase,
                        "to_phase": ev.to_phase,
                        "note": ev.note,
                    }
                    for ev in m.events.all()
                ],
                "attendance": [
                    {
                        "person": person(a.user),
                        "present": a.present,
                        "delegate": person(a.delegate),
                    }
                    for a in m.attendance.all()
                ],
                "card_ticks": [
                    {"key": t.key, "label": t.label, "at": ts(t.at), "by": person(t.by)}
                    for t in m.card_ticks.all()
                ],
            }
            for m in data.meetings
        ],
    }


def entry_json(entry: Entry, data: CrisisRecord) -> dict:
    return {
        "id": entry.pk,
        "seq": entry.seq,
        "kind": entry.kind,
        "kind_label": str(entry.get_kind_display()),
        "phase": entry.phase,
        "meeting_id": entry.meeting_id,
        "meeting_number": data.meeting_number.get(entry.meeting_id),
        "text": entry.text,
        "author": person(entry.author),
        "recorded_at": ts(entry.recorded_at),
        "occurred_at": ts(entry.occurred_at),
        "corrects_id": entry.corrects_id,
        "corrects_seq": data.seq_by_id.get(entry.corrects_id),
        "corrected_by_seq": data.corrected_by.get(entry.pk),
        "reasoning": entry.reasoning,
        "decided_by": person(entry.decided_by),
        "checks_id": entry.checks_id,
        "checks_seq": data.assignment_seq.get(entry.checks_id),
        "check_state_before": entry.check_state_before,
        "client_token": str(entry.client_token),
        "chain_hash": entry.chain_hash,
    }


def entries_json(crisis: Crisis, data: CrisisRecord) -> dict:
    return {"crisis_id": crisis.pk, "entries": [entry_json(e, data) for e in data.entries]}


def decisions_json(crisis: Crisis, data: CrisisRecord) -> dict:
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
                "decided_by": person(e.decided_by),
                "recorded_by": person(e.author),
                "recorded_at": ts(e.recorded_at),
                "occurred_at": ts(e.occurred_at),
                "corrects_seq": data.seq_by_id.get(e.corrects_id),
                "corrected_by_seq": data.corrected_by.get(e.pk),
            }
            for e in data.entries
            if e.kind == Entry.Kind.BESLUIT
        ],
    }


def assignments_json(crisis: Crisis, data: CrisisRecord) -> dict:
    return {
        "crisis_id": crisis.pk,
        "assignments": [
            {
                "id": a.pk,
                "entry_id": a.entry_id,
                "seq": a.entry.seq,
                "meeting_number": data.meeting_number.get(a.entry.meeting_id),
                "text": a.entry.text,
                "recorded_by": person(a.entry.author),
                "recorded_at": ts(a.entry.recorded_at),
                "owner": person(a.owner),
                "owner_function": a.owner_function,
                "owner_label": a.owner_label,
                "deadline": ts(a.deadline),
                "status": a.status,
                "status_label": str(a.get_status_display()),
                "postponements": a.postponements,
                "closed_at": ts(a.closed_at),
                "checked_in_seqs": data.checked_in.get(a.pk, []),
                "corrects_seq": data.seq_by_id.get(a.entry.corrects_id),
                "corrected_by_seq": data.corrected_by.get(a.entry_id),
            }
            for a in data.assignments
        ],
    }


def messages_json(crisis: Crisis, data: CrisisRecord) -> dict:
    """The berichtenmanager's register: every message in and out, corrections included."""
    return {
        "crisis_id": crisis.pk,
        "messages": [
            {
                "seq": m.seq,
                "direction": m.direction,
                "channel": m.channel,
                "counterpart": m.counterpart,
                "stakeholder": m.partner.name if m.partner else None,
                "at": ts(m.at),
                "priority": m.priority,
                "summary": m.summary,
                "body": m.body,
                "routed_to": person(m.routed_to),
                "status": m.status,
                "status_label": str(m.get_status_display()),
                "recorded_by": person(m.recorded_by),
                "recorded_at": ts(m.recorded_at),
                "corrects_seq": data.message_seq.get(m.corrects_id),
                "handled_by": person(m.handled_by),
                "handled_at": ts(m.handled_at),
                "handling_note": m.handling_note,
                "log_entry_seq": m.entry.seq if m.entry else None,
                "approved_by": person(m.approved_by),
                "approved_at": ts(m.approved_at),
            }
            for m in data.messages
        ],
    }


def stakeholders_json(crisis: Crisis, data: CrisisRecord) -> dict:
    """Who informs whom: the crisis's stakeholders, who kept contact, and every informing."""
    return {
        "crisis_id": crisis.pk,
        "stakeholders": [
            {
                "id": s.pk,
                "name": s.partner.name,
                "kind": s.partner.kind,
                "contact_route": s.partner.contact_route,
                "keeper": person(s.keeper),
                "added_by": person(s.added_by),
                "added_at": ts(s.added_at),
            }
            for s in data.stakeholders
        ],
        "informings": [
            {
                "stakeholder_id": i.stakeholder_id,
                "stakeholder": i.stakeholder.partner.name,
                "by": person(i.by),
                "at": ts(i.at),
                "channel": i.channel,
                "core_message": i.core_message,
                "recorded_at": ts(i.recorded_at),
            }
            for i in data.informings
        ],
    }


def versions_json(crisis: Crisis, data: CrisisRecord) -> dict:
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
                "handed_over_at": ts(v.handed_over_at),
                "handed_over_by": person(v.handed_over_by),
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
                "pdf": analysis_pdf_name(v.number),
            }
            for v in data.versions
        ],
    }


def audit_json(crisis: Crisis, data: CrisisRecord) -> dict:
    numbers = {v.pk: v.number for v in data.versions}
    return {
        "crisis_id": crisis.pk,
        "audit_events": [
            {
                "id": ev.pk,
                "at": ts(ev.at),
                "action": ev.action,
                "action_label": str(ev.get_action_display()),
                "actor": person(ev.actor),
                "subject": person(ev.subject),
                "organisation": {"id": ev.organisation_id, "name": ev.organisation.name},
                "crisis_id": ev.crisis_id,
                "detail": ev.detail,
            }
            for ev in data.audit_events
        ],
        "analysis_shares": [
            {
                "id": s.pk,
                "person": person(s.user),
                "shared_at": ts(s.shared_at),
                "shared_by": person(s.shared_by),
                "revoked_at": ts(s.revoked_at),
                "revoked_by": person(s.revoked_by),
            }
            for s in data.shares
        ],
        "analysis_reads": [
            {
                "id": r.pk,
                "at": ts(r.at),
                "person": person(r.user),
                "kind": r.kind,
                "kind_label": str(r.get_kind_display()),
                "analysis_version": numbers.get(r.version_id),
            }
            for r in data.reads
        ],
    }


def chain_json(crisis: Crisis, data: CrisisRecord) -> dict:
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
