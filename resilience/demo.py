"""The cold phase of the demo municipality: what Gemeente Zuiderveen prepares for, and how.

Its crisis adviser (AOV) scored the six shipped example scenarios and two local ones on every
criterion of the default framework, changed one score after new information, the mayor decided
the priority, and a programme of fifteen measures runs: some done, some under way, some planned,
one stopped and two overdue. Four critical municipal processes name the measures that secure
them.

Everything happened in the two weeks between setting up the organisation in Crisisroom and the
crisis the meetings demo tells (``SET_UP_BEFORE``): each step is moved to its day in that story
right after the service wrote it. Dates of the programme itself (start, due, progress) count from
the day the demo is loaded, so what is overdue is overdue whenever it is loaded.

Idempotent: each part is looked up by its title or name and made only if missing.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from crisisroom.models import AuditEvent, Organisation, Partner
from meetings.demo.people import COMPANY

from . import selectors, services
from .models import (
    LIKELIHOOD,
    Assessment,
    CriticalProcess,
    Framework,
    Measure,
    MeasurePhase,
    MeasureRevision,
    MeasureStatus,
    MeasureTheme,
    PriorityDecision,
    ProgressNote,
    ResilienceRole,
    RiskTheme,
    ThreatScenario,
)

# -- the story's days (days before the demo is loaded; all within the two weeks of set-up) -------

ROLES_GIVEN = 13
SCORED = 12
RESCORED = 9
DECIDED = 7
PROGRAMME_ENTERED = 6
PROCESSES_DESCRIBED = 3
REVIEW_AFTER = timedelta(days=365)

# -- the people ---------------------------------------------------------------------------------

ADVISER = "aov"
MAYOR = "burgemeester"
ADMINISTRATOR = "beheerder"
# The demo users who own measures; each is a member of the municipality.
OWNERS = ("aov", "informatiemanager", "adviseur", "plaatsvervanger", "burgemeester")
# What the command prints after the meetings demo's list of users.
COLD_PHASE_LOGINS = (
    (ADVISER, "adviseur crisisbeheersing — onderhoudt de koude fase"),
    (MAYOR, "burgemeester — besluit over de prioriteiten, leest het programmaplan"),
    (ADMINISTRATOR, "beheerder — leest en besluit, verdeelt de rollen van de koude fase"),
)

# -- partners of the municipality: name, kind, contact route ------------------------------------

REGION = "Veiligheidsregio Rivierenland"
WATER = COMPANY  # the demo's own drinking-water company
GRID = "Netbeheerder (regionaal)"
GGD = "GGD Rivierenland"
CARE = "Zorggroep Zuiderveen"
HOUSING = "Woonstichting Zuiderveen"
VOLUNTEERS = "Vrijwilligerscentrale Zuiderveen"
FOOD_BANK = "Voedselbank Zuiderveen"

PARTNERS: tuple[tuple[str, str, str], ...] = (
    (REGION, Partner.Kind.VEILIGHEIDSREGIO, "Meldkamer, via de officier van dienst"),
    (WATER, Partner.Kind.KETENPARTNER, "Storingsnummer; liaison bij het gemeentelijk beleidsteam"),
    (GRID, Partner.Kind.KETENPARTNER, "Storingslijn; liaison via de veiligheidsregio"),
    (GGD, Partner.Kind.ZORG, "Via de GHOR, dag en nacht bereikbaar"),
    (CARE, Partner.Kind.ZORG, "Locatiemanager van dienst (verpleeghuizen en thuiszorg)"),
    (HOUSING, Partner.Kind.WONINGCORPORATIE, "Calamiteitennummer, dag en nacht"),
    (VOLUNTEERS, Partner.Kind.VRIJWILLIGERS, "Coördinator, via het gemeentelijk crisisteam"),
    (FOOD_BANK, Partner.Kind.VRIJWILLIGERS, "Coördinator uitgiftepunt"),
)

# -- the eight scenarios ------------------------------------------------------------------------

# The six shipped examples (resilience.services.defaults), kept as shipped and labelled.
DDOS = "DDoS-aanval legt gemeentelijke systemen plat"
BRIDGE = "Sabotage van een nabijgelegen brug"
RUMOURS = "Geruchten over besmet drinkwater"
BLACKOUT = "Grootschalige, langdurige stroomuitval"
HYBRID = "Samenloop: hybride dreiging met meerdere crises tegelijk"
PANDEMIC = "Pandemie"
# And two of the municipality's own.
WATER_OUTAGE = "Langdurige uitval drinkwatervoorziening"
HEAT = "Extreme hitte en droogte"

# title, theme, description, sources
LOCAL_SCENARIOS: tuple[tuple[str, str, str, str], ...] = (
    (
        WATER_OUTAGE,
        RiskTheme.VITALE_INFRA,
        "Door een storing in de productie of een verontreiniging valt de levering van "
        "drinkwater in (een groot deel van) de gemeente meerdere dagen uit. Huishoudens, "
        "zorginstellingen en veehouders hebben binnen een dag nooddrinkwater nodig.",
        "Regionaal risicoprofiel van de veiligheidsregio; leveringsplan voor noodsituaties "
        "van het drinkwaterbedrijf.",
    ),
    (
        HEAT,
        RiskTheme.KLIMAAT,
        "Een hittegolf van meer dan een week met aanhoudende droogte: gezondheidsrisico's voor "
        "ouderen en chronisch zieken, natuurbranden, blauwalg en lage waterstanden, en een "
        "oproep tot zuinig gebruik van drinkwater.",
        "Regionaal risicoprofiel; klimaatstresstest van de gemeente; landelijk hitteplan.",
    ),
)

SOURCE_PROFILE = "Regionaal risicoprofiel; inschatting AOV"
SOURCE_LIKELIHOOD = "Rijksbrede Risicoanalyse Nationale Veiligheid; regionaal risicoprofiel"

# Per scenario: criterion code (or the likelihood) → (class 1–5, reasoning). The criteria are
# the shipped defaults, all weighted equally.
Scores = dict[str, tuple[int, str]]
NO_TERRITORY = (1, "Geen aantasting van het grondgebied.")
NO_NATURE = (1, "Geen gevolgen voor milieu en natuur.")
NO_HERITAGE = (1, "Geen aantasting van cultureel erfgoed.")

SCORES: dict[str, Scores] = {
    DDOS: {
        "grondgebied": NO_TERRITORY,
        "doden": (1, "Geen doden verwacht: zorg en hulpdiensten werken met eigen systemen."),
        "gewonden": (1, "Geen gewonden verwacht."),
        "levensbehoeften": (
            3,
            "Uitkeringen en bijzondere bijstand worden niet uitbetaald; ruim duizend "
            "huishoudens komen na een week in de knel.",
        ),
        "kosten": (
            4,
            "Herstel van systemen, inhuur van specialisten en achterstanden: enkele miljoenen "
            "euro.",
        ),
        "milieu": NO_NATURE,
        "dagelijks-leven": (
            4,
            "Geen reisdocumenten, rijbewijzen of akten; vergunningen en meldingen lopen weken "
            "achter.",
        ),
        "openbaar-bestuur": (
            5,
            "De gemeente kan haar kerntaken wekenlang niet digitaal uitvoeren; raad en college "
            "werken zonder hun systemen.",
        ),
        "sociaal-psychologisch": (
            3,
            "Onvrede en wantrouwen bij inwoners, vragen over uitgelekte persoonsgegevens.",
        ),
        "erfgoed": NO_HERITAGE,
        LIKELIHOOD: (
            4,
            "Aanvallen op gemeenten komen elk jaar voor; dat Zuiderveen binnen vijf jaar "
            "langdurig wordt getroffen, schatten wij waarschijnlijk.",
        ),
    },
    BLACKOUT: {
        "grondgebied": NO_TERRITORY,
        "doden": (
            3,
            "Bij uitval langer dan twee dagen doden verwacht onder thuiswonenden met medische "
            "apparatuur en door koolmonoxide bij noodverwarming.",
        ),
        "gewonden": (
            3,
            "Ongevallen in het donker en op kruispunten zonder verkeerslichten; "
            "gezondheidsschade bij kwetsbare inwoners.",
        ),
        "levensbehoeften": (
            5,
            "Na een dag geen kraanwater in hoger gelegen wijken, geen verwarming, koeling of "
            "pinbetalingen voor vrijwel alle inwoners.",
        ),
        "kosten": (4, "Bedrijfsschade, bedorven voedsel en herstel: tientallen miljoenen euro."),
        "milieu": (1, "Overstort van riolering bij uitval van gemalen; geen blijvende schade."),
        "dagelijks-leven": (
            5,
            "Geen stroom, telefoon, internet, pinnen of openbaar vervoer; scholen en winkels "
            "dicht.",
        ),
        "openbaar-bestuur": (
            4,
            "Gemeentehuis op noodstroom; contact met inwoners en ketenpartners zwaar beperkt.",
        ),
        "sociaal-psychologisch": (
            4,
            "Onrust en hamsteren; inwoners weten niet waar ze terechtkunnen.",
        ),
        "erfgoed": NO_HERITAGE,
        LIKELIHOOD: (
            2,
            "Het Europese net is robuust; langdurige uitval in een groot gebied achten wij "
            "onwaarschijnlijk.",
        ),
    },
    HYBRID: {
        "grondgebied": (1, "Geen bezetting of fysieke aantasting van het grondgebied verwacht."),
        "doden": (
            2,
            "Indirecte slachtoffers doordat zorg en hulpdiensten op meer plaatsen tegelijk "
            "uitvallen.",
        ),
        "gewonden": (3, "Gezondheidsschade doordat zorg en hulpverlening overbelast raken."),
        "levensbehoeften": (
            4,
            "Stroom, water en betaalverkeer kunnen tegelijk wegvallen; hulp moet over meer "
            "plekken worden verdeeld.",
        ),
        "kosten": (5, "Zeer grote schade door gelijktijdige uitval van vitale voorzieningen."),
        "milieu": (2, "Mogelijke schade door sabotage van industriële installaties in de regio."),
        "dagelijks-leven": (5, "Het dagelijks leven ligt dagenlang grotendeels stil."),
        "openbaar-bestuur": (
            5,
            "Gemeente, veiligheidsregio en Rijk worden tegelijk geraakt; besluitvorming en "
            "informatie zijn ernstig verstoord.",
        ),
        "sociaal-psychologisch": (
            5,
            "Desinformatie ondermijnt het vertrouwen in de overheid; angst en polarisatie.",
        ),
        "erfgoed": (2, "Symbolische doelwitten, zoals monumenten, kunnen worden getroffen."),
        LIKELIHOOD: (
            2,
            "De dreiging neemt toe, maar een samenloop van deze omvang blijft onwaarschijnlijk.",
        ),
    },
    WATER_OUTAGE: {
        "grondgebied": NO_TERRITORY,
        "doden": (
            3,
            "Risico voor zuigelingen, ouderen en zieken bij gebrek aan schoon water of gebruik "
            "van verontreinigd water.",
        ),
        "gewonden": (
            3,
            "Uitdroging en maag-darminfecties, vooral in zorginstellingen en bij kwetsbare "
            "inwoners.",
        ),
        "levensbehoeften": (
            5,
            "Geen drinkwater uit de kraan: alle huishoudens, zorginstellingen en veehouders "
            "hebben binnen een dag nooddrinkwater nodig.",
        ),
        "kosten": (4, "Nooddrinkwater, stilgelegde bedrijven en herstel: vele miljoenen euro."),
        "milieu": (2, "Verontreiniging kan oppervlaktewater en natuur tijdelijk schaden."),
        "dagelijks-leven": (
            5,
            "Geen water om te drinken, koken, wassen of door te spoelen; scholen en horeca "
            "sluiten.",
        ),
        "openbaar-bestuur": (
            4,
            "De gemeente moet met waterbedrijf en veiligheidsregio de verdeling van "
            "nooddrinkwater organiseren.",
        ),
        "sociaal-psychologisch": (
            5,
            "Grote onrust, leeggekochte supermarkten en geruchten over de oorzaak.",
        ),
        "erfgoed": NO_HERITAGE,
        LIKELIHOOD: (
            2,
            "Het drinkwaterbedrijf heeft een leveringsplan voor noodsituaties; langdurige "
            "uitval in de hele gemeente is onwaarschijnlijk.",
        ),
    },
    HEAT: {
        "grondgebied": NO_TERRITORY,
        "doden": (2, "Oversterfte onder ouderen en chronisch zieken bij een lange hittegolf."),
        "gewonden": (
            2,
            "Hittegerelateerde klachten bij ouderen en buitenwerkers; drukte bij huisartsen.",
        ),
        "levensbehoeften": (
            1,
            "De drinkwaterlevering gaat door, hooguit met een oproep tot zuinig gebruik.",
        ),
        "kosten": (2, "Schade aan landbouw, kaden en funderingen; beregeningsverboden."),
        "milieu": (
            3,
            "Natuurbranden, vissterfte en blauwalg; schade aan natuur die jaren doorwerkt.",
        ),
        "dagelijks-leven": (
            2,
            "Aangepaste werktijden en afgelaste evenementen; verder gaat het leven door.",
        ),
        "openbaar-bestuur": (1, "Het openbaar bestuur werkt normaal."),
        "sociaal-psychologisch": (1, "Weinig onrust: hitte is een bekend verschijnsel."),
        "erfgoed": (
            1,
            "Droogte kan houten funderingen van monumenten in de oude kern aantasten; op korte "
            "termijn beperkt.",
        ),
        LIKELIHOOD: (
            4,
            "Hittegolven en droge zomers komen steeds vaker voor: binnen vijf jaar waarschijnlijk.",
        ),
    },
    PANDEMIC: {
        "grondgebied": NO_TERRITORY,
        "doden": (4, "Zoals bij COVID-19: tientallen doden in de gemeente, vooral ouderen."),
        "gewonden": (
            4,
            "Veel ziekenhuisopnames en langdurige klachten; de zorg raakt overbelast.",
        ),
        "levensbehoeften": (
            2,
            "De bevoorrading blijft op gang; tijdelijke tekorten aan zorgmiddelen.",
        ),
        "kosten": (5, "Zeer grote economische schade door maatregelen en zieke medewerkers."),
        "milieu": NO_NATURE,
        "dagelijks-leven": (5, "Scholen, horeca en sport maandenlang dicht of beperkt open."),
        "openbaar-bestuur": (
            3,
            "De dienstverlening blijft met thuiswerken overeind, met uitval van personeel.",
        ),
        "sociaal-psychologisch": (
            3,
            "Eenzaamheid, spanningen over maatregelen en verlies van vertrouwen.",
        ),
        "erfgoed": NO_HERITAGE,
        LIKELIHOOD: (
            2,
            "Een nieuwe pandemie van deze omvang binnen vijf jaar is onwaarschijnlijk.",
        ),
    },
    RUMOURS: {
        "grondgebied": NO_TERRITORY,
        "doden": (1, "Geen doden verwacht: het drinkwater zelf is in orde."),
        "gewonden": (1, "Hooguit incidenten bij drukte in supermarkten."),
        "levensbehoeften": (
            2,
            "Leeggekochte schappen maken flessenwater en basisvoedsel enkele dagen schaars, "
            "vooral voor minder mobiele inwoners.",
        ),
        "kosten": (2, "Extra inzet van waterbedrijf, winkels en gemeente; beperkte schade."),
        "milieu": NO_NATURE,
        "dagelijks-leven": (3, "Hamsteren en drukte in winkels; mensen mijden kraanwater."),
        "openbaar-bestuur": (
            3,
            "Gemeente en waterbedrijf moeten vertrouwen herstellen terwijl geruchten sneller "
            "gaan dan feiten.",
        ),
        "sociaal-psychologisch": (
            4,
            "Angst en wantrouwen jegens overheid en waterbedrijf, aangewakkerd via sociale media.",
        ),
        "erfgoed": NO_HERITAGE,
        LIKELIHOOD: (
            3,
            "Desinformatie over vitale voorzieningen neemt toe; een golf van geruchten over het "
            "drinkwater is mogelijk.",
        ),
    },
    BRIDGE: {
        "grondgebied": NO_TERRITORY,
        "doden": (1, "Geen slachtoffers verwacht als de brug tijdig wordt afgesloten."),
        "gewonden": (2, "Kans op verkeersongevallen bij de afsluiting en op omleidingen."),
        "levensbehoeften": (1, "De bevoorrading gaat via omleidingen door."),
        "kosten": (3, "Herstel van de brug en maandenlang omrijden voor bedrijven."),
        "milieu": NO_NATURE,
        "dagelijks-leven": (
            3,
            "Forenzen, scholieren en hulpdiensten rijden lang om; aanrijtijden nemen toe.",
        ),
        "openbaar-bestuur": (
            2,
            "De gemeente regelt met wegbeheerder en veiligheidsregio verkeer en bereikbaarheid.",
        ),
        "sociaal-psychologisch": (2, "Gevoel van onveiligheid omdat de schade bewust is."),
        "erfgoed": NO_HERITAGE,
        LIKELIHOOD: (
            2,
            "Sabotage van infrastructuur komt in Europa voor; voor een brug bij ons schatten "
            "wij het onwaarschijnlijk.",
        ),
    },
}

# The one score changed later: its history shows both versions.
RESCORE = (
    BLACKOUT,
    LIKELIHOOD,
    3,
    "Bijgesteld na de grootschalige stroomuitval in Spanje en Portugal (april 2025) en het "
    "gesprek met de netbeheerder: langdurige uitval in een groot gebied is mogelijk.",
)

# -- the mayor's priority decision --------------------------------------------------------------

PRIORITY = (BLACKOUT, DDOS, WATER_OUTAGE, HYBRID)
PRIORITY_REASONS = (
    "De gemeente bereidt zich de komende twee jaar eerst voor op de vier scenario's met het "
    "hoogste berekende risico. Langdurige stroomuitval gaat voor de DDoS-aanval, die iets hoger "
    "scoort: stroomuitval raakt ook drinkwater, communicatie en betaalverkeer, zodat "
    "noodstroom, noodsteunpunten en communicatie zonder internet de andere scenario's mee "
    "afdekken. Uitval van drinkwater gaat voor de samenloop van crises, omdat de zelfredzaamheid "
    "van inwoners in de eerste 72 uur daar het meest van afhangt. Extreme hitte en droogte valt "
    "buiten de prioriteit; het bestaande hitteplan blijft van kracht. Herijking over een jaar, "
    "of eerder als het regionaal risicoprofiel wordt herzien."
)

# -- the programme ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    days_ago: int  # the day it happened and was written down
    text: str
    status: str
    by: str = ADVISER


@dataclass(frozen=True)
class MeasureSpec:
    title: str
    theme: str
    phase: str
    description: str
    scenarios: tuple[str, ...]
    starts: int  # days from the day the demo is loaded
    due: int
    status: str  # when entered; the notes take it further
    owner: str = ""  # a demo user
    owner_function: str = ""
    owner_partner: str = ""
    partners: tuple[str, ...] = ()
    means: str = ""
    budget: int | None = None
    notes: tuple[Note, ...] = field(default_factory=tuple)


T, P, S = MeasureTheme, MeasurePhase, MeasureStatus

MEASURES: tuple[MeasureSpec, ...] = (
    MeasureSpec(
        title="Noodstroom en brandstofvoorraad voor gemeentehuis, crisiscentrum en gemeentewerf",
        theme=T.ENERGIE,
        phase=P.KOUD,
        description="Het gemeentehuis, het crisiscentrum en de gemeentewerf draaien 72 uur "
        "zonder netstroom door.",
        scenarios=(BLACKOUT, HYBRID),
        starts=-120,
        due=-2,
        status=S.LOOPT,
        owner_function="Teamleider facilitaire zaken",
        partners=(GRID,),
        means="Aggregaat uitbreiden naar het crisiscentrum; 5.000 liter diesel op de "
        "gemeentewerf met een contract voor bijlevering.",
        budget=85000,
        notes=(
            Note(
                4,
                "Aggregaat acht uur onder volle belasting getest: gemeentehuis en "
                "crisiscentrum draaien door. Dieselvoorraad aangevuld.",
                S.GEREED,
            ),
        ),
    ),
    MeasureSpec(
        title="Noodsteunpunten inrichten in vijf dorpshuizen en wijkcentra",
        theme=T.NOODSTEUNPUNTEN,
        phase=P.KOUD,
        description="Bij langdurige uitval kunnen inwoners op een vaste, bekende plek terecht "
        "voor informatie, een noodoproep, drinkwater, opladen en eerste hulp.",
        scenarios=(BLACKOUT, WATER_OUTAGE, HYBRID),
        starts=-90,
        due=60,
        status=S.GEPLAND,
        owner="aov",
        partners=(VOLUNTEERS, HOUSING),
        means="Per locatie een aansluitpunt voor noodstroom, een noodkoffer, een portofoon, een "
        "draaiboek en vijf getrainde vrijwilligers.",
        budget=60000,
        notes=(
            Note(
                5,
                "Locaties gekozen: dorpshuis De Linde, wijkcentra Oosterpark en Molenakker, "
                "sporthal De Wiel en de bibliotheek. Afspraken met de beheerders gemaakt.",
                S.LOOPT,
            ),
            Note(2, "Aansluitpunten voor noodstroom bij drie van de vijf locaties.", S.LOOPT),
        ),
    ),
    MeasureSpec(
        title="Nooddrinkwater: tappunten en verdeling van flessenwater afspreken",
        theme=T.DRINKWATER,
        phase=P.EERSTE_72_UUR,
        description="Afspraken met het waterbedrijf over tappunten, de volgorde van levering "
        "(zorginstellingen eerst) en de verdeling van flessenwater via de noodsteunpunten.",
        scenarios=(WATER_OUTAGE, BLACKOUT, RUMOURS),
        starts=-60,
        due=30,
        status=S.LOOPT,
        owner_partner=WATER,
        partners=(REGION,),
        means="Leveringsplan van het waterbedrijf; vier locaties voor tappunten.",
        notes=(
            Note(
                3,
                "Overleg met het waterbedrijf: vier tappuntlocaties vastgesteld, volgorde van "
                "levering aan zorginstellingen afgesproken.",
                S.LOOPT,
            ),
        ),
    ),
    MeasureSpec(
        title="Overzicht van kwetsbare inwoners bij uitval van stroom en water",
        theme=T.ZORG,
        phase=P.KOUD,
        description="Wie thuis afhankelijk is van stroom (beademing, zuurstof, dialyse) of van "
        "zorg aan huis: een actueel overzicht met de zorgaanbieders, binnen de regels voor "
        "persoonsgegevens.",
        scenarios=(BLACKOUT, WATER_OUTAGE, HEAT),
        starts=-75,
        due=-10,
        status=S.LOOPT,
        owner_function="Beleidsadviseur Wmo",
        partners=(CARE, GGD),
        means="Afspraken met zorgaanbieders over het delen van gegevens in een crisis; DPIA.",
        notes=(
            Note(
                4,
                "Twee van de drie thuiszorgaanbieders leveren aan; de DPIA ligt nog bij de "
                "functionaris gegevensbescherming. Einddatum niet gehaald.",
                S.LOOPT,
            ),
        ),
    ),
    MeasureSpec(
        title="Communicatie zonder internet: lokale omroep, informatieborden en huis-aan-huisbrief",
        theme=T.COMMUNICATIE,
        phase=P.EERSTE_72_UUR,
        description="Inwoners bereiken als internet en telefoon uitvallen: de lokale omroep "
        "zendt uit op noodstroom, informatieborden bij de noodsteunpunten en een voorbereide "
        "huis-aan-huisbrief.",
        scenarios=(BLACKOUT, DDOS, HYBRID, RUMOURS),
        starts=7,
        due=90,
        status=S.GEPLAND,
        owner="plaatsvervanger",
        means="Convenant met de lokale omroep; draaiboek; voorgedrukte berichten.",
        budget=12000,
    ),
    MeasureSpec(
        title="Papieren werkwijze en formulieren voor burgerzaken",
        theme=T.CONTINUITEIT,
        phase=P.KOUD,
        description="Aangifte van geboorte en overlijden en het verlof tot begraven of "
        "cremeren gaan ook zonder systemen door.",
        scenarios=(DDOS, BLACKOUT),
        starts=-100,
        due=-7,
        status=S.LOOPT,
        owner="adviseur",
        means="Formulierenset in de noodkast van burgerzaken; instructie voor alle "
        "baliemedewerkers.",
        notes=(
            Note(
                5,
                "Formulierenset en werkinstructies klaar; alle baliemedewerkers hebben de "
                "instructie gevolgd.",
                S.GEREED,
                by="adviseur",
            ),
        ),
    ),
    MeasureSpec(
        title="Offline back-up en herstel van gemeentelijke systemen oefenen",
        theme=T.CONTINUITEIT,
        phase=P.KOUD,
        description="Een back-up die een aanvaller niet kan bereiken, en een geoefend herstel "
        "van uitkeringen, burgerzaken en zaaksysteem binnen 72 uur.",
        scenarios=(DDOS, HYBRID),
        starts=-90,
        due=-5,
        status=S.LOOPT,
        owner="informatiemanager",
        means="Offline back-up; hersteltest met de leverancier.",
        budget=40000,
        notes=(
            Note(
                5,
                "Offline back-up staat. De hersteltest met de leverancier is verschoven naar "
                "volgende maand.",
                S.LOOPT,
                by="informatiemanager",
            ),
        ),
    ),
    MeasureSpec(
        title="Noodvoorraad voedsel en water voor de opvang van 500 inwoners (72 uur)",
        theme=T.VOEDSEL,
        phase=P.EERSTE_72_UUR,
        description="Een voorraad voor de opvanglocaties, en een afspraak over aanvulling.",
        scenarios=(BLACKOUT, WATER_OUTAGE, HYBRID),
        starts=30,
        due=120,
        status=S.GEPLAND,
        owner_function="Coördinator bevolkingszorg",
        partners=(FOOD_BANK,),
        means="Houdbaar voedsel en water in opslag; levering door een groothandel binnen 24 uur.",
        budget=25000,
    ),
    MeasureSpec(
        title="Afspraken met supermarkten over verdeling bij schaarste",
        theme=T.VOEDSEL,
        phase=P.EERSTE_72_UUR,
        description="Hoe supermarkten in de gemeente bij schaarste verdelen en wie voorrang "
        "krijgt.",
        scenarios=(RUMOURS, BLACKOUT),
        starts=-60,
        due=45,
        status=S.GEPLAND,
        owner="aov",
        notes=(
            Note(
                3,
                "Gestopt: de veiligheidsregio maakt deze afspraken regionaal met de "
                "supermarktketens; de gemeente sluit daarop aan.",
                S.GESTOPT,
            ),
        ),
    ),
    MeasureSpec(
        title="Buurtnetwerken: buren helpen buren bij langdurige uitval",
        theme=T.SOCIAAL_WEEFSEL,
        phase=P.KOUD,
        description="Per wijk een aanspreekpunt dat weet wie hulp nodig heeft; bijeenkomsten "
        "met bewoners over voorbereid zijn op de eerste 72 uur.",
        scenarios=(BLACKOUT, HYBRID, HEAT),
        starts=-45,
        due=150,
        status=S.LOOPT,
        owner_partner=VOLUNTEERS,
        partners=(HOUSING,),
        means="Wijkbijeenkomsten; een noodpakketfolder van de gemeente.",
        budget=8000,
        notes=(
            Note(
                2,
                "Eerste wijkbijeenkomst in Molenakker: 60 bewoners, 14 aanmeldingen als "
                "buurtcontact.",
                S.LOOPT,
            ),
        ),
    ),
    MeasureSpec(
        title="Besluitvorming bij langdurige uitval: noodverordening en informeren van de "
        "gemeenteraad",
        theme=T.DEMOCRATIE,
        phase=P.KOUD,
        description="Een voorbereide noodverordening en noodbevelen, en afspraken hoe de "
        "burgemeester de gemeenteraad informeert als vergaderen op afstand niet kan.",
        scenarios=(HYBRID, DDOS, BLACKOUT),
        starts=14,
        due=75,
        status=S.GEPLAND,
        owner="burgemeester",
        means="Sjablonen; afspraken met griffie en presidium.",
    ),
    MeasureSpec(
        title="Satelliettelefoons en noodcommunicatie voor het crisisteam",
        theme=T.COMMUNICATIE,
        phase=P.KOUD,
        description="Het crisisteam blijft bereikbaar voor de veiligheidsregio als telefoon en "
        "internet uitvallen.",
        scenarios=(BLACKOUT, DDOS, HYBRID),
        starts=-80,
        due=10,
        status=S.LOOPT,
        owner="informatiemanager",
        partners=(REGION,),
        means="Drie satelliettelefoons; aansluiting op de noodcommunicatievoorziening van de "
        "veiligheidsregio.",
        budget=9500,
        notes=(
            Note(
                4,
                "Satelliettelefoons geleverd en getest met de meldkamer; bereikbaarheidslijst "
                "in de crisiskoffer.",
                S.GEREED,
                by="informatiemanager",
            ),
        ),
    ),
    MeasureSpec(
        title="Zorgcontinuïteit: noodstroom en wateropslag in verpleeghuizen nagaan",
        theme=T.ZORG,
        phase=P.EERSTE_72_UUR,
        description="Verpleeghuizen houden 72 uur stroom en water voor bewoners die niet weg "
        "kunnen.",
        scenarios=(BLACKOUT, WATER_OUTAGE),
        starts=-30,
        due=45,
        status=S.LOOPT,
        owner_partner=CARE,
        partners=(GGD, WATER),
        notes=(
            Note(
                1,
                "Twee van de drie verpleeghuizen hebben noodstroom voor 72 uur; het derde krijgt "
                "een aansluitpunt voor een mobiel aggregaat.",
                S.LOOPT,
            ),
        ),
    ),
    MeasureSpec(
        title="Hitteplan: koele plekken en belrondes voor kwetsbare ouderen",
        theme=T.SOCIAAL_WEEFSEL,
        phase=P.EERSTE_72_UUR,
        description="Bij een hittegolf zijn er koele plekken en worden alleenwonende ouderen "
        "gebeld.",
        scenarios=(HEAT,),
        starts=-100,
        due=-15,
        status=S.LOOPT,
        owner_function="Beleidsadviseur publieke gezondheid",
        partners=(GGD, VOLUNTEERS),
        notes=(
            Note(
                5,
                "Koele plekken in de bibliotheek en de wijkcentra aangewezen; belrondes met "
                "vrijwilligers geoefend. Hitteplan vastgesteld.",
                S.GEREED,
            ),
        ),
    ),
    MeasureSpec(
        title="Nafase: herstel, nazorg en verantwoording na langdurige uitval",
        theme=T.DEMOCRATIE,
        phase=P.NAFASE,
        description="Hoe de gemeente na de crisis schade vastlegt, nazorg voor inwoners regelt "
        "en aan de gemeenteraad verantwoording aflegt; evaluatie binnen drie maanden.",
        scenarios=(BLACKOUT, DDOS, HYBRID),
        starts=60,
        due=200,
        status=S.GEPLAND,
        owner="adviseur",
        partners=(GGD,),
    ),
)

# -- critical processes: name, description, longest outage (hours), fallback, function, measures -

PROCESSES: tuple[tuple[str, str, int, str, str, tuple[int, ...]], ...] = (
    (
        "Crisiscommunicatie met inwoners",
        "Inwoners weten wat er aan de hand is en wat ze zelf kunnen doen.",
        4,
        "Berichten via de lokale omroep op noodstroom, informatieborden bij de noodsteunpunten "
        "en geluidswagens; de voorgedrukte huis-aan-huisbrief.",
        "Communicatieadviseur",
        (2, 5, 12),
    ),
    (
        "Burgerzaken: aangifte van geboorte en overlijden",
        "Aangifte binnen de wettelijke termijn en het verlof tot begraven of cremeren.",
        24,
        "Papieren aangifte en verlof volgens de noodwerkinstructie; verwerken in de BRP zodra "
        "de systemen terug zijn.",
        "Teamleider burgerzaken",
        (6, 7),
    ),
    (
        "Uitbetaling uitkeringen (Participatiewet)",
        "Ruim duizend huishoudens zijn voor hun inkomen afhankelijk van de maandelijkse uitkering.",
        72,
        "Voorschot op basis van de laatste betaallijst (elke maand offline bewaard), handmatig "
        "via de bank; in het uiterste geval noodhulp via de noodsteunpunten.",
        "Teamleider werk en inkomen",
        (7, 2),
    ),
    (
        "Afvalinzameling",
        "Huishoudelijk afval ophalen; na een week zonder inzameling ontstaat een risico voor de "
        "volksgezondheid, bij hitte eerder.",
        168,
        "Inzamelen op vaste routes met papieren routelijsten; bij brandstoftekort voorrang voor "
        "restafval en afval van zorginstellingen.",
        "Teamleider buitendienst",
        (1,),
    ),
)


# -- the builder --------------------------------------------------------------------------------


class StoryClock:
    """Moves what the services just wrote for the organisation's cold phase to its day in the
    story. The services stamp the real time; every earlier step was already moved into the
    past, so whatever still carries a time from the start of a step was written by it."""

    def __init__(self, organisation: Organisation, loading: datetime):
        self.organisation = organisation
        self.loading = loading

    def day(self, days_ago: int) -> date:
        return timezone.localdate(self.loading) - timedelta(days=days_ago)

    def at(self, days_ago: int, hour: int, minute: int = 0) -> datetime:
        moment = timezone.make_aware(
            datetime.combine(self.day(days_ago), datetime.min.time()).replace(
                hour=hour, minute=minute
            )
        )
        if moment >= self.loading:
            raise ValueError("The demo's cold phase happens before the moment it is loaded.")
        return moment

    @contextmanager
    def step(self, days_ago: int, hour: int, minute: int = 0) -> Iterator[datetime]:
        moment = self.at(days_ago, hour, minute)
        since = timezone.now()
        yield moment
        self.move(since, moment)

    def move(self, since: datetime, moment: datetime) -> None:
        org = self.organisation
        AuditEvent.objects.filter(organisation=org, crisis__isnull=True, at__gte=since).update(
            at=moment
        )
        ResilienceRole.objects.filter(organisation=org, granted_at__gte=since).update(
            granted_at=moment
        )
        for model, fields in (
            (ThreatScenario, ("created_at", "updated_at")),
            (Framework, ("created_at",)),
            (PriorityDecision, ("recorded_at",)),
            (Measure, ("created_at", "updated_at")),
            (CriticalProcess, ("updated_at",)),
        ):
            for name in fields:
                model.objects.filter(organisation=org, **{f"{name}__gte": since}).update(
                    **{name: moment}
                )
        Assessment.objects.filter(scenario__organisation=org, scored_at__gte=since).update(
            scored_at=moment
        )
        MeasureRevision.objects.filter(measure__organisation=org, changed_at__gte=since).update(
            changed_at=moment
        )
        ProgressNote.objects.filter(measure__organisation=org, written_at__gte=since).update(
            written_at=moment
        )


def load_cold_phase(
    *, organisation: Organisation, users: dict[str, User], loading: datetime, set_up: datetime
) -> None:
    """Gemeente Zuiderveen's cold phase, from roles to a running programme. Once."""
    clock = StoryClock(organisation, loading)
    # The shipped defaults came with the organisation: they date from when it was set up.
    clock.move(loading, set_up)
    _roles(clock, users)
    partners = _partners(clock, users[ADVISER])
    scenarios = _scenarios(clock, users[ADVISER])
    _scores(clock, scenarios, users[ADVISER])
    _decision(clock, scenarios, users[MAYOR])
    measures = _programme(clock, scenarios, partners, users)
    _processes(clock, measures, users[ADVISER])


