"""The consultant hired for the cross-theme review: reads what reviewers read, writes the
cross-theme review with the management, and has none of the management's other powers."""

import pytest
from django.urls import reverse

from actionplans.models import Review
from cities.models import Membership
from tests import factories
from tests.actionplans.test_reviews import _write_everything, log_in, review_url

RS = Review.Status


@pytest.fixture
def consultant(db):
    user = factories.UserFactory(username="konsulent")
    factories.MembershipFactory(
        user=user, role=Membership.Role.CONSULTANT, organisation=factories.OrganisationFactory(short_name="Konsulent")
    )
    return user


@pytest.fixture
def parking(bergen_programme, atp):
    return factories.MeasureFactory(programme=bergen_programme, theme_area=atp, title="Parkeringsnorm")


@pytest.fixture
def programme(parking, request):
    """Bergen's programme with a land-use measure, submitted."""
    return request.getfixturevalue("bergen_submitted")


def test_the_consultant_reads_submitted_programmes_and_their_reviews(client, consultant, programme, atp):
    log_in(client, consultant)
    assert client.get(reverse("actionplans:programme_detail", args=[programme.pk])).status_code == 200
    assert client.get(review_url(programme, atp)).status_code == 200
    assert client.get(reverse("actionplans:review_grid")).status_code == 200


def test_the_consultant_does_not_see_a_programme_not_yet_submitted(client, consultant, oslo_programme):
    log_in(client, consultant)
    assert client.get(reverse("actionplans:programme_detail", args=[oslo_programme.pk])).status_code == 404


def test_the_consultant_writes_the_cross_theme_review(client, consultant, programme):
    log_in(client, consultant)
    url = reverse("actionplans:cross_review", args=[programme.pk])
    assert client.get(url).context["can_write"] is True
    assert client.post(url, {"assessment": "Helhetlig vurdering", "status": RS.IN_PROGRESS}).status_code == 302
    cross = Review.objects.get(theme_area=None)
    assert (cross.assessment, cross.status) == ("Helhetlig vurdering", RS.IN_PROGRESS)


def test_the_consultant_writes_no_theme_review(client, consultant, programme, parking, atp):
    log_in(client, consultant)
    assert client.get(review_url(programme, atp)).context["can_write"] is False
    assert _write_everything(client, programme, atp, parking) == (403, 403, 403)
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "url",
    ["actionplans:extension_list", "actionplans:reminder_log", "people:list"],
)
def test_the_consultant_has_none_of_the_managements_other_powers(client, consultant, url):
    log_in(client, consultant)
    assert client.get(reverse(url)).status_code == 403


def test_the_consultant_may_not_reopen_a_programme(client, consultant, programme):
    log_in(client, consultant)
    assert client.post(reverse("actionplans:programme_reopen", args=[programme.pk])).status_code == 403
