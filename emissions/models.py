"""Miljødirektoratet's municipal greenhouse-gas statistics ("Klimagassutslipp i kommuner"), as the
programme's baseline: one figure per city, year and sector, the numbers a city has had, and a
record of each import. How a file becomes figures is `emissions.importer`."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import City
from cities.sectors import EmissionSector

FIRST_YEAR, LAST_YEAR = 1990, 2100
# A figure is a municipality's sector in a year: Norway as a whole emits about 50 million t CO₂e.
MAX_TONNES = Decimal(1_000_000_000)


class MunicipalityNumber(models.Model):
    """A number a city has had. `City.municipality_number` is the one of 2008; the county mergers
    of 2018 and 2020 and the splits of 2024 gave most of the programme's cities new ones, and the
    statistics are published under the numbers of the year they were made. A number belongs to
    one city; the years say when it was in use (empty: before the programme, or still)."""

    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="municipality_numbers", verbose_name=_("city")
    )
    number = models.CharField(
        _("municipality number"),
        max_length=4,
        unique=True,
        help_text=_("Four digits, with a leading zero where there is one."),
    )
    first_year = models.PositiveSmallIntegerField(
        _("in use from"), null=True, blank=True, help_text=_("Empty: from before the programme.")
    )
    last_year = models.PositiveSmallIntegerField(_("in use until"), null=True, blank=True, help_text=_("Empty: still."))

    class Meta:
        ordering = ["city__name", "first_year", "number"]
        verbose_name = _("municipality number")
        verbose_name_plural = _("municipality numbers")
        constraints = [
            models.CheckConstraint(condition=Q(number__regex=r"^[0-9]{4}$"), name="municipality_number_four_digits"),
            models.CheckConstraint(
                condition=Q(first_year__isnull=True)
                | Q(last_year__isnull=True)
                | Q(first_year__lte=models.F("last_year")),
                name="municipality_number_years_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.city}"

    def clean(self):
        taken = City.objects.filter(municipality_number=self.number).exclude(pk=self.city_id)
        if self.number and taken.exists():
            raise ValidationError({"number": _("This is the municipality number of another city.")})


class EmissionImport(models.Model):
    """One file that was imported: who, when, which years, and what became of its rows."""

    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
        help_text=_("Empty for an import by the command line."),
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    file_name = models.CharField(_("file name"), max_length=255)
    years = models.CharField(_("years"), max_length=500, help_text=_("The years the file had figures for."))
    rows_read = models.PositiveIntegerField(_("rows read"))
    figures_stored = models.PositiveIntegerField(
        _("figures stored"), help_text=_("One figure per city, year and sector.")
    )
    rows_skipped = models.PositiveIntegerField(
        _("rows skipped"), help_text=_("Rows of municipalities that are not in the programme.")
    )
    cities = models.PositiveSmallIntegerField(_("cities"), default=0)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("emission import")
        verbose_name_plural = _("emission imports")

    def __str__(self):
        return f"{self.file_name} ({self.imported_at:%d.%m.%Y})"


class Emission(models.Model):
    """A city's emissions in a sector and year: tonnes CO₂-equivalents, summed over the sources
    and gases of the statistics. Negative where the sector takes up more than it emits (sinks)."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="emissions", verbose_name=_("city"))
    year = models.PositiveSmallIntegerField(_("year"))
    sector = models.CharField(_("sector"), max_length=20, choices=EmissionSector.choices)
    tonnes = models.DecimalField(_("emissions (t CO₂e)"), max_digits=16, decimal_places=3)
    source = models.ForeignKey(
        EmissionImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="figures",
        verbose_name=_("import"),
    )

    class Meta:
        ordering = ["city__name", "-year", "sector"]
        verbose_name = _("emission figure")
        verbose_name_plural = _("emission figures")
        constraints = [
            models.UniqueConstraint(fields=["city", "year", "sector"], name="emission_one_per_city_year_sector"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR), name="emission_year_in_range"
            ),
            models.CheckConstraint(
                condition=Q(tonnes__gte=-MAX_TONNES, tonnes__lte=MAX_TONNES), name="emission_tonnes_within_bounds"
            ),
        ]

    def __str__(self):
        return f"{self.city} {self.year} {self.get_sector_display()}: {self.tonnes} t"