def _roles(clock: StoryClock, users: dict[str, User]) -> None:
    org, admin = clock.organisation, users[ADMINISTRATOR]
    for hour, (username, kind) in enumerate(
        ((ADVISER, ResilienceRole.Kind.AOV), (MAYOR, ResilienceRole.Kind.BESTUUR)), start=9
    ):
        if ResilienceRole.objects.filter(organisation=org, user=users[username]).exists():
            continue
        with clock.step(ROLES_GIVEN, hour):
            services.resilience_role_set(
                organisation=org, actor=admin, user=users[username], kind=kind
            )


def _partners(clock: StoryClock, adviser: User) -> dict[str, Partner]:
    org = clock.organisation
    partners = {p.name: p for p in Partner.objects.filter(organisation=org)}
    for minute, (name, kind, route) in enumerate(PARTNERS):
        if name in partners:
            continue
        with clock.step(ROLES_GIVEN, 14, minute * 5):
            partners[name] = services.partner_save(
                organisation=org, actor=adviser, name=name, kind=kind, contact_route=route
            )
    return partners


def _scenarios(clock: StoryClock, adviser: User) -> dict[str, ThreatScenario]:
    org = clock.organisation
    scenarios = {s.title: s for s in ThreatScenario.objects.filter(organisation=org)}
    for minute, (title, theme, description, sources) in enumerate(LOCAL_SCENARIOS):
        if title in scenarios:
            continue
        with clock.step(SCORED, 9, minute * 10):
            scenarios[title] = services.scenario_save(
                organisation=org,
                actor=adviser,
                title=title,
                theme=theme,
                description=description,
                sources=sources,
            )
    missing = set(SCORES) - set(scenarios)
    if missing:
        raise ValueError(f"Demo scenarios missing from {org}: {sorted(missing)}")
    return scenarios


