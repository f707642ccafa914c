"""The meeting list and page, planning a meeting, and its agenda."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplans.services import submit_programme
from meetings.models import AgendaItem, Meeting
from tests import factories
from tests.conftest import upload
from tests.meetings.conftest import Response, gathering_at, invite

LIST = reverse("meetings:meeting_list")


def titles(response):
    return [m.title for m in response.context["page"].object_list]


def local(*args):
    return timezone.make_aware(datetime.datetime(*args))


def iso(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# --- The list ----------------------------------------------------------------------------------


@pytest.fixture
def three(manager, atp, energy, oslo, bergen):
    """An upcoming atp gathering in Oslo, an upcoming energy meeting in Bergen, a past coordination group."""
    soon = timezone.now() + datetime.timedelta(days=3)
    return {
        "oslo": gathering_at(manager, [atp], oslo, soon, title="Samling i Oslo"),
        "bergen": gathering_at(
            manager, [energy], bergen, soon + datetime.timedelta(days=1), title="Møte i Bergen", kind="administrative"
        ),
        "past": gathering_at(
            manager,
            [],
            None,
            timezone.now() - datetime.timedelta(days=30),
            title="Koordineringsgruppen",
            kind="coordination_group",
            status=Meeting.Status.HELD,
        ),
    }


def test_meeting_list_programme_management_sees_all_upcoming_soonest_first(client, manager, three):
    client.force_login(manager)

    response = client.get(LIST)

    assert titles(response) == ["Samling i Oslo", "Møte i Bergen"]


def test_meeting_list_past_newest_first(client, manager, three):
    client.force_login(manager)

    assert titles(client.get(LIST, {"when": "past"})) == ["Koordineringsgruppen"]


def test_meeting_list_filters_by_kind_theme_and_city(client, manager, three, energy, oslo):
    client.force_login(manager)

    assert titles(client.get(LIST, {"kind": "administrative"})) == ["Møte i Bergen"]
    assert titles(client.get(LIST, {"theme": energy.pk})) == ["Møte i Bergen"]
    assert titles(client.get(LIST, {"city": oslo.pk})) == ["Samling i Oslo"]
    assert titles(client.get(LIST, {"kind": "no-such-kind"})) == ["Samling i Oslo", "Møte i Bergen"]


def test_meeting_list_invitee_sees_invited_and_hosted_only(client, contact_bergen, contact_oslo, three):
    invite(three["oslo"], contact_bergen, response=Response.ATTENDING)
    client.force_login(contact_bergen)

    response = client.get(LIST)

    # Bergen hosts its own meeting and is invited to Oslo's.
    assert titles(response) == ["Samling i Oslo", "Møte i Bergen"]
    assert [m.mine[0].response if m.mine else None for m in response.context["page"].object_list] == [
        "attending",
        None,
    ]
    client.force_login(contact_oslo)
    assert titles(client.get(LIST)) == ["Samling i Oslo"]


def test_meeting_list_network_leader_sees_the_networks_meetings(client, leader, three):
    client.force_login(leader)

    assert titles(client.get(LIST)) == ["Samling i Oslo"]


def test_meeting_list_coordinator_not_invited_sees_nothing(client, coordinator, three):
    client.force_login(coordinator)

    assert titles(client.get(LIST)) == []


def test_meeting_list_paginates(client, manager, atp, oslo):
    start = timezone.now() + datetime.timedelta(days=1)
    for n in range(27):
        gathering_at(manager, [atp], oslo, start + datetime.timedelta(days=n), title=f"Møte {n:02d}")
    client.force_login(manager)

    first, second = client.get(LIST), client.get(LIST, {"page": 2})

    assert len(titles(first)) == 25
    assert titles(second) == ["Møte 25", "Møte 26"]


@pytest.mark.parametrize("persona", ["outsider"])
def test_meeting_list_refuses_people_without_a_role(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(LIST).status_code == 403


def test_meeting_list_anonymous_goes_to_login(client):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={LIST}"


# --- The meeting page -------------------------------------------------------------------------


def test_meeting_page_shows_agenda_times_in_norwegian_format(client, manager, atp, oslo, recipe):
    meeting = gathering_at(manager, [atp], oslo, local(2030, 3, 9, 9, 0), ends_at=local(2030, 3, 10, 15, 0))
    AgendaItem.objects.create(
        meeting=meeting,
        starts_at=local(2030, 3, 9, 9, 30),
        ends_at=local(2030, 3, 9, 10, 15),
        kind="plenary",
        title="Velkommen",
    )
    AgendaItem.objects.create(meeting=meeting, starts_at=local(2030, 3, 10, 8, 0), kind="site_visit", title="Befaring")
    client.force_login(manager)

    html = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()

    assert "09.03.2030 kl. 09.00 – 10.03.2030 kl. 15.00" in html
    assert "09.30–10.15" in html
    assert html.index("Velkommen") < html.index("Befaring")
    assert "lørdag 09.03.2030" in html and "søndag 10.03.2030" in html


def test_meeting_page_in_english_uses_colons(client, manager, atp, oslo, recipe):
    meeting = gathering_at(manager, [atp], oslo, local(2030, 3, 9, 9, 0), ends_at=local(2030, 3, 9, 16, 0))
    client.force_login(manager)
    client.cookies["django_language"] = "en"

    html = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()

    assert "9 March 2030, 09:00–16:00" in html


def test_meeting_page_shows_counts_and_the_invitees_registration(
    client, gathering, contact_bergen, partner, coordinator
):
    invite(gathering, contact_bergen, response=Response.ATTENDING)
    invite(gathering, partner, response=Response.NOT_ATTENDING)
    invite(gathering, coordinator)
    client.force_login(contact_bergen)

    response = client.get(reverse("meetings:meeting_detail", args=[gathering.pk]))

    assert response.context["counts"] == {"invited": 3, "attending": 1, "not_attending": 1, "pending": 1, "attended": 0}
    assert response.context["invitation"].user == contact_bergen
    assert response.context["registration_open"] is True
    assert f'action="{reverse("meetings:register", args=[gathering.pk])}"' in response.content.decode()
    assert response.context["can_change"] is False
    assert response.context["checklist"] == []  # the checklist is the host's and the organisers'


def test_meeting_page_hidden_from_those_not_invited(client, gathering, coordinator, contact_bergen, outsider):
    url = reverse("meetings:meeting_detail", args=[gathering.pk])
    for user in (coordinator, contact_bergen, outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_meeting_page_shows_continuation_both_ways(client, manager, atp, recipe):
    first = gathering_at(
        manager,
        [atp],
        None,
        local(2030, 12, 4, 10, 0),
        kind="coordination_group",
        title="KG 4. desember",
        status=Meeting.Status.BROKEN_OFF,
    )
    second = gathering_at(
        manager,
        [atp],
        None,
        local(2030, 12, 16, 10, 0),
        kind="coordination_group",
        title="KG 16. desember",
        continues=first,
    )
    client.force_login(manager)

    first_html = client.get(reverse("meetings:meeting_detail", args=[first.pk])).content.decode()
    second_html = client.get(reverse("meetings:meeting_detail", args=[second.pk])).content.decode()

    assert reverse("meetings:meeting_detail", args=[second.pk]) in first_html
    assert "KG 16. desember" in first_html
    assert reverse("meetings:meeting_detail", args=[first.pk]) in second_html
    assert "avbrutt" in second_html or "broken off" in second_html


# --- Planning a meeting -----------------------------------------------------------------------


def meeting_data(theme_areas, **overrides):
    data = {
        "kind": "network_gathering",
        "title": "Nettverkssamling",
        "description": "",
        "theme_areas": [t.pk for t in theme_areas],
        "host_city": "",
        "venue": "Rådhuset",
        "starts_at": "2030-03-09T09:00",
        "ends_at": "2030-03-10T15:00",
        "status": "planned",
        "continues": "",
        "registration_deadline": "2030-03-01",
        "feedback_days": "14",
    }
    data.update(overrides)
    return data


def test_meeting_create_by_management_copies_the_recipe(client, manager, atp, oslo, recipe):
    client.force_login(manager)

    response = client.post(reverse("meetings:meeting_create"), meeting_data([atp], host_city=oslo.pk))

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:meeting_detail", args=[meeting.pk])
    assert meeting.created_by == manager
    assert meeting.starts_at == local(2030, 3, 9, 9, 0)
    assert meeting.registration_deadline == datetime.date(2030, 3, 1)
    assert list(meeting.theme_areas.all()) == [atp]
    assert [item.text for item in meeting.checklist.all()] == ["Sett av tid til diskusjon", "Inviter fylkeskommunen"]


def test_meeting_create_network_leader_only_for_own_network(client, leader, atp, energy, recipe):
    client.force_login(leader)
    url = reverse("meetings:meeting_create")

    offered = list(client.get(url).context["form"].fields["theme_areas"].queryset)
    refused = client.post(url, meeting_data([energy]))
    none_chosen = client.post(url, meeting_data([]))
    accepted = client.post(url, meeting_data([atp]))

    assert offered == [atp]
    assert refused.status_code == 200 and "theme_areas" in refused.context["form"].errors
    assert none_chosen.status_code == 200 and "theme_areas" in none_chosen.context["form"].errors
    assert accepted.status_code == 302
    assert Meeting.objects.get().created_by == leader


@pytest.mark.parametrize("persona", ["contact_oslo", "coordinator", "partner", "outsider"])
def test_meeting_create_refused_without_the_role(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("meetings:meeting_create")).status_code == 403
    assert client.post(reverse("meetings:meeting_create"), {}).status_code == 403
    assert Meeting.objects.count() == 0


def test_meeting_create_checks_times(client, manager, atp):
    client.force_login(manager)

    response = client.post(
        reverse("meetings:meeting_create"),
        meeting_data([atp], ends_at="2030-03-08T15:00", registration_deadline="2030-03-20"),
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"ends_at", "registration_deadline"}
    assert Meeting.objects.count() == 0


def test_meeting_update_sets_continuation_and_status(client, manager, atp, recipe):
    first = gathering_at(manager, [atp], None, local(2030, 12, 4, 10, 0), kind="coordination_group")
    second = gathering_at(manager, [atp], None, local(2030, 12, 16, 10, 0), kind="coordination_group", title="KG")
    client.force_login(manager)

    response = client.post(
        reverse("meetings:meeting_update", args=[second.pk]),
        meeting_data(
            [atp],
            kind="coordination_group",
            title="KG fortsatt",
            starts_at="2030-12-16T10:00",
            ends_at="2030-12-16T15:00",
            registration_deadline="",
            continues=first.pk,
            status="held",
        ),
    )

    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.title, second.continues, second.status) == ("KG fortsatt", first, "held")
    assert second.checklist.count() == 0  # only network gatherings have one


def test_meeting_update_refuses_a_continuation_of_a_later_meeting(client, manager, atp, recipe):
    first = gathering_at(manager, [atp], None, local(2030, 12, 4, 10, 0), kind="coordination_group")
    later = gathering_at(manager, [atp], None, local(2030, 12, 20, 10, 0), kind="coordination_group")
    client.force_login(manager)

    response = client.post(
        reverse("meetings:meeting_update", args=[first.pk]),
        meeting_data(
            [atp],
            starts_at="2030-12-04T10:00",
            ends_at="2030-12-04T15:00",
            registration_deadline="",
            continues=later.pk,
        ),
    )

    assert "continues" in response.context["form"].errors


def test_meeting_update_by_network_leader_of_its_network(client, leader, gathering):
    client.force_login(leader)

    assert client.get(reverse("meetings:meeting_update", args=[gathering.pk])).status_code == 200


# Those who see the meeting (the host city's contact, an invitee) are refused; others do not find it.
@pytest.mark.parametrize(("persona", "status"), [("contact_oslo", 403), ("contact_bergen", 403), ("outsider", 404)])
def test_meeting_update_refused_to_others(client, request, gathering, persona, status):
    invite(gathering, request.getfixturevalue("contact_bergen"))
    invite(gathering, request.getfixturevalue("partner"))
    client.force_login(request.getfixturevalue(persona))
    url = reverse("meetings:meeting_update", args=[gathering.pk])

    assert client.get(url).status_code == status
    assert client.post(url, meeting_data([], title="Kapret")).status_code == status
    gathering.refresh_from_db()
    assert gathering.title == "Nettverkssamling areal og transport"


def test_meeting_update_network_leader_of_another_network_gets_404(client, gathering, energy):
    other = factories.UserFactory(username="leder-energi")
    factories.MembershipFactory(user=other, role="network_leader", theme_area=energy)
    client.force_login(other)

    assert client.get(reverse("meetings:meeting_update", args=[gathering.pk])).status_code == 404


# --- The agenda -------------------------------------------------------------------------------


def agenda_data(meeting, **overrides):
    data = {
        "starts_at": iso(meeting.starts_at),
        "ends_at": "",
        "kind": "presentation",
        "title": "Byens klimaplan",
        "presenter": "Byråd",
        "city": "",
        "place": "",
    }
    data.update(overrides)
    return data


def test_agenda_site_visit_links_measures_of_the_hosts_submitted_programme(
    client, manager, gathering, oslo_programme, bergen_submitted, atp, contact_oslo
):
    oslo_measure = factories.MeasureFactory(programme=oslo_programme, theme_area=atp, title="Bussvei")
    factories.MeasureFactory(programme=bergen_submitted, theme_area=atp, title="Bybane")
    client.force_login(manager)
    url = reverse("meetings:agenda_create", args=[gathering.pk])

    before = list(client.get(url).context["form"].fields["measures"].queryset)
    upload(oslo_programme, contact_oslo)
    submit_programme(oslo_programme, by=contact_oslo)
    offered = list(client.get(url).context["form"].fields["measures"].queryset)
    response = client.post(
        url, agenda_data(gathering, kind="site_visit", title="Befaring", place="Fornebu", measures=[oslo_measure.pk])
    )

    assert before == []  # a draft programme's measures are not shown
    assert offered == [oslo_measure]  # the host city's only
    assert response.status_code == 302
    item = gathering.agenda.get()
    assert (item.title, item.place, list(item.measures.all())) == ("Befaring", "Fornebu", [oslo_measure])


def test_agenda_items_ordered_by_time_and_checked_against_the_meeting_days(client, manager, gathering):
    client.force_login(manager)
    url = reverse("meetings:agenda_create", args=[gathering.pk])
    later = gathering.starts_at + datetime.timedelta(hours=3)

    client.post(url, agenda_data(gathering, starts_at=iso(later), title="Diskusjon", kind="discussion"))
    client.post(url, agenda_data(gathering, title="Åpning"))
    outside = client.post(url, agenda_data(gathering, starts_at=iso(gathering.starts_at - datetime.timedelta(days=3))))
    backwards = client.post(url, agenda_data(gathering, ends_at=iso(gathering.starts_at - datetime.timedelta(hours=1))))

    assert [i.title for i in gathering.agenda.all()] == ["Åpning", "Diskusjon"]
    assert "starts_at" in outside.context["form"].errors
    assert "ends_at" in backwards.context["form"].errors


def test_agenda_update_and_delete(client, manager, gathering):
    item = AgendaItem.objects.create(meeting=gathering, starts_at=gathering.starts_at, kind="plenary", title="Plenum")
    client.force_login(manager)

    client.post(reverse("meetings:agenda_update", args=[item.pk]), agenda_data(gathering, title="Plenum 1"))
    item.refresh_from_db()
    confirm = client.get(reverse("meetings:agenda_delete", args=[item.pk]))
    client.post(reverse("meetings:agenda_delete", args=[item.pk]))

    assert item.title == "Plenum 1"
    assert confirm.status_code == 200
    assert not AgendaItem.objects.exists()


@pytest.mark.parametrize("persona", ["contact_oslo", "contact_bergen", "coordinator", "outsider"])
def test_agenda_changes_refused_to_others(client, request, gathering, contact_bergen, persona):
    invite(gathering, contact_bergen)
    item = AgendaItem.objects.create(meeting=gathering, starts_at=gathering.starts_at, kind="plenary", title="Plenum")
    client.force_login(request.getfixturevalue(persona))
    expected = 403 if persona in ("contact_oslo", "contact_bergen") else 404

    assert client.get(reverse("meetings:agenda_create", args=[gathering.pk])).status_code == expected
    assert (
        client.post(reverse("meetings:agenda_update", args=[item.pk]), agenda_data(gathering)).status_code == expected
    )
    assert client.post(reverse("meetings:agenda_delete", args=[item.pk])).status_code == expected
    item.refresh_from_db()
    assert item.title == "Plenum"
