"""Merge memberships that are the same role for the same scope, before the constraints that forbid them.

`membership_unique` let them through: its scope columns are NULL for most
memberships, and NULLs are distinct in SQL. Of each group the oldest row
(lowest id) is kept; nothing refers to a membership, so the others go.
"""

from django.db import migrations
from django.db.models import Count, Min


def merge_duplicates(apps, schema_editor):
    Membership = apps.get_model("cities", "Membership")
    shape = ["user_id", "role", "city_id", "theme_area_id", "organisation_id"]
    groups = Membership.objects.values(*shape).annotate(n=Count("pk"), keep=Min("pk")).filter(n__gt=1)
    for group in groups:
        # filter(city_id=None) matches NULL, as the group means.
        same = Membership.objects.filter(**{name: group[name] for name in shape})
        same.exclude(pk=group["keep"]).delete()


class Migration(migrations.Migration):
    dependencies = [("cities", "0003_calendar_token")]

    operations = [migrations.RunPython(merge_duplicates, migrations.RunPython.noop, elidable=True)]
