"""agreements.access: one agreement for a user (404 or 403), and the agreements they see."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from agreements import services
from agreements.access import agreements_visible_to, get_agreement_for_user
from agreements.models import Agreement


@pytest.fixture
def agreement(manager, atp, bergen):
    agreement = Agreement.objects.create(title="Belønningsordning", kind="long_term_economic", created_by=manager)
    agreement.theme_areas.set([atp])
    services.set_parties(agreement, cities=[bergen], organisations=[])
    return agreement


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("manager", True), ("coordinator", True), ("contact_bergen", True), ("contact_oslo", False), ("outsider", False)],
)
def test_the_queryset_and_the_lookup_agree_with_the_rule(request, agreement, persona, sees):
    user = request.getfixturevalue(persona)

    assert list(agreements_visible_to(user)) == ([agreement] if sees else [])
    if sees:
        assert get_agreement_for_user(user, agreement.pk) == agreement
    else:
        with pytest.raises(Http404):
            get_agreement_for_user(user, agreement.pk)


def test_a_party_that_may_not_move_it_gets_forbidden(agreement, contact_bergen):
    with pytest.raises(PermissionDenied):
        get_agreement_for_user(contact_bergen, agreement.pk, "agreements.change_status")
