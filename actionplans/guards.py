"""What the workflows of `services` and `extensions` share: the programme's row lock, the
refusal of a submitted programme, today's date in Oslo and a day some years away."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplans.models import OSLO, ActionProgramme


def lock_programme(programme: ActionProgramme) -> ActionProgramme:
    # Only the programme row is locked: PostgreSQL cannot lock the nullable side of the join.
    return (
        ActionProgramme.objects.select_for_update(of=("self",)).select_related("round__deadline").get(pk=programme.pk)
    )


def ensure_editable(programme):
    if programme.is_submitted:
        raise ValidationError(_("The programme has been submitted and can no longer be changed."), code="submitted")


def today():
    return timezone.localdate(timezone.now(), OSLO)


def years_after(day, years):
    """The same day `years` later (or earlier, if negative); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
