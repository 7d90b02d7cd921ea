"""The demo's exercises: Veiligheidsregio Rivierenland (organisation 3 on a fresh database)
with Gemeente Zuiderveen and Gemeente Lindewaard as members; its exercise leader and observer;
the regional scenario of a long power outage (``demo_scenario``), published to the members;
one run at Zuiderveen's GBT, played, evaluated and closed ten days ago; and a run under way at
Lindewaard, which the observer is watching.

Everything is loaded through the services and then dated back to its moment in the story
(meetings.demo.story), so the log's chain, the audit trail and the report agree. Idempotent:
a run that exists is left as it is.
"""

import uuid
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from crisisroom import services as core
from crisisroom.models import (
    AuditEvent,
    Crisis,
    Membership,
    Organisation,
    OrganisationMember,
    RosterEntry,
)
from crisisroom.roles import Role, TeamKind
from formats.models import AnalysisFormat, AnalysisVersion, CardSet
from formats.selectors import cards_current, format_current
from meetings import services as meeting_services
from meetings.demo.story import Backdate, log, minutes_after
from meetings.models import Assignment, Meeting, Message

from . import demo_scenario as story
from . import services
from .models import (
    Adoption,
    Exercise,
    Feedback,
    Inject,
    InjectRelease,
    LearningObjective,
    LessonLearned,
    Observation,
    Publication,
    Rating,
    Scenario,
    ScenarioVersion,
)

REGION = "Veiligheidsregio Rivierenland"
SECOND = "Gemeente Lindewaard"
LEADER, OBSERVER = "oefenleider", "waarnemer"

# username, first name, last name, can log in
PEOPLE = [
    (LEADER, "Annelies", "Vos", True),
    (OBSERVER, "Dirk", "Meijer", True),
    # Lindewaard's team, seats without a demo login.
    ("l.kok", "Lotte", "Kok", False),
    ("h.vanleeuwen", "Hans", "van Leeuwen", False),
    ("s.bos", "Saskia", "Bos", False),
]
# organisation, username, function, administrator, exercise leader
MEMBERS = [
    (REGION, LEADER, "Oefenleider, team Vakbekwaamheid", False, True),
    (REGION, OBSERVER, "Waarnemer, team Vakbekwaamheid", False, False),
    (REGION, "beheerder", "Functioneel beheerder", True, False),
    (SECOND, "l.kok", "Technisch voorzitter beleidsteam", False, False),
    (SECOND, "h.vanleeuwen", "Burgemeester", False, False),
    (SECOND, "rol", "Regionaal operationeel leider, Veiligheidsregio", False, False),
    (SECOND, "s.bos", "Verslaglegger", False, False),
    (SECOND, "beheerder", "Functioneel beheerder", True, False),
]
SECOND_ROSTER = [
    (Role.TECHNICAL_CHAIR, "l.kok"),
    (Role.MAYOR, "h.vanleeuwen"),
    (Role.ROL, "rol"),
    (Role.LOGGER, "s.bos"),
]
LOGINS = (
    (LEADER, "oefenleider — Veiligheidsregio Rivierenland: scenario's, regie, evaluatie"),
    (OBSERVER, "waarnemer — Veiligheidsregio Rivierenland: de oefening in Lindewaard"),
)

EVALUATED_TITLE = "Oefening stroomuitval en DDoS"
RUNNING_TITLE = "Oefening stroomuitval en DDoS (Lindewaard)"
EVALUATED_DAYS_AGO = 10
RUNNING_SINCE_MINUTES = 40


def _token(*parts: object) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, "crisisroom-demo/exercises/" + "/".join(map(str, parts)))


