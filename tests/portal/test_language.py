from django.test import Client
from django.urls import reverse

from cities.models import Profile


def test_norwegian_by_default_whatever_the_browser_says(client, db):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<html lang="nb">' in page


def test_the_language_switch_is_remembered_for_the_user_in_another_browser(client, contact_oslo):
    client.force_login(contact_oslo)

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert Profile.objects.get(user=contact_oslo).language == "en"
    other_browser = Client()
    other_browser.force_login(contact_oslo)
    first = other_browser.get(reverse("home"))
    assert '<html lang="en">' in first.content.decode()
    assert first.cookies["django_language"].value == "en"


def test_an_unknown_language_changes_nothing(client, contact_oslo):
    client.force_login(contact_oslo)

    client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    assert not Profile.objects.filter(user=contact_oslo).exists()
    assert '<html lang="nb">' in client.get(reverse("home")).content.decode()
