"""Writes shared by the register of the first 72 hours and the crisis: a noodsteunpunt's status,
and telling the screens of the organisation's open crises that something they show changed."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crisisroom.models import AuditEvent, Crisis, Organisation
from crisisroom.services import audit_record
from meetings.services import logbook_touch

from ..models import EmergencyPoint, PointStatus, PointStatusChange


def crises_touch(*, organisation: Organisation) -> None:
    """Bump the revision of every active crisis of ``organisation``, so each of their live
    screens refreshes what it shows of the first 72 hours. Call inside the write's transaction."""
    for crisis in Crisis.objects.filter(organisation=organisation, status=Crisis.Status.ACTIVE):
        logbook_touch(crisis=crisis)


def point_status_set(
    *,
    point: EmergencyPoint,
    status: str,
    actor: User,
    crisis: Crisis | None = None,
    note: str = "",
) -> PointStatusChange | None:
    """Set a noodsteunpunt's status (gesloten, gaat open, open, vol): recorded with time, person
    and crisis, audited, and shown at once on the screens of the organisation's open crises.

    Setting the status it already has records nothing and returns None (a double click).
    """
    if status not in PointStatus.values:
        raise ValidationError({"status": _("Choose one of the statuses in the list.")})
    note = note.strip()
    if len(note) > 300:
        raise ValidationError({"note": _("Keep the note under 300 characters.")})
    if crisis is not None and crisis.organisation_id != point.organisation_id:
        raise ValidationError(_("This emergency support point belongs to another organisation."))
    with transaction.atomic():
        current = EmergencyPoint.objects.select_for_update().get(pk=point.pk)
        if not current.is_active:
            raise ValidationError(_("This emergency support point is no longer in use."))
        if current.status == status:
            return None
        now = timezone.now()
        before = current.status
        current.status, current.status_at, current.status_by = status, now, actor
        current.save(update_fields=["status", "status_at", "status_by"])
        change = PointStatusChange.objects.create(
            point=current, status=status, at=now, by=actor, crisis=crisis, note=note
        )
        audit_record(
            action=AuditEvent.Action.POINT_STATUS_SET,
            actor=actor,
            organisation=current.organisation,
            crisis=crisis,
            detail={
                "point": current.pk,
                "name": current.name,
                "before": before,
                "status": status,
            },
        )
        crises_touch(organisation=current.organisation)
    point.status, point.status_at, point.status_by = status, now, actor
    return change
