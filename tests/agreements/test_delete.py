"""Deleting an agreement started by mistake: only while it has no history beyond its creation
(`Agreement.history_beyond_creation`), only by those who edit it, and losing nothing else stored."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from actionplans.models import Measure
from agreements import services
from agreements.models import Agreement, AgreementStatusChange, Party
from cities.models import Membership, Organisation
from lib.files import inspect_upload
from meetings.models import ActionItem, Decision, Minutes
from tests import factories
from tests.files import make_pdf

Status = Agreement.Status


@pytest.fixture
def started(client, manager, atp, bergen, partner, bergen_submitted, minutes):
    """An agreement as the form makes it (with its creation row), linked to a measure, a decision and an
    action item, Bergen and KS its parties: nothing has happened to it since."""
    measure = factories.MeasureFactory(programme=bergen_submitted, theme_area=atp, title="Bybane")
    decision = Decision.objects.create(minutes=minutes, text="Gå videre med bybaneavtalen")
    item = ActionItem.objects.create(minutes=minutes, text="Skrive utkast")
    client.force_login(manager)
    client.post(
        reverse("agreements:agreement_create"),
        {
            "title": "Startet ved en feil",
            "kind": "pilot_project",
            "theme_areas": [atp.pk],
            "cities": [bergen.pk],
            "organisations": [Organisation.objects.get(short_name="KS").pk],
            "measures": [measure.pk],
            "decisions": [decision.pk],
            "action_items": [item.pk],
        },
    )
    client.logout()
    return Agreement.objects.get()


def url(agreement):
    return reverse("agreements:agreement_delete", args=[agreement.pk])


def english(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def test_one_with_nothing_but_its_creation_may_be_deleted(started):
    assert list(started.status_changes.values_list("from_status", "to_status")) == [("", Status.IDENTIFIED)]
    assert started.history_beyond_creation() == []


def test_one_without_even_a_creation_row_may_be_deleted(manager):
    agreement = Agreement.objects.create(title="Fra demoen", kind="pilot_project", created_by=manager)

    assert agreement.history_beyond_creation() == []


def _moved(agreement, manager):
    services.change_status(agreement, to_status=Status.IN_PREPARATION, comment="", by=manager)


def _moved_and_back(agreement, manager):
    _moved(agreement, manager)
    services.change_status(agreement, to_status=Status.IDENTIFIED, comment="Feil", by=manager)


def _document(agreement, manager):
    pdf = ContentFile(make_pdf(), name="utkast.pdf")
    services.upload_document(
        agreement, file=pdf, inspected=inspect_upload(pdf, max_size=10**6), kind="draft", note="", by=manager
    )


def _signed_date(agreement, manager):
    Agreement.objects.filter(pk=agreement.pk).update(signed_date=datetime.date(2030, 1, 1))


def _creation_with_a_comment(agreement, manager):
    agreement.status_changes.update(comment="Avtalt i møtet")


def _second_creation_row(agreement, manager):
    AgreementStatusChange.objects.create(
        agreement=agreement, from_status="", to_status="identified", changed_by=manager
    )


HISTORIES = {
    "moved": (_moved, "It has moved on in the pipeline: it is “In preparation”."),
    "moved and back": (_moved_and_back, "Its timeline has entries since it was created."),
    "document": (_document, "It has documents."),
    "signed date": (_signed_date, "It has a signed date."),
    "creation with a comment": (_creation_with_a_comment, "Its timeline has entries since it was created."),
    "two creation rows": (_second_creation_row, "Its timeline has entries since it was created."),
}


@pytest.mark.parametrize("history", HISTORIES, ids=list(HISTORIES))
def test_one_with_history_is_kept_and_the_page_says_why(client, started, manager, history):
    make, reason = HISTORIES[history]
    make(started, manager)
    started.refresh_from_db()
    english(client, manager)

    with translation.override("en"):
        assert reason in [str(r) for r in started.history_beyond_creation()]
    page = client.get(url(started))
    assert page.status_code == 200
    assert reason in page.content.decode()
    assert "Delete the agreement" not in page.content.decode()
    assert "Delete" not in client.get(reverse("agreements:agreement_detail", args=[started.pk])).content.decode()

    response = client.post(url(started), follow=True)

    assert response.redirect_chain == [(reverse("agreements:agreement_detail", args=[started.pk]), 302)]
    assert f"The agreement cannot be deleted: {reason}" in response.content.decode()
    assert Agreement.objects.filter(pk=started.pk).exists()
    with pytest.raises(ValidationError):
        services.delete_agreement(started, by=manager)


def test_deleting_removes_the_agreement_and_its_links_only(client, started, manager):
    measure, decision, item = started.measures.get(), started.decisions.get(), started.action_items.get()
    others = (Measure.objects.count(), Decision.objects.count(), ActionItem.objects.count(), Minutes.objects.count())
    english(client, manager)
    detail = client.get(reverse("agreements:agreement_detail", args=[started.pk])).content.decode()
    assert f'href="{url(started)}"' in detail
    page = client.get(url(started)).content.decode()
    assert "Delete the agreement" in page and "Bergen: Bybane" in page

    response = client.post(url(started), follow=True)

    assert response.redirect_chain == [(reverse("agreements:pipeline"), 302)]
    assert "The agreement “Startet ved en feil” was deleted." in response.content.decode()
    assert not Agreement.objects.exists()
    assert (Party.objects.count(), AgreementStatusChange.objects.count()) == (0, 0)
    assert not Agreement.measures.through.objects.exists()
    assert not Agreement.decisions.through.objects.exists()
    assert not Agreement.action_items.through.objects.exists()
    assert (Measure.objects.count(), Decision.objects.count(), ActionItem.objects.count(), Minutes.objects.count()) == (
        others
    )
    for kept in (measure, decision, item):
        kept.refresh_from_db()  # still there
    assert Organisation.objects.filter(short_name="KS").exists()


def test_the_theme_s_coordinator_deletes_it_too(client, started, coordinator):
    client.force_login(coordinator)

    assert client.post(url(started))["Location"] == reverse("agreements:pipeline")
    assert not Agreement.objects.exists()


@pytest.fixture
def leader_energy(energy):
    user = factories.UserFactory(username="leder-energi")
    factories.MembershipFactory(user=user, role=Membership.Role.NETWORK_LEADER, theme_area=energy)
    return user


@pytest.mark.parametrize(
    ("persona", "status"),
    [("contact_bergen", 403), ("partner", 403), ("contact_oslo", 404), ("leader_energy", 404), ("outsider", 404)],
)
def test_others_are_refused_and_it_stays(request, client, started, persona, status):
    english(client, request.getfixturevalue(persona))

    page = client.get(url(started))
    response = client.post(url(started))

    assert (page.status_code, response.status_code) == (status, status)
    if status == 403:  # they read the agreement (a party), and are told who may delete it
        assert "Only the programme management and the staff of the agreement" in response.content.decode()
        detail = client.get(reverse("agreements:agreement_detail", args=[started.pk])).content.decode()
        assert url(started) not in detail
    assert Agreement.objects.filter(pk=started.pk).exists()


def test_anonymous_goes_to_the_login(client, started):
    response = client.post(url(started))

    assert response["Location"].startswith(reverse("login"))
    assert Agreement.objects.exists()
