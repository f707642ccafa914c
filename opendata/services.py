"""Publishing a round as open data, and withdrawing it. Each owns its transaction; the row is kept when a round
is withdrawn, and its history (django-simple-history) keeps every publication and withdrawal."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from opendata.models import Licence, Publication


def publish_round(round_, *, licence=Licence.NLOD_2_0, by) -> Publication:
    """Make `round_` public from now on, under `licence`: its pages under /open/, its downloads and its entry
    in the catalog. A withdrawn round is published again in the same row. Refuses (ValidationError) a round
    that is published already."""
    now = timezone.now()
    try:
        with transaction.atomic():
            publication = Publication.objects.select_for_update().filter(round=round_).first()
            if publication is None:
                return Publication.objects.create(round=round_, published_at=now, published_by=by, licence=licence)
            if publication.is_published:
                raise ValidationError(_already_published(round_, publication))
            publication.published_at, publication.published_by, publication.licence = now, by, licence
            publication.withdrawn_at = publication.withdrawn_by = None
            publication.save(update_fields=["published_at", "published_by", "licence", "withdrawn_at", "withdrawn_by"])
            return publication
    except IntegrityError as clash:  # two managers at the same moment: the other one's publication stands
        publication = Publication.objects.get(round=round_)
        raise ValidationError(_already_published(round_, publication)) from clash


def withdraw_round(round_, *, by) -> Publication:
    """Take `round_` off the public pages, downloads and catalog from now on; the row stays. Refuses
    (ValidationError) a round that is not published."""
    with transaction.atomic():
        publication = Publication.objects.select_for_update().filter(round=round_).first()
        if publication is None or not publication.is_published:
            raise ValidationError(
                _("«%(round)s» is not published, so there is nothing to withdraw.") % {"round": round_.name}
            )
        publication.withdrawn_at, publication.withdrawn_by = timezone.now(), by
        publication.save(update_fields=["withdrawn_at", "withdrawn_by"])
        return publication


def _already_published(round_, publication):
    return _("«%(round)s» is already published (since %(date)s).") % {
        "round": round_.name,
        "date": date_format(timezone.localtime(publication.published_at), "SHORT_DATE_FORMAT"),
    }
