"""Run the reminder sweep once: for operators who run it from cron instead of beat."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from actionplans import notifications, reminders


class Command(BaseCommand):
    help = "Record the reminders due now (or at --at) and queue what is not queued yet in the outbox. Safe to run any number of times."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="Sweep as if it were this moment (ISO 8601, e.g. 2027-01-13T09:00+01:00).")
        parser.add_argument("--dry-run", action="store_true", help="Print what would be recorded; send nothing.")

    def handle(self, *args, at=None, dry_run=False, **options):
        now = self._moment(at)
        planned = reminders.plan(now)
        for r in planned:
            target = r.city.name if r.city else ", ".join(r.late_cities)
            self.stdout.write(
                f"{r.scheduled_at:%d.%m.%Y %H:%M} {r.deadline.round} {r.offset_days:+d} {target} → {r.email}"
            )
        if dry_run:
            self.stdout.write(f"Dry run: {len(planned)} reminder(s) would be recorded; nothing was sent.")
            return
        reminders.record(planned)
        queued = reminders.queue_pending()
        notifications.send_missed()
        self.stdout.write(f"{len(planned)} reminder(s) recorded, {queued} queued in the outbox.")

    def _moment(self, at):
        if not at:
            return timezone.now()
        try:
            day = parse_date(at)
            moment = datetime.datetime.combine(day, datetime.time(12, 0)) if day else parse_datetime(at)
        except ValueError:  # well-formed but impossible, e.g. 30 February
            moment = None
        if moment is None:
            raise CommandError(f"--at: not an ISO date or datetime: {at!r}")
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)  # in Oslo time, the portal's time zone
        return moment
