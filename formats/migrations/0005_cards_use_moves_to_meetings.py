"""Task ticks and personal logbook lines now belong to meetings (see meetings 0007): formats
forgets them without touching the tables."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('formats', '0004_task_ticks_per_card_version'),
        ('meetings', '0007_move_task_ticks_and_personal_logbook'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='PersonalItem'),
                migrations.DeleteModel(name='TaskTick'),
            ],
        ),
    ]
