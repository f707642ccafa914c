"""The measure form offers the categories of the chosen theme area: grouped by theme area in the
HTML (so that it reads right without JavaScript; portal.js then shows only the chosen theme's
group), and a category of another theme is refused with a message that says so."""

import re

import pytest
from django.urls import reverse

from actionplans.forms import MeasureForm
from actionplans.models import Measure, MeasureCategory
from tests import factories


@pytest.fixture
def categories(atp, energy):
    return {
        "parking": MeasureCategory.objects.create(theme_area=atp, name_nb="Parkering", name_en="Parking policy"),
        "cycling": MeasureCategory.objects.create(theme_area=atp, name_nb="Sykkel", name_en="Cycling"),
        "heating": MeasureCategory.objects.create(theme_area=energy, name_nb="Fjernvarme", name_en="District heating"),
    }


@pytest.fixture
def oslo_client(client, contact_oslo):
    client.force_login(contact_oslo)
    client.cookies["django_language"] = "en"
    return client


def measure_data(theme, **overrides):
    return {"theme_area": theme.pk, "title": "Flere bussavganger", "status": "planned", **overrides}


def select_html(page, name):
    return re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)


def test_the_categories_are_grouped_by_theme_area_and_say_their_theme(
    oslo_client, oslo_programme, atp, energy, categories
):
    page = oslo_client.get(reverse("actionplans:measure_create", args=[oslo_programme.pk])).content.decode()

    category = select_html(page, "category")
    assert 'data-theme-from="id_theme_area"' in category
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', category, re.S)
    assert [label for label, _options in groups] == ["Land use and transport", "Energy in buildings"]
    land_use = re.findall(r'<option value="\d+" data-theme="(\d+)">([^<]+)</option>', groups[0][1])
    assert sorted(land_use) == [(str(atp.pk), "Cycling"), (str(atp.pk), "Parking policy")]
    assert f'data-theme="{energy.pk}"' in groups[1][1] and "District heating" in groups[1][1]
    # The empty choices say what they mean.
    assert '<option value="" selected>No category</option>' in category
    assert '<option value="" selected>Choose a theme area</option>' in select_html(page, "theme_area")
    assert "---------" not in page


def test_a_theme_without_categories_has_no_group(oslo_client, oslo_programme, atp, energy):
    MeasureCategory.objects.create(theme_area=atp, name_nb="Sykkel", name_en="Cycling")

    page = oslo_client.get(reverse("actionplans:measure_create", args=[oslo_programme.pk])).content.decode()

    assert re.findall(r'<optgroup label="([^"]+)">', select_html(page, "category")) == ["Land use and transport"]


def test_a_category_of_the_chosen_theme_is_saved(oslo_client, oslo_programme, atp, categories):
    response = oslo_client.post(
        reverse("actionplans:measure_create", args=[oslo_programme.pk]),
        measure_data(atp, category=categories["cycling"].pk),
    )

    assert response.status_code == 302
    assert Measure.objects.get().category == categories["cycling"]


def test_a_category_of_another_theme_is_refused_with_a_clear_message(oslo_client, oslo_programme, atp, categories):
    response = oslo_client.post(
        reverse("actionplans:measure_create", args=[oslo_programme.pk]),
        measure_data(atp, category=categories["heating"].pk),
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "category": [
            "“District heating” belongs to Energy in buildings, not to Land use and transport: "
            "choose a category of Land use and transport, or none."
        ]
    }
    assert Measure.objects.count() == 0


def test_no_category_is_allowed(oslo_client, oslo_programme, atp, categories):
    response = oslo_client.post(reverse("actionplans:measure_create", args=[oslo_programme.pk]), measure_data(atp))

    assert response.status_code == 302
    assert Measure.objects.get().category is None


def test_editing_keeps_the_measures_category_chosen(oslo_client, oslo_programme, atp, categories):
    measure = factories.MeasureFactory(programme=oslo_programme, theme_area=atp, category=categories["parking"])

    page = oslo_client.get(reverse("actionplans:measure_update", args=[measure.pk])).content.decode()

    option = re.search(r"<option [^>]*>Parking policy</option>", select_html(page, "category")).group(0)
    assert f'value="{categories["parking"].pk}"' in option
    assert f'data-theme="{atp.pk}"' in option and " selected" in option


def test_an_unknown_category_is_refused(oslo_client, oslo_programme, atp, categories):
    response = oslo_client.post(
        reverse("actionplans:measure_create", args=[oslo_programme.pk]), measure_data(atp, category="999999")
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["category"]


def test_the_choices_cost_two_queries_however_many_categories(django_assert_num_queries, atp, energy, categories):
    with django_assert_num_queries(2):  # the theme areas; the categories with theirs
        form = MeasureForm()
        html = str(form["theme_area"]) + str(form["category"])

    assert "District heating" in html
