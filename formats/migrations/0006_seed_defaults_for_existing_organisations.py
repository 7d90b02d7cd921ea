"""Pages no longer create an organisation's default format and cards on first read; new
organisations get them from organisation_create. This gives every existing organisation that
has none the same shipped defaults, labelled as such."""

from django.db import migrations

from formats.card_defaults import DEFAULT_CARD, DEFAULT_TASKS
from formats.defaults import DEFAULT_SECTIONS

FORMAT_NOTE = "Crisisroom default (public practice of strategic analyses)"
CARDS_NOTE = "Crisisroom default (public practice and the CMT chair's task card)"


def seed(apps, schema_editor):
    Organisation = apps.get_model("crisisroom", "Organisation")
    AnalysisFormat = apps.get_model("formats", "AnalysisFormat")
    FormatSection = apps.get_model("formats", "FormatSection")
    CardSet = apps.get_model("formats", "CardSet")
    for organisation in Organisation.objects.all():
        if not AnalysisFormat.objects.filter(organisation=organisation).exists():
            fmt = AnalysisFormat.objects.create(
                organisation=organisation, version=1, is_default=True, note=FORMAT_NOTE
            )
            FormatSection.objects.bulk_create(
                FormatSection(
                    format=fmt,
                    key=key,
                    title=title,
                    help_text=help_text,
                    required=required,
                    in_kernbeeld=kernbeeld,
                    order=i,
                )
                for i, (key, title, help_text, required, kernbeeld) in enumerate(DEFAULT_SECTIONS)
            )
        if not CardSet.objects.filter(organisation=organisation).exists():
            CardSet.objects.create(
                organisation=organisation,
                version=1,
                card=DEFAULT_CARD,
                tasks=DEFAULT_TASKS,
                is_default=True,
                note=CARDS_NOTE,
            )


class Migration(migrations.Migration):

    dependencies = [
        ('crisisroom', '0007_organisation_created_audit_action'),
        ('formats', '0005_cards_use_moves_to_meetings'),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
