"""Writes for the team's use of the cards in a crisis: task ticks, the personal logbook and
its proposals to the official log."""

import uuid

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crisisroom.models import Crisis, Membership
from crisisroom.text import display_name, refuse_nul

from ..models import Entry, EntryProposal, Meeting, PersonalItem, TaskTick
from ..selectors import crisis_card_set
from ._common import logbook_touch, require_active
from .log import entry_record


def proposal_create(*, item, actor: User) -> EntryProposal:
    """Offer a personal logbook line to the logger for the official log (once)."""
    if item.owner_id != actor.pk:
        raise ValidationError(_("Only the owner can propose their own line."))
    kind = {"besluit": Entry.Kind.BESLUIT, "opdracht": Entry.Kind.OPDRACHT}.get(
        item.kind, Entry.Kind.NOTITIE
    )
    with transaction.atomic():
        logbook_touch(crisis=item.crisis)
        require_active(item.crisis)
        proposal, _created = EntryProposal.objects.get_or_create(
            personal_item=item,
            defaults={"crisis": item.crisis, "kind": kind, "text": item.text, "proposed_by": actor},
        )
        if item.proposed_at is None:
            item.proposed_at = timezone.now()
            item.save(update_fields=["proposed_at"])
    return proposal


def proposal_decide(
    *, proposal: EntryProposal, actor: User, accept: bool, client_token: uuid.UUID
) -> EntryProposal:
    """The logger takes a proposal into the log as a notitie/besluit line, or declines it."""
    with transaction.atomic():
        proposal = EntryProposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != EntryProposal.Status.PENDING:
            return proposal  # decided already (a double click, or the other logger)
        if accept:
            author = display_name(proposal.proposed_by)
            # Always a notitie: a decision needs its reasons and who took it, an assignment an
            # owner and a deadline; the logger records those properly if the team agrees.
            kind = Entry.Kind.NOTITIE
            proposal.entry = entry_record(
                crisis=proposal.crisis,
                meeting=Meeting.objects.filter(
                    crisis=proposal.crisis, status=Meeting.Status.RUNNING
                ).first(),
                actor=actor,
                kind=kind,
                text=_("Proposed %(kind)s by %(name)s: %(text)s")
                % {"kind": proposal.get_kind_display(), "name": author, "text": proposal.text},
                client_token=client_token,
                without_reasoning=True,
            )
            proposal.status = EntryProposal.Status.ACCEPTED
        else:
            proposal.status = EntryProposal.Status.DECLINED
        proposal.decided_by = actor
        proposal.save(update_fields=["status", "decided_by", "entry"])
        logbook_touch(crisis=proposal.crisis)
    return proposal


def task_toggle(*, crisis: Crisis, user: User, role: str, number: int, done: bool) -> None:
    """Tick (or untick) task ``number`` of the user's role card for this crisis."""
    refuse_nul(role)
    require_active(crisis)
    if not Membership.objects.filter(
        crisis=crisis, user=user, role=role, ended_at__isnull=True
    ).exists():
        raise ValidationError(_("This is not your role in this crisis."))
    card_set = crisis_card_set(crisis=crisis)
    if not 1 <= number <= len(card_set.tasks.get(role, [])):
        raise ValidationError(_("No such task on the card."))
    with transaction.atomic():
        if done:
            TaskTick.objects.get_or_create(
                crisis=crisis,
                card_set=card_set,
                role=role,
                number=number,
                defaults={"user": user},
            )
        else:
            TaskTick.objects.filter(
                crisis=crisis, card_set=card_set, role=role, number=number
            ).delete()


def personal_add(
    *, crisis: Crisis, owner: User, kind: str, text: str, priority: str
) -> PersonalItem:
    require_active(crisis)
    item = PersonalItem(crisis=crisis, owner=owner, kind=kind, text=text.strip(), priority=priority)
    if not item.text:
        raise ValidationError({"text": _("Write what you want to keep.")})
    item.full_clean()
    item.save()
    return item


def personal_check(*, item: PersonalItem, done: bool) -> PersonalItem:
    item.done_at = timezone.now() if done else None
    item.save(update_fields=["done_at"])
    return item
