"""Lockout with django-axes: per account and per address, the lockout page, unlocking."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts import lockout
from accounts.models import SecurityEvent
from tests import factories
from tests.accounts.conftest import fail_logins, log_in

Kind = SecurityEvent.Kind
LOCKED_TEXT = "Too many failed logins"


def main_of(response):
    return re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0)


def kinds():
    return list(SecurityEvent.objects.order_by("pk").values_list("kind", flat=True))


def test_settings_default_to_five_failures_an_account_twenty_an_address_and_thirty_minutes():
    assert (settings.AXES_FAILURE_LIMIT, settings.LOGIN_ADDRESS_FAILURE_LIMIT) == (5, 20)
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=30)
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


def test_four_failures_leave_the_login_open(en_client, contact_oslo):
    response = fail_logins(en_client, "kontakt-oslo", 4)

    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()
    assert lockout.is_locked(contact_oslo) is False
    assert log_in(en_client, "kontakt-oslo").status_code == 302


def test_the_fifth_failure_locks_the_account_even_for_the_right_password(en_client, contact_oslo):
    fifth = fail_logins(en_client, "kontakt-oslo", 5)
    right_password = log_in(en_client, "kontakt-oslo")

    assert fifth.status_code == 429
    assert right_password.status_code == 429
    assert LOCKED_TEXT in right_password.content.decode()
    assert "_auth_user_id" not in en_client.session
    assert lockout.is_locked(contact_oslo) is True
    assert lockout.locked_usernames() == ["kontakt-oslo"]
    # One lockout is recorded, when it locked; every attempt is a failed login, the last while locked.
    assert kinds() == [Kind.LOGIN_FAILED] * 4 + [Kind.LOCKOUT, Kind.LOGIN_FAILED, Kind.LOGIN_FAILED]
    lockout_entry = SecurityEvent.objects.get(kind=Kind.LOCKOUT)
    assert (lockout_entry.user, lockout_entry.username, lockout_entry.address) == (
        contact_oslo,
        "kontakt-oslo",
        "127.0.0.1",
    )
    assert [e.detail for e in SecurityEvent.objects.filter(kind=Kind.LOGIN_FAILED).order_by("pk")] == [{}] * 4 + [
        {"locked": "yes"}
    ] * 2


def test_the_lockout_page_says_the_same_whether_the_account_exists_or_not(client, contact_oslo, settings):
    settings.LANGUAGE_CODE = "nb"
    existing = fail_logins(client, "kontakt-oslo", 5, REMOTE_ADDR="10.0.0.1")
    unknown = fail_logins(client, "ingen-slik-bruker", 5, REMOTE_ADDR="10.0.0.2")

    assert (existing.status_code, unknown.status_code) == (429, 429)
    assert main_of(existing) == main_of(unknown)
    assert "kontakt-oslo" not in main_of(existing)
    assert SecurityEvent.objects.get(kind=Kind.LOCKOUT, username="ingen-slik-bruker").user is None


def test_the_lockout_page_points_to_the_reset_and_to_management(en_client, contact_oslo):
    english = fail_logins(en_client, "kontakt-oslo", 5)

    assert "Try again in 30 min." in main_of(english)
    assert "Reset your password" in main_of(english)
    assert "programme management" in main_of(english)
    assert reverse("accounts:password_reset") in main_of(english)
    assert '<html lang="en">' in english.content.decode()


def test_twenty_failures_from_one_address_lock_the_address_for_every_account(client, contact_oslo):
    for n in range(19):
        log_in(client, f"person{n}", "wrong-password", REMOTE_ADDR="10.0.0.9")
    assert lockout.locked_usernames() == []
    twentieth = log_in(client, "person19", "wrong-password", REMOTE_ADDR="10.0.0.9")

    assert twentieth.status_code == 429
    assert log_in(client, "kontakt-oslo", REMOTE_ADDR="10.0.0.9").status_code == 429
    assert log_in(client, "kontakt-oslo", REMOTE_ADDR="10.0.0.10").status_code == 302
    assert lockout.is_locked(contact_oslo) is False
    assert SecurityEvent.objects.get(kind=Kind.LOCKOUT).username == "person19"


def test_one_person_locked_out_leaves_the_address_open_to_the_others(client, contact_oslo, contact_bergen):
    fail_logins(client, "kontakt-bergen", 5, REMOTE_ADDR="10.0.0.9")

    assert log_in(client, "kontakt-oslo", REMOTE_ADDR="10.0.0.9").status_code == 302
    assert lockout.is_locked(contact_bergen) is True


def test_failures_from_many_addresses_lock_the_account_everywhere(client, contact_oslo):
    for n in range(5):
        log_in(client, "kontakt-oslo", "wrong-password", REMOTE_ADDR=f"10.0.1.{n}")

    assert log_in(client, "kontakt-oslo", REMOTE_ADDR="10.0.2.1").status_code == 429


def test_a_successful_login_forgets_the_failures(client, contact_oslo):
    fail_logins(client, "kontakt-oslo", 4)
    assert log_in(client, "kontakt-oslo").status_code == 302
    client.logout()

    fail_logins(client, "kontakt-oslo", 4)

    assert log_in(client, "kontakt-oslo").status_code == 302


def test_logging_in_to_ones_own_account_leaves_the_failures_at_another(client, contact_oslo, contact_bergen):
    fail_logins(client, "kontakt-bergen", 4)
    assert log_in(client, "kontakt-oslo").status_code == 302
    client.logout()

    assert fail_logins(client, "kontakt-bergen", 1).status_code == 429
    assert lockout.is_locked(contact_bergen) is True


def test_the_lock_ends_by_itself_after_the_lockout_period(client, contact_oslo):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail_logins(client, "kontakt-oslo", 5)
    with time_machine.travel(start + datetime.timedelta(minutes=29), tick=False):
        assert lockout.is_locked(contact_oslo) is True
    with time_machine.travel(start + datetime.timedelta(minutes=31), tick=False):
        assert lockout.is_locked(contact_oslo) is False
        assert log_in(client, "kontakt-oslo").status_code == 302


def test_the_admin_login_is_covered(en_client, superuser):
    admin_login = reverse("admin:login")
    responses = [
        en_client.post(admin_login, {"username": "admin", "password": "wrong", "next": "/admin/"}).status_code
        for _ in range(5)
    ]
    right = en_client.post(admin_login, {"username": "admin", "password": "pw", "next": "/admin/"})

    assert responses == [200, 200, 200, 200, 429]
    assert right.status_code == 429
    assert LOCKED_TEXT in right.content.decode()
    assert "_auth_user_id" not in en_client.session
    assert SecurityEvent.objects.get(kind=Kind.LOCKOUT).path == admin_login


def test_failures_at_the_admin_and_the_portal_login_add_up(client, superuser):
    fail_logins(client, "admin", 3)
    client.post(reverse("admin:login"), {"username": "admin", "password": "wrong"})
    client.post(reverse("admin:login"), {"username": "admin", "password": "wrong"})

    assert log_in(client, "admin").status_code == 429


def test_management_unlocks_an_account_and_the_person_logs_in(client, contact_oslo, manager):
    fail_logins(client, "kontakt-oslo", 5)
    client.force_login(manager)

    response = client.post(reverse("accounts:unlock"), {"username": "kontakt-oslo", "next": "/people/"})

    assert response.status_code == 302
    assert response["Location"] == "/people/"
    assert lockout.is_locked(contact_oslo) is False
    entry = SecurityEvent.objects.get(kind=Kind.UNLOCK)
    assert (entry.user, entry.detail) == (manager, {"account": "kontakt-oslo"})
    client.logout()
    assert log_in(client, "kontakt-oslo").status_code == 302


def test_unlock_goes_back_to_the_log_when_next_is_elsewhere(client, manager):
    client.force_login(manager)

    response = client.post(reverse("accounts:unlock"), {"username": "x", "next": "https://evil.example/"})

    assert response["Location"] == reverse("accounts:security_log")


def test_unlock_without_a_name_says_so(en_client, manager):
    en_client.force_login(manager)

    response = en_client.post(reverse("accounts:unlock"), {"username": " "}, follow=True)

    assert [str(m) for m in response.context["messages"]] == ["No account was named to unlock."]
    assert not SecurityEvent.objects.filter(kind=Kind.UNLOCK).exists()


@pytest.mark.parametrize("persona", ["contact_oslo", "contact_bergen", "coordinator", "partner", "outsider"])
def test_unlock_is_refused_to_everyone_but_management(request, db, client, persona):
    locked = factories.UserFactory(username="laast")
    fail_logins(client, "laast", 5)
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("accounts:unlock"), {"username": "laast"})

    assert response.status_code == 403
    assert lockout.is_locked(locked) is True
    assert not SecurityEvent.objects.filter(kind=Kind.UNLOCK).exists()


def test_unlock_asks_anonymous_to_log_in_and_takes_no_get(client, manager):
    url = reverse("accounts:unlock")
    assert client.post(url, {"username": "x"})["Location"] == f"{reverse('login')}?next={url}"
    client.force_login(manager)
    assert client.get(url).status_code == 405


def test_the_unlock_button_for_the_people_page(rf, contact_oslo):
    from django.template.loader import render_to_string

    request = rf.get("/people/?role=city_contact")
    html = render_to_string("accounts/_unlock_button.html", {"person": contact_oslo, "request": request})

    assert f'action="{reverse("accounts:unlock")}"' in html
    assert 'name="username" value="kontakt-oslo"' in html
    assert 'name="next" value="/people/?role=city_contact"' in html
