"""The moved models get this app's table names (a rename: the rows stay where they are)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('formats', '0005_cards_use_moves_to_meetings'),
        ('meetings', '0007_move_task_ticks_and_personal_logbook'),
    ]

    operations = [
        migrations.AlterModelTable(name='personalitem', table=None),
        migrations.AlterModelTable(name='tasktick', table=None),
    ]
