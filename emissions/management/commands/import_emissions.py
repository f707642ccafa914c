"""manage.py import_emissions FILE [--dry-run]: import Miljødirektoratet's municipal statistics
(XLSX or CSV) as the page does (see `emissions.importer`)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from emissions.importer import MAX_PROBLEMS, ImportRefused
from emissions.storage import import_statistics, summary


class Command(BaseCommand):
    help = (
        "Import the municipal greenhouse-gas statistics (Klimagassutslipp i kommuner) from an XLSX or CSV file. "
        "A year imported again replaces that year of the cities in the file; one bad row and nothing is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the XLSX or CSV file")
        parser.add_argument("--dry-run", action="store_true", help="check the file and say what would be stored")

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        try:
            handle = path.open("rb")
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        with handle:
            try:
                reading, _record = import_statistics(handle, path.name, dry_run=dry_run)
            except ImportRefused as refused:
                reading = refused.reading
                for problem in reading.problems:
                    self.stderr.write(str(problem))
                if reading.more_problems:
                    self.stderr.write(f"… +{reading.more_problems} (the first {MAX_PROBLEMS} are above)")
                raise CommandError(f"{path.name}: nothing was stored.") from None
        for line in summary(reading, stored=not dry_run):
            self.stdout.write(line)
