"""Writes shared by the register of the first 72 hours and the crisis: a noodsteunpunt's status,
and telling the screens of the organisation's open crises that something they show changed.

Lock order, as everywhere in Crisisroom: the crises' logbooks first (meetings' ``logbook_touch``,
in order of crisis), then the crisis row (``require_active``), then the rows being changed."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from crisisroom.models import AuditEvent, Crisis, Organisation
from crisisroom.services import audit_record
from crisisroom.text import display_name
from meetings.services import logbook_touch
from meetings.services._common import require_active

from ..models import EmergencyPoint, PointStatus, PointStatusChange


def crises_touch(*, organisation: Organisation) -> None:
    """Bump the revision of every active crisis of ``organisation``, so each of their live
    screens refreshes what it shows of the first 72 hours. Call inside the write's transaction."""
    for crisis in Crisis.objects.filter(
        organisation=organisation, status=Crisis.Status.ACTIVE
    ).order_by("pk"):
        logbook_touch(crisis=crisis)


def exercise_point_status(*, crisis: Crisis, point: EmergencyPoint) -> PointStatusChange | None:
    """The latest status ``point`` got within the exercise ``crisis`` (None: still closed)."""
    return (
        PointStatusChange.objects.filter(crisis=crisis, point=point)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )


def _stale_error(*, status: str, at, by) -> ValidationError:
    label = dict(PointStatus.choices)[status]
    if at is None:
        message = _(
            "The status changed meanwhile: it is now “%(status)s”. Check it and choose again."
        ) % {"status": label}
    else:
        message = _(
            "The status changed meanwhile: %(who)s set it to “%(status)s” at %(when)s. "
            "Check it and choose again."
        ) % {
            "status": label,
            "who": display_name(by) if by else "?",
            "when": date_format(timezone.localtime(at), "j M H:i"),
        }
    return ValidationError({"status": message})


def point_status_set(
    *,
    point: EmergencyPoint,
    status: str,
    actor: User,
    crisis: Crisis | None = None,
    note: str = "",
    shown: str | None = None,
) -> PointStatusChange | None:
    """Set a noodsteunpunt's status (gesloten, gaat open, open, vol): recorded with time, person
    and crisis, audited, and shown at once on the screens of the organisation's open crises.

    From an exercise crisis only the exercise's own record changes (a ``PointStatusChange`` with
    that crisis, refreshing only that crisis's screens); the point's real status stays as it is.

    ``shown`` is the status the screen showed when the user chose: if the status changed
    meanwhile, the change is refused, naming the current status and who set it (no silent
    overwrite). Setting the status it already has records nothing and returns None (a double
    click).
    """
    if status not in PointStatus.values:
        raise ValidationError({"status": _("Choose one of the statuses in the list.")})
    note = note.strip()
    if len(note) > 300:
        raise ValidationError({"note": _("Keep the note under 300 characters.")})
    if crisis is not None and crisis.organisation_id != point.organisation_id:
        raise ValidationError(_("This emergency support point belongs to another organisation."))
    exercise = crisis if crisis is not None and crisis.is_exercise else None
    with transaction.atomic():
        # Logbooks first, then the crisis row, then the point: the order of every crisis write.
        if exercise is not None:
            logbook_touch(crisis=exercise)
        else:
            crises_touch(organisation=point.organisation)
        if crisis is not None:
            require_active(crisis)
        current = EmergencyPoint.objects.select_for_update().get(pk=point.pk)
        if not current.is_active:
            raise ValidationError(_("This emergency support point is no longer in use."))
        if exercise is not None:
            latest = exercise_point_status(crisis=exercise, point=current)
            before = latest.status if latest else PointStatus.GESLOTEN
            before_at, before_by = (latest.at, latest.by) if latest else (None, None)
        else:
            before, before_at, before_by = current.status, current.status_at, current.status_by
        if before == status:
            return None
        if shown is not None and shown != before:
            raise _stale_error(status=before, at=before_at, by=before_by)
        now = timezone.now()
        if exercise is None:
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
                **({"exercise": True} if exercise is not None else {}),
            },
        )
    if exercise is None:
        point.status, point.status_at, point.status_by = status, now, actor
    return change
