"""Roles at the crisis table and what each may do.

The role decides the object permissions a membership grants on its crisis; the services grant
and revoke them. Views ask for a permission, never for a role.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TeamKind(models.TextChoices):
    GBT = "gbt", _("GBT — municipal policy team")
    CMT = "cmt", _("CMT — crisis management team")


class Role(models.TextChoices):
    TECHNICAL_CHAIR = "technisch_voorzitter", _("technical chair")
    MAYOR = "burgemeester", _("mayor")
    CMT_CHAIR = "cmt_voorzitter", _("CMT chair")
    ROL = "rol", _("regional operational leader (ROL)")
    LOGGER = "logger", _("logger")
    MESSAGE_MANAGER = "berichtenmanager", _("message manager")
    ADVISER = "adviseur", _("adviser")
    OBSERVER = "waarnemer", _("observer")
    # Only in an exercise: EXCON, who releases the injects and leads the evaluation.
    EXERCISE_LEADER = "oefenleider", _("exercise leader")


# Permission codenames on Crisis (see Crisis.Meta.permissions).
VIEW = "view_crisis"
RUN_MEETING = "run_meeting"
RECORD_ENTRY = "record_entry"
RECORD_DECISION = "record_decision"
WRITE_ANALYSIS = "write_analysis"
MANAGE_MEMBERS = "manage_members"
SHARE_ANALYSIS = "share_analysis"
HANDLE_MESSAGES = "handle_messages"
APPROVE_MESSAGES = "approve_messages"
INFORM_STAKEHOLDERS = "inform_stakeholders"

ALL_PERMISSIONS = (
    VIEW,
    RUN_MEETING,
    RECORD_ENTRY,
    RECORD_DECISION,
    WRITE_ANALYSIS,
    MANAGE_MEMBERS,
    SHARE_ANALYSIS,
    HANDLE_MESSAGES,
    APPROVE_MESSAGES,
    INFORM_STAKEHOLDERS,
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.TECHNICAL_CHAIR: frozenset(
        {
            VIEW,
            RUN_MEETING,
            RECORD_ENTRY,
            RECORD_DECISION,
            WRITE_ANALYSIS,
            MANAGE_MEMBERS,
            HANDLE_MESSAGES,
            APPROVE_MESSAGES,
            INFORM_STAKEHOLDERS,
        }
    ),
    # A CMT has no ROL: its chair writes the strategic analysis too.
    Role.CMT_CHAIR: frozenset(
        {
            VIEW,
            RUN_MEETING,
            RECORD_ENTRY,
            RECORD_DECISION,
            WRITE_ANALYSIS,
            MANAGE_MEMBERS,
            SHARE_ANALYSIS,
            HANDLE_MESSAGES,
            APPROVE_MESSAGES,
            INFORM_STAKEHOLDERS,
        }
    ),
    # The mayor holds supreme command: takes decisions, decides who sits at the table, and
    # shares the strategic analysis inside the municipality.
    Role.MAYOR: frozenset(
        {
            VIEW,
            RECORD_DECISION,
            MANAGE_MEMBERS,
            SHARE_ANALYSIS,
            APPROVE_MESSAGES,
            INFORM_STAKEHOLDERS,
        }
    ),
    Role.ROL: frozenset({VIEW, WRITE_ANALYSIS, INFORM_STAKEHOLDERS}),
    Role.LOGGER: frozenset({VIEW, RECORD_ENTRY, RECORD_DECISION}),
    # The berichtenmanager keeps the message desk and records who was informed (seed 003).
    Role.MESSAGE_MANAGER: frozenset({VIEW, HANDLE_MESSAGES, INFORM_STAKEHOLDERS}),
    Role.ADVISER: frozenset({VIEW, INFORM_STAKEHOLDERS}),
    Role.OBSERVER: frozenset({VIEW}),
    Role.EXERCISE_LEADER: frozenset({VIEW}),
}

# In an exercise, the exercise control (EXCON): they see the scenario's notes and the
# observations; the other members are the players.
EXCON_ROLES: frozenset[str] = frozenset({Role.EXERCISE_LEADER, Role.OBSERVER})
# Roles that exist in an exercise only.
EXERCISE_ONLY_ROLES: frozenset[str] = frozenset({Role.EXERCISE_LEADER})

# Roles that exist in one kind of team only.
ROLES_FOR_TEAM: dict[str, frozenset[str]] = {
    TeamKind.GBT: frozenset(Role.values) - {Role.CMT_CHAIR, Role.MESSAGE_MANAGER},
    TeamKind.CMT: frozenset(Role.values) - {Role.MAYOR},
}

# Which home screen a role gets; with several roles the first in this order wins.
HOME_FOR_ROLE: dict[str, str] = {
    Role.TECHNICAL_CHAIR: "chair",
    Role.CMT_CHAIR: "chair",
    Role.MAYOR: "mayor",
    Role.ROL: "rol",
    Role.LOGGER: "logger",
    Role.MESSAGE_MANAGER: "adviser",
    Role.ADVISER: "adviser",
    Role.OBSERVER: "adviser",
    Role.EXERCISE_LEADER: "adviser",
}
ROLE_PRECEDENCE: tuple[str, ...] = tuple(HOME_FOR_ROLE)


def permissions_for_roles(roles: list[str] | set[str]) -> set[str]:
    granted: set[str] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return granted


def primary_role(roles: list[str] | set[str]) -> str | None:
    for role in ROLE_PRECEDENCE:
        if role in roles:
            return role
    return None


# Who reads the crisis's audit trail (and takes its archive): those who run the crisis.
READ_AUDIT: tuple[str, ...] = (RUN_MEETING, MANAGE_MEMBERS)
