"""Meetings, the log and the team's use of the cards, one module per sub-domain."""

from crisisroom.boboc import PHASE_ORDER, Phase

from .cards import CardTick, EntryProposal, PersonalItem, TaskTick
from .desk import CrisisStakeholder, InformAction, Message
from .log import AppendOnlyError, AppendOnlyQuerySet, Assignment, Entry
from .meeting import (
    PHASE_SHARE,
    STANDARD_AGENDA,
    Attendance,
    KernbeeldVersion,
    Logbook,
    Meeting,
    MeetingEvent,
)
from .wall import WallCodeFailure, WallPairing, WallPairingEvent, WallSettings

__all__ = [
    "PHASE_ORDER",
    "PHASE_SHARE",
    "STANDARD_AGENDA",
    "AppendOnlyError",
    "AppendOnlyQuerySet",
    "Assignment",
    "Attendance",
    "CardTick",
    "CrisisStakeholder",
    "Entry",
    "EntryProposal",
    "InformAction",
    "KernbeeldVersion",
    "Logbook",
    "Meeting",
    "MeetingEvent",
    "Message",
    "PersonalItem",
    "Phase",
    "TaskTick",
    "WallCodeFailure",
    "WallPairing",
    "WallPairingEvent",
    "WallSettings",
]
