from django.db import migrations

from resilience.services.defaults import (
    CRITERIA_SOURCE,
    DEFAULT_CRITERIA,
    DEFAULT_SCENARIOS,
    SCENARIO_SOURCE,
    default_criteria_weight,
)


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
                    theme=str(theme),
                    description=description,
                    shipped_source=SCENARIO_SOURCE,
                )


class Migration(migrations.Migration):
    dependencies = [("resilience", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
