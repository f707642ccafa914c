"""The meetings list's FilterSet: a value that is no choice leaves that filter out, never a 500,
and the page's form shows only what was chosen."""

import pytest
from django.urls import reverse

from tests.meetings.test_meetings import three  # noqa: F401 -- the fixture of the list's tests

LIST = reverse("meetings:meeting_list")


@pytest.mark.parametrize(
    ("query", "titles", "shown"),
    [
        ({}, ["Samling i Oslo", "Møte i Bergen"], {"kind": "", "theme": "", "city": ""}),
        ({"when": "past"}, ["Koordineringsgruppen"], {"kind": "", "theme": "", "city": ""}),
        ({"when": "tomorrow"}, ["Samling i Oslo", "Møte i Bergen"], {"kind": "", "theme": "", "city": ""}),
        (
            {"kind": "administrative", "city": "x"},
            ["Møte i Bergen"],
            {"kind": "administrative", "theme": "", "city": ""},
        ),
        ({"theme": "9" * 40}, ["Samling i Oslo", "Møte i Bergen"], {"kind": "", "theme": "9" * 40, "city": ""}),
        ({"city": "²", "kind": "<b>"}, ["Samling i Oslo", "Møte i Bergen"], {"kind": "", "theme": "", "city": ""}),
        ({"city": "99999"}, [], {"kind": "", "theme": "", "city": "99999"}),
    ],
)
def test_meeting_list_leaves_out_values_that_are_no_choice(client, manager, three, query, titles, shown):  # noqa: F811
    client.force_login(manager)

    response = client.get(LIST, query)

    assert response.status_code == 200
    assert [m.title for m in response.context["page"].object_list] == titles
    assert response.context["filters"] == shown
