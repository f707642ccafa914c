"""Minutes: drafted by the organiser, approved, published; invitees read them once published,
and publishing mails those who attended or registered as attending, once."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from actionplans import services as actionplan_services
from meetings import notifications, services, tasks
from meetings.models import ActionItem, Decision, Minutes
from tests.meetings.conftest import Response, invite
from tests.outbox.helpers import delivering

MAIN_POINTS = "Tilbakemeldinger fra samlingene: programmene var for tette."


def formset_data(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{key}": value for key, value in row.items()})
    return data


def minutes_data(decisions=(), actions=(), **fields):
    return {
        "main_points": MAIN_POINTS,
        **formset_data("decisions", list(decisions)),
        **formset_data("actions", list(actions)),
        **fields,
    }


@pytest.fixture
def extension(round_, manager):
    return actionplan_services.extend_deadline(
        round_.deadline, new_date=datetime.date(2030, 2, 15), reason="Koordineringsgruppen", by=manager
    )


def test_minutes_drafted_with_decisions_and_action_items(client, manager, held, contact_oslo, extension):
    invite(held, contact_oslo)
    client.force_login(manager)
    url = reverse("meetings:minutes_edit", args=[held.pk])

    page = client.get(url)
    response = client.post(
        url,
        minutes_data(
            decisions=[
                {"text": "Fristen flyttes til 15. februar.", "deadline_extension": extension.pk},
                {"text": "", "deadline_extension": ""},
            ],
            actions=[
                {
                    "text": "Lag en oppskrift for vertsbyer",
                    "owner": contact_oslo.pk,
                    "due_date": "2030-01-31",
                    "status": "open",
                }
            ],
        ),
    )

    assert page.status_code == 200
    assert response.status_code == 302
    minutes = Minutes.objects.get(meeting=held)
    assert (minutes.main_points, minutes.status) == (MAIN_POINTS, Minutes.Status.DRAFT)
    assert list(Decision.objects.values_list("text", "deadline_extension")) == [
        ("Fristen flyttes til 15. februar.", extension.pk)
    ]
    assert list(ActionItem.objects.values_list("text", "owner", "due_date", "status")) == [
        ("Lag en oppskrift for vertsbyer", contact_oslo.pk, datetime.date(2030, 1, 31), "open")
    ]


def test_minutes_page_does_not_create_minutes(client, manager, held):
    client.force_login(manager)

    client.get(reverse("meetings:minutes_edit", args=[held.pk]))

    assert not Minutes.objects.exists()


def test_minutes_action_item_needs_its_text(client, manager, held, contact_oslo):
    client.force_login(manager)

    response = client.post(
        reverse("meetings:minutes_edit", args=[held.pk]),
        minutes_data(actions=[{"text": "", "owner": contact_oslo.pk, "due_date": "2030-01-31", "status": "open"}]),
    )

    assert response.status_code == 200
    assert response.context["action_items"].errors[0]
    assert not Minutes.objects.exists()


def test_minutes_status_flow(manager, held):
    minutes = Minutes.objects.create(meeting=held, main_points=MAIN_POINTS)

    with pytest.raises(ValidationError) as not_approved:
        services.publish_minutes(minutes)
    assert not_approved.value.code == "not_approved"
    services.approve_minutes(minutes, by=manager)
    with pytest.raises(ValidationError) as not_draft:
        services.approve_minutes(minutes, by=manager)
    assert not_draft.value.code == "not_draft"
    services.publish_minutes(minutes)

    minutes.refresh_from_db()
    assert (minutes.status, minutes.approved_by) == (Minutes.Status.PUBLISHED, manager)
    assert minutes.published_at is not None


def test_minutes_changed_after_approval_go_back_to_draft(client, manager, held):
    minutes = Minutes.objects.create(meeting=held, main_points="Utkast")
    services.approve_minutes(minutes, by=manager)
    client.force_login(manager)

    client.post(reverse("meetings:minutes_edit", args=[held.pk]), minutes_data())

    minutes.refresh_from_db()
    assert (minutes.status, minutes.approved_by, minutes.main_points) == (Minutes.Status.DRAFT, None, MAIN_POINTS)


def detail_minutes(client, meeting):
    response = client.get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    return response.context["minutes"], response.content.decode()


def test_invitees_read_minutes_only_once_published(client, manager, held, contact_bergen, contact_oslo):
    invite(held, contact_bergen, response=Response.ATTENDING)
    minutes = Minutes.objects.create(meeting=held, main_points=MAIN_POINTS)

    client.force_login(contact_bergen)
    draft_seen, draft_html = detail_minutes(client, held)
    client.force_login(contact_oslo)  # the host city
    host_seen, _html = detail_minutes(client, held)
    client.force_login(manager)
    organiser_seen, _html = detail_minutes(client, held)
    services.approve_minutes(minutes, by=manager)
    client.force_login(contact_bergen)
    approved_seen, _html = detail_minutes(client, held)
    services.publish_minutes(minutes)
    published_seen, published_html = detail_minutes(client, held)

    assert (draft_seen, host_seen, approved_seen) == (None, None, None)
    assert MAIN_POINTS not in draft_html
    assert organiser_seen == minutes
    assert published_seen == minutes
    assert MAIN_POINTS in published_html


def test_publish_mails_those_who_attended_or_said_they_would_once(
    client,
    manager,
    held,
    contact_oslo,
    contact_bergen,
    partner,
    coordinator,
    leader,
    django_capture_on_commit_callbacks,
):
    invite(held, contact_oslo, response=Response.ATTENDING)  # said yes
    invite(held, contact_bergen, response=Response.PENDING, attended=True)  # came without answering
    invite(held, partner, response=Response.NOT_ATTENDING)
    invite(held, coordinator)
    minutes = Minutes.objects.create(meeting=held, main_points=MAIN_POINTS)
    Decision.objects.create(minutes=minutes, text="Fristen flyttes.")
    services.approve_minutes(minutes, by=manager)
    client.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:minutes_publish", args=[held.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:minutes_publish", args=[held.pk]))  # a second click
    tasks.notify_minutes_published.delay(minutes.pk)  # a task run twice

    assert response.status_code == 302
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "kontakt-bergen@example.org",
        "kontakt-oslo@example.org",
    ]
    message = mail.outbox[0]
    assert held.title in message.subject
    assert "Fristen flyttes." in message.body
    assert f"/meetings/{held.pk}/#minutes" in message.body
    minutes.refresh_from_db()
    assert minutes.published_notified_at is not None


def test_publish_mail_in_each_persons_language(client, manager, held, contact_oslo, django_capture_on_commit_callbacks):
    from cities.models import Profile

    Profile.objects.create(user=contact_oslo, language="en")
    invite(held, contact_oslo, response=Response.ATTENDING)
    minutes = Minutes.objects.create(meeting=held, main_points=MAIN_POINTS)
    services.approve_minutes(minutes, by=manager)

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_minutes(minutes)

    assert mail.outbox[0].subject == f"Minutes published: {held.title}"


def test_missed_publication_mailed_by_the_sweep(manager, held, contact_oslo):
    invite(held, contact_oslo, response=Response.ATTENDING)
    minutes = Minutes.objects.create(meeting=held, main_points=MAIN_POINTS)
    services.approve_minutes(minutes, by=manager)
    services.publish_minutes(minutes)  # outside a captured commit: the task never ran
    minutes.refresh_from_db()

    with delivering():  # the outbox sends after the commit
        notifications.send_missed(now=minutes.published_at + datetime.timedelta(minutes=10))
        notifications.send_missed(now=minutes.published_at + datetime.timedelta(minutes=20))

    assert [message.to for message in mail.outbox] == [["kontakt-oslo@example.org"]]


@pytest.mark.parametrize(("persona", "status"), [("contact_oslo", 403), ("contact_bergen", 403), ("coordinator", 404)])
def test_minutes_changes_refused_to_others(client, request, held, contact_bergen, manager, persona, status):
    invite(held, contact_bergen, response=Response.ATTENDING)
    minutes = Minutes.objects.create(meeting=held, main_points="Utkast")
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("meetings:minutes_edit", args=[held.pk])).status_code == status
    assert client.post(reverse("meetings:minutes_edit", args=[held.pk]), minutes_data()).status_code == status
    assert client.post(reverse("meetings:minutes_approve", args=[held.pk])).status_code == status
    assert client.post(reverse("meetings:minutes_publish", args=[held.pk])).status_code == status
    minutes.refresh_from_db()
    assert (minutes.main_points, minutes.status) == ("Utkast", Minutes.Status.DRAFT)
