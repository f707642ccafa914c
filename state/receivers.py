"""What the state's requests hear of the apps below them, which may not import `state`: an agreement made of
an offer that is deleted (`agreements.services.delete_agreement`, or the admin) makes the offer stand again."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from agreements.models import Agreement
from state import services


def _acting_user():
    """The person whose web request this is (simple_history's middleware keeps the request), or None."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@receiver(pre_delete, sender=Agreement, dispatch_uid="state_offer_again_when_agreement_deleted")
def offer_again_when_agreement_deleted(sender, instance, **kwargs):
    # Before the delete sets the requests' link to the agreement empty (SET_NULL), in its transaction: if the
    # delete fails, the requests stay turned into the agreement.
    services.offer_again(instance, by=_acting_user())