def load_region(
    *, municipality: Organisation, users: dict[str, User], set_up: datetime
) -> tuple[Organisation, Organisation]:
    """The region, the second member, their people and Lindewaard's roster."""
    region = Organisation.objects.filter(name=REGION).first() or core.organisation_create(
        name=REGION, kind=Organisation.Kind.REGION, actor=None
    )
    second = Organisation.objects.filter(name=SECOND).first() or core.organisation_create(
        name=SECOND, kind=Organisation.Kind.MUNICIPALITY, actor=None, region=region
    )
    if municipality.region_id != region.pk:
        municipality.region = region
        municipality.save(update_fields=["region"])
    orgs = {REGION: region, SECOND: second}
    for org_name, username, function, admin, leader in MEMBERS:
        current = OrganisationMember.objects.filter(
            organisation=orgs[org_name], user=users[username]
        ).first()
        wanted = (function, admin, leader)
        if (
            current
            and (current.function_title, current.is_administrator, current.is_exercise_leader)
            == wanted
        ):
            continue
        core.organisation_member_set(
            organisation=orgs[org_name],
            user=users[username],
            function_title=function,
            is_administrator=admin,
            is_exercise_leader=leader,
            actor=None,
        )
    for role, username in SECOND_ROSTER:
        RosterEntry.objects.get_or_create(
            organisation=second,
            role=role,
            function_title="",
            rank=1,
            defaults={"user": users[username]},
        )
    # Set up well before the exercises, with the formats and cards they started with.
    new = [region.pk, second.pk]
    Organisation.objects.filter(pk__in=new, created_at__gt=set_up).update(created_at=set_up)
    AnalysisFormat.objects.filter(organisation__in=new, created_at__gt=set_up).update(
        created_at=set_up
    )
    CardSet.objects.filter(organisation__in=new, created_at__gt=set_up).update(created_at=set_up)
    return region, second


def load_scenario(*, region: Organisation, leader: User, written: datetime) -> ScenarioVersion:
    """The regional scenario, version 1 with its objectives and twelve injects, published."""
    existing = ScenarioVersion.objects.filter(scenario__organisation=region, title=story.TITLE)
    version = existing.order_by("number").first()
    if version is None:
        scenario = Scenario.objects.create(
            organisation=region, created_by=leader, created_at=written
        )
        version = ScenarioVersion.objects.create(
            scenario=scenario,
            number=1,
            title=story.TITLE,
            background=story.BACKGROUND,
            team_kind=TeamKind.GBT,
            analysis=story.ANALYSIS,
            planned_minutes=90,
            note="Eerste versie, voor de pilots in alle gemeenten van de regio",
            created_by=leader,
            created_at=written,
        )
        for order, text in enumerate(story.OBJECTIVES, start=1):
            LearningObjective.objects.create(version=version, order=order, text=text)
        for (
            number,
            offset,
            phase,
            channel,
            sender,
            role,
            summary,
            text,
            note,
            expected,
        ) in story.INJECTS:
            Inject.objects.create(
                version=version,
                number=number,
                offset_minutes=offset,
                trigger_phase=phase,
                channel=channel,
                sender=sender,
                addressee_role=role,
                summary=summary,
                text=text,
                excon_note=note,
                expected_response=expected,
            )
    if not Publication.objects.filter(scenario_version=version).exists():
        publication = services.publication_create(
            region=region,
            actor=leader,
            target=version,
            note="Het scenario voor de oefenronde van dit jaar: bij elke gemeente hetzelfde.",
        )
        Publication.objects.filter(pk=publication.pk).update(
            published_at=written + timedelta(days=1)
        )
        ScenarioVersion.objects.filter(pk=version.pk).update(frozen_at=written + timedelta(days=1))
    return version


def load_way_of_working(
    *, region: Organisation, municipality: Organisation, leader: User, written: datetime
) -> None:
    """The region publishes its format of the strategic analysis and its cards, the pilots'
    one way of working for the whole region; Zuiderveen adopted the format, Lindewaard has
    not yet adopted anything."""
    for target, note in (
        (format_current(organisation=region), "De gezamenlijke werkwijze na de pilots."),
        (cards_current(organisation=region), "Aandachtskaart met de agenda erop verwerkt."),
    ):
        if services.publication_of(target) is not None:
            continue
        publication = services.publication_create(
            region=region, actor=leader, target=target, note=note
        )
        Publication.objects.filter(pk=publication.pk).update(published_at=written)
        if publication.kind == Publication.Kind.FORMAT:
            adoption = services.publication_adopt(
                publication=publication, organisation=municipality, actor=leader
            )
            adopted = written + timedelta(days=2)
            Adoption.objects.filter(pk=adoption.pk).update(adopted_at=adopted)
            if adoption.format_id is not None:
                AnalysisFormat.objects.filter(pk=adoption.format_id).update(created_at=adopted)


