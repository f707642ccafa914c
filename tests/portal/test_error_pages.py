"""The portal's own error pages: in its layout and the reader's language, saying what happened and where to go."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def _client(user=None, language="en"):
    client = Client()
    client.cookies["django_language"] = language
    if user:
        client.force_login(user)
    return client


def test_a_missing_page_is_the_portals_own_in_norwegian(contact_oslo):
    response = _client(contact_oslo, "nb").get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Vi finner ikke denne siden" in html
    assert 'href="/"' in html and "Hovedmeny" in html  # the layout, with its navigation
    assert "/no-such-page/" in html


def test_a_missing_page_in_english_says_where_to_go(contact_oslo):
    response = _client(contact_oslo).get("/no-such-page/")

    assert response.status_code == 404
    assert b"We cannot find this page" in response.content
    assert reverse("actionplans:programme_list").encode() in response.content


def test_a_missing_page_for_someone_not_logged_in_offers_the_login(db):
    response = _client().get("/no-such-page/")

    assert response.status_code == 404
    assert f'href="{reverse("login")}?next=/no-such-page/"'.encode() in response.content


def test_a_city_contact_adding_a_measure_after_submitting_is_told_why(bergen_submitted, contact_bergen):
    response = _client(contact_bergen).get(reverse("actionplans:measure_create", args=[bergen_submitted.pk]))

    assert response.status_code == 403
    html = response.content.decode()
    assert "You cannot do this here" in html
    assert "This action programme has been submitted and is read-only. Programme management can reopen it." in html
    assert "Forbidden" not in html


def test_a_refusal_without_a_reason_says_what_to_do(contact_oslo):
    response = _client(contact_oslo, "nb").get(reverse("actionplans:extension_list"))

    assert response.status_code == 403
    assert "Du kan ikke gjøre dette her" in response.content.decode()


def test_a_form_from_an_expired_session_is_explained(contact_oslo):
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = "en"
    client.force_login(contact_oslo)

    response = client.post(reverse("logout"))

    assert response.status_code == 403
    assert b"The form has expired" in response.content
    assert b"Nothing was saved." in response.content


def test_a_server_error_page_needs_neither_a_user_nor_a_database():
    request = RequestFactory().get("/anything/")
    with translation.override("nb"):
        response = server_error(request)

    assert response.status_code == 500
    html = response.content.decode()
    assert "Noe gikk galt hos oss" in html
    assert '<html lang="nb">' in html
