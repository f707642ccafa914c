"""actionplans.access: programmes, drafts and reviews for a user (404 or 403), and what they see."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from actionplans import services
from actionplans.access import (
    get_draft_for_user,
    get_programme_for_user,
    get_reviewed_programme_for_user,
    programmes_visible_to,
    reviews_visible_to,
)
from actionplans.models import Review


def test_a_city_sees_its_own_programme_only(oslo_programme, bergen_programme, contact_oslo):
    assert list(programmes_visible_to(contact_oslo)) == [oslo_programme]
    assert get_programme_for_user(contact_oslo, oslo_programme.pk) == oslo_programme
    with pytest.raises(Http404):
        get_programme_for_user(contact_oslo, bergen_programme.pk)
    with pytest.raises(PermissionDenied):
        get_programme_for_user(contact_oslo, oslo_programme.pk, "actionplans.reopen_programme")


def test_a_draft_is_hidden_from_another_city(oslo_draft, contact_bergen, contact_oslo):
    assert get_draft_for_user(contact_oslo, oslo_draft.pk) == oslo_draft
    with pytest.raises(Http404):
        get_draft_for_user(contact_bergen, oslo_draft.pk)


def test_the_city_reads_a_review_once_its_comments_are_sent(bergen_submitted, atp, coordinator, contact_bergen):
    review = services.review_for(bergen_submitted, atp)

    assert list(reviews_visible_to(contact_bergen, bergen_submitted)) == []
    assert list(reviews_visible_to(coordinator, bergen_submitted)) == [review]
    services.update_review(review, assessment="", status=Review.Status.COMMENTS_SENT, by=coordinator)
    assert list(reviews_visible_to(contact_bergen, bergen_submitted)) == [review]


def test_the_review_pages_are_the_reviewers(bergen_submitted, coordinator, contact_bergen, contact_oslo):
    assert get_reviewed_programme_for_user(coordinator, bergen_submitted.pk) == bergen_submitted
    with pytest.raises(PermissionDenied):
        get_reviewed_programme_for_user(contact_bergen, bergen_submitted.pk)
    with pytest.raises(Http404):
        get_reviewed_programme_for_user(contact_oslo, bergen_submitted.pk)
