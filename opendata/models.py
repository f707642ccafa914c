"""Publications: which rounds the public may read, under which licence, and since when."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actionplans.models import Round


class Licence(models.TextChoices):
    NLOD_2_0 = "NLOD-2.0", _("Norwegian Licence for Open Government Data (NLOD) 2.0")
    CC_BY_4_0 = "CC-BY-4.0", _("Creative Commons Attribution 4.0 (CC BY 4.0)")
    CC0_1_0 = "CC0-1.0", _("Creative Commons Zero 1.0 (CC0 1.0)")


# The licence's text, for people; and its URI in the EU's licence vocabulary, which DCAT-AP-NO asks for.
LICENCE_URLS = {
    Licence.NLOD_2_0: "https://data.norge.no/nlod/no/2.0",
    Licence.CC_BY_4_0: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC0_1_0: "https://creativecommons.org/publicdomain/zero/1.0/",
}
LICENCE_URIS = {
    Licence.NLOD_2_0: "http://publications.europa.eu/resource/authority/licence/NLOD_2_0",
    Licence.CC_BY_4_0: "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
    Licence.CC0_1_0: "http://publications.europa.eu/resource/authority/licence/CC0",
}


class PublicationQuerySet(models.QuerySet):
    def published(self):
        """The publications in force: not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class Publication(models.Model):
    """A round made public: its submitted programmes, measures, agreements and totals, on pages anyone reads
    and as open data. Withdrawing keeps the row (and publishing again reuses it); the history keeps every
    publication and withdrawal, who and when."""

    round = models.OneToOneField(Round, on_delete=models.PROTECT, related_name="publication", verbose_name=_("round"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by")
    )
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices, default=Licence.NLOD_2_0)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    history = HistoricalRecords()

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "pk"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self):
        return str(self.round)

    @property
    def is_published(self):
        return self.withdrawn_at is None

    @property
    def licence_url(self):
        return LICENCE_URLS[self.licence]

    @property
    def licence_uri(self):
        return LICENCE_URIS[self.licence]
