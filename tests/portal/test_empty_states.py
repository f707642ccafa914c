"""Empty lists say what to do next, to those who can do it."""

import pytest
from django.urls import reverse

from agreements.models import Agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_no_meetings_invites_the_organiser_to_plan_one(english, manager):
    english.force_login(manager)
    html = english.get(reverse("meetings:meeting_list")).content.decode()
    assert "No upcoming meetings to show." in html
    assert f'<a href="{reverse("meetings:meeting_create")}">Plan one.</a>' in html


def test_no_meetings_tells_a_city_contact_where_invitations_appear(english, contact_oslo):
    english.force_login(contact_oslo)
    html = english.get(reverse("meetings:meeting_list")).content.decode()
    assert "You will find the meetings you are invited to here." in html
    assert "Plan one." not in html


def test_no_meetings_matching_the_filters_offers_to_clear_them(english, manager, atp):
    english.force_login(manager)
    html = english.get(reverse("meetings:meeting_list"), {"theme": atp.pk}).content.decode()
    assert "Show all, without the filters." in html


def test_the_dashboard_without_meetings_offers_to_plan_one(english, manager, round_):
    english.force_login(manager)
    html = english.get(reverse("home")).content.decode()
    assert "No meetings are planned." in html
    assert "Plan one." in html


def test_without_a_round_the_overview_says_what_happens_next(english, contact_oslo, superuser):
    english.force_login(contact_oslo)
    html = english.get(reverse("home")).content.decode()
    assert "No round has been opened yet." in html
    assert "appear here as soon as it is opened." in html

    english.force_login(superuser)
    html = english.get(reverse("home")).content.decode()
    assert f'<a href="{reverse("admin:actionplans_round_add")}">Open one in the administration.</a>' in html


def test_an_agreement_without_documents_offers_the_upload_to_who_may(english, manager):
    agreement = Agreement.objects.create(title="Avtale", kind="pilot_project", created_by=manager)
    english.force_login(manager)
    html = english.get(reverse("agreements:agreement_detail", args=[agreement.pk])).content.decode()
    assert "No documents yet." in html
    assert "Upload the first version of the text." in html
