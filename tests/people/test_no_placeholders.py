"""The People section's forms say what each empty choice means (no Django "---------"), name
people by their names, and need no Ctrl-click (no multiple select)."""

import re

import pytest
from django.urls import reverse

from cities.models import Membership
from tests import factories

MULTIPLE_SELECT = re.compile(r"<select[^>]*\bmultiple\b")


@pytest.fixture
def network_leader(atp, oslo):
    user = factories.UserFactory(username="nettverksleder-atp")
    factories.MembershipFactory(user=user, role=Membership.Role.NETWORK_LEADER, theme_area=atp)
    return user


def pages(person):
    return [
        reverse("people:list"),
        reverse("people:invite"),
        reverse("people:detail", args=[person.pk]),
        reverse("people:message_compose"),
        reverse("people:message_list"),
    ]


@pytest.mark.parametrize("who", ["manager", "network_leader"])
def test_no_dashes_and_no_ctrl_click(client, request, who, contact_oslo, round_, atp):
    user = request.getfixturevalue(who)
    client.force_login(user)
    client.cookies["django_language"] = "en"

    for url in pages(contact_oslo):
        response = client.get(url)
        if response.status_code == 403:  # a page this persona may not open has no form to check
            continue
        html = response.content.decode()
        assert response.status_code == 200, url
        assert "---------" not in html, url
        assert not MULTIPLE_SELECT.search(html), url


def test_the_role_form_names_each_empty_scope(client, manager, contact_oslo):
    client.force_login(manager)
    client.cookies["django_language"] = "en"

    html = client.get(reverse("people:detail", args=[contact_oslo.pk])).content.decode()

    for label in ("Choose a role", "No city", "No theme area", "No organisation"):
        assert f'<option value="" selected>{label}</option>' in html
