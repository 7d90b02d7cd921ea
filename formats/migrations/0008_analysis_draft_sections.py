"""Per-section revisions of the analysis draft, so that two screens editing different sections
both save. A draft saved before this migration records every section it holds as changed at
its current revision by its last author: a screen loaded before then is judged as it was."""

from django.db import migrations, models


def record_existing_sections(apps, schema_editor):
    Analysis = apps.get_model("formats", "Analysis")
    for analysis in Analysis.objects.filter(draft_revision__gt=0):
        at = analysis.draft_saved_at.isoformat() if analysis.draft_saved_at else ""
        analysis.draft_sections = {
            key: {
                "revision": analysis.draft_revision,
                "by": analysis.draft_saved_by_id,
                "at": at,
                "editor": "",
            }
            for key in analysis.draft
        }
        analysis.save(update_fields=["draft_sections"])


class Migration(migrations.Migration):
    dependencies = [("formats", "0007_cmt_defaults_for_companies")]

    operations = [
        migrations.AddField(
            model_name="analysis",
            name="draft_sections",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.RunPython(record_existing_sections, migrations.RunPython.noop),
    ]
