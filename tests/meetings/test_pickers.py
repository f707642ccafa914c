"""The meetings forms choose people by name, many things from checkbox lists (no Ctrl-click), and
never show Django's "---------" placeholder."""

import re

import pytest
from django.urls import reverse

from lib.fields import PersonChoiceField, PersonMultipleChoiceField
from lib.widgets import CheckboxList
from meetings.forms import AgendaItemForm, AttendanceForm, InviteForm, MeetingForm
from meetings.minutes_forms import ActionItemForm
from tests import factories
from tests.meetings.conftest import invite


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def test_invite_form_uses_checkbox_lists_and_names(gathering):
    form = InviteForm(meeting=gathering)

    for name in ("cities", "organisations", "users"):
        assert isinstance(form.fields[name].widget, CheckboxList), name
    assert isinstance(form.fields["users"], PersonMultipleChoiceField)


def test_invitation_page_lists_people_by_name_as_checkboxes(client, manager, gathering, oslo):
    person = factories.UserFactory(username="kn123", first_name="Kari", last_name="Nordmann")
    factories.MembershipFactory(user=person, city=oslo)
    client.force_login(manager)

    page = client.get(reverse("meetings:invitation_list", args=[gathering.pk])).content.decode()

    assert not re.search(r"<select[^>]*multiple", page)
    assert re.search(rf'<input type="checkbox"[^>]* name="users" value="{person.pk}"', page)
    assert re.search(r'<input type="checkbox"[^>]* name="cities"', page)
    assert re.search(r'<input type="checkbox"[^>]* name="organisations"', page)
    assert 'data-checklist="Filter the list"' in page
    assert "Kari Nordmann" in page
    assert ">kn123<" not in page


def test_invitees_invited_from_the_checkbox_list(client, manager, gathering, oslo):
    person = factories.UserFactory(first_name="Kari", last_name="Nordmann")
    factories.MembershipFactory(user=person, city=oslo)
    client.force_login(manager)

    response = client.post(reverse("meetings:invitation_list", args=[gathering.pk]), {"users": [person.pk]})

    assert response.status_code == 302
    assert list(gathering.invitations.values_list("user", flat=True)) == [person.pk]


def test_attendance_and_site_visit_measures_are_checkbox_lists(held, oslo, contact_oslo):
    invite(held, contact_oslo)

    assert isinstance(AttendanceForm(invitations=list(held.invitations.all())).fields["attended"].widget, CheckboxList)
    assert isinstance(AgendaItemForm(meeting=held).fields["measures"].widget, CheckboxList)


def test_action_item_owner_is_a_person_picker(held):
    assert isinstance(ActionItemForm().fields["owner"], PersonChoiceField)


@pytest.mark.parametrize("name", ["meeting_update", "agenda_create", "invitation_list", "minutes_edit"])
def test_no_dashes_in_the_meetings_forms(client, manager, held, name):
    client.force_login(manager)

    page = client.get(reverse(f"meetings:{name}", args=[held.pk])).content.decode()

    assert "---------" not in page


def test_meeting_form_names_its_empty_choices(held):
    form = MeetingForm(instance=held)

    assert form.fields["host_city"].empty_label == "No host city"
    assert form.fields["continues"].empty_label == "No, a meeting of its own"
    assert dict(form.fields["kind"].choices)[""] == "Choose"
    assert AgendaItemForm(meeting=held).fields["city"].empty_label == "No city"
