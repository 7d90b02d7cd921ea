"""Real objects of crisis A for the access matrix (tests/test_access_matrix.py).

``build_objects`` turns the suite's ``world`` into everything a URL of the project can point
at: a running meeting, log entries, an assignment, two handed-over analysis versions, a share,
personal logbook lines, a pending proposal, admin objects of organisation A. ``KWARG_BUILDERS``
maps every URL keyword argument to one of those objects; a URL with a keyword argument that is
not in it fails the matrix until a builder is added here.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser, Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from crisisroom import services as crisis_services
from crisisroom.models import (
    AuditEvent,
    Crisis,
    Membership,
    Organisation,
    OrganisationMember,
    Partner,
    RosterEntry,
)
from crisisroom.roles import Role
from formats import services as format_services
from formats.models import Analysis, AnalysisShare, AnalysisVersion
from meetings import services as meeting_services
from meetings.access import live_token_for
from meetings.models import (
    Assignment,
    CrisisStakeholder,
    Entry,
    EntryProposal,
    Meeting,
    Message,
    PersonalItem,
)
from tests.conftest import PERSONA_ROLES, World
from tests.factories import UserFactory

# Everyone the matrix tries every URL as. The crisis roles of crisis A come from
# tests/conftest.py; the rest:
#   outsider       member of organisation B's crisis only (another organisation)
#   org_admin      administers organisation A (staff, Django admin), member of no crisis
#   shared_reader  person of organisation A outside the team; the mayor shared the analysis
#   aov            organisation A's crisis adviser: maintains its cold phase, in no crisis
#   measure_owner  person of organisation A who owns a measure of its programme, no role
#   region_leader  exercise leader of the safety region organisation A is a member of; the
#                  exercise leader (oefenleider) of exercise X, played at organisation A
#   anonymous      not logged in
# In exercise X the crisis personas sit in their crisis-A roles (the observer is its waarnemer);
# the AOV is organisation A's own exercise leader.
# In the cold phase the mayor holds the role "bestuur" (reads and decides).
CRISIS_PERSONAS: tuple[str, ...] = tuple(PERSONA_ROLES)
PERSONAS: tuple[str, ...] = (
    *CRISIS_PERSONAS,
    "outsider",
    "org_admin",
    "shared_reader",
    "aov",
    "measure_owner",
    "region_leader",
    "anonymous",
)

# Whose personal logbook line the matrix uses, and whose live-poll token.
ITEM_OWNER = "adviser"
TOKEN_HOLDER = "chair"


@dataclass
class Objects:
    world: World
    users: dict[str, AbstractBaseUser]
    crisis: Crisis
    organisation: Organisation
    meeting: Meeting
    entry: Entry
    assignment: Assignment
    analysis: Analysis
    version_first: AnalysisVersion
    version_latest: AnalysisVersion
    share: AnalysisShare
    personal_item: PersonalItem  # ITEM_OWNER's, not offered yet
    proposal: EntryProposal  # from the ROL's personal logbook, pending
    membership: Membership  # the observer's seat
    roster_entry: RosterEntry
    message: Message  # incoming, open, routed to nobody
    outgoing: Message  # waiting for the chair's approval
    partner: Partner  # in the crisis's stakeholders
    spare_partner: Partner  # in the register, not yet in the crisis
    stakeholder: CrisisStakeholder
    organisation_member: OrganisationMember
    audit_event: AuditEvent
    group: Group
    live_token: str
    cold: "ColdObjects"
    exercises: "ExerciseObjects"
    clients: dict = field(default_factory=dict)  # the test clients, per persona


@dataclass
class ColdObjects:
    """Organisation A's cold phase: a scenario, a decision, a measure of measure_owner with a
    second revision, a critical process."""

    scenario: object
    decision: object
    measure: object
    process: object
    first72: "First72Objects"


@dataclass
class First72Objects:
    """Organisation A's first 72 hours: a district marked affected in crisis A, a noodsteunpunt
    there, a vulnerable location, a group, drinking water with a stock and rule R1 (version 1),
    and an open request in crisis A."""

    district: object
    point: object
    location: object
    group: object
    good: object
    stock: object
    rule: object
    request: object


@dataclass
class ExerciseObjects:
    """The safety region of organisation A and its exercises: a regional scenario (version 1,
    published, with two injects) played at organisation A as exercise X (clock started, inject
    1 released), organisation A's own draft scenario with an inject, and the region's format
    published and not yet adopted by organisation A."""

    region: Organisation
    scenario: object
    version: object
    inject: object  # of the regional scenario
    own_scenario: object  # organisation A's, a draft
    own_inject: object
    publication: object
    exercise: object
    crisis: Crisis


def analysis_sections(analysis: Analysis, text: str = "Tekst") -> dict[str, str]:
    return {section.key: f"{text} ({section.key})" for section in analysis.format.sections.all()}


def build_objects(world: World) -> Objects:
    crisis, org = world.crisis_a, world.org_a
    users = {name: getattr(world, name) for name in (*CRISIS_PERSONAS, "outsider", "org_admin")}

    reader = UserFactory(username="shared_reader")
    crisis_services.organisation_member_set(organisation=org, user=reader, actor=None)
    users["shared_reader"] = reader

    # The ROL hands over twice: versions 1 and 2 (the diff compares them).
    analysis = format_services.analysis_get_or_start(crisis=crisis)
    versions = []
    for text in ("Eerste", "Tweede"):
        current = Analysis.objects.get(pk=analysis.pk)
        saved = format_services.analysis_save_draft(
            analysis=current,
            actor=world.rol,
            sections=analysis_sections(current, text),
            base_revision=current.draft_revision,
        )
        versions.append(format_services.analysis_hand_over(analysis=saved, actor=world.rol))
    share = format_services.analysis_share(analysis=analysis, user=reader, actor=world.mayor)

    meeting = meeting_services.meeting_start(crisis=crisis, actor=world.chair)
    entry = meeting_services.entry_record(
        crisis=crisis,
        meeting=meeting,
        actor=world.logger,
        kind="beeld",
        text="Stroom valt uit in Aadorp-Noord",
        client_token=uuid.uuid4(),
    )
    order = meeting_services.entry_record(
        crisis=crisis,
        meeting=meeting,
        actor=world.logger,
        kind="opdracht",
        text="Noodstroom voor het verpleeghuis",
        owner_function="communicatieadviseur",
        deadline=timezone.now() + timedelta(hours=2),
        client_token=uuid.uuid4(),
    )

    item = meeting_services.personal_add(
        crisis=crisis, owner=users[ITEM_OWNER], kind="actie", text="Bellen", priority="normaal"
    )
    rol_item = meeting_services.personal_add(
        crisis=crisis, owner=world.rol, kind="besluit", text="Opschalen?", priority="hoog"
    )
    proposal = meeting_services.proposal_create(item=rol_item, actor=world.rol)

    roster_entry = RosterEntry.objects.create(
        organisation=org, role=Role.ADVISER, function_title="AOV", user=world.adviser, rank=1
    )
    # The desk: an open incoming message, an outgoing one waiting for approval; stakeholders.
    message = meeting_services.message_record(
        crisis=crisis,
        actor=world.chair,
        direction="in",
        channel="pers",
        counterpart="Omroep Aadorp",
        summary="Vraagt naar de hersteltijd",
        client_token=uuid.uuid4(),
    )
    outgoing = meeting_services.message_record(
        crisis=crisis,
        actor=world.chair,
        direction="uit",
        channel="sociale media",
        counterpart="Inwoners",
        summary="Stroom terug rond 18:00",
        client_token=uuid.uuid4(),
        needs_approval=True,
    )
    partner = Partner.objects.create(
        organisation=org, name="Netbeheerder", kind=Partner.Kind.KETENPARTNER
    )
    spare_partner = Partner.objects.create(
        organisation=org, name="Woningcorporatie Aadorp", kind=Partner.Kind.WONINGCORPORATIE
    )
    stakeholder = meeting_services.stakeholder_add(
        crisis=crisis, partner=partner, actor=world.chair
    )
    cold = _build_cold(org, world, users, partner)
    exercises = _build_exercises(org, world, users)
    # The live token belongs to one browser session: the holder's client is that browser.
    holder = Client(raise_request_exception=False)
    holder.force_login(users[TOKEN_HOLDER])
    return Objects(
        world=world,
        users=users,
        crisis=crisis,
        organisation=org,
        meeting=meeting,
        entry=entry,
        assignment=order.assignment,
        analysis=Analysis.objects.get(pk=analysis.pk),
        version_first=versions[0],
        version_latest=versions[1],
        share=share,
        personal_item=item,
        proposal=proposal,
        # Every case is rolled back, so ending a persona's own seat affects no other case.
        membership=Membership.objects.get(crisis=crisis, user=world.observer),
        roster_entry=roster_entry,
        message=message,
        outgoing=outgoing,
        partner=partner,
        spare_partner=spare_partner,
        stakeholder=stakeholder,
        organisation_member=OrganisationMember.objects.get(organisation=org, user=world.chair),
        audit_event=AuditEvent.objects.filter(organisation=org).order_by("pk").first(),
        group=Group.objects.create(name="Matrix"),
        live_token=live_token_for(
            crisis_pk=crisis.pk,
            user_pk=users[TOKEN_HOLDER].pk,
            session_key=holder.session.session_key,
        ),
        cold=cold,
        exercises=exercises,
        clients={(TOKEN_HOLDER, False): holder},
    )


def _build_cold(org: Organisation, world: World, users: dict, partner: Partner) -> ColdObjects:
    from resilience import selectors as cold_selectors
    from resilience import services as cold_services
    from resilience.models import LIKELIHOOD, ResilienceRole

    aov = UserFactory(username="aov")
    owner = UserFactory(username="measure_owner")
    for user in (aov, owner):
        crisis_services.organisation_member_set(organisation=org, user=user, actor=None)
    users["aov"], users["measure_owner"] = aov, owner
    cold_services.resilience_role_set(
        organisation=org, actor=world.org_admin, user=aov, kind=ResilienceRole.Kind.AOV
    )
    cold_services.resilience_role_set(
        organisation=org, actor=world.org_admin, user=world.mayor, kind=ResilienceRole.Kind.BESTUUR
    )
    scenario = cold_selectors.scenarios_of(organisation=org).first()
    cold_services.assessment_record(
        scenario=scenario, actor=aov, aspect=LIKELIHOOD, value=3, reasoning="Mogelijk"
    )
    today = timezone.localdate()
    decision = cold_services.priority_decide(
        organisation=org,
        actor=world.mayor,
        decided_by="burgemeester",
        decided_on=today,
        review_on=today + timedelta(days=365),
        reasons="Eerst de systemen",
        scenario_ids=[scenario.pk],
    )
    data = cold_services.MeasureInput(
        title="Noodwater voor verpleeghuizen",
        theme="drinkwater",
        phase="koude_fase",
        owner=owner,
        partners=[partner],
        scenarios=[scenario],
    )
    measure = cold_services.measure_create(organisation=org, actor=aov, data=data)
    data.status = "loopt"
    measure = cold_services.measure_update(
        measure=measure, actor=aov, data=data, based_on_revision=measure.revision
    )
    process = cold_services.critical_process_save(
        organisation=org,
        actor=aov,
        name="Uitbetaling uitkeringen",
        max_outage_hours=72,
        fallback="Handmatige betaalrun",
        measures=[measure],
    )
    return ColdObjects(
        scenario=scenario,
        decision=decision,
        measure=measure,
        process=process,
        first72=_build_first72(org, world, aov, partner),
    )


def _build_first72(org: Organisation, world: World, aov, partner: Partner) -> First72Objects:
    from resilience import services as cold_services
    from resilience.models import (
        AffectedDistrict,
        AllocationRequest,
        District,
        GoodKind,
        LocationKind,
        PointKind,
    )

    district = District.objects.create(
        organisation=org, code="WK099901", name="Centrum", level=District.Level.WIJK
    )
    AffectedDistrict.objects.create(crisis=world.crisis_a, district=district, marked_by=world.chair)
    point = cold_services.point_save(
        organisation=org,
        actor=aov,
        name="Buurthuis Centrum",
        kind=PointKind.GEMEENSCHAPSHUIS,
        address="Markt 1",
        latitude=52.1,
        longitude=5.1,
        capacity=100,
        key_holder="Beheerder, 06-12345678",
        district=district,
    )
    location = cold_services.location_save(
        organisation=org,
        actor=aov,
        name="Verpleeghuis De Linde",
        kind=LocationKind.ZORGINSTELLING,
        address="Lindelaan 4",
        district=district,
        people=80,
        dependencies=["stroom"],
        partner=partner,
    )
    group = cold_services.group_save(organisation=org, actor=aov, name="75-plussers alleen")
    good = cold_services.good_save(
        organisation=org, actor=aov, name="Drinkwater", kind=GoodKind.DRINKWATER, unit="liter"
    )
    stock = cold_services.stock_save(
        good=good, actor=aov, place="Gemeentewerf", quantity=1000, as_of=timezone.localdate()
    )
    rule = cold_services.rule_create(
        organisation=org,
        actor=aov,
        good=good,
        title="Drinkwater bij uitval",
        data=cold_services.RuleVersionInput(
            priority_order="Verpleeghuizen\nNoodsteunpunten",
            norm_amount=None,
            norm_unit="",
            norm_source="",
            conditions="",
            decided_by="college van B en W",
            decided_on=timezone.localdate(),
            reasons="Eerst wie zich het minst kan redden.",
        ),
    )
    request = AllocationRequest.objects.create(
        crisis=world.crisis_a,
        number=1,
        good=good,
        quantity=200,
        point=point,
        description="Water voor bezoekers",
        created_by=world.logger,
    )
    return First72Objects(
        district=district,
        point=point,
        location=location,
        group=group,
        good=good,
        stock=stock,
        rule=rule,
        request=request,
    )


def _build_exercises(org: Organisation, world: World, users: dict) -> ExerciseObjects:
    from exercises import services as exercise_services
    from exercises.models import Inject, Publication, Scenario, ScenarioVersion
    from formats.selectors import format_current

    region = crisis_services.organisation_create(
        name="Veiligheidsregio Matrix", kind=Organisation.Kind.REGION, actor=None
    )
    org.region = region
    org.save(update_fields=["region"])
    leader = UserFactory(username="region_leader")
    crisis_services.organisation_member_set(
        organisation=region, user=leader, actor=None, is_exercise_leader=True
    )
    crisis_services.organisation_member_set(
        organisation=org, user=users["aov"], actor=None, is_exercise_leader=True
    )
    users["region_leader"] = leader

    def scenario_of(owner: Organisation, title: str) -> tuple:
        scenario = Scenario.objects.create(organisation=owner, created_by=leader)
        version = ScenarioVersion.objects.create(
            scenario=scenario, number=1, title=title, team_kind="gbt", created_by=leader
        )
        version.objectives.create(order=1, text="Besluiten met argumenten")
        inject = Inject.objects.create(
            version=version,
            number=1,
            offset_minutes=0,
            channel="telefoon",
            sender="Zorgcentrum",
            addressee_role=Role.MAYOR,
            summary="Noodstroom houdt nog vier uur",
            excon_note="Alleen voor de regie",
        )
        return scenario, version, inject

    scenario, version, inject = scenario_of(region, "Stroomuitval regio")
    Inject.objects.create(
        version=version,
        number=2,
        channel="pers",
        sender="Omroep",
        addressee_role=Role.MAYOR,
        summary="Interviewverzoek",
    )
    exercise_services.version_freeze(version=version)
    Publication.objects.create(
        region=region, kind="scenario", scenario_version=version, published_by=leader
    )
    publication = Publication.objects.create(
        region=region,
        kind="format",
        format=format_current(organisation=region),
        published_by=leader,
    )
    own_scenario, _own_version, own_inject = scenario_of(org, "Eigen scenario Aadorp")
    exercise = exercise_services.exercise_create(
        organisation=org,
        version=version,
        title="Oefening Matrix",
        actor=leader,
        client_token=uuid.uuid4(),
        staff_from_roster=False,
    )
    for persona, role in PERSONA_ROLES.items():
        crisis_services.membership_add(
            crisis=exercise.crisis, user=users[persona], role=role, actor=None
        )
    exercise_services.exercise_clock_start(exercise=exercise, actor=leader)
    exercise.refresh_from_db()
    exercise_services.inject_release(exercise=exercise, inject=inject, actor=leader)
    return ExerciseObjects(
        region=region,
        scenario=scenario,
        version=version,
        inject=inject,
        own_scenario=own_scenario,
        own_inject=own_inject,
        publication=publication,
        exercise=exercise,
        crisis=exercise.crisis,
    )


def _exercise_crisis_url(callback: Callable) -> bool:
    """The exercises app's pages of one exercise take the exercise's crisis as pk."""
    return callback.__module__.startswith("exercises.")


def _cold_url(callback: Callable) -> bool:
    """The cold phase's URLs take the organisation as pk; the crisis's first 72 hours, in the
    same app, take the crisis."""
    return callback.__module__.startswith("resilience.") and not callback.__name__.startswith(
        "crisis_first72"
    )


# -- URL keyword arguments -----------------------------------------------------------------------

# Admin object pages take ``object_id`` for every model: the object comes from the model.
ADMIN_OBJECTS: dict[str, Callable[[Objects], object]] = {
    "auth.group": lambda o: o.group,
    "auth.user": lambda o: o.users["chair"],
    "crisisroom.organisation": lambda o: o.organisation,
    "crisisroom.organisationmember": lambda o: o.organisation_member,
    "crisisroom.rosterentry": lambda o: o.roster_entry,
    "crisisroom.partner": lambda o: o.partner,
    "crisisroom.crisis": lambda o: o.crisis,
    "crisisroom.membership": lambda o: o.membership,
    "crisisroom.auditevent": lambda o: o.audit_event,
}


def _admin_object_id(o: Objects, name: str, callback) -> str:
    model_admin = getattr(callback, "model_admin", None)
    if model_admin is None:  # admin:view_on_site: any object with a content type
        return str(o.crisis.pk)
    label = model_admin.model._meta.label_lower
    if label not in ADMIN_OBJECTS:
        raise LookupError(
            f"admin model {label!r} (URL {name!r}) has no object in ADMIN_OBJECTS of "
            "tests/access_fixtures.py: add one of organisation A"
        )
    return str(ADMIN_OBJECTS[label](o).pk)


# -- the wall screen (meetings/views/wall.py) ----------------------------------------------------


def wall_pairing(o: Objects) -> tuple:
    """A pairing of crisis A, made by the chair: (pairing, code), the code not used yet."""
    from meetings.services import wall as wall_services

    return wall_services.wall_pairing_create(crisis=o.crisis, actor=o.users["chair"], label="Zaal")


def wall_token(o: Objects) -> str:
    """A paired wall's live-poll token. It only works with that wall's cookie, which no
    persona of the matrix has."""
    from meetings.services import wall as wall_services
    from meetings.wall_access import wall_access_for, wall_live_token_for

    _pairing, code = wall_pairing(o)
    pairing, secret = wall_services.wall_pairing_redeem(code=code, address="192.0.2.10")
    return wall_live_token_for(wall_access_for(pairing=pairing, secret=secret))


# The exercises' URLs that the matrix tries on the region's side (org_pk is the region): the
# region publishes, and compares the runs of its own scenario.
REGION_SIDE = {"publish", "exercise_compare"}

# kwarg name -> builder(objects, url name, view callback) -> value. The same kwarg name may mean
# different things in different URLs ("number" is a meeting number in meetings and a version
# number in the analysis): then the builder looks at the URL name.
KWARG_BUILDERS: dict[str, Callable[[Objects, str, Callable], object]] = {
    # The cold phase's URLs take the organisation as pk.
    "pk": lambda o, name, cb: (
        o.organisation.pk
        if _cold_url(cb)
        else o.exercises.crisis.pk
        if _exercise_crisis_url(cb)
        else o.crisis.pk
    ),
    "number": lambda o, name, cb: (
        o.cold.decision.number
        if name == "priority_decision"
        else o.cold.first72.rule.number
        if name.startswith("allocation_rule")
        else o.cold.first72.request.number
        if name == "crisis_first72_refuse"
        else o.version_latest.number
        if name == "analysis_pdf"
        else o.meeting.number
    ),
    "scenario_pk": lambda o, name, cb: (
        o.cold.scenario.pk
        if not _exercise_crisis_url(cb)
        else o.exercises.scenario.pk
        if name in REGION_SIDE
        else o.exercises.own_scenario.pk
    ),
    "measure_pk": lambda o, name, cb: o.cold.measure.pk,
    "revision": lambda o, name, cb: 1,
    "version": lambda o, name, cb: 1,
    "process_pk": lambda o, name, cb: o.cold.process.pk,
    "point_pk": lambda o, name, cb: o.cold.first72.point.pk,
    "location_pk": lambda o, name, cb: o.cold.first72.location.pk,
    "district_pk": lambda o, name, cb: o.cold.first72.district.pk,
    "good_pk": lambda o, name, cb: o.cold.first72.good.pk,
    "stock_pk": lambda o, name, cb: o.cold.first72.stock.pk,
    "partner_pk": lambda o, name, cb: o.spare_partner.pk,
    "membership_pk": lambda o, name, cb: o.membership.pk,
    "seq": lambda o, name, cb: o.entry.seq,
    "assignment_pk": lambda o, name, cb: o.assignment.pk,
    "proposal_pk": lambda o, name, cb: o.proposal.pk,
    "item_pk": lambda o, name, cb: o.personal_item.pk,
    "share_pk": lambda o, name, cb: o.share.pk,
    "org_pk": lambda o, name, cb: (
        o.exercises.region.pk if name in REGION_SIDE else o.organisation.pk
    ),
    "publication_pk": lambda o, name, cb: o.exercises.publication.pk,
    "inject_pk": lambda o, name, cb: (
        o.exercises.inject.pk if name == "inject_release_view" else o.exercises.own_inject.pk
    ),
    "token": lambda o, name, cb: o.live_token,
    "message_seq": lambda o, name, cb: (
        o.outgoing.seq if name == "message_approve" else o.message.seq
    ),
    "stakeholder_pk": lambda o, name, cb: o.stakeholder.pk,
    "pairing_pk": lambda o, name, cb: wall_pairing(o)[0].pk,
    "wall_token": lambda o, name, cb: wall_token(o),
    # Django admin
    "object_id": lambda o, name, cb: _admin_object_id(o, name, cb),
    "content_type_id": lambda o, name, cb: ContentType.objects.get_for_model(Crisis).pk,
    "app_label": lambda o, name, cb: "crisisroom",
    "id": lambda o, name, cb: o.users["chair"].pk,  # admin:auth_user_password_change
}
