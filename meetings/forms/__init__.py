"""The meetings app's forms, one module per sub-domain."""

from .desk import (
    HandleForm,
    InformForm,
    KeeperForm,
    MessageForm,
    MessageLogForm,
    RouteForm,
    StakeholderAddForm,
)
from .meeting import (
    AttendanceForm,
    CheckForm,
    CorrectionForm,
    DateTimeLocalInput,
    EntryForm,
    KernbeeldForm,
    MeetingDateTimeField,
    NextMeetingForm,
    PersonalItemForm,
    PhaseForm,
    ReflectionForm,
    StartMeetingForm,
    TaskTickForm,
)

__all__ = [
    "AttendanceForm",
    "CheckForm",
    "CorrectionForm",
    "DateTimeLocalInput",
    "EntryForm",
    "HandleForm",
    "InformForm",
    "KeeperForm",
    "KernbeeldForm",
    "MeetingDateTimeField",
    "MessageForm",
    "MessageLogForm",
    "NextMeetingForm",
    "PersonalItemForm",
    "PhaseForm",
    "ReflectionForm",
    "RouteForm",
    "StakeholderAddForm",
    "StartMeetingForm",
    "TaskTickForm",
]
