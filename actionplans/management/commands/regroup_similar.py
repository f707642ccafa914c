"""Find the groups of measures alike by their text afresh, for every round (or the ones named)."""

from django.core.management.base import BaseCommand, CommandError

from actionplans import similarity
from actionplans.models import Round


class Command(BaseCommand):
    help = (
        "Regroup the submitted measures without a category of every round (or of --round) by the likeness "
        "of their text, and store the groups the page of similar measures reads. Safe to run any number of times."
    )

    def add_arguments(self, parser):
        parser.add_argument("--round", action="append", dest="rounds", metavar="SLUG", help="Only this round.")

    def handle(self, *args, rounds=None, **options):
        selected = Round.objects.order_by("pk")
        if rounds:
            selected = selected.filter(slug__in=rounds)
            missing = set(rounds) - set(selected.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No round with the slug: {', '.join(sorted(missing))}")
        for round_ in selected:
            grouped = similarity.regroup_round(round_)
            self.stdout.write(f"{round_.name}: {grouped} measures alike by their text")
