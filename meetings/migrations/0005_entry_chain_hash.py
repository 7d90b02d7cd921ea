from django.db import migrations, models


def chain_existing_entries(apps, schema_editor):
    """Give entries written before the chain existed their hash, crisis by crisis, in order."""
    from meetings.chain import entry_hash, genesis

    Entry = apps.get_model("meetings", "Entry")
    crisis_ids = Entry.objects.values_list("crisis_id", flat=True).distinct()
    for crisis_id in crisis_ids:
        previous = genesis(crisis_id)
        for entry in Entry.objects.filter(crisis_id=crisis_id).order_by("seq").iterator():
            previous = entry_hash(entry, previous)
            Entry.objects.filter(pk=entry.pk).update(chain_hash=previous)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0004_cards_transcription_proposals")]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="chain_hash",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="chain hash"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing_entries, migrations.RunPython.noop),
    ]
