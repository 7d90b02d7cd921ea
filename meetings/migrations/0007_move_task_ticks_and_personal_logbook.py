"""Task ticks and personal logbook lines are the team's use of the cards in a crisis: they move
from formats to meetings. This step only tells Django's state; the tables are renamed in 0008
once formats has let go of them, so no row is copied."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('formats', '0004_task_ticks_per_card_version'),
        ('meetings', '0006_logbook_other_revision'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='PersonalItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('besluit', 'decision'), ('opdracht', 'assignment'), ('actie', 'action for me')], max_length=10, verbose_name='kind')),
                        ('text', models.TextField(max_length=2000, verbose_name='text')),
                        ('priority', models.CharField(choices=[('hoog', 'high'), ('normaal', 'normal'), ('laag', 'low')], default='normaal', max_length=8, verbose_name='priority')),
                        ('done_at', models.DateTimeField(blank=True, null=True, verbose_name='checked')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('proposed_at', models.DateTimeField(blank=True, null=True)),
                        ('crisis', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='personal_items', to='crisisroom.crisis')),
                        ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='personal_items', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'ordering': ['done_at', '-created_at'],
                        'db_table': 'formats_personalitem',
                    },
                ),
                migrations.AlterField(
                    model_name='entryproposal',
                    name='personal_item',
                    field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='proposal', to='meetings.personalitem'),
                ),
                migrations.CreateModel(
                    name='TaskTick',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(max_length=30)),
                        ('number', models.PositiveSmallIntegerField()),
                        ('at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('card_set', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='formats.cardset')),
                        ('crisis', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='task_ticks', to='crisisroom.crisis')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'ordering': ['crisis', 'role', 'number'],
                        'db_table': 'formats_tasktick',
                        'constraints': [models.UniqueConstraint(fields=('crisis', 'card_set', 'role', 'number'), name='unique_task_tick')],
                    },
                ),
            ],
        ),
    ]
