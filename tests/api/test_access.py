"""`api.access.reviews_visible_to_user`, the queryset twin of `actionplans.access.reviews_visible_to` over
every programme, gives each persona exactly the reviews the programmes' pages give them."""

import pytest

from actionplans import services
from actionplans.access import reviews_visible_to
from actionplans.models import ActionProgramme, Review, Round
from api.access import reviews_visible_to_user
from cities.models import Membership
from tests import factories
from tests.conftest import upload


def page_reviews(user):
    """The union of what each programme's page (or review page) shows `user`."""
    seen = set()
    for programme in ActionProgramme.objects.select_related("city", "round__deadline"):
        if user.has_perm("actionplans.view_programme", programme) or user.has_perm(
            "actionplans.read_programme_reviews", programme
        ):
            seen |= {r.pk for r in reviews_visible_to(user, programme)}
    return seen


@pytest.fixture
def reviewed(atp, energy, oslo_programme, bergen_programme, contact_oslo, contact_bergen, coordinator, manager):
    """Bergen's submitted programme with a review in every status; Oslo's submitted, reviewed and reopened."""
    upload(bergen_programme, contact_bergen)
    bergen = services.submit_programme(bergen_programme, by=contact_bergen)
    services.update_review(services.review_for(bergen, atp), assessment="a", status="in_progress", by=coordinator)
    services.update_review(services.review_for(bergen, energy), assessment="b", status="comments_sent", by=manager)
    services.review_for(bergen, None)
    upload(oslo_programme, contact_oslo)
    oslo = services.submit_programme(oslo_programme, by=contact_oslo)
    services.update_review(services.review_for(oslo, atp), assessment="c", status="completed", by=coordinator)
    services.update_review(services.review_for(oslo, energy), assessment="d", status="in_progress", by=manager)
    services.reopen_programme(oslo, by=manager, comment="Mer")
    return bergen, oslo


@pytest.mark.parametrize("openness", [Round.Openness.AFTER_DEADLINE, Round.Openness.ALWAYS])
def test_the_twin_gives_what_the_pages_give(
    reviewed, openness, manager, coordinator, contact_oslo, contact_bergen, partner, outsider, superuser, oslo, atp
):
    Round.objects.update(open_to_cities=openness)
    consultant = factories.UserFactory(username="konsulent")
    factories.MembershipFactory(user=consultant, role=Membership.Role.CONSULTANT)
    contact_and_coordinator = factories.UserFactory(username="begge")
    factories.MembershipFactory(user=contact_and_coordinator, role=Membership.Role.CITY_CONTACT, city=oslo)
    factories.MembershipFactory(user=contact_and_coordinator, role=Membership.Role.COORDINATOR, theme_area=atp)
    users = [manager, coordinator, contact_oslo, contact_bergen, partner, outsider, superuser, consultant]
    users.append(contact_and_coordinator)

    twin = {user.username: set(reviews_visible_to_user(user).values_list("pk", flat=True)) for user in users}
    pages = {user.username: page_reviews(user) for user in users}

    assert twin == pages
    assert Review.objects.count() == 5
    assert len(twin["kontakt-bergen"]) == 1 and len(twin["departementet"]) == 5  # not vacuous
