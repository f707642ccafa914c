"""ReportJob moves here from `portal`, keeping its table (`portal_reportjob`) and its rows:
only Django's picture of the models changes; the database is not touched."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import reporting.models


def move_content_type(apps, schema_editor):
    """Permissions and admin history of report jobs follow the model to its new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="reporting", model="reportjob").exists():
        ContentType.objects.filter(app_label="portal", model="reportjob").update(app_label="reporting")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="portal", model="reportjob").exists():
        ContentType.objects.filter(app_label="reporting", model="reportjob").update(app_label="portal")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("actionplans", "0005_reminder_failures"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0002_field_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReportJob",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=uuid.uuid4, editable=False, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "language",
                            models.CharField(
                                choices=[("nb", "Norwegian bokmål"), ("en", "English")],
                                max_length=5,
                                verbose_name="language",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Waiting to start"),
                                    ("running", "Being built"),
                                    ("done", "Ready"),
                                    ("failed", "Failed"),
                                ],
                                default="pending",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                        (
                            "file",
                            models.FileField(
                                blank=True,
                                max_length=200,
                                upload_to=reporting.models.report_upload_to,
                                verbose_name="file",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(default=django.utils.timezone.now, verbose_name="requested at"),
                        ),
                        ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="started at")),
                        ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished at")),
                        ("error", models.CharField(blank=True, max_length=300, verbose_name="error")),
                        (
                            "round",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="report_jobs",
                                to="actionplans.round",
                                verbose_name="round",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="report_jobs",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="requested by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "report job",
                        "verbose_name_plural": "report jobs",
                        "ordering": ["-created_at"],
                        "db_table": "portal_reportjob",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
