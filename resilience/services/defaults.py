"""What a municipality's cold phase starts with: public anchors, each labelled with its source.

Never a consultancy's framework: the criteria are the impact criteria of the national risk
assessment method as the regional risk profiles use them, weighted equally as a neutral start
the organisation sets for itself; the themes are the national risk analysis's; the example
scenarios are the ones the public call to action names.
"""

from decimal import Decimal

from django.db import transaction

from crisisroom.models import Organisation

from ..models import Criterion, Framework, RiskTheme, ThreatScenario

CRITERIA_SOURCE = (
    "Standaard: impactcriteria van de methode Nationale Risicobeoordeling, zoals gebruikt in "
    "het regionaal risicoprofiel (Handreiking Regionaal Risicoprofiel). Gelijke gewichten zijn "
    "een neutraal vertrekpunt, geen officiële weging: stel ze vast voor uw organisatie."
)

# (code, name, vital interest it belongs to)
DEFAULT_CRITERIA: tuple[tuple[str, str, str], ...] = (
    ("grondgebied", "Aantasting van de integriteit van het grondgebied", "Territoriale veiligheid"),
    ("doden", "Doden", "Fysieke veiligheid"),
    ("gewonden", "Ernstig gewonden en chronisch zieken", "Fysieke veiligheid"),
    (
        "levensbehoeften",
        "Lichamelijk lijden (gebrek aan primaire levensbehoeften)",
        "Fysieke veiligheid",
    ),
    ("kosten", "Kosten", "Economische veiligheid"),
    ("milieu", "Langdurige aantasting van milieu en natuur", "Ecologische veiligheid"),
    ("dagelijks-leven", "Verstoring van het dagelijks leven", "Sociale en politieke stabiliteit"),
    (
        "openbaar-bestuur",
        "Aantasting van de positie van het openbaar bestuur",
        "Sociale en politieke stabiliteit",
    ),
    ("sociaal-psychologisch", "Sociaal-psychologische impact", "Sociale en politieke stabiliteit"),
    ("erfgoed", "Aantasting van cultureel erfgoed", "Veiligheid van cultureel erfgoed"),
)

SCENARIO_SOURCE = (
    "Voorbeeld uit 'Gemeenten aan de slag met maatschappelijke weerbaarheid' (27 oktober 2025)"
)

# (title, theme, description)
DEFAULT_SCENARIOS: tuple[tuple[str, str, str], ...] = (
    (
        "DDoS-aanval legt gemeentelijke systemen plat",
        RiskTheme.CYBER,
        "Alle gemeentelijke systemen liggen langdurig plat; uitkeringen en burgerzaken vallen uit.",
    ),
    (
        "Sabotage van een nabijgelegen brug",
        RiskTheme.VITALE_INFRA,
        "Een brug in de omgeving is gesaboteerd; het verkeer loopt vast.",
    ),
    (
        "Geruchten over besmet drinkwater",
        RiskTheme.INMENGING,
        "Via sociale media verspreiden zich geruchten over besmet drinkwater; er ontstaat paniek "
        "en supermarkten worden leeggekocht.",
    ),
    (
        "Grootschalige, langdurige stroomuitval",
        RiskTheme.VITALE_INFRA,
        "Zoals de energie-uitval in Spanje en Portugal: stroom valt in een groot gebied "
        "langdurig uit.",
    ),
    (
        "Samenloop: hybride dreiging met meerdere crises tegelijk",
        RiskTheme.MILITAIR,
        "Een DDoS-aanval, sabotage en desinformatie tegelijk, gericht op het ontwrichten van de "
        "samenleving.",
    ),
    (
        "Pandemie",
        RiskTheme.INFECTIEZIEKTEN,
        "Een uitbraak van een infectieziekte zoals COVID-19, met langdurige gevolgen.",
    ),
)


def default_criteria_weight() -> Decimal:
    return (Decimal(100) / len(DEFAULT_CRITERIA)).quantize(Decimal("0.01"))


def organisation_seed_resilience(organisation: Organisation) -> None:
    """Give a municipality the labelled defaults, once; a company or institution starts empty
    (it may still build a cold phase, from its own criteria)."""
    if organisation.kind != Organisation.Kind.MUNICIPALITY:
        return
    with transaction.atomic():
        if not Framework.objects.filter(organisation=organisation).exists():
            framework = Framework.objects.create(
                organisation=organisation,
                version=1,
                shipped_source=CRITERIA_SOURCE,
                note="Standaardkader bij de start.",
            )
            weight = default_criteria_weight()
            Criterion.objects.bulk_create(
                Criterion(
                    framework=framework,
                    code=code,
                    name=name,
                    description=interest,
                    weight=weight,
                    position=position,
                )
                for position, (code, name, interest) in enumerate(DEFAULT_CRITERIA, start=1)
            )
        if not ThreatScenario.objects.filter(organisation=organisation).exists():
            ThreatScenario.objects.bulk_create(
                ThreatScenario(
                    organisation=organisation,
                    title=title,
                    theme=theme,
                    description=description,
                    shipped_source=SCENARIO_SOURCE,
                )
                for title, theme, description in DEFAULT_SCENARIOS
            )
