from decimal import Decimal

from django.db import migrations

# The defaults as they were when this migration was written: a later change of the shipped
# defaults (resilience/services/defaults.py) must not change what this migration did.
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
        "cyber",
        "Alle gemeentelijke systemen liggen langdurig plat; uitkeringen en burgerzaken vallen uit.",
    ),
    (
        "Sabotage van een nabijgelegen brug",
        "vitale_infra",
        "Een brug in de omgeving is gesaboteerd; het verkeer loopt vast.",
    ),
    (
        "Geruchten over besmet drinkwater",
        "inmenging",
        "Via sociale media verspreiden zich geruchten over besmet drinkwater; er ontstaat paniek "
        "en supermarkten worden leeggekocht.",
    ),
    (
        "Grootschalige, langdurige stroomuitval",
        "vitale_infra",
        "Zoals de energie-uitval in Spanje en Portugal: stroom valt in een groot gebied "
        "langdurig uit.",
    ),
    (
        "Samenloop: hybride dreiging met meerdere crises tegelijk",
        "militair",
        "Een DDoS-aanval, sabotage en desinformatie tegelijk, gericht op het ontwrichten van de "
        "samenleving.",
    ),
    (
        "Pandemie",
        "infectieziekten",
        "Een uitbraak van een infectieziekte zoals COVID-19, met langdurige gevolgen.",
    ),
)




def default_criteria_weight():
    return (Decimal(100) / len(DEFAULT_CRITERIA)).quantize(Decimal("0.01"))


def seed(apps, schema_editor):
    """Municipalities made before the cold phase existed get the same labelled defaults a new
    one gets at creation."""
    Organisation = apps.get_model("crisisroom", "Organisation")
    Framework = apps.get_model("resilience", "Framework")
    Criterion = apps.get_model("resilience", "Criterion")
    ThreatScenario = apps.get_model("resilience", "ThreatScenario")
    for organisation in Organisation.objects.filter(kind="municipality"):
        if not Framework.objects.filter(organisation=organisation).exists():
            framework = Framework.objects.create(
                organisation=organisation,
                version=1,
                shipped_source=CRITERIA_SOURCE,
                note="Standaardkader bij de start.",
            )
            for position, (code, name, interest) in enumerate(DEFAULT_CRITERIA, start=1):
                Criterion.objects.create(
                    framework=framework,
                    code=code,
                    name=name,
                    description=interest,
                    weight=default_criteria_weight(),
                    position=position,
                )
        if not ThreatScenario.objects.filter(organisation=organisation).exists():
            for title, theme, description in DEFAULT_SCENARIOS:
                ThreatScenario.objects.create(
                    organisation=organisation,
                    title=title,
                    theme=theme,
                    description=description,
                    shipped_source=SCENARIO_SOURCE,
                )


class Migration(migrations.Migration):
    dependencies = [("resilience", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
