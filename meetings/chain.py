"""The crisis log's hash chain: each entry's hash covers its content and the previous hash.

Changing, removing or reordering any entry afterwards (even directly in the database) breaks
the chain from that entry on, and ``manage.py verify_log`` names the first broken entry.
The chain starts from a per-crisis genesis value, so entries cannot be moved between crises.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

# Fields of an entry that never change after it is written. Assignment state (status, deadline)
# changes by design; every such change is itself a controle entry, which the chain covers.
CHAINED_FIELDS = (
    "crisis_id",
    "seq",
    "meeting_id",
    "kind",
    "phase",
    "text",
    "author_id",
    "recorded_at",
    "occurred_at",
    "corrects_id",
    "reasoning",
    "decided_by_id",
    "checks_id",
    "client_token",
)


def genesis(crisis_id: int) -> str:
    return hashlib.sha256(f"crisisroom-log:{crisis_id}".encode()).hexdigest()


def _canonical(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, uuid.UUID):
        return str(value)
    if value is None or isinstance(value, int):
        return value
    return str(value)


def entry_hash(entry, previous_hash: str) -> str:
    """The hash of ``entry`` (a model instance or historical model) chained to ``previous_hash``."""
    content = {field: _canonical(getattr(entry, field)) for field in CHAINED_FIELDS}
    # The same token as text or as UUID (a form, a reload) must hash alike.
    content["client_token"] = str(uuid.UUID(str(entry.client_token)))
    content["previous"] = previous_hash
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    crisis_id: int
    entries: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_seq is None


def verify_chain(crisis_id: int, entries, last_seq: int | None = None) -> ChainReport:
    """Walk ``entries`` (in seq order) and report the first one whose hash does not hold.

    A missing number (an entry removed) breaks the chain at the number after the gap;
    ``last_seq`` (the logbook's counter) also catches entries removed from the end.
    """
    previous = genesis(crisis_id)
    expected_seq = 1
    count = 0
    for entry in entries:
        count += 1
        if entry.seq != expected_seq:
            return ChainReport(crisis_id, count, expected_seq, f"entry #{expected_seq} is missing")
        if entry.chain_hash != entry_hash(entry, previous):
            return ChainReport(
                crisis_id, count, entry.seq, "its content or the entry before it was changed"
            )
        previous = entry.chain_hash
        expected_seq += 1
    if last_seq is not None and last_seq >= expected_seq:
        return ChainReport(crisis_id, count, expected_seq, f"entry #{expected_seq} is missing")
    return ChainReport(crisis_id, count)
