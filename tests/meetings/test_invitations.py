"""Inviting people, registering before the deadline, the invitee list, its CSV export and attendance."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cities.models import Membership, Organisation
from meetings import services
from meetings.models import Invitation
from tests import factories
from tests.meetings.conftest import Response, gathering_at, invite

OSLO = ZoneInfo("Europe/Oslo")


def invited(meeting):
    return sorted(meeting.invitations.values_list("user__username", flat=True))


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def travel(moment):
    # An integer timestamp, so that time-machine leaves the process time zone alone.
    return time_machine.travel(int(moment.timestamp()), tick=False)


@pytest.fixture
def county_authorities(oslo, bergen):
    """A county authority in Oslo's county with one member, and one in Bergen's."""
    people = {}
    for city, short in [(oslo, "OAFK"), (bergen, "VLFK")]:
        organisation = factories.OrganisationFactory(
            short_name=short, kind=Organisation.Kind.COUNTY_AUTHORITY, county=city.county
        )
        people[city.slug] = factories.UserFactory(username=f"fylke-{city.slug}")
        factories.MembershipFactory(user=people[city.slug], role=Membership.Role.PARTNER, organisation=organisation)
    return people


# --- Who is invited ---------------------------------------------------------------------------


def test_invite_expands_roles_cities_networks_organisations_and_people(
    gathering, contact_oslo, contact_bergen, coordinator, manager, partner, leader, oslo, atp
):
    ks = Organisation.objects.get(short_name="KS")

    added = services.invite(
        gathering,
        roles=[Membership.Role.PROGRAMME_MANAGEMENT],
        cities=[oslo],
        theme_areas=[atp],
        organisations=[ks],
        users=[contact_bergen],
    )

    assert added == 6
    assert invited(gathering) == [
        "departementet",
        "kontakt-bergen",
        "kontakt-oslo",
        "koordinator-atp",
        "ks",
        "nettverksleder-atp",
    ]


def test_invite_twice_adds_nobody_twice_and_keeps_answers(gathering, contact_oslo, contact_bergen, oslo, bergen):
    services.invite(gathering, cities=[oslo])
    Invitation.objects.filter(user=contact_oslo).update(response=Response.ATTENDING)

    added = services.invite(gathering, cities=[oslo, bergen], users=[contact_oslo])

    assert added == 1
    assert invited(gathering) == ["kontakt-bergen", "kontakt-oslo"]
    assert gathering.invitations.get(user=contact_oslo).response == Response.ATTENDING


def test_invite_a_person_with_several_matching_roles_once(gathering, contact_oslo, oslo, atp):
    factories.MembershipFactory(user=contact_oslo, role=Membership.Role.COORDINATOR, theme_area=atp)

    added = services.invite(gathering, cities=[oslo], theme_areas=[atp], roles=[Membership.Role.CITY_CONTACT])

    assert added == 1
    assert invited(gathering) == ["kontakt-oslo"]


def test_invite_the_regional_authorities_of_the_host_city(gathering, county_authorities, contact_oslo):
    added = services.invite(gathering, county_authorities=True)

    assert added == 1
    assert invited(gathering) == ["fylke-oslo"]


def test_invite_regional_authorities_needs_a_host_city(manager, atp, recipe):
    meeting = gathering_at(manager, [atp], None, timezone.now() + datetime.timedelta(days=3))

    with pytest.raises(ValidationError) as refused:
        services.invite(meeting, county_authorities=True)
    assert refused.value.code == "no_host"


def test_invite_leaves_out_inactive_people(gathering, contact_oslo, oslo):
    contact_oslo.is_active = False
    contact_oslo.save(update_fields=["is_active"])

    assert services.invite(gathering, cities=[oslo]) == 0


def test_invite_form_invites_and_says_how_many(client, manager, gathering, contact_oslo, county_authorities, oslo):
    client.cookies["django_language"] = "en"
    client.force_login(manager)
    url = reverse("meetings:invitation_list", args=[gathering.pk])

    response = client.post(url, {"cities": [oslo.pk], "county_authorities": "on"}, follow=True)
    again = client.post(url, {"cities": [oslo.pk]}, follow=True)
    empty = client.post(url, {})

    assert invited(gathering) == ["fylke-oslo", "kontakt-oslo"]
    assert messages_of(response) == ["2 people were invited."]
    assert len(messages_of(again)) == 1
    assert empty.status_code == 200 and empty.context["form"].non_field_errors()


def test_invitation_list_shows_counts(client, manager, gathering, contact_oslo, contact_bergen, partner):
    invite(gathering, contact_oslo, response=Response.ATTENDING)
    invite(gathering, contact_bergen, response=Response.NOT_ATTENDING)
    invite(gathering, partner)
    client.force_login(manager)

    response = client.get(reverse("meetings:invitation_list", args=[gathering.pk]))

    assert response.context["counts"] == {"invited": 3, "attending": 1, "not_attending": 1, "pending": 1, "attended": 0}
    assert [i.user.username for i in response.context["invitations"]] == ["kontakt-bergen", "kontakt-oslo", "ks"]
    assert response.context["attendance_form"] is None  # not before the meeting has started


@pytest.mark.parametrize(("persona", "status"), [("contact_oslo", 403), ("contact_bergen", 403), ("coordinator", 404)])
def test_invitation_pages_refused_to_others(client, request, gathering, contact_bergen, persona, status):
    invite(gathering, contact_bergen)
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("meetings:invitation_list", args=[gathering.pk])).status_code == status
    assert client.get(reverse("export", args=["registrations", "csv"]), {"meeting": gathering.pk}).status_code == status
    assert (
        client.post(reverse("meetings:invitation_list", args=[gathering.pk]), {"roles": ["partner"]}).status_code
        == status
    )
    assert invited(gathering) == ["kontakt-bergen"]


# --- Registration -----------------------------------------------------------------------------


def test_register_before_the_deadline(client, gathering, contact_bergen):
    invite(gathering, contact_bergen)
    client.force_login(contact_bergen)

    response = client.post(reverse("meetings:register", args=[gathering.pk]), {"response": "attending"})

    invitation = gathering.invitations.get()
    assert response.status_code == 302
    assert invitation.response == Response.ATTENDING
    assert invitation.responded_at is not None


def test_register_changes_the_answer(client, gathering, contact_bergen):
    invite(gathering, contact_bergen, response=Response.ATTENDING)
    client.force_login(contact_bergen)

    client.post(reverse("meetings:register", args=[gathering.pk]), {"response": "not_attending"})

    assert gathering.invitations.get().response == Response.NOT_ATTENDING


def test_register_after_the_deadline_changes_nothing(client, gathering, contact_bergen):
    invite(gathering, contact_bergen, response=Response.ATTENDING)
    deadline = gathering.registration_deadline
    after = datetime.datetime.combine(deadline + datetime.timedelta(days=1), datetime.time(0, 0), tzinfo=OSLO)
    client.cookies["django_language"] = "en"

    with travel(after):
        # Logged in on the day: a session idle since today would have ended (SESSION_IDLE_HOURS).
        client.force_login(contact_bergen)
        response = client.post(
            reverse("meetings:register", args=[gathering.pk]), {"response": "not_attending"}, follow=True
        )

    assert gathering.invitations.get().response == Response.ATTENDING
    assert messages_of(response) == ["Registration for this meeting has closed; your answer was not changed."]
    assert response.context["registration_open"] is False


def test_registration_closes_at_the_end_of_the_deadline_day_in_oslo(gathering, contact_bergen):
    invite(gathering, contact_bergen)
    invitation = gathering.invitations.get()
    deadline = gathering.registration_deadline
    last_minute = datetime.datetime.combine(deadline, datetime.time(23, 59), tzinfo=OSLO)

    services.register(invitation, attending=True, now=last_minute)
    with pytest.raises(ValidationError) as refused:
        services.register(invitation, attending=False, now=last_minute + datetime.timedelta(minutes=1))
    assert refused.value.code == "closed"

    assert gathering.invitations.get().response == Response.ATTENDING


def test_registration_without_deadline_closes_when_the_meeting_starts(manager, atp, oslo, recipe, contact_bergen):
    meeting = gathering_at(manager, [atp], oslo, timezone.now() + datetime.timedelta(days=1))
    invite(meeting, contact_bergen)

    with pytest.raises(ValidationError) as refused:
        services.register(meeting.invitations.get(), attending=True, now=meeting.starts_at)
    assert refused.value.code == "closed"


def test_register_refused_to_those_not_invited(client, gathering, manager, contact_bergen):
    client.force_login(contact_bergen)
    assert client.post(reverse("meetings:register", args=[gathering.pk]), {"response": "attending"}).status_code == 404
    client.force_login(manager)
    assert client.post(reverse("meetings:register", args=[gathering.pk]), {"response": "attending"}).status_code == 403
    assert not Invitation.objects.exists()


def test_register_only_by_post(client, gathering, contact_bergen):
    invite(gathering, contact_bergen)
    client.force_login(contact_bergen)

    assert client.get(reverse("meetings:register", args=[gathering.pk])).status_code == 405


# --- The export (the registrations table of reporting.tables, as CSV and XLSX) ---------------


def export_csv(client, meeting):
    return client.get(reverse("export", args=["registrations", "csv"]), {"meeting": meeting.pk})


def test_invitation_export_parses_back_to_the_invitations(
    client, manager, gathering, contact_oslo, contact_bergen, partner
):
    contact_oslo.first_name, contact_oslo.last_name = "Kari", "Nordmann"
    contact_oslo.save()
    invite(gathering, contact_oslo, response=Response.ATTENDING)
    invite(gathering, contact_bergen)
    invite(gathering, partner, response=Response.NOT_ATTENDING, attended=False)
    client.cookies["django_language"] = "en"
    client.force_login(manager)

    response = export_csv(client, gathering)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="registrations-{gathering.pk}.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Name", "Username", "E-mail", "City or organisation", "Answer", "Answered at", "Attended"]
    expected = [
        [
            i.user.get_full_name() or i.user.username,
            i.user.username,
            i.user.email,
            i.get_response_display(),
            "Yes" if i.attended else "No" if i.attended is False else "",
        ]
        for i in Invitation.objects.filter(meeting=gathering).select_related("user")
    ]
    assert [[r[0], r[1], r[2], r[4], r[6]] for r in rows[1:]] == expected
    assert [r[3] for r in rows[1:]] == ["Bergen", "KS", "Oslo"]  # Kari Nordmann last, by last name
    assert rows[3][5] == timezone.localtime(gathering.invitations.get(user=contact_oslo).responded_at).strftime(
        "%Y-%m-%d %H:%M"  # in English: the plain dialect, ISO 8601
    )


def test_invitation_export_defuses_formulas(client, manager, gathering):
    for n, name in enumerate(['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "Vanlig"]):
        user = factories.UserFactory(username=f"u{n}", first_name=name)
        invite(gathering, user)
    client.force_login(manager)

    client.cookies["django_language"] = "en"
    response = export_csv(client, gathering)

    names = sorted(
        row[0] for row in list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))[1:]
    )
    assert names == sorted(['\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)", "Vanlig"])


# --- Attendance -------------------------------------------------------------------------------


def test_attendance_recorded_after_the_meeting(client, manager, held, contact_oslo, contact_bergen):
    invite(held, contact_oslo, response=Response.ATTENDING)
    invite(held, contact_bergen, response=Response.ATTENDING)
    oslo_invitation = held.invitations.get(user=contact_oslo)
    client.force_login(manager)

    page = client.get(reverse("meetings:invitation_list", args=[held.pk]))
    response = client.post(reverse("meetings:attendance", args=[held.pk]), {"attended": [oslo_invitation.pk]})

    assert page.context["attendance_form"] is not None
    assert response.status_code == 302
    assert dict(held.invitations.values_list("user__username", "attended")) == {
        "kontakt-oslo": True,
        "kontakt-bergen": False,
    }


def test_attendance_not_before_the_meeting_starts(client, manager, gathering, contact_oslo):
    invite(gathering, contact_oslo, response=Response.ATTENDING)
    client.force_login(manager)

    client.post(reverse("meetings:attendance", args=[gathering.pk]), {"attended": [gathering.invitations.get().pk]})

    assert gathering.invitations.get().attended is None


@pytest.mark.parametrize(
    ("persona", "status"), [("contact_bergen", 403), ("contact_oslo", 403), ("coordinator", 404), ("outsider", 404)]
)
def test_attendance_refused_to_others(client, request, held, contact_bergen, persona, status):
    invite(held, contact_bergen, response=Response.ATTENDING)
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("meetings:attendance", args=[held.pk]), {"attended": [held.invitations.get().pk]})

    assert response.status_code == status
    assert held.invitations.get().attended is None
