"""Password reset by e-mail with Django's views and tokens: the same answer whatever the address,
the mail in the person's language, the link used once, the security log, and the lockout it ends."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import lockout
from accounts.models import SecurityEvent
from cities.models import Profile
from tests.accounts.conftest import lock, log_in
from tests.outbox.helpers import delivering

Kind = SecurityEvent.Kind
RESET = reverse("accounts:password_reset")
DONE = reverse("accounts:password_reset_done")
NEW_PASSWORD = "Tre-grønne-trær-2030"


def main_of(response):
    return re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0)


def link_in(message):
    return re.search(r"http://\S+/accounts/password-reset/\S+/\S+/", message.body).group(0)


def ask(client, email):
    with delivering():  # the outbox sends the mail after the commit
        return client.post(RESET, {"email": email}, follow=True)


def set_password(client, link, password=NEW_PASSWORD):
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    return form_page, client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else "/" + path,
        {"new_password1": password, "new_password2": password},
        follow=True,
    )


def test_the_login_page_links_to_the_reset(en_client, db):
    page = en_client.get(reverse("login")).content.decode()

    assert f'<a href="{RESET}">Forgot your password?</a>' in page


def test_the_form_asks_for_an_address(en_client, db):
    response = en_client.get(RESET)

    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()


def test_a_known_address_gets_a_link_in_the_persons_language(en_client, contact_oslo):
    Profile.objects.create(user=contact_oslo, language="en")

    response = ask(en_client, "KONTAKT-OSLO@example.org")

    assert response.redirect_chain == [(DONE, 302)]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kontakt-oslo@example.org"]
    assert message.subject == "Choose a new password for the portal"
    assert "Your user name is kontakt-oslo." in message.body
    html = message.alternatives[0][0]
    assert '<html lang="en">' in html
    assert f'href="{link_in(message)}"' in html


def test_the_mail_is_norwegian_for_a_person_without_a_choice(en_client, contact_oslo):
    ask(en_client, "kontakt-oslo@example.org")

    assert '<html lang="nb">' in mail.outbox[0].alternatives[0][0]


def test_the_page_after_asking_is_the_same_whether_the_address_exists_or_not(en_client, contact_oslo):
    known = ask(en_client, "kontakt-oslo@example.org")
    unknown = ask(en_client, "ingen@example.org")

    assert known.redirect_chain == unknown.redirect_chain == [(DONE, 302)]
    assert main_of(known) == main_of(unknown)
    assert "If an account has this address" in main_of(known)
    assert len(mail.outbox) == 1


def test_asking_is_recorded_with_the_address_typed_whether_it_exists_or_not(client, contact_oslo):
    ask(client, "kontakt-oslo@example.org")
    ask(client, "ingen@example.org")

    assert list(SecurityEvent.objects.order_by("pk").values_list("kind", "user", "detail")) == [
        (Kind.PASSWORD_RESET_ASKED, None, {"email": "kontakt-oslo@example.org"}),
        (Kind.PASSWORD_RESET_ASKED, None, {"email": "ingen@example.org"}),
    ]


def test_a_deactivated_person_gets_nothing(client, contact_oslo):
    contact_oslo.is_active = False
    contact_oslo.save(update_fields=["is_active"])

    response = ask(client, "kontakt-oslo@example.org")

    assert response.redirect_chain == [(DONE, 302)]
    assert mail.outbox == []


def test_a_bad_address_is_asked_again(en_client, db):
    response = en_client.post(RESET, {"email": "not an address"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"email": ["Enter a valid email address."]}
    assert not SecurityEvent.objects.exists()


def test_a_mail_server_that_fails_changes_nothing_on_the_page(client, contact_oslo, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens

    response = ask(client, "kontakt-oslo@example.org")

    assert response.redirect_chain == [(DONE, 302)]


def test_the_link_sets_a_new_password_once(en_client, contact_oslo):
    ask(en_client, "kontakt-oslo@example.org")
    link = link_in(mail.outbox[0])

    form_page, done = set_password(en_client, link)

    assert form_page.status_code == 200
    assert done.redirect_chain[-1] == (reverse("accounts:password_reset_complete"), 302)
    assert "Your password is changed" in done.content.decode()
    contact_oslo.refresh_from_db()
    assert contact_oslo.check_password(NEW_PASSWORD)
    entry = SecurityEvent.objects.get(kind=Kind.PASSWORD_RESET_DONE)
    assert (entry.user, entry.detail) == (contact_oslo, {})
    # The same link again: it has been used.
    again = en_client.get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True)
    assert "This link does not work" in again.content.decode()


def test_the_new_password_logs_in(client, contact_oslo):
    ask(client, "kontakt-oslo@example.org")
    set_password(client, link_in(mail.outbox[0]))

    assert log_in(client, "kontakt-oslo", NEW_PASSWORD).status_code == 302
    assert log_in(client.__class__(), "kontakt-oslo", "pw").status_code == 200


def test_a_weak_password_is_refused_with_a_reason(en_client, contact_oslo):
    ask(en_client, "kontakt-oslo@example.org")

    _, response = set_password(en_client, link_in(mail.outbox[0]), password="123")

    assert "This password is too short." in response.content.decode()
    assert not SecurityEvent.objects.filter(kind=Kind.PASSWORD_RESET_DONE).exists()


def test_an_old_link_does_not_work(en_client, contact_oslo, settings):
    ask(en_client, "kontakt-oslo@example.org")
    link = link_in(mail.outbox[0])

    # (well past it: time-machine gives a naive now() in UTC, the token counts in local time)
    later = timezone.now() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 3 * 3600)
    with time_machine.travel(later, tick=False):
        page = en_client.get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True)

    assert "This link does not work" in page.content.decode()
    assert f'href="{RESET}"' in page.content.decode()


@pytest.mark.parametrize("token", ["MQ/nonsense", "%%%/x-y", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz/1-2"])
def test_a_made_up_link_says_so(en_client, db, token):
    uid, rest = token.split("/")
    response = en_client.get(f"/accounts/password-reset/{uid}/{rest}/")

    assert response.status_code == 200
    assert "This link does not work" in response.content.decode()


def test_a_reset_ends_a_lockout(client, contact_oslo):
    lock("kontakt-oslo")
    assert lockout.is_locked(contact_oslo) is True

    ask(client, "kontakt-oslo@example.org")
    set_password(client, link_in(mail.outbox[0]))

    assert lockout.is_locked(contact_oslo) is False
    assert SecurityEvent.objects.get(kind=Kind.PASSWORD_RESET_DONE).detail == {"unlocked": "yes"}
    assert log_in(client, "kontakt-oslo", NEW_PASSWORD).status_code == 302