class _Run:
    """One run of the scenario, dated back: every step at its minute after the clock start."""

    def __init__(self, exercise: Exercise, start: datetime):
        self.exercise = exercise
        self.crisis = exercise.crisis
        self.at = minutes_after(start)
        self.start = start
        self.injects = {i.number: i for i in exercise.scenario_version.injects.all()}
        self.meeting: Meeting | None = None

    def opened(self, minutes_before: int) -> None:
        """The exercise was prepared and the team seated before the clock started."""
        opened = self.at(-minutes_before)
        Crisis.objects.filter(pk=self.crisis.pk).update(started_at=opened)
        self.crisis.refresh_from_db()
        Membership.objects.filter(crisis=self.crisis).update(
            started_at=opened + timedelta(minutes=1)
        )
        Exercise.objects.filter(pk=self.exercise.pk).update(created_at=opened)
        AnalysisVersion.objects.filter(analysis__crisis=self.crisis).update(
            handed_over_at=self.at(-minutes_before + 5)
        )
        AuditEvent.objects.filter(crisis=self.crisis).update(at=opened)

    def clock(self, leader: User) -> None:
        backdate = Backdate(self.crisis)
        services.exercise_clock_start(exercise=self.exercise, actor=leader)
        Exercise.objects.filter(pk=self.exercise.pk).update(clock_started_at=self.start)
        self.exercise.refresh_from_db()
        backdate(self.start)

    def release(self, number: int, minute: int, leader: User | None, how: str) -> None:
        backdate = Backdate(self.crisis)
        release = services.inject_release(
            exercise=self.exercise, inject=self.injects[number], actor=leader, how=how
        )
        InjectRelease.objects.filter(pk=release.pk).update(released_at=self.at(minute))
        if release.message_id:
            Message.objects.filter(pk=release.message_id).update(
                at=self.at(minute), recorded_at=self.at(minute)
            )
        backdate(self.at(minute))

    def meeting_start(self, chair: User, minute: int) -> None:
        backdate = Backdate(self.crisis)
        self.meeting = meeting_services.meeting_start(crisis=self.crisis, actor=chair)
        Meeting.objects.filter(pk=self.meeting.pk).update(
            started_at=self.at(minute), phase_started_at=self.at(minute)
        )
        backdate(self.at(minute), self.meeting)

    def phase(self, chair: User, phase: str, minute: int) -> None:
        assert self.meeting is not None  # nosec B101 - the story starts the meeting first
        backdate = Backdate(self.crisis)
        self.meeting = meeting_services.meeting_set_phase(
            meeting=self.meeting, phase=phase, actor=chair
        )
        Meeting.objects.filter(pk=self.meeting.pk).update(phase_started_at=self.at(minute))
        backdate(self.at(minute), self.meeting)

    def log(self, logger: User, kind: str, text: str, minute: int, **fields) -> None:
        """A line of the team's log at its minute. An assignment of a run that lies in the past
        is recorded with a deadline still ahead (the service refuses one already passed) and
        then given its deadline in the story, done."""
        deadline = fields.pop("deadline", None)
        if deadline is not None and deadline <= timezone.now():
            fields["deadline"] = timezone.now() + timedelta(hours=2)
        elif deadline is not None:
            fields["deadline"] = deadline
        entry = log(self.crisis, self.meeting, logger, kind, text, self.at(minute), **fields)
        if deadline is not None and deadline <= timezone.now():
            Assignment.objects.filter(entry=entry).update(
                deadline=deadline, status=Assignment.Status.DONE, closed_at=deadline
            )

    def observe(self, observer: User, minute: int, text: str, **fields) -> None:
        phase = fields.pop("phase", "")
        services.observation_record(
            exercise=self.exercise,
            observer=observer,
            text=text,
            at=self.at(minute),
            phase=phase,
            client_token=_token(self.crisis.pk, "observation", minute, text[:20]),
            **fields,
        )
        Observation.objects.filter(exercise=self.exercise, at=self.at(minute)).update(
            recorded_at=self.at(minute)
        )


