"""The audit trail: who did or saw what."""

from django.contrib.auth.models import User

from ..models import (
    AuditEvent,
    Crisis,
    Organisation,
)


def audit_record(
    *,
    action: str,
    actor: User | None,
    organisation: Organisation | None = None,
    crisis: Crisis | None = None,
    subject: User | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Append to the audit trail: who did or saw what. The organisation defaults to the crisis's."""
    if organisation is not None:
        organisation_id = organisation.pk
    elif crisis is not None:
        organisation_id = crisis.organisation_id
    else:
        raise ValueError("An audit event belongs to an organisation or a crisis.")
    return AuditEvent.objects.create(
        action=action,
        organisation_id=organisation_id,
        actor=actor,
        crisis=crisis,
        subject=subject,
        detail=detail or {},
    )


# What an organisation starts with (its analysis format, its cards) belongs to the apps above
# this one; each registers a seeder in its AppConfig.ready(), and organisation_create runs them
# in the same transaction. So a page never has to create defaults on first read.
