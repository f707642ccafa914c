"""The hosting recipe, edited by the programme management, and each gathering's own checklist,
ticked off by the host city's contacts and the organisers."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import ChecklistItem, ChecklistTemplateItem
from meetings.services import copy_recipe
from tests.meetings.conftest import Response, gathering_at, invite

RECIPE = reverse("meetings:recipe")


def recipe_data(items, extra=()):
    rows = [{"id": i.pk, "order": i.order, "text": i.text, "active": i.active} for i in items] + list(extra)
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(items)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            if key == "active":
                if value:
                    data[f"form-{n}-active"] = "on"
            else:
                data[f"form-{n}-{key}"] = "" if value is None else str(value)
    return data


def test_gathering_gets_a_copy_of_the_active_recipe_once(gathering):
    assert [(i.order, i.text) for i in gathering.checklist.all()] == [
        (1, "Sett av tid til diskusjon"),
        (2, "Inviter fylkeskommunen"),
    ]
    assert copy_recipe(gathering) == 0
    assert gathering.checklist.count() == 2


def test_other_meetings_get_no_checklist(manager, atp, recipe):
    meeting = gathering_at(manager, [atp], None, timezone.now(), kind="coordination_group")

    assert meeting.checklist.count() == 0


def test_recipe_edited_added_and_deactivated(client, manager, recipe, gathering):
    first, second, old = recipe
    first.text, second.order, second.active = "Sett av god tid til diskusjon", 5, False
    client.force_login(manager)

    page = client.get(RECIPE)
    response = client.post(
        RECIPE, recipe_data([first, second, old], extra=[{"order": 3, "text": "Reiseinformasjon", "active": True}])
    )

    assert page.status_code == 200
    assert response.status_code == 302
    assert list(ChecklistTemplateItem.objects.values_list("text", "order", "active")) == [
        ("Sett av god tid til diskusjon", 1, True),
        ("Gammel oppgave", 3, False),
        ("Reiseinformasjon", 3, True),
        ("Inviter fylkeskommunen", 5, False),
    ]
    # A gathering already planned keeps its own copy.
    assert [i.text for i in gathering.checklist.all()] == ["Sett av tid til diskusjon", "Inviter fylkeskommunen"]


def test_recipe_empty_extra_rows_add_nothing(client, manager, recipe):
    client.force_login(manager)

    client.post(RECIPE, recipe_data(recipe, extra=[{"order": 0, "text": "", "active": True}]))

    assert ChecklistTemplateItem.objects.count() == 3


def test_recipe_task_cannot_be_emptied(client, manager, recipe):
    first = recipe[0]
    first.text = ""
    client.force_login(manager)

    response = client.post(RECIPE, recipe_data(recipe))

    assert response.status_code == 200
    assert ChecklistTemplateItem.objects.get(pk=first.pk).text == "Sett av tid til diskusjon"
    # The error is summarised at the top, linked to the field, and the field points to its message.
    html = response.content.decode()
    assert 'role="alert"' in html
    assert '<a href="#id_form-0-text" class="alert-link">' in html
    assert 'aria-invalid="true" aria-describedby="id_form-0-text_error"' in html
    assert 'id="id_form-0-text_error"' in html


@pytest.mark.parametrize("persona", ["leader", "contact_oslo", "coordinator", "partner", "outsider"])
def test_recipe_only_for_programme_management(client, request, recipe, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(RECIPE).status_code == 403
    assert (
        client.post(RECIPE, recipe_data(recipe, extra=[{"order": 9, "text": "Kapret", "active": True}])).status_code
        == 403
    )
    assert ChecklistTemplateItem.objects.count() == 3


def tick(client, item, done=True):
    return client.post(reverse("meetings:checklist_tick", args=[item.pk]), {"done": "1" if done else "0"})


def test_host_contact_ticks_and_unticks(client, gathering, contact_oslo):
    item = gathering.checklist.first()
    client.force_login(contact_oslo)

    response = tick(client, item)
    item.refresh_from_db()
    done_at = item.done_at
    again = tick(client, item)  # ticking twice keeps the first time
    item.refresh_from_db()

    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:meeting_detail", args=[gathering.pk]) + "#checklist"
    assert item.done_by == contact_oslo
    assert timezone.now() - done_at < datetime.timedelta(minutes=1)
    assert again.status_code == 302 and item.done_at == done_at

    tick(client, item, done=False)
    item.refresh_from_db()
    assert (item.done_at, item.done_by) == (None, None)


def test_organiser_ticks_and_sees_progress(client, manager, gathering):
    item = gathering.checklist.first()
    client.force_login(manager)

    tick(client, item)
    response = client.get(reverse("meetings:meeting_detail", args=[gathering.pk]))

    assert ChecklistItem.objects.get(pk=item.pk).done_by == manager
    assert (response.context["checklist_done"], len(response.context["checklist"])) == (1, 2)
    assert '<progress class="w-100 mb-3" value="1" max="2"' in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"), [("contact_bergen", 403), ("partner", 403), ("coordinator", 404), ("outsider", 404)]
)
def test_tick_refused_to_others(client, request, gathering, contact_bergen, partner, persona, status):
    invite(gathering, contact_bergen, partner, response=Response.ATTENDING)
    item = gathering.checklist.first()
    client.force_login(request.getfixturevalue(persona))

    assert tick(client, item).status_code == status
    assert ChecklistItem.objects.get(pk=item.pk).done_at is None


def test_tick_only_by_post(client, gathering, contact_oslo):
    client.force_login(contact_oslo)

    assert client.get(reverse("meetings:checklist_tick", args=[gathering.checklist.first().pk])).status_code == 405