def _scores(clock: StoryClock, scenarios: dict[str, ThreatScenario], adviser: User) -> None:
    """Every scenario scored on every aspect, once; then the one later change, once."""
    for minute, (title, scores) in enumerate(SCORES.items()):
        scenario = scenarios[title]
        if scenario.assessments.exists():
            continue
        with clock.step(SCORED, 10, minute * 5):
            for aspect, (value, reasoning) in scores.items():
                services.assessment_record(
                    scenario=scenario,
                    actor=adviser,
                    aspect=aspect,
                    value=value,
                    reasoning=reasoning,
                    source=SOURCE_LIKELIHOOD if aspect == LIKELIHOOD else SOURCE_PROFILE,
                )
    title, aspect, value, reasoning = RESCORE
    scenario = scenarios[title]
    if scenario.assessments.filter(aspect=aspect).count() == 1:
        with clock.step(RESCORED, 11):
            services.assessment_record(
                scenario=scenario,
                actor=adviser,
                aspect=aspect,
                value=value,
                reasoning=reasoning,
                source=SOURCE_LIKELIHOOD,
            )


def _decision(clock: StoryClock, scenarios: dict[str, ThreatScenario], mayor: User) -> None:
    org = clock.organisation
    if PriorityDecision.objects.filter(organisation=org).exists():
        return
    decided_on = clock.day(DECIDED)
    with clock.step(DECIDED, 16):
        services.priority_decide(
            organisation=org,
            actor=mayor,
            decided_by=PriorityDecision.DecidedBy.MAYOR,
            decided_on=decided_on,
            review_on=decided_on + REVIEW_AFTER,
            reasons=PRIORITY_REASONS,
            scenario_ids=[scenarios[title].pk for title in PRIORITY],
        )


