"""Refusals (403 and 404 from a view, for a logged-in user) and draft downloads go to the security log."""

from django.urls import reverse

from accounts.models import SecurityEvent

Kind = SecurityEvent.Kind


def entries():
    return list(SecurityEvent.objects.order_by("pk").values_list("kind", "user__username", "path", "detail"))


def test_a_hidden_programme_is_recorded_as_refused_with_the_user_and_the_address(client, outsider, oslo_programme):
    client.force_login(outsider)
    SecurityEvent.objects.all().delete()  # the login
    url = reverse("actionplans:programme_detail", args=[oslo_programme.pk]) + "?tab=measures"

    response = client.get(url)

    assert response.status_code == 404
    assert entries() == [(Kind.REFUSED, "utenforstaaende", url, {"status": "404", "method": "GET"})]
    assert SecurityEvent.objects.get().address == "127.0.0.1"


def test_a_permission_refusal_is_recorded_as_refused(client, coordinator):
    client.force_login(coordinator)
    SecurityEvent.objects.all().delete()
    url = reverse("accounts:security_log")

    response = client.get(url)

    assert response.status_code == 403
    assert entries() == [(Kind.REFUSED, "koordinator-atp", url, {"status": "403", "method": "GET"})]


def test_a_refused_post_is_recorded_with_its_method(client, partner):
    client.force_login(partner)
    SecurityEvent.objects.all().delete()

    response = client.post(reverse("accounts:unlock"), {"username": "kontakt-oslo"})

    assert response.status_code == 403
    assert entries() == [(Kind.REFUSED, "ks", reverse("accounts:unlock"), {"status": "403", "method": "POST"})]


def test_an_anonymous_refusal_is_not_recorded(db, client):
    response = client.get(reverse("calendar_feed", args=["no-such-key"]))

    assert response.status_code == 404
    assert entries() == []


def test_an_unknown_address_is_no_refusal(client, outsider):
    client.force_login(outsider)
    SecurityEvent.objects.all().delete()

    assert client.get("/no-such-page/").status_code == 404
    assert entries() == []


def test_a_page_that_is_allowed_records_nothing(client, manager):
    client.force_login(manager)
    SecurityEvent.objects.all().delete()

    assert client.get(reverse("accounts:security_log")).status_code == 200
    assert entries() == []


def test_a_draft_download_is_recorded(client, contact_oslo, oslo_draft):
    client.force_login(contact_oslo)
    SecurityEvent.objects.all().delete()
    url = reverse("actionplans:draft_download", args=[oslo_draft.pk])

    response = client.get(url)

    assert response.status_code == 200
    assert entries() == [
        (
            Kind.DRAFT_DOWNLOADED,
            "kontakt-oslo",
            url,
            {"programme": str(oslo_draft.programme_id), "version": "1", "file": "handlingsprogram.pdf"},
        )
    ]


def test_a_draft_shown_on_the_review_page_is_recorded(client, coordinator, bergen_submitted):
    draft = bergen_submitted.submitted_draft
    client.force_login(coordinator)
    SecurityEvent.objects.all().delete()
    url = reverse("actionplans:draft_inline", args=[draft.pk])

    response = client.get(url)

    assert response.status_code == 200
    assert entries() == [
        (
            Kind.DRAFT_DOWNLOADED,
            "koordinator-atp",
            url,
            {"programme": str(draft.programme_id), "version": "1", "file": "handlingsprogram.pdf", "shown": "inline"},
        )
    ]


def test_a_refused_download_is_a_refusal_not_a_download(client, contact_bergen, oslo_draft):
    client.force_login(contact_bergen)
    SecurityEvent.objects.all().delete()

    response = client.get(reverse("actionplans:draft_download", args=[oslo_draft.pk]))

    assert response.status_code == 404
    assert [kind for kind, *_ in entries()] == [Kind.REFUSED]
