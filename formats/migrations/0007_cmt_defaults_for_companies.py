"""A company or institution runs a CMT, not a GBT: until now every organisation got the GBT's
default format and cards (the mayor's roles, "Advies aan de burgemeester"). A company whose
newest format or card set is still the unrevised shipped default (version 1, is_default) gets
the CMT's default as version 2, labelled as such; a revised one is left alone: an
organisation's own edits win. Meetings and analyses keep the version they used."""

from django.db import migrations

from crisisroom.roles import TeamKind
from formats.card_defaults import DEFAULT_CARD_FOR_TEAM, DEFAULT_TASKS_FOR_TEAM
from formats.defaults import DEFAULT_SECTIONS_FOR_TEAM

NOTE = "Crisisroom-standaard voor een CMT"
COMPANY = "company"


def _unrevised_default(newest) -> bool:
    return newest is not None and newest.version == 1 and newest.is_default


def upgrade_companies(apps, schema_editor):
    Organisation = apps.get_model("crisisroom", "Organisation")
    AnalysisFormat = apps.get_model("formats", "AnalysisFormat")
    FormatSection = apps.get_model("formats", "FormatSection")
    CardSet = apps.get_model("formats", "CardSet")
    for organisation in Organisation.objects.filter(kind=COMPANY):
        newest = (
            AnalysisFormat.objects.filter(organisation=organisation).order_by("-version").first()
        )
        if _unrevised_default(newest):
            fmt = AnalysisFormat.objects.create(
                organisation=organisation, version=2, is_default=True, note=NOTE
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
                for i, (key, title, help_text, required, kernbeeld) in enumerate(
                    DEFAULT_SECTIONS_FOR_TEAM[TeamKind.CMT]
                )
            )
        newest_cards = (
            CardSet.objects.filter(organisation=organisation).order_by("-version").first()
        )
        if _unrevised_default(newest_cards):
            CardSet.objects.create(
                organisation=organisation,
                version=2,
                card=DEFAULT_CARD_FOR_TEAM[TeamKind.CMT],
                tasks=DEFAULT_TASKS_FOR_TEAM[TeamKind.CMT],
                is_default=True,
                note=NOTE,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("formats", "0006_seed_defaults_for_existing_organisations"),
    ]

    operations = [migrations.RunPython(upgrade_companies, migrations.RunPython.noop)]
