"""Messages to many: audiences from the programme's roles, a preview in both languages, each recipient once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplans import services as actionplan_services
from cities.models import Membership, Organisation, Profile
from meetings.models import Invitation
from outbox.models import OutgoingMail
from people import messages as bulk
from people.models import BulkMessage
from tests import factories
from tests.conftest import upload
from tests.meetings.conftest import gathering_at
from tests.outbox.helpers import delivering

Audience = BulkMessage.Audience
Role = Membership.Role


def usernames(people):
    return sorted(p.username for p in people)


@pytest.fixture
def programme_people(
    round_, oslo, bergen, contact_oslo, contact_bergen, coordinator, manager, partner, atp, mailoutbox
):
    """Oslo has not submitted, Bergen has; a network leader of land use; a county authority of Bergen's county."""
    factories.ProgrammeFactory(round=round_, city=oslo)
    bergen_programme = factories.ProgrammeFactory(round=round_, city=bergen)
    upload(bergen_programme, contact_bergen)
    actionplan_services.submit_programme(bergen_programme, by=contact_bergen)
    leader = factories.UserFactory(username="nettverksleder-atp")
    factories.MembershipFactory(user=leader, role=Role.NETWORK_LEADER, theme_area=atp)
    county = factories.OrganisationFactory(
        short_name="VLFK", kind=Organisation.Kind.COUNTY_AUTHORITY, county=bergen.county
    )
    county_person = factories.UserFactory(username="fylke-bergen")
    factories.MembershipFactory(user=county_person, role=Role.COUNTY_AUTHORITY, organisation=county)
    starts = timezone.now() + datetime.timedelta(days=20)
    meeting = gathering_at(manager, [atp], oslo, starts)
    for user in (contact_oslo, partner):
        Invitation.objects.create(meeting=meeting, user=user)
    with delivering():  # what Bergen's submission sent is sent and forgotten
        pass
    mailoutbox.clear()
    return {"leader": leader, "county": bergen.county, "meeting": meeting}


def test_each_audience_is_the_people_of_its_roles(programme_people, round_, atp):
    assert usernames(bulk.recipients(Audience.CITY_CONTACTS)) == ["kontakt-bergen", "kontakt-oslo"]
    assert usernames(bulk.recipients(Audience.NOT_SUBMITTED, round=round_)) == ["kontakt-oslo"]
    assert usernames(bulk.recipients(Audience.THEME_NETWORK, theme_area=atp)) == [
        "koordinator-atp",
        "nettverksleder-atp",
    ]
    assert usernames(bulk.recipients(Audience.MEETING_INVITEES, meeting=programme_people["meeting"])) == [
        "kontakt-oslo",
        "ks",
    ]
    assert usernames(bulk.recipients(Audience.COUNTY_AUTHORITIES, county=programme_people["county"])) == [
        "fylke-bergen"
    ]


def test_an_inactive_person_or_one_without_an_address_is_not_in_an_audience(
    programme_people, contact_oslo, contact_bergen
):
    contact_oslo.is_active = False
    contact_oslo.save(update_fields=["is_active"])
    contact_bergen.email = ""
    contact_bergen.save(update_fields=["email"])

    assert usernames(bulk.recipients(Audience.CITY_CONTACTS)) == []


def test_management_previews_the_recipients_in_both_languages_and_sends_once_to_each(
    client, programme_people, manager, round_, contact_oslo, mailoutbox
):
    Profile.objects.create(user=contact_oslo, language="en")
    client.force_login(manager)
    data = {
        "audience": Audience.NOT_SUBMITTED,
        "round": round_.pk,
        "subject_nb": "Husk fristen 15. januar",
        "body_nb": "Send inn handlingsprogrammet innen fristen.",
        "subject_en": "Remember the 15 January deadline",
        "body_en": "Please submit your action programme by the deadline.",
    }
    url = reverse("people:message_compose")

    preview = client.post(url, {**data, "action": "preview"})

    assert preview.status_code == 200
    assert [p.username for p in preview.context["recipients"]] == ["kontakt-oslo"]
    assert [(code, subject) for code, _name, subject, _text in preview.context["previews"]] == [
        ("nb", "Husk fristen 15. januar"),
        ("en", "Remember the 15 January deadline"),
    ]
    assert not BulkMessage.objects.exists() and mailoutbox == []

    with delivering():
        sent = client.post(url, {**data, "action": "send"})

    message = BulkMessage.objects.get()
    assert sent.status_code == 302 and sent["Location"] == reverse("people:message_detail", args=[message.pk])
    (mail,) = mailoutbox
    assert (mail.to, mail.subject) == ([contact_oslo.email], "Remember the 15 January deadline")
    assert "Please submit your action programme" in mail.body
    assert OutgoingMail.objects.get(kind="bulk_message").key == f"bulk_message:{message.pk}:{contact_oslo.pk}"
    page = client.get(sent["Location"])
    assert page.status_code == 200 and contact_oslo.email in page.text


def test_without_an_english_text_everyone_gets_the_norwegian(programme_people, manager, contact_oslo, mailoutbox):
    Profile.objects.create(user=contact_oslo, language="en")

    with delivering():
        bulk.send(by=manager, audience=Audience.CITY_CONTACTS, subject_nb="Samling i mars", body_nb="Velkommen.")

    assert sorted(m.subject for m in mailoutbox) == ["Samling i mars", "Samling i mars"]


def test_a_network_leader_writes_to_their_own_network_only(client, programme_people, energy, atp):
    client.force_login(programme_people["leader"])
    url = reverse("people:message_compose")
    base = {"subject_nb": "Nettverksmøte", "body_nb": "Hei.", "action": "send"}

    other = client.post(url, {**base, "audience": Audience.THEME_NETWORK, "theme_area": energy.pk})
    everyone = client.post(url, {**base, "audience": Audience.CITY_CONTACTS})

    assert set(other.context["form"].errors) == {"theme_area"}
    assert set(everyone.context["form"].errors) == {"audience"}
    assert not BulkMessage.objects.exists()
    own = client.post(url, {**base, "audience": Audience.THEME_NETWORK, "theme_area": atp.pk})
    assert own.status_code == 302
    assert BulkMessage.objects.get().recipient_count == 2


@pytest.mark.parametrize(
    ("audience", "field"),
    [(Audience.NOT_SUBMITTED, "round"), (Audience.THEME_NETWORK, "theme_area"), (Audience.MEETING_INVITEES, "meeting")],
)
def test_an_audience_without_its_choice_gets_a_message_not_a_500(client, manager, db, audience, field):
    client.force_login(manager)

    response = client.post(
        reverse("people:message_compose"), {"audience": audience, "subject_nb": "x", "body_nb": "y", "action": "send"}
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {field}


@pytest.mark.parametrize("persona", ["contact_oslo", "coordinator", "partner", "outsider"])
def test_who_is_neither_management_nor_a_network_leader_may_not_write(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    for url in [reverse("people:message_list"), reverse("people:message_compose")]:
        assert client.get(url).status_code == 403


def test_the_list_costs_the_same_queries_for_many_messages(client, manager, db, django_assert_max_num_queries):
    client.force_login(manager)
    for n in range(12):
        bulk.send(by=manager, audience=Audience.CITY_CONTACTS, subject_nb=f"Melding {n}", body_nb="x")

    with django_assert_max_num_queries(12):
        response = client.get(reverse("people:message_list"))
    assert response.status_code == 200 and "Melding 11" in response.text
