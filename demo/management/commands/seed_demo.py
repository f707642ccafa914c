"""Load the demo programme: the 13 cities of "Framtidens byer", the theme
areas, organisations, rounds, meetings, agreements and the demo users. Safe to run again.

The demo's events are history, not news: seeding queues no mail (the outbox is suppressed while
it runs), and the events it makes are marked as told, so that their notification tasks, which
run after the commit, find nothing to send."""

import io

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from actionplans import similarity
from actionplans.models import DeadlineExtension, ExtensionRequest, Review, StatusChange
from demo import agreements, emissions, gatherings_2008, meetings, people, results, round_2009, round_current, state
from demo.people import Demo
from meetings.models import Minutes
from outbox.services import suppressed

# The events that mail someone, each with its "told" marker and what makes it an event.
TOLD_MARKERS = [
    (StatusChange, "notified_at", {}),
    (DeadlineExtension, "announced_at", {}),
    (ExtensionRequest, "request_notified_at", {}),
    (ExtensionRequest, "decision_notified_at", {"decided_at__isnull": False}),
    (Review, "completion_notified_at", {"completed_at__isnull": False}),
    (Minutes, "published_notified_at", {"status": Minutes.Status.PUBLISHED}),
]


def _last_pks():
    return {model: model.objects.aggregate(last=Max("pk"))["last"] or 0 for model, _marker, _filter in TOLD_MARKERS}


def _mark_told(after):
    """The events made by this run (newer than the pks in `after`) are marked as told."""
    now = timezone.now()
    for model, marker, conditions in TOLD_MARKERS:
        model.objects.filter(pk__gt=after[model], **{f"{marker}__isnull": True}, **conditions).update(**{marker: now})


class Command(BaseCommand):
    help = "Load the demo programme: the 2009 round from the autumn 2008 gatherings to the agreements, and the current round. Idempotent."

    def handle(self, *args, **options):
        with suppressed(), transaction.atomic():
            before = _last_pks()
            self._seed()
            _mark_told(before)
        # The groups of similar measures are there when the portal starts, not after its first sweep.
        similarity.regroup_stale()
        # And the search finds everything at once (the demo's bulk writes send no signals).
        if apps.is_installed("search"):
            call_command("search_reindex", stdout=io.StringIO())

    def _seed(self):
        demo = Demo.load()
        # In the order it happened: the action programmes of 2009 (their measures are what the
        # autumn gatherings visited), the gatherings, the coordination group and the meetings of
        # 2009, the agreements of 2009 and after with the requests to the state that two of them grew
        # from, then the current round, its agreements and requests so far, and what is coming.
        round_2009.seed(demo)
        gatherings_2008.seed(demo)
        meetings.seed(demo)
        agreements.seed(demo)
        state.seed_2009(demo)
        # What came of the 2009 programmes: the reports of 2010 and 2011.
        results.seed(demo)
        round_current.seed(demo)
        # The municipal emission statistics the current round's measures are set against.
        emissions.seed(demo)
        agreements.seed_current(demo)
        state.seed_current(demo)
        results.seed_current(demo)
        meetings.upcoming_gathering(demo)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(
            f"Demo logins (password '{people.PASSWORD}'): kontakt-<city> for each city (kontakt-oslo, "
            "kontakt-bergen, …), " + ", ".join(u[0] for u in people.USERS) + ", admin"
        )
