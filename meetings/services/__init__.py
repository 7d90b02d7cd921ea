"""Writes to meetings, the log and the team's use of the cards, one module per sub-domain.

Rights are checked by the views' access helpers; these functions enforce the domain's rules.
"""

from ._common import logbook_touch
from .cards import personal_add, personal_check, proposal_create, proposal_decide, task_toggle
from .desk import (
    HandleOutcome,
    inform_record,
    message_approve,
    message_handle,
    message_record,
    message_route,
    message_to_log,
    stakeholder_add,
    stakeholder_set_keeper,
)
from .log import (
    MAX_TEXT,
    CheckOutcome,
    ReasoningMissing,
    assignment_check,
    entry_record,
)
from .meeting import (
    KernbeeldConflict,
    meeting_close,
    meeting_mark_reflection,
    meeting_plan_next,
    meeting_record_on_paper,
    meeting_set_attendance,
    meeting_set_phase,
    meeting_start,
    meeting_tick_card,
    meeting_update_kernbeeld,
)

__all__ = [
    "stakeholder_set_keeper",
    "stakeholder_add",
    "message_to_log",
    "message_route",
    "message_record",
    "message_handle",
    "message_approve",
    "inform_record",
    "HandleOutcome",
    "MAX_TEXT",
    "CheckOutcome",
    "KernbeeldConflict",
    "ReasoningMissing",
    "assignment_check",
    "entry_record",
    "logbook_touch",
    "meeting_close",
    "meeting_mark_reflection",
    "meeting_plan_next",
    "meeting_record_on_paper",
    "meeting_set_attendance",
    "meeting_set_phase",
    "meeting_start",
    "meeting_tick_card",
    "meeting_update_kernbeeld",
    "personal_add",
    "personal_check",
    "proposal_create",
    "proposal_decide",
    "task_toggle",
]
