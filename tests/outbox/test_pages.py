"""The outbox page: programme management only; filters, the message as sent, sending again."""

import pytest
from django.conf import settings
from django.core import mail as django_mail
from django.urls import reverse

from outbox.models import OutgoingMail
from tests import factories
from tests.outbox.conftest import make_mail
from tests.outbox.helpers import delivering

Status = OutgoingMail.Status
LIST = reverse("outbox:list")


@pytest.fixture
def manager_client(client, manager):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(manager)
    return client


def listed(response):
    return [m.address for m in response.context["mails"]]


@pytest.mark.parametrize("persona", ["contact_oslo", "contact_bergen", "coordinator", "partner", "outsider"])
def test_who_is_not_programme_management_gets_403_everywhere(db, client, request, persona):
    refused = make_mail("a@example.org", status=Status.REFUSED)
    client.force_login(request.getfixturevalue(persona))

    assert client.get(LIST).status_code == 403
    assert client.get(reverse("outbox:detail", args=[refused.pk])).status_code == 403
    assert client.post(reverse("outbox:resend", args=[refused.pk])).status_code == 403
    refused.refresh_from_db()
    assert refused.status == Status.REFUSED


def test_anonymous_is_sent_to_the_login(client, db):
    response = client.get(LIST)

    assert (response.status_code, response["Location"]) == (302, f"{reverse('login')}?next={LIST}")


def test_the_list_filters_by_kind_status_and_recipient(manager_client, contact_oslo):
    make_mail("kontakt-oslo@example.org", key="r1", kind="reminder", recipient=contact_oslo, status=Status.SENT)
    make_mail("b@example.org", key="r2", kind="reminder", status=Status.REFUSED)
    make_mail("c@example.org", key="e1", kind="extension_decided", status=Status.SENT)

    assert listed(manager_client.get(LIST)) == ["c@example.org", "b@example.org", "kontakt-oslo@example.org"]
    assert listed(manager_client.get(LIST, {"kind": "reminder"})) == ["b@example.org", "kontakt-oslo@example.org"]
    assert listed(manager_client.get(LIST, {"status": "sent"})) == ["c@example.org", "kontakt-oslo@example.org"]
    assert listed(manager_client.get(LIST, {"recipient": "kontakt-oslo"})) == ["kontakt-oslo@example.org"]
    assert listed(manager_client.get(LIST, {"kind": "reminder", "status": "sent"})) == ["kontakt-oslo@example.org"]


def test_a_filter_value_that_does_not_exist_gets_a_message_not_a_500(manager_client, db):
    make_mail("a@example.org")

    response = manager_client.get(LIST, {"status": "lost", "kind": "nothing"})

    assert response.status_code == 200
    assert response.context["filter"].form.errors["status"] == [
        "Select a valid choice. lost is not one of the available choices."
    ]


def test_the_list_costs_the_same_queries_for_many_mails(manager_client, django_assert_max_num_queries, contact_oslo):
    make_mail("kontakt-oslo@example.org", key="first", recipient=contact_oslo)
    with django_assert_max_num_queries(20) as few:
        assert manager_client.get(LIST).status_code == 200
    for n in range(30):
        make_mail(f"p{n}@example.org", recipient=factories.UserFactory(username=f"p{n}"), kind=f"k{n % 3}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = manager_client.get(LIST)
    assert len(response.context["mails"]) == 31


def test_the_list_is_paginated_fifty_a_page(manager_client, db):
    OutgoingMail.objects.bulk_create(
        [
            OutgoingMail(address=f"p{n}@example.org", language="en", subject="s", text="t", kind="test", key=f"k{n}")
            for n in range(55)
        ]
    )

    assert len(manager_client.get(LIST).context["mails"]) == 50
    assert len(manager_client.get(LIST, {"page": 2}).context["mails"]) == 5


def test_a_mail_is_shown_as_it_was_sent_with_its_text_escaped(manager_client, db):
    row = make_mail("a@example.org", text="Hei <script>x</script>\nLinje to", status=Status.REFUSED)
    row.last_error = "550 No such user"
    row.save()

    page = manager_client.get(reverse("outbox:detail", args=[row.pk])).content.decode()

    assert "Hei &lt;script&gt;x&lt;/script&gt;\nLinje to" in page
    assert "<script>x" not in page
    assert "550 No such user" in page
    assert row.message_id.replace("<", "&lt;").replace(">", "&gt;") in page
    assert "Send again" in page


def test_a_mail_with_a_personal_link_is_not_shown(manager_client, db):
    row = make_mail("a@example.org", text="https://portal/accounts/password-reset/MQ/secret/", holds_secret=True)

    page = manager_client.get(reverse("outbox:detail", args=[row.pk])).content.decode()

    assert "secret" not in page
    assert "This mail holds a personal link" in page


def test_an_unknown_mail_is_404(manager_client, db):
    assert manager_client.get(reverse("outbox:detail", args=[999])).status_code == 404


def test_a_refused_mail_is_sent_again(manager_client, db):
    row = make_mail("a@example.org", status=Status.REFUSED, attempts=1)

    with delivering():
        response = manager_client.post(reverse("outbox:resend", args=[row.pk]), follow=True)

    assert response.redirect_chain == [(reverse("outbox:detail", args=[row.pk]), 302)]
    assert [str(m) for m in response.context["messages"]] == ["The mail to a@example.org is queued again."]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 1)
    assert [m.to for m in django_mail.outbox] == [["a@example.org"]]


def test_a_sent_mail_is_not_sent_again(manager_client, db):
    row = make_mail("a@example.org", status=Status.SENT)

    response = manager_client.post(reverse("outbox:resend", args=[row.pk]), follow=True)

    assert [str(m) for m in response.context["messages"]] == ["Only a failed or refused mail can be sent again."]
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert django_mail.outbox == []


def test_resend_is_post_only(manager_client, db):
    row = make_mail("a@example.org", status=Status.REFUSED)

    assert manager_client.get(reverse("outbox:resend", args=[row.pk])).status_code == 405
