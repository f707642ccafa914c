"""Sessions: the idle timeout, pages for logged-in users kept by no cache, the key rotated at login."""

import datetime

import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.accounts.conftest import log_in


def directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_the_idle_timeout_is_eight_hours_from_settings():
    assert settings.SESSION_IDLE_HOURS == 8
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


def test_a_session_in_use_is_saved_again_every_few_minutes_not_on_every_request(client, contact_oslo):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        log_in(client, "kontakt-oslo")
        expiry = Session.objects.get().expire_date
    with time_machine.travel(start + datetime.timedelta(minutes=4), tick=False):
        client.get(reverse("home"))
        assert Session.objects.get().expire_date == expiry
    with time_machine.travel(start + datetime.timedelta(minutes=6), tick=False):
        client.get(reverse("home"))
        assert Session.objects.get().expire_date == expiry + datetime.timedelta(minutes=6)
        assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 3600


def test_the_session_cookie_lasts_the_idle_timeout(client, contact_oslo):
    log_in(client, "kontakt-oslo")

    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 3600


def test_each_request_starts_the_idle_period_again_and_eight_idle_hours_end_the_session(client, contact_oslo):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        log_in(client, "kontakt-oslo")
    with time_machine.travel(start + datetime.timedelta(hours=7), tick=False):
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(start + datetime.timedelta(hours=14), tick=False):
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(start + datetime.timedelta(hours=22, minutes=1), tick=False):
        response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_the_idle_timeout_follows_the_setting(client, contact_oslo, settings):
    settings.SESSION_COOKIE_AGE = 3600
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        log_in(client, "kontakt-oslo")
    with time_machine.travel(start + datetime.timedelta(minutes=61), tick=False):
        assert client.get(reverse("home")).status_code == 302


def test_a_page_for_a_logged_in_user_is_private_and_not_stored(client, contact_oslo):
    client.force_login(contact_oslo)

    for url in (reverse("home"), reverse("actionplans:programme_list"), reverse("calendar_settings")):
        assert {"private", "no-store"} <= directives(client.get(url)), url


def test_a_refusal_for_a_logged_in_user_is_not_stored_either(client, outsider):
    client.force_login(outsider)

    assert {"private", "no-store"} <= directives(client.get(reverse("accounts:security_log")))


def test_a_page_for_anonymous_is_left_to_the_default(db, client):
    assert "no-store" not in directives(client.get(reverse("accounts:password_reset")))


def test_the_session_key_is_rotated_at_login(client, contact_oslo):
    session = client.session
    session["before"] = "login"
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    before = session.session_key

    log_in(client, "kontakt-oslo")

    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert Session.objects.get(session_key=after).get_decoded()["_auth_user_id"] == str(contact_oslo.pk)


def test_logging_out_ends_the_session(client, contact_oslo):
    log_in(client, "kontakt-oslo")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value

    client.post(reverse("logout"))

    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("home")).status_code == 302
