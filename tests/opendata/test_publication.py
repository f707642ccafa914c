"""Publishing a round and withdrawing it: the management's alone, with a confirmation, kept as history."""

import pytest
from django.urls import reverse

from opendata.models import Publication
from opendata.services import publish_round, withdraw_round

OTHERS = ["contact_oslo", "contact_bergen", "coordinator", "partner", "outsider"]


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.mark.parametrize("persona", OTHERS)
def test_publication_page_is_refused_to_every_other_role(client, request, round_, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("opendata:publication", args=[round_.pk]))

    assert response.status_code == 403


def test_publication_page_asks_anonymous_to_log_in(client, round_):
    url = reverse("opendata:publication", args=[round_.pk])

    response = client.get(url)

    assert (response.status_code, response["Location"]) == (302, f"{reverse('login')}?next={url}")


@pytest.mark.parametrize("persona", OTHERS)
@pytest.mark.parametrize("action", ["publish", "withdraw"])
def test_publish_and_withdraw_are_refused_to_every_other_role(client, request, round_, manager, persona, action):
    if action == "withdraw":
        publish_round(round_, by=manager)
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse(f"opendata:{action}", args=[round_.pk]), {"confirm": "on", "licence": "CC0-1.0"})

    assert response.status_code == 403
    assert list(Publication.objects.values_list("licence", "withdrawn_at")) == (
        [("NLOD-2.0", None)] if action == "withdraw" else []
    )


def test_manager_publishes_withdraws_and_publishes_again_with_history(client, manager, round_):
    client.cookies["django_language"] = "en"
    client.force_login(manager)

    published = client.post(reverse("opendata:publish", args=[round_.pk]), {"confirm": "on", "licence": "NLOD-2.0"})
    withdrawn = client.post(reverse("opendata:withdraw", args=[round_.pk]), {"confirm": "on"})
    again = client.post(
        reverse("opendata:publish", args=[round_.pk]), {"confirm": "on", "licence": "CC-BY-4.0"}, follow=True
    )

    page = reverse("opendata:publication", args=[round_.pk])
    assert (published["Location"], withdrawn["Location"]) == (page, page)
    publication = Publication.objects.get()
    assert (publication.licence, publication.withdrawn_at, publication.published_by) == ("CC-BY-4.0", None, manager)
    assert [(h.licence, h.withdrawn_at is None) for h in publication.history.order_by("history_date")] == [
        ("NLOD-2.0", True),
        ("NLOD-2.0", False),
        ("CC-BY-4.0", True),
    ]
    assert _messages(again)[-1] == "The round is published: anyone may now read it under /open/."
    assert "Withdrawn" in again.content.decode()


def test_publishing_twice_says_it_is_published_already(client, manager, round_):
    client.cookies["django_language"] = "en"
    client.force_login(manager)
    first = publish_round(round_, by=manager)

    response = client.post(
        reverse("opendata:publish", args=[round_.pk]), {"confirm": "on", "licence": "CC0-1.0"}, follow=True
    )

    assert response.status_code == 200
    assert len(_messages(response)) == 1
    assert _messages(response)[0].startswith("«Handlingsprogram 2030» is already published (since ")
    assert list(Publication.objects.values_list("pk", "licence", "published_at")) == [
        (first.pk, "NLOD-2.0", first.published_at)
    ]


def test_withdrawing_a_round_not_published_says_so(client, manager, round_):
    client.cookies["django_language"] = "en"
    client.force_login(manager)

    response = client.post(reverse("opendata:withdraw", args=[round_.pk]), {"confirm": "on"}, follow=True)

    assert _messages(response) == ["«Handlingsprogram 2030» is not published, so there is nothing to withdraw."]
    assert Publication.objects.count() == 0


def test_withdrawing_twice_says_so(client, manager, round_):
    client.cookies["django_language"] = "en"
    client.force_login(manager)
    publish_round(round_, by=manager)
    withdraw_round(round_, by=manager)

    response = client.post(reverse("opendata:withdraw", args=[round_.pk]), {"confirm": "on"}, follow=True)

    assert _messages(response) == ["«Handlingsprogram 2030» is not published, so there is nothing to withdraw."]


def test_publishing_without_confirmation_shows_why_and_stores_nothing(client, manager, round_):
    client.cookies["django_language"] = "en"
    client.force_login(manager)

    response = client.post(reverse("opendata:publish", args=[round_.pk]), {"licence": "NLOD-2.0"})

    assert response.status_code == 200
    assert response.context["publish_form"].errors == {
        "confirm": ["Tick the box to confirm that the round may be public."]
    }
    assert Publication.objects.count() == 0


def test_publishing_under_an_unknown_licence_is_refused_with_a_message(client, manager, round_):
    client.cookies["django_language"] = "en"
    client.force_login(manager)

    response = client.post(reverse("opendata:publish", args=[round_.pk]), {"licence": "GPL", "confirm": "on"})

    assert response.status_code == 200
    assert list(response.context["publish_form"].errors) == ["licence"]
    assert Publication.objects.count() == 0


def test_publication_of_a_round_that_does_not_exist_is_not_found(client, manager):
    client.force_login(manager)

    response = client.post(reverse("opendata:publish", args=[999]), {"confirm": "on"})

    assert response.status_code == 404


def test_get_on_publish_is_not_allowed(client, manager, round_):
    client.force_login(manager)

    response = client.get(reverse("opendata:publish", args=[round_.pk]))

    assert response.status_code == 405


@pytest.mark.parametrize(("persona", "shown"), [("manager", True), ("coordinator", False), ("contact_oslo", False)])
def test_round_page_links_to_the_publication_for_the_management(client, request, round_, persona, shown):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("actionplans:round_detail", args=[round_.pk]))

    assert response.status_code == 200
    assert (reverse("opendata:publication", args=[round_.pk]) in response.content.decode()) is shown
