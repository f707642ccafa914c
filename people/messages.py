"""Messages to many: the audience made from the programme's own roles, and sending once to each.

Each recipient gets the message once (the outbox's key is the message and the person), in their
own language: the English text if they read English and there is one, else the Norwegian.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from actionplans.models import ActionProgramme
from cities.models import Membership, Organisation
from outbox import services as outbox
from people.models import BulkMessage

Audience = BulkMessage.Audience
Role = Membership.Role


def recipients(audience, *, round=None, theme_area=None, meeting=None, county=None):
    """The active people with an address in the audience, by name."""
    if audience == Audience.CITY_CONTACTS:
        chosen = Q(memberships__role=Role.CITY_CONTACT)
    elif audience == Audience.NOT_SUBMITTED:
        waiting = ActionProgramme.objects.filter(round=round).exclude(status=ActionProgramme.Status.SUBMITTED)
        chosen = Q(memberships__role=Role.CITY_CONTACT, memberships__city__in=waiting.values("city"))
    elif audience == Audience.THEME_NETWORK:
        roles = [Role.COORDINATOR, Role.NETWORK_LEADER, Role.NETWORK_MEMBER]
        chosen = Q(memberships__role__in=roles, memberships__theme_area=theme_area)
    elif audience == Audience.MEETING_INVITEES:
        chosen = Q(invitations__meeting=meeting)
    elif audience == Audience.COUNTY_AUTHORITIES:
        chosen = Q(
            memberships__organisation__kind=Organisation.Kind.COUNTY_AUTHORITY,
            memberships__organisation__county=county,
        )
    else:
        raise ValueError(f"Unknown audience: {audience!r}")
    people = get_user_model().objects.filter(chosen, is_active=True).exclude(email="")
    return people.distinct().select_related("profile").order_by("last_name", "first_name", "username")


def send(*, by, audience, subject_nb, body_nb, subject_en="", body_en="", **scope):
    """Record the message and queue it to everyone in the audience; returns the message."""
    with transaction.atomic():
        people = list(recipients(audience, **scope))
        message = BulkMessage.objects.create(
            author=by,
            audience=audience,
            subject_nb=subject_nb,
            body_nb=body_nb,
            subject_en=subject_en,
            body_en=body_en,
            recipient_count=len(people),
            **scope,
        )
        with outbox.one_drain():
            for person in people:
                outbox.queue(
                    "bulk_message",
                    {"message": message},
                    to=person,
                    kind="bulk_message",
                    key=f"bulk_message:{message.pk}:{person.pk}",
                    cause=message,
                )
    return message
