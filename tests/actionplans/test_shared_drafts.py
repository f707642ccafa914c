"""Before submitting, a city may let its theme coordinators read its draft and leave informal
notes it reads at once; an unshared draft stays the city's own."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from actionplans import services, sharing
from actionplans.models import ActionProgramme, DraftNote
from cities.models import Membership
from tests import factories
from tests.conftest import _persona, upload
from tests.outbox.helpers import delivering


@pytest.fixture
def network_leader(energy):
    return _persona("nettverksleder-energi", Membership.Role.NETWORK_LEADER, theme_area=energy)


@pytest.fixture
def draft(oslo_programme, contact_oslo, atp):
    factories.MeasureFactory(programme=oslo_programme, theme_area=atp, title="Parkeringsnorm")
    return upload(oslo_programme, contact_oslo, name="utkast.pdf")


def status(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


def post(client, user, url, data):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    with delivering():
        return client.post(url, data, follow=True)


def share(client, contact, programme, yes=True):
    return post(
        client, contact, reverse("actionplans:programme_share", args=[programme.pk]), {"share": "yes" if yes else "no"}
    )


def test_an_unshared_draft_is_the_citys_own(
    client, draft, oslo_programme, coordinator, network_leader, partner, contact_bergen
):
    page = reverse("actionplans:programme_detail", args=[oslo_programme.pk])
    download = reverse("actionplans:draft_download", args=[draft.pk])
    for user in [coordinator, network_leader, partner, contact_bergen]:
        assert (status(client, user, page), status(client, user, download)) == (404, 404), user


def test_a_shared_draft_is_read_by_the_theme_staff_only(
    client, draft, oslo_programme, contact_oslo, coordinator, network_leader, partner, contact_bergen
):
    response = share(client, contact_oslo, oslo_programme)

    assert "The coordinators can now read the draft" in response.content.decode()
    page = reverse("actionplans:programme_detail", args=[oslo_programme.pk])
    download = reverse("actionplans:draft_download", args=[draft.pk])
    for user in [coordinator, network_leader]:
        assert (status(client, user, page), status(client, user, download)) == (200, 200), user
    for user in [partner, contact_bergen]:
        assert status(client, user, page) == 404, user
    # They are told, each once, in their language.
    told = sorted(m.to[0] for m in mail.outbox if "shares its draft" in m.subject or "deler utkastet til" in m.subject)
    assert told == sorted([coordinator.email, network_leader.email])
    # Reading, not reviewing: no review page for a draft.
    client.force_login(coordinator)
    assert client.get(reverse("actionplans:review_detail", args=[oslo_programme.pk, "atp"])).status_code == 403


def test_a_coordinators_note_is_read_by_the_city_at_once(client, draft, oslo_programme, contact_oslo, coordinator):
    share(client, contact_oslo, oslo_programme)
    mail.outbox.clear()

    post(client, coordinator, reverse("actionplans:draft_note_add", args=[oslo_programme.pk]), {"text": "Husk sykkel"})

    note = DraftNote.objects.get()
    assert (note.text, note.author) == ("Husk sykkel", coordinator)
    client.force_login(contact_oslo)
    html = client.get(reverse("actionplans:programme_detail", args=[oslo_programme.pk])).content.decode()
    assert "Husk sykkel" in html
    assert [m.to for m in mail.outbox] == [[contact_oslo.email]]
    assert "Husk sykkel" in mail.outbox[0].body


def test_an_empty_note_is_refused_with_a_message(client, draft, oslo_programme, contact_oslo, coordinator):
    share(client, contact_oslo, oslo_programme)

    response = post(
        client, coordinator, reverse("actionplans:draft_note_add", args=[oslo_programme.pk]), {"text": "  "}
    )

    assert "The note was not saved" in response.content.decode()
    assert not DraftNote.objects.exists()


def test_who_may_not_note_or_share(client, draft, oslo_programme, contact_oslo, coordinator, partner):
    share(client, contact_oslo, oslo_programme)
    note_url = reverse("actionplans:draft_note_add", args=[oslo_programme.pk])
    share_url = reverse("actionplans:programme_share", args=[oslo_programme.pk])

    assert post(client, partner, note_url, {"text": "x"}).status_code == 404
    assert post(client, contact_oslo, note_url, {"text": "x"}).status_code == 403
    assert post(client, coordinator, share_url, {"share": "no"}).status_code == 403
    assert not DraftNote.objects.exists()
    assert ActionProgramme.objects.get(pk=oslo_programme.pk).is_shared


def test_stopping_sharing_closes_the_draft_again(client, draft, oslo_programme, contact_oslo, coordinator):
    share(client, contact_oslo, oslo_programme)
    share(client, contact_oslo, oslo_programme, yes=False)

    assert status(client, coordinator, reverse("actionplans:programme_detail", args=[oslo_programme.pk])) == 404
    with pytest.raises(ValidationError, match="no longer shares"):
        sharing.add_draft_note(ActionProgramme.objects.get(pk=oslo_programme.pk), text="x", by=coordinator)


def test_once_submitted_the_notes_stay_and_sharing_is_over(client, draft, oslo_programme, contact_oslo, coordinator):
    share(client, contact_oslo, oslo_programme)
    post(client, coordinator, reverse("actionplans:draft_note_add", args=[oslo_programme.pk]), {"text": "Bra"})
    services.submit_programme(ActionProgramme.objects.get(pk=oslo_programme.pk), by=contact_oslo)

    programme = ActionProgramme.objects.get(pk=oslo_programme.pk)
    assert not programme.is_shared
    client.force_login(contact_oslo)
    response = client.get(reverse("actionplans:programme_detail", args=[programme.pk]))
    assert "Bra" in response.content.decode()
    assert not response.context["can_share"] and not response.context["can_note"]


def test_notes_stay_with_the_city_after_it_stops_sharing(client, draft, oslo_programme, contact_oslo, coordinator):
    share(client, contact_oslo, oslo_programme)
    post(client, coordinator, reverse("actionplans:draft_note_add", args=[oslo_programme.pk]), {"text": "Ta med gange"})
    share(client, contact_oslo, oslo_programme, yes=False)

    client.force_login(contact_oslo)
    assert (
        "Ta med gange" in client.get(reverse("actionplans:programme_detail", args=[oslo_programme.pk])).content.decode()
    )
