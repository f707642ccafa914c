"""Load the demo programme: the 13 cities of "Framtidens byer", the theme
areas, organisations, rounds, meetings, agreements and the demo users. Safe to run again."""

from django.core.management.base import BaseCommand
from django.db import transaction

from demo import agreements, meetings, people, programmes


class Command(BaseCommand):
    help = "Load the demo programme (cities, theme areas, rounds, meetings, agreements, demo users). Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
        cities = people.cities()
        themes = people.themes()
        orgs = people.organisations()
        users = people.users(cities, themes, orgs)
        programmes.historic_round(cities, users)
        programmes.current_round(cities, themes, users)
        meetings.meetings(cities, themes, users)
        agreements.agreements(cities, themes, orgs, users)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(
            f"Demo logins (password '{people.PASSWORD}'): "
            + ", ".join(u[0] for u in people.USERS)
            + ", kontakt-<city> for each city (kontakt-trondheim, …), admin"
        )