def _create(
    *,
    organisation: Organisation,
    version: ScenarioVersion,
    title: str,
    leader: User,
    observer: User,
) -> Exercise | None:
    """The run, made once: None when it already exists (the demo keeps what it has)."""
    if Crisis.objects.filter(organisation=organisation, title=title).exists():
        return None
    return services.exercise_create(
        organisation=organisation,
        version=version,
        title=title,
        actor=leader,
        observers=[observer],
        client_token=_token(organisation.pk, title),
    )


def load_evaluated_run(
    *,
    municipality: Organisation,
    version: ScenarioVersion,
    users: dict[str, User],
    loading: datetime,
) -> Exercise | None:
    """Zuiderveen's GBT played the scenario ten days ago: every inject released, a meeting
    through all five phases with decisions and assignments, the observer's notes, the
    evaluation held and closed, and the exercise crisis closed."""
    leader, observer = users[LEADER], users[OBSERVER]
    exercise = _create(
        organisation=municipality,
        version=version,
        title=EVALUATED_TITLE,
        leader=leader,
        observer=observer,
    )
    if exercise is None:
        return None
    chair, mayor, logger = users["voorzitter"], users["burgemeester"], users["logger"]
    # The GBT met at 09:00 Dutch time, as the scenario's background says.
    start = timezone.localtime(loading).replace(
        hour=9, minute=0, second=0, microsecond=0
    ) - timedelta(days=EVALUATED_DAYS_AGO)
    run = _Run(exercise, start)
    run.opened(30)
    run.clock(leader)
    hand, schedule, phase = (
        InjectRelease.How.HAND,
        InjectRelease.How.SCHEDULE,
        InjectRelease.How.PHASE,
    )
    run.release(1, 0, None, schedule)
    run.meeting_start(chair, 2)
    run.log(
        logger,
        "beeld",
        "Kernbeeld uit de analyse van de ROL overgenomen; aangevuld met de stand van de "
        "noodstroom.",
        5,
    )
    run.observe(
        observer,
        6,
        "Voorzitter start met het kernbeeld uit de analyse van de ROL: niemand begint opnieuw.",
        phase="beeldvorming",
        objective=_objective(version, 3),
    )
    run.release(2, 10, None, schedule)
    run.log(
        logger,
        "beeld",
        "Zorgcentrum De Linde: noodstroom nog circa zes uur; 84 bewoners, 12 bedlegerig.",
        11,
    )
    run.release(3, 15, None, schedule)
    run.observe(
        observer,
        16,
        "Gerucht over het water komt binnen; de burgemeester wil direct reageren, de voorzitter "
        "houdt het bij beeldvorming.",
        phase="beeldvorming",
        objective=_objective(version, 4),
    )
    run.phase(chair, "oordeelsvorming", 20)
    run.release(4, 20, None, phase)
    run.log(
        logger,
        "knelpunt",
        "Het gerucht is onjuist; het echte risico is dalende waterdruk in hoger gelegen wijken.",
        23,
    )
    run.observe(
        observer,
        24,
        "Goede gezamenlijke oordeelsvorming: drinkwaterbedrijf en GHOR-adviseur vullen elkaar aan.",
        phase="oordeelsvorming",
        objective=_objective(version, 1),
    )
    run.release(5, 25, None, schedule)
    run.log(
        logger,
        "knelpunt",
        "Dilemma: brandstof voor De Linde of voor het pompstation in Oost; toedelingsregel geeft "
        "zorg voorrang.",
        27,
    )
    run.release(6, 30, leader, hand)
    run.phase(chair, "besluitvorming", 33)
    run.release(7, 33, None, phase)
    run.log(
        logger,
        "besluit",
        "Brandstof voor noodstroom eerst naar zorgcentrum De Linde, volgens de toedelingsregel.",
        38,
        reasoning="Bedlegerige bewoners zijn het meest kwetsbaar; de regel is vooraf vastgesteld.",
        decided_by=mayor,
    )
    run.observe(
        observer,
        39,
        "Besluit met argumenten en verwijzing naar de toedelingsregel; redenen hardop herhaald "
        "voor de logger.",
        phase="besluitvorming",
        objective=_objective(version, 2),
    )
    run.log(
        logger,
        "besluit",
        "Samen met het drinkwaterbedrijf één boodschap: het water is veilig, gebruik het zuinig.",
        42,
        reasoning="Onrust tegengaan met feiten; de druk daalt wel.",
        decided_by=mayor,
    )
    run.release(8, 45, None, schedule)
    run.phase(chair, "opdracht", 47)
    run.release(10, 47, None, phase)
    deadline = run.at(47 + 120)
    run.log(
        logger,
        "opdracht",
        "Noodsteunpunten openen en bekendmaken via radio en flyers.",
        50,
        owner_function="Adviseur crisisbeheersing (AOV)",
        deadline=deadline,
    )
    run.log(
        logger,
        "opdracht",
        "Zorgpartners bellen hun cliënten met zuurstof en thuisdialyse zelf na.",
        52,
        owner_function="Gemeentesecretaris",
        deadline=deadline,
    )
    run.release(9, 55, None, schedule)
    run.observe(
        observer,
        56,
        "Opdracht aan de zorgpartners zonder tijdstip van terugkoppeling; later aangevuld.",
        phase="opdracht",
    )
    run.phase(chair, "controle", 60)
    run.release(12, 60, None, phase)
    run.release(11, 65, None, schedule)
    run.observe(
        observer,
        66,
        "Controle kort; de vraag van de buurgemeente om aggregaten bleef liggen.",
        phase="controle",
        objective=_objective(version, 2),
    )
    backdate = Backdate(run.crisis)
    assert run.meeting is not None  # nosec B101
    meeting_services.meeting_close(meeting=run.meeting, actor=chair)
    Meeting.objects.filter(pk=run.meeting.pk).update(ended_at=run.at(70))
    backdate(run.at(70), run.meeting)
    backdate = Backdate(run.crisis)
    services.exercise_end(exercise=exercise, actor=leader)
    Exercise.objects.filter(pk=exercise.pk).update(ended_at=run.at(75))
    backdate(run.at(75))
    exercise.refresh_from_db()
    return exercise


