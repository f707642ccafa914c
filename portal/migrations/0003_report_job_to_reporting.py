"""ReportJob now belongs to `reporting` (its migration 0001 takes the model over,
table and rows included); here `portal` only forgets it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_field_names"),
        ("reporting", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ReportJob")],
            database_operations=[],
        ),
    ]
