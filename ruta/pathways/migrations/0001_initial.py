"""Pathway and PathwayCell move here from ``directory``: state only, the tables stay.

The models keep their tables (``db_table``: directory_pathway, directory_pathwaycell and
the join tables directory_pathway_organizations, directory_pathwaycell_services, whose names
derive from them), so no row is copied. Content types follow the models, so any row that
refers to one (permissions) keeps pointing at the same model.
"""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models

MODELS = ("pathway", "pathwaycell")


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="pathways", model=model).exists():
            ContentType.objects.filter(app_label="directory", model=model).update(
                app_label="pathways"
            )


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="directory", model=model).exists():
            ContentType.objects.filter(app_label="pathways", model=model).update(
                app_label="directory"
            )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('agencies', '0002_organization_description_en_and_more'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('directory', '0006_refresh_search_text'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Pathway',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('title_es', models.CharField(max_length=200, verbose_name='title (Spanish)')),
                        ('title_en', models.CharField(blank=True, max_length=200, verbose_name='title (English)')),
                        ('theme', models.CharField(choices=[('gbv', 'Gender-based violence'), ('mhpss', 'Mental health and psychosocial support'), ('child_protection', 'Child protection'), ('other', 'Other')], max_length=20, verbose_name='theme')),
                        ('country', models.CharField(default='PE', max_length=2, verbose_name='country')),
                        ('scope_note', models.CharField(blank=True, max_length=200, verbose_name='geographic scope')),
                        ('notes_es', models.TextField(blank=True, verbose_name='notes (Spanish)')),
                        ('notes_en', models.TextField(blank=True, verbose_name='notes (English)')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published'), ('archived', 'Archived')], default='draft', max_length=12, verbose_name='status')),
                        ('illustrative', models.BooleanField(default=False, verbose_name='illustrative example')),
                        ('verified_at', models.DateTimeField(blank=True, null=True, verbose_name='verified on')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('admin1', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.adminarea', verbose_name='region / province')),
                        ('organizations', models.ManyToManyField(blank=True, related_name='+', to='agencies.organization', verbose_name='organizations')),
                        ('verified_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'referral pathway',
                        'verbose_name_plural': 'referral pathways',
                        'db_table': 'directory_pathway',
                        'ordering': ['title_es'],
                    },
                ),
                migrations.CreateModel(
                    name='PathwayCell',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.PositiveSmallIntegerField(choices=[(1, 'Entry point'), (2, 'Onward service')], verbose_name='role')),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='agencies.organization')),
                        ('pathway', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='cells', to='pathways.pathway')),
                        ('profile', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.taxonomyterm')),
                        ('services', models.ManyToManyField(blank=True, related_name='pathway_cells', to='directory.service')),
                    ],
                    options={
                        'db_table': 'directory_pathwaycell',
                        'constraints': [models.UniqueConstraint(fields=('pathway', 'organization', 'profile'), name='unique_pathway_cell')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
