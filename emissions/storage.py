"""Storing a reading of the municipal statistics (`emissions.importer.read_statistics`): all of it or
nothing, a year of a city replaced as a whole, with a record of the import; and what an import did,
in sentences for the page and the command."""

from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from emissions.importer import ImportRefused, read_statistics, year_ranges
from emissions.models import Emission, EmissionImport


@transaction.atomic
def store(reading, *, by=None):
    """Store a reading without problems: for each city and year in it, its figures replace the
    ones stored (every sector of that year); an EmissionImport records the import. Returns it."""
    if not reading.ok:
        raise ImportRefused(reading)
    record = EmissionImport.objects.create(
        imported_by=by,
        file_name=reading.file_name[:255],
        years=year_ranges(reading.years)[:500],
        rows_read=reading.rows_read,
        figures_stored=len(reading.figures),
        rows_skipped=reading.rows_skipped,
        cities=len(reading.cities),
    )
    years_of = defaultdict(set)
    for city, year, _sector in reading.figures:
        years_of[year].add(city.pk)
    for year, city_ids in years_of.items():
        Emission.objects.filter(year=year, city_id__in=city_ids).delete()
    Emission.objects.bulk_create(
        [
            Emission(city=city, year=year, sector=sector, tonnes=tonnes, source=record)
            for (city, year, sector), tonnes in sorted(
                reading.figures.items(), key=lambda item: (item[0][0].pk, item[0][1], item[0][2])
            )
        ],
        batch_size=1000,
    )
    return record


def import_statistics(f, file_name, *, by=None, dry_run=False, max_size=None, kind=None):
    """Read the statistics in `f` and, unless `dry_run`, store them (`store`). Returns the reading
    and the import record (None for a dry run); raises ImportRefused, storing nothing, if a row is bad."""
    reading = read_statistics(f, file_name, max_size=max_size, kind=kind)
    if not reading.ok:
        raise ImportRefused(reading)
    return reading, (None if dry_run else store(reading, by=by))


def summary(reading, *, stored):
    """What an import did (or, `stored` false, would do), in sentences for a page or the command line."""
    figures = {
        "file": reading.file_name,
        "rows": reading.rows_read,
        "figures": len(reading.figures),
        "cities": len(reading.cities),
        "years": year_ranges(reading.years),
    }
    if stored:
        lines = [
            _(
                "«%(file)s» is imported. Rows read: %(rows)s. Figures stored: %(figures)s (cities: %(cities)s; years: %(years)s)."
            )
            % figures
        ]
    else:
        lines = [
            _(
                "«%(file)s» can be imported; nothing was stored. Rows read: %(rows)s. Figures it would store: "
                "%(figures)s (cities: %(cities)s; years: %(years)s)."
            )
            % figures
        ]
    if reading.rows_skipped:
        lines.append(
            ngettext(
                "%(count)s row of a municipality outside the programme was skipped.",
                "%(count)s rows of municipalities outside the programme were skipped.",
                reading.rows_skipped,
            )
            % {"count": reading.rows_skipped}
        )
    if reading.rows_superseded:
        lines.append(
            ngettext(
                "%(count)s row of a single gas was not counted: the file has the total of the gases for it.",
                "%(count)s rows of single gases were not counted: the file has the totals of the gases for them.",
                reading.rows_superseded,
            )
            % {"count": reading.rows_superseded}
        )
    if reading.negatives:
        lines.append(
            ngettext(
                "%(count)s row has a negative figure (a sink); it is counted as it is.",
                "%(count)s rows have negative figures (sinks); they are counted as they are.",
                reading.negatives,
            )
            % {"count": reading.negatives}
        )
    return lines