def load_running_run(
    *, second: Organisation, version: ScenarioVersion, users: dict[str, User], loading: datetime
) -> Exercise | None:
    """Lindewaard's GBT is playing the scenario now: the clock runs since 40 minutes, the
    meeting is in Oordeelsvorming, six injects are out and the observer has begun taking notes.
    The next scheduled inject is due at T+45, once the control screen is open."""
    leader, observer = users[LEADER], users[OBSERVER]
    exercise = _create(
        organisation=second, version=version, title=RUNNING_TITLE, leader=leader, observer=observer
    )
    if exercise is None:
        return None
    chair, logger = users["l.kok"], users["s.bos"]
    start = loading - timedelta(minutes=RUNNING_SINCE_MINUTES)
    run = _Run(exercise, start)
    run.opened(25)
    run.clock(leader)
    schedule, phase = InjectRelease.How.SCHEDULE, InjectRelease.How.PHASE
    run.release(1, 0, None, schedule)
    run.meeting_start(chair, 3)
    run.log(logger, "beeld", "Kernbeeld uit de analyse van de ROL overgenomen.", 6)
    run.observe(
        observer,
        7,
        "Het team neemt de analyse van de ROL als vertrekpunt.",
        phase="beeldvorming",
        objective=_objective(version, 3),
    )
    run.release(2, 10, None, schedule)
    run.release(3, 15, None, schedule)
    run.log(logger, "beeld", "Gerucht over besmet kraanwater; nog niet geverifieerd.", 17)
    run.phase(chair, "oordeelsvorming", 24)
    run.release(4, 24, None, phase)
    run.release(5, 25, None, schedule)
    run.observe(
        observer,
        27,
        "De burgemeester wil de pers direct te woord staan; de voorzitter vraagt eerst de "
        "oordeelsvorming af te ronden.",
        phase="oordeelsvorming",
        objective=_objective(version, 4),
    )
    run.release(6, 30, None, schedule)
    return exercise


def _objective(version: ScenarioVersion, order: int) -> LearningObjective:
    return version.objectives.get(order=order)


