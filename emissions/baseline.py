"""A city's emissions as the baseline of its measures: the statistics by sector for the last years
with figures, beside what the measures of its programme in the current round claim to cut in each
sector, as a share of that sector's emissions in the latest year.

Three kinds of claim are flagged for a reviewer to look at:

- a sector's claimed cut is larger than what the sector emitted in the latest year;
- a measure of the climate adaptation theme (code "adaptation") claims a cut: adaptation
  prepares for a changed climate, it does not cut emissions;
- two measures of the city in the same sector claim the same cut (the same effect, not zero)
  and have the same category or near-identical titles: likely one measure counted twice.

Pure functions over querysets the caller has scoped (the measures to what the user may see):
a constant number of queries, whatever the number of years, sectors and measures.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from itertools import combinations

from django.db.models import Q, Sum

from actionplans.access import programmes_visible_to
from actionplans.models import Measure
from cities.sectors import EmissionSector

LAST_YEARS = 5  # the columns of the table
ADAPTATION = "adaptation"  # the theme area's code
NEAR_IDENTICAL = 0.9  # titles at least this alike (difflib's ratio, after normalising) are the same measure
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass
class SectorLine:
    sector: str
    label: str
    figures: list  # tonnes in each of the baseline's years (latest first); None where there is none
    claimed: Decimal | None = None  # the measures' expected effect, t CO₂e per year
    latest: Decimal | None = None  # the sector's emissions in the latest year

    @property
    def share(self):
        """The claimed cut as a percentage of the latest emissions; None where it says nothing."""
        if self.claimed is None or self.latest is None or self.latest <= 0:
            return None
        return self.claimed * 100 / self.latest

    @property
    def shown(self):
        """Whether the line has anything to show: a figure or a claim."""
        return self.claimed is not None or any(figure is not None for figure in self.figures)

    @property
    def exceeds(self):
        """The claim is a larger cut than the sector emits."""
        return self.claimed is not None and self.latest is not None and self.claimed > 0 and self.claimed > self.latest


@dataclass
class DuplicateClaim:
    sector_label: str
    effect: Decimal
    measures: tuple  # two measures


@dataclass
class Baseline:
    years: list  # latest first
    lines: list  # SectorLine, in the order of the statistics' sectors
    totals: list  # per year, as `years`
    claimed_total: Decimal | None = None  # of the measures with a sector
    claimed_unassigned: Decimal | None = None  # of the measures without one
    adaptation_claims: list = field(default_factory=list)
    duplicate_claims: list = field(default_factory=list)

    @property
    def latest_year(self):
        return self.years[0] if self.years else None

    @property
    def latest_total(self):
        return self.totals[0] if self.totals else None

    @property
    def total_share(self):
        if self.claimed_total is None or not self.latest_total or self.latest_total <= 0:
            return None
        return self.claimed_total * 100 / self.latest_total

    @property
    def shown_lines(self):
        return [line for line in self.lines if line.shown]

    @property
    def exceeding(self):
        return [line for line in self.lines if line.exceeds]

    @property
    def flagged(self):
        return bool(self.exceeding or self.adaptation_claims or self.duplicate_claims)

    @property
    def has_claims(self):
        return self.claimed_total is not None or self.claimed_unassigned is not None


def claimed_measures(user, city, round_):
    """The measures of `city`'s programme in `round_` that `user` may see (none without a round)."""
    if round_ is None:
        return Measure.objects.none()
    programmes = programmes_visible_to(user).filter(city=city, round=round_)
    return Measure.objects.filter(programme__in=programmes)


def city_baseline(emissions, measures, *, last_years=LAST_YEARS):
    """The baseline of one city: `emissions` its Emission rows, `measures` the measures to set
    beside them (scoped by the caller). Five queries."""
    years = list(emissions.order_by("-year").values_list("year", flat=True).distinct()[:last_years])
    figures = {
        (year, sector): tonnes
        for year, sector, tonnes in emissions.filter(year__in=years).values_list("year", "sector", "tonnes")
    }
    totals_by_year = dict(
        emissions.filter(year__in=years)
        .order_by()
        .values("year")
        .annotate(total=Sum("tonnes"))
        .values_list("year", "total")
    )
    claims = dict(
        measures.order_by().values("sector").annotate(claimed=Sum("expected_effect")).values_list("sector", "claimed")
    )
    labels = dict(EmissionSector.choices)
    lines = []
    for sector in EmissionSector.values:
        line = SectorLine(sector, labels[sector], [figures.get((year, sector)) for year in years])
        line.claimed = claims.get(sector)
        line.latest = line.figures[0] if years else None
        lines.append(line)
    sector_claims = [value for sector, value in claims.items() if sector and value is not None]
    baseline = Baseline(
        years=years,
        lines=lines,
        totals=[totals_by_year.get(year) for year in years],
        claimed_total=sum(sector_claims, Decimal(0)) if sector_claims else None,
        claimed_unassigned=claims.get(""),
    )
    _flag_measures(baseline, measures, labels)
    return baseline


def _flag_measures(baseline, measures, labels):
    """The adaptation measures that claim a cut, and the pairs that claim the same cut twice (one query)."""
    suspects = (
        measures.filter(
            Q(theme_area__code=ADAPTATION, expected_effect__gt=0)
            | (~Q(sector="") & Q(expected_effect__isnull=False) & ~Q(expected_effect=0))
        )
        .select_related("theme_area", "programme")
        .order_by("pk")
    )
    by_claim = {}
    for measure in suspects:
        if measure.theme_area.code == ADAPTATION and measure.expected_effect and measure.expected_effect > 0:
            baseline.adaptation_claims.append(measure)
        if measure.sector and measure.expected_effect:
            by_claim.setdefault((measure.sector, measure.expected_effect), []).append(measure)
    for (sector, effect), group in by_claim.items():
        for first, second in combinations(group, 2):
            if same_measure(first, second):
                baseline.duplicate_claims.append(DuplicateClaim(labels[sector], effect, (first, second)))


def _normalised(title):
    return _NOT_WORD.sub(" ", title.casefold()).strip()


def same_measure(first, second):
    """Whether two measures with the same claim look like one: the same category, or near-identical titles."""
    if first.category_id is not None and first.category_id == second.category_id:
        return True
    a, b = _normalised(first.title), _normalised(second.title)
    return a == b or SequenceMatcher(None, a, b).ratio() >= NEAR_IDENTICAL
