"""Writes to the core domain, one module per sub-domain: audit, organisations, crises."""

from .audit import audit_record
from .crises import (
    crisis_call_deputy,
    crisis_close,
    crisis_open,
    crisis_staff_from_roster,
    crisis_start_record,
    crisis_update,
    crisis_validate,
    deputy_for,
    membership_add,
    membership_end,
    membership_set_available,
    membership_validate,
)
from .organisations import (
    OrganisationSeeder,
    is_organisation_administrator,
    organisation_create,
    organisation_member_set,
    organisation_seeder_register,
    partner_validate,
    roster_entry_validate,
    two_factor_reset,
)

__all__ = [
    "membership_set_available",
    "deputy_for",
    "crisis_call_deputy",
    "OrganisationSeeder",
    "audit_record",
    "crisis_close",
    "crisis_open",
    "crisis_staff_from_roster",
    "crisis_start_record",
    "crisis_update",
    "crisis_validate",
    "is_organisation_administrator",
    "membership_add",
    "membership_end",
    "membership_validate",
    "organisation_create",
    "organisation_member_set",
    "organisation_seeder_register",
    "partner_validate",
    "roster_entry_validate",
    "two_factor_reset",
]
