"""Writes of the afwegingskader: scenarios, framework versions, scores, priority decisions.
Each is audited; none overwrites a record another depends on."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from crisisroom.models import AuditEvent, Organisation
from crisisroom.services import audit_record

from ..models import (
    LIKELIHOOD,
    Assessment,
    Criterion,
    DecisionItem,
    Framework,
    PriorityDecision,
    ThreatScenario,
)
from ..selectors import framework_current, ranking, scenarios_of

SCENARIO_FIELDS = ("title", "description", "theme", "sources")

# A second identical save by the same person within this time is a double click or a resent
# form, not a new record: it gets the first one back.
REPEAT_WINDOW = timedelta(minutes=10)


def scenario_save(
    *,
    organisation: Organisation,
    actor: User,
    scenario: ThreatScenario | None = None,
    title: str,
    description: str = "",
    theme: str,
    sources: str = "",
) -> ThreatScenario:
    """Create a scenario, or change one. An edited shipped example is the organisation's own:
    its label goes."""
    with transaction.atomic():
        if scenario is None:
            scenario = ThreatScenario(organisation=organisation, created_by=actor)
            created = True
        else:
            scenario = ThreatScenario.objects.select_for_update().get(
                pk=scenario.pk, organisation=organisation
            )
            created = False
            # The old text goes into the audit trail: an edit never makes it unreadable.
            before = {name: getattr(scenario, name) for name in SCENARIO_FIELDS}
        scenario.title = title.strip()
        scenario.description = description.strip()
        scenario.theme = theme
        scenario.sources = sources.strip()
        scenario.shipped_source = ""
        scenario.updated_at = timezone.now()
        scenario.full_clean()
        scenario.save()
        detail: dict[str, object] = {
            "scenario": scenario.pk,
            "title": scenario.title,
            "created": created,
        }
        if not created:
            detail["before"] = before
        audit_record(
            action=AuditEvent.Action.SCENARIO_CHANGED,
            organisation=organisation,
            actor=actor,
            detail=detail,
        )
    return scenario


def scenario_archive(*, scenario: ThreatScenario, actor: User, archived: bool = True) -> None:
    with transaction.atomic():
        scenario.is_archived = archived
        scenario.updated_at = timezone.now()
        scenario.save(update_fields=["is_archived", "updated_at"])
        audit_record(
            action=AuditEvent.Action.SCENARIO_CHANGED,
            organisation=scenario.organisation,
            actor=actor,
            detail={"scenario": scenario.pk, "title": scenario.title, "archived": archived},
        )


@dataclass(frozen=True)
class CriterionInput:
    code: str
    name: str
    description: str
    weight: Decimal


def framework_revise(
    *,
    organisation: Organisation,
    actor: User,
    criteria: Sequence[CriterionInput],
    note: str,
    based_on_version: int | None,
) -> Framework:
    """A new version of the framework. The weights must add up to 100; codes must be unique.
    ``based_on_version`` is the version the editor opened: if someone saved a newer one in the
    meantime, nothing is saved and the editor is told, unless that newer one is this very
    change, saved by the same person a moment ago (the form sent twice): then it is returned."""
    if not criteria:
        raise ValidationError(_("A framework needs at least one criterion."))
    codes = [c.code for c in criteria]
    if LIKELIHOOD in codes:
        raise ValidationError(reserved_code_message())
    if len(set(codes)) != len(codes):
        raise ValidationError(_("Two criteria have the same code; each code must be unique."))
    total = sum((c.weight for c in criteria), Decimal(0))
    if total != Decimal(100):
        raise ValidationError(
            _("The weights add up to %(total)s %%; they must add up to exactly 100 %%.")
            % {"total": f"{total.normalize():f}"}
        )
    if not note.strip():
        raise ValidationError(_("Say what changed and why: the next reader needs it."))
    with transaction.atomic():
        # Lock the organisation row: two editors saving at once get versions one after another.
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        newest = (
            Framework.objects.filter(organisation=organisation).aggregate(v=Max("version"))["v"]
            or 0
        )
        if based_on_version is not None and based_on_version != newest:
            repeated = _framework_just_saved(
                organisation=organisation, actor=actor, criteria=criteria, note=note
            )
            if repeated is not None:
                return repeated
            raise ValidationError(
                _(
                    "Someone saved version %(newest)s of the framework while you were editing "
                    "version %(mine)s. Open the framework again and make your change there."
                )
                % {"newest": newest, "mine": based_on_version}
            )
        framework = Framework(
            organisation=organisation, version=newest + 1, note=note.strip(), created_by=actor
        )
        framework.full_clean()
        framework.save()
        rows = [
            Criterion(
                framework=framework,
                code=c.code,
                name=c.name.strip(),
                description=c.description.strip(),
                weight=c.weight,
                position=position,
            )
            for position, c in enumerate(criteria, start=1)
        ]
        for row in rows:
            row.full_clean(exclude=["framework"])
        Criterion.objects.bulk_create(rows)
        audit_record(
            action=AuditEvent.Action.FRAMEWORK_REVISED,
            organisation=organisation,
            actor=actor,
            detail={
                "version": framework.version,
                "weights": {c.code: str(c.weight) for c in criteria},
            },
        )
    return framework


def reserved_code_message() -> str:
    return _(
        "The code “%(code)s” is reserved for the likelihood, which every scenario is scored "
        "on besides the criteria. Give this criterion another code."
    ) % {"code": LIKELIHOOD}


def _framework_just_saved(
    *,
    organisation: Organisation,
    actor: User,
    criteria: Sequence[CriterionInput],
    note: str,
) -> Framework | None:
    """The newest version, if the same person saved exactly these criteria and this note
    within the repeat window."""
    latest = Framework.objects.filter(organisation=organisation).order_by("-version").first()
    if (
        latest is None
        or latest.created_by_id != actor.pk
        or latest.created_at < timezone.now() - REPEAT_WINDOW
        or latest.note != note.strip()
    ):
        return None
    saved = [
        (c.code, c.name, c.description, c.weight) for c in latest.criteria.order_by("position")
    ]
    sent = [(c.code, c.name.strip(), c.description.strip(), c.weight) for c in criteria]
    return latest if saved == sent else None


def assessment_record(
    *,
    scenario: ThreatScenario,
    actor: User,
    aspect: str,
    value: int,
    reasoning: str,
    source: str = "",
) -> Assessment | None:
    """Score one aspect of a scenario. The same score with the same reasons again (a double
    click, a resubmitted form) records nothing new and returns None."""
    framework = framework_current(organisation=scenario.organisation)
    allowed = {c.code for c in framework.criteria.all()} if framework else set()
    allowed.add(LIKELIHOOD)
    if aspect not in allowed:
        raise ValidationError(_("This criterion is not in the current framework."))
    if aspect == LIKELIHOOD and value < 1:
        raise ValidationError(
            _(
                "The likelihood is a class from A to E (1 to 5). “0 — no impact” is only for "
                "an impact criterion the scenario does not touch."
            )
        )
    with transaction.atomic():
        ThreatScenario.objects.select_for_update().get(pk=scenario.pk)
        newest = (
            Assessment.objects.filter(scenario=scenario, aspect=aspect)
            .order_by("-scored_at", "-pk")
            .first()
        )
        if (
            newest is not None
            and newest.value == value
            and newest.reasoning == reasoning.strip()
            and newest.source == source.strip()
        ):
            return None
        assessment = Assessment(
            scenario=scenario,
            aspect=aspect,
            value=value,
            reasoning=reasoning.strip(),
            source=source.strip(),
            scored_by=actor,
        )
        assessment.full_clean()
        assessment.save()
        audit_record(
            action=AuditEvent.Action.SCORE_RECORDED,
            organisation=scenario.organisation,
            actor=actor,
            detail={
                "scenario": scenario.pk,
                "aspect": aspect,
                "value": value,
                "before": newest.value if newest else None,
            },
        )
    return assessment


def priority_decide(
    *,
    organisation: Organisation,
    actor: User,
    decided_by: str,
    decided_on: date,
    review_on: date,
    reasons: str,
    scenario_ids: Sequence[int],
) -> PriorityDecision:
    """Record the priority order the mayor or the college decided, with the computed ranking
    it was based on. A new decision supersedes the last one; it never changes it. The same
    decision sent again by the same person a moment later (a double click) records nothing
    new: the first one is returned."""
    if not reasons.strip():
        raise ValidationError(_("A decision needs its reasons."))
    if decided_on > timezone.localdate():
        raise ValidationError(decided_in_future_message())
    if review_on <= decided_on:
        raise ValidationError(_("The review date must come after the date of the decision."))
    if not scenario_ids:
        raise ValidationError(_("Choose at least one scenario to prepare for."))
    if len(set(scenario_ids)) != len(scenario_ids):
        raise ValidationError(_("A scenario can have only one place in the order."))
    scenarios = {s.pk: s for s in scenarios_of(organisation=organisation)}
    unknown = [pk for pk in scenario_ids if pk not in scenarios]
    if unknown:
        raise ValidationError(
            _("A chosen scenario is not (or no longer) one of this organisation.")
        )
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        newest = (
            PriorityDecision.objects.filter(organisation=organisation).order_by("-number").first()
        )
        if (
            newest is not None
            and newest.recorded_by_id == actor.pk
            and newest.recorded_at >= timezone.now() - REPEAT_WINDOW
            and newest.decided_by == decided_by
            and newest.decided_on == decided_on
            and newest.review_on == review_on
            and newest.reasons == reasons.strip()
            and list(newest.items.order_by("position").values_list("scenario_id", flat=True))
            == list(scenario_ids)
        ):
            return newest
        framework = framework_current(organisation=organisation)
        if framework is None:
            raise ValidationError(_("Set up the weighing framework before deciding."))
        basis = [
            {
                "scenario": row.scenario.pk,
                "title": row.scenario.title,
                "rank": row.rank,
                "impact": str(row.impact) if row.impact is not None else None,
                "likelihood": row.likelihood,
                "risk": str(row.risk) if row.risk is not None else None,
            }
            for row in ranking(framework=framework, scenarios=scenarios.values())
        ]
        number = (newest.number if newest is not None else 0) + 1
        decision = PriorityDecision(
            organisation=organisation,
            number=number,
            decided_by=decided_by,
            decided_on=decided_on,
            review_on=review_on,
            reasons=reasons.strip(),
            framework=framework,
            basis=basis,
            recorded_by=actor,
        )
        decision.full_clean()
        decision.save()
        DecisionItem.objects.bulk_create(
            DecisionItem(
                decision=decision,
                scenario=scenarios[pk],
                position=position,
                title=scenarios[pk].title,
            )
            for position, pk in enumerate(scenario_ids, start=1)
        )
        audit_record(
            action=AuditEvent.Action.PRIORITY_DECIDED,
            organisation=organisation,
            actor=actor,
            detail={
                "decision": number,
                "order": list(scenario_ids),
                "framework": framework.version,
            },
        )
    return decision


def decided_in_future_message() -> str:
    return _(
        "The date of the decision lies in the future. Record a decision on or after the day "
        "it was taken."
    )