def load_exercises(
    *, municipality: Organisation, users: dict[str, User], loading: datetime, set_up: datetime
) -> None:
    """Everything of the exercises for the demo, in story order."""
    region, second = load_region(municipality=municipality, users=users, set_up=set_up)
    version = load_scenario(region=region, leader=users[LEADER], written=set_up)
    load_way_of_working(
        region=region, municipality=municipality, leader=users["beheerder"], written=set_up
    )
    evaluated = load_evaluated_run(
        municipality=municipality, version=version, users=users, loading=loading
    )
    if evaluated is not None:
        load_evaluation(exercise=evaluated, users=users)
    load_running_run(second=second, version=version, users=users, loading=loading)


FEEDBACK = [
    # username, what went well, what could be better, anonymous
    (
        "burgemeester",
        "De analyse van de ROL gaf rust: ik wist waar het over ging voor we begonnen.",
        "Ik wilde te snel naar de pers; de voorzitter hield me terecht bij de fase.",
        False,
    ),
    (
        "voorzitter",
        "De aandachtskaart hield de vergadering in BOBOC; besluiten kregen argumenten.",
        "Bij de controle was te weinig tijd voor de vraag van de buurgemeente.",
        False,
    ),
    (
        "logger",
        "Besluiten met redenen waren goed vast te leggen.",
        "Opdrachten zonder tijdstip van terugkoppeling moest ik zelf navragen.",
        True,
    ),
]
RATINGS = [
    # objective order, level, explanation
    (1, "p", "Beeld en oordeel zijn samen gevormd, met inbreng van alle adviseurs."),
    (2, "s", "Twee besluiten met argumenten; het besluit over aggregaten bleef liggen."),
    (3, "p", "Het kernbeeld is uit de analyse overgenomen en aangevuld."),
    (4, "s", "De voorzitter hield de fase vast; de burgemeester liep één keer vooruit."),
]
LESSONS = [
    # text, owner, days until the deadline after the exercise, as a measure
    (
        "Geef elke opdracht een tijdstip van terugkoppeling, en controleer dat in de controlefase.",
        "voorzitter",
        30,
        False,
    ),
    (
        "Spreek met de buurgemeenten vooraf af hoe aggregaten bij schaarste worden verdeeld.",
        "aov",
        90,
        True,
    ),
]


def load_evaluation(*, exercise: Exercise, users: dict[str, User]) -> None:
    """The evaluation after the play: feedback (one anonymous), a rating per learning
    objective, two leerpunten of which one became a measure of the programme plan, closed; then
    the exercise crisis is closed too."""
    leader = users[LEADER]
    assert exercise.ended_at is not None  # nosec B101 - load_evaluated_run ended it
    ended = exercise.ended_at
    backdate = Backdate(exercise.crisis)
    for username, went_well, to_improve, anonymous in FEEDBACK:
        services.feedback_give(
            exercise=exercise,
            user=users[username],
            went_well=went_well,
            to_improve=to_improve,
            anonymous=anonymous,
        )
    Feedback.objects.filter(exercise=exercise, author__isnull=False).update(
        submitted_at=ended + timedelta(minutes=20)
    )
    for order, level, note in RATINGS:
        services.rating_set(
            exercise=exercise,
            objective=_objective(exercise.scenario_version, order),
            level=level,
            note=note,
            actor=leader,
        )
    Rating.objects.filter(exercise=exercise).update(rated_at=ended + timedelta(minutes=40))
    for text, owner, days, as_measure in LESSONS:
        services.lesson_record(
            exercise=exercise,
            text=text,
            owner=users[owner],
            deadline=(ended + timedelta(days=days)).date(),
            actor=leader,
            as_measure=as_measure,
        )
    LessonLearned.objects.filter(exercise=exercise).update(
        recorded_at=ended + timedelta(minutes=50)
    )
    services.evaluation_close(exercise=exercise, actor=leader)
    closed = ended + timedelta(hours=1)
    Exercise.objects.filter(pk=exercise.pk).update(evaluation_closed_at=closed)
    core.crisis_close(crisis=exercise.crisis, actor=leader)
    Crisis.objects.filter(pk=exercise.crisis_id).update(closed_at=closed)
    backdate(closed)
