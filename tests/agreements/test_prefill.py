"""'Start an agreement' from a group of similar measures: the agreement form, filled in from the
group and stored only when it is saved; the measures of the address checked against what the user
may link; and the form's lists as checkbox lists, its people by name, without "---------"."""

import re

import pytest
from django.urls import reverse

from actionplans.models import MeasureCategory
from actionplans.services import submit_programme
from agreements.models import Agreement, AgreementStatusChange, Party
from cities.models import Membership
from meetings.models import ActionItem, Decision
from tests import factories
from tests.conftest import upload

CREATE = reverse("agreements:agreement_create")


@pytest.fixture
def category(atp):
    return MeasureCategory.objects.create(theme_area=atp, name_nb="Bybane", name_en="Light rail")


@pytest.fixture
def group(manager, round_, atp, oslo, bergen, category):
    """Two submitted measures of Oslo and Bergen in one category, both candidates for a long-term agreement."""
    measures = []
    for city in (oslo, bergen):
        programme = factories.ProgrammeFactory(round=round_, city=city)
        measures.append(
            factories.MeasureFactory(
                programme=programme,
                theme_area=atp,
                category=category,
                title=f"Bybane i {city.name}",
                candidate_kind="long_term_economic",
            )
        )
        upload(programme, manager)
        submit_programme(programme, by=manager)
    return measures


def english(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def test_the_button_opens_the_form_and_stores_nothing(client, manager, group, round_):
    english(client, manager)
    page = client.get(reverse("actionplans:similar_measures"), {"round": round_.slug}).content.decode()
    button = re.search(r'<form method="get" action="([^"]+)"[^>]*>(.*?)</form>', page, re.S)
    assert button and button.group(1) == CREATE
    assert "csrfmiddlewaretoken" not in button.group(2)
    ids = [int(i) for i in re.findall(r'name="measures" value="(\d+)"', button.group(2))]
    assert sorted(ids) == sorted(m.pk for m in group)

    response = client.get(CREATE, {"measures": ids})

    assert response.status_code == 200
    assert Agreement.objects.count() == 0
    assert (Party.objects.count(), AgreementStatusChange.objects.count()) == (0, 0)
    form = response.context["form"]
    assert form.initial["title"] == "Agreement on Light rail"
    assert form.initial["kind"] == "long_term_economic"
    assert form.initial["description"] == "Bergen: Bybane i Bergen\nOslo: Bybane i Oslo"
    assert form.initial["theme_areas"] == [group[0].theme_area_id]
    assert form.initial["cities"] == sorted(m.programme.city_id for m in group)
    assert sorted(form.initial["measures"]) == sorted(m.pk for m in group)
    html = response.content.decode()
    for measure in group:
        assert re.search(rf'<input [^>]*name="measures" value="{measure.pk}"[^>]* checked', html)
        city = measure.programme.city_id
        assert re.search(rf'<input [^>]*name="cities" value="{city}"[^>]* checked', html)
    assert "Filled in from 2 similar measures" in html
    assert f'action="{CREATE}"' in html  # saved at the clean address, not again from the measures


def test_saving_the_filled_in_form_creates_the_agreement_with_its_links(client, manager, group, atp):
    english(client, manager)
    form = client.get(CREATE, {"measures": [m.pk for m in group]}).context["form"]
    data = {name: form.initial[name] for name in ("title", "kind", "description", "theme_areas", "cities", "measures")}

    response = client.post(CREATE, data)

    agreement = Agreement.objects.get()
    assert response["Location"] == reverse("agreements:agreement_detail", args=[agreement.pk])
    assert (agreement.title, agreement.kind, agreement.status) == (
        "Agreement on Light rail",
        "long_term_economic",
        "identified",
    )
    assert sorted(agreement.measures.values_list("pk", flat=True)) == sorted(m.pk for m in group)
    assert sorted(str(p) for p in agreement.parties.all()) == ["Bergen", "Oslo"]
    assert list(agreement.theme_areas.all()) == [atp]
    assert list(agreement.status_changes.values_list("from_status", "to_status")) == [("", "identified")]


@pytest.mark.parametrize("ids", [["x"], ["999999"], ["²"], ["99999999999999999999999"], [""], ["-1", "1.5"]])
def test_ids_that_are_no_measures_give_a_message_and_an_empty_form(client, manager, group, ids):
    english(client, manager)

    response = client.get(CREATE, {"measures": ids})

    assert response.status_code == 200
    assert Agreement.objects.count() == 0
    assert "measures" not in response.context["form"].initial
    assert "None of the measures in the address can be linked" in response.content.decode()


def test_measures_the_user_may_not_link_are_left_out_with_a_message(client, manager, group, oslo, coordinator, atp):
    programme = factories.ProgrammeFactory(round=factories.RoundFactory(), city=oslo)  # a draft, not submitted
    draft = factories.MeasureFactory(programme=programme, theme_area=atp, title="Utkast")
    english(client, coordinator)

    response = client.get(CREATE, {"measures": [group[0].pk, draft.pk, "x"]})

    assert response.status_code == 200
    assert response.context["form"].initial["measures"] == [group[0].pk]
    assert "2 of the measures in the address cannot be linked to an agreement and were left out." in (
        response.content.decode()
    )
    assert Agreement.objects.count() == 0


def test_a_city_contact_cannot_open_the_form_even_with_measures(client, contact_bergen, group):
    client.force_login(contact_bergen)

    assert client.get(CREATE, {"measures": [group[0].pk]}).status_code == 403


def test_the_kind_is_left_to_choose_when_the_candidacies_differ(client, manager, group):
    group[1].candidate_kind = "pilot_project"
    group[1].save(update_fields=["candidate_kind"])
    english(client, manager)

    form = client.get(CREATE, {"measures": [m.pk for m in group]}).context["form"]

    assert "kind" not in form.initial
    assert form.initial["measures"]


def test_a_theme_the_user_may_not_choose_is_not_prefilled(client, coordinator, manager, round_, bergen, energy):
    programme = factories.ProgrammeFactory(round=round_, city=bergen)
    measure = factories.MeasureFactory(programme=programme, theme_area=energy, title="Passivhus")
    upload(programme, manager)
    submit_programme(programme, by=manager)
    english(client, coordinator)  # of land use and transport only

    form = client.get(CREATE, {"measures": [measure.pk]}).context["form"]

    assert (form.initial["measures"], form.initial["theme_areas"]) == ([measure.pk], [])


def test_the_lists_are_checkbox_lists_and_people_have_names(client, manager, group, partner, atp, minutes):
    Decision.objects.create(minutes=minutes, text="Gå videre med bybaneavtalen")
    ActionItem.objects.create(minutes=minutes, text="Skrive utkast til avtale")
    named = factories.UserFactory(username="kari", first_name="Kari", last_name="Nordmann")
    factories.MembershipFactory(user=named, role=Membership.Role.COORDINATOR, theme_area=atp)
    english(client, manager)

    html = client.get(CREATE).content.decode()

    assert not re.search(r"<select[^>]*multiple", html)
    assert "---------" not in html
    for name in ("theme_areas", "cities", "organisations", "measures", "decisions", "action_items"):
        assert re.search(rf'<input type="checkbox"[^>]* name="{name}"[^>]*data-checklist="Filter the list"', html), name
    assert re.search(r'<option value="\d+">Kari Nordmann</option>', html)
    assert ">kari<" not in html
    assert "No one yet" in html and "Choose" in html  # the empty choices of responsible and kind