def _programme(
    clock: StoryClock,
    scenarios: dict[str, ThreatScenario],
    partners: dict[str, Partner],
    users: dict[str, User],
) -> dict[str, Measure]:
    org = clock.organisation
    today = timezone.localdate(clock.loading)
    measures = {m.title: m for m in Measure.objects.filter(organisation=org)}
    for minute, spec in enumerate(MEASURES):
        if spec.title in measures:
            continue
        with clock.step(PROGRAMME_ENTERED, 10, minute * 3):
            measure = services.measure_create(
                organisation=org,
                actor=users[ADVISER],
                data=services.MeasureInput(
                    title=spec.title,
                    theme=spec.theme,
                    phase=spec.phase,
                    description=spec.description,
                    owner=users[spec.owner] if spec.owner else None,
                    owner_function=spec.owner_function,
                    owner_partner=partners[spec.owner_partner] if spec.owner_partner else None,
                    means=spec.means,
                    budget=Decimal(spec.budget) if spec.budget is not None else None,
                    starts_on=today + timedelta(days=spec.starts),
                    due_on=today + timedelta(days=spec.due),
                    status=spec.status,
                    scenarios=[scenarios[title] for title in spec.scenarios],
                    partners=[partners[name] for name in spec.partners],
                ),
            )
        for hour, note in enumerate(spec.notes, start=9):
            with clock.step(note.days_ago, hour + minute % 5, minute):
                services.measure_progress_record(
                    measure=measure,
                    actor=users[note.by],
                    on=clock.day(note.days_ago),
                    text=note.text,
                    status=note.status,
                )
        measures[spec.title] = measure
    return measures


def _processes(clock: StoryClock, measures: dict[str, Measure], adviser: User) -> None:
    org = clock.organisation
    existing = set(CriticalProcess.objects.filter(organisation=org).values_list("name", flat=True))
    for minute, (name, description, hours, fallback, function, numbers) in enumerate(PROCESSES):
        if name in existing:
            continue
        with clock.step(PROCESSES_DESCRIBED, 13, minute * 10):
            services.critical_process_save(
                organisation=org,
                actor=adviser,
                name=name,
                description=description,
                max_outage_hours=hours,
                fallback=fallback,
                owner_function=function,
                measures=[measures[MEASURES[n - 1].title] for n in numbers],
            )


def programme_summary(organisation: Organisation) -> str:
    """One line for the command's output: what the demo's cold phase holds."""
    state = selectors.programme_state(organisation=organisation)
    scenarios = ThreatScenario.objects.filter(organisation=organisation).count()
    processes = CriticalProcess.objects.filter(organisation=organisation).count()
    return (
        f"{scenarios} dreigingsscenario's, {state.total} maatregelen ({state.overdue} over "
        f"datum), {processes} kritieke processen"
    )
