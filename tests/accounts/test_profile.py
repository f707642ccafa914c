"""The person's own profile page: name, e-mail and language; the password change; the two-factor
section and the calendar link. Nobody sees another's."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import SecurityEvent
from cities.models import Profile, language_of
from tests import factories
from tests.accounts.two_factor_helpers import give_two_factor

Kind = SecurityEvent.Kind
PROFILE_URL = reverse("accounts:profile")
PASSWORD_URL = reverse("accounts:password_change")


def details(**changes):
    return {"first_name": "Kari", "last_name": "Nordmann", "email": "kari@oslo.kommune.no", "language": "en", **changes}


def errors_of(response):
    return re.findall(r'<p id="error_\d+_id_(\w+)"><strong>(.*?)</strong></p>', response.content.decode(), re.S)


def test_anonymous_is_sent_to_login(client):
    for url in (PROFILE_URL, PASSWORD_URL, reverse("accounts:password_change_done")):
        response = client.get(url)
        assert (url, response.status_code, response["Location"]) == (url, 302, f"{reverse('login')}?next={url}")


@pytest.mark.parametrize("persona", ["contact_oslo", "coordinator", "manager", "partner", "outsider", "superuser"])
def test_everyone_sees_their_own_profile_and_nobody_elses(en_client, persona, request, contact_bergen):
    user = request.getfixturevalue(persona)
    en_client.force_login(user)

    page = en_client.get(PROFILE_URL).content.decode()

    assert f'value="{user.email}"' in page
    assert contact_bergen.email not in page
    assert f'href="{reverse("calendar_settings")}"' in page
    assert f'href="{PASSWORD_URL}"' in page
    assert f'href="{reverse("accounts:two_factor_setup")}"' in page


def test_saving_changes_name_email_and_language(en_client, contact_oslo):
    en_client.force_login(contact_oslo)

    response = en_client.post(PROFILE_URL, details(language="nb"))

    contact_oslo.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, PROFILE_URL)
    assert (contact_oslo.first_name, contact_oslo.last_name, contact_oslo.email) == (
        "Kari",
        "Nordmann",
        "kari@oslo.kommune.no",
    )
    assert language_of(contact_oslo) == "nb"
    # The language switch's cookie follows, so the next page is in the chosen language.
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nb"
    page = en_client.get(PROFILE_URL).content.decode()
    with translation.override("nb"):
        saved = gettext("Your profile is saved.")
    assert '<html lang="nb">' in page
    assert f'<div class="alert alert-success">{saved}</div>' in page


def test_language_is_kept_on_an_existing_profile(en_client, contact_oslo):
    Profile.objects.create(user=contact_oslo, language="nb")
    en_client.force_login(contact_oslo)

    en_client.post(PROFILE_URL, details(language="en"))

    assert Profile.objects.get(user=contact_oslo).language == "en"


def test_an_email_another_person_has_is_refused_whatever_its_case(en_client, contact_oslo, contact_bergen):
    en_client.force_login(contact_oslo)

    response = en_client.post(PROFILE_URL, details(email=contact_bergen.email.upper()))

    contact_oslo.refresh_from_db()
    assert response.status_code == 200
    assert errors_of(response) == [("email", "Another person in the portal has this e-mail address.")]
    assert contact_oslo.email == "kontakt-oslo@example.org"


def test_keeping_ones_own_email_in_another_case_is_allowed(en_client, contact_oslo):
    en_client.force_login(contact_oslo)

    response = en_client.post(PROFILE_URL, details(email="Kontakt-Oslo@Example.org"))

    contact_oslo.refresh_from_db()
    assert response.status_code == 302
    assert contact_oslo.email == "Kontakt-Oslo@Example.org"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"email": "not-an-address"}, [("email", "Enter a valid email address.")]),
        ({"email": ""}, [("email", "This field is required.")]),
        ({"language": "sv"}, [("language", "Select a valid choice. sv is not one of the available choices.")]),
        ({"first_name": "x" * 151}, [("first_name", "Ensure this value has at most 150 characters (it has 151).")]),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(en_client, contact_oslo, changes, expected):
    en_client.force_login(contact_oslo)

    response = en_client.post(PROFILE_URL, details(**changes))

    contact_oslo.refresh_from_db()
    assert response.status_code == 200
    assert errors_of(response) == expected
    assert (contact_oslo.first_name, contact_oslo.email) == ("", "kontakt-oslo@example.org")
    assert Profile.objects.filter(user=contact_oslo).exists() is False


def test_the_two_factor_section_shows_its_state(en_client, contact_oslo):
    en_client.force_login(contact_oslo)
    off = en_client.get(PROFILE_URL).content.decode()
    give_two_factor(contact_oslo)
    session = en_client.session
    session["two_factor_step"] = ""  # as after the code
    session.save()

    on = en_client.get(PROFILE_URL).content.decode()

    assert '<span class="badge text-bg-secondary">Off</span>' in off
    assert '<span class="badge text-bg-success">On</span>' in on
    assert "10 recovery codes left." in on
    assert f'href="{reverse("accounts:two_factor_remove")}"' in on


# Changing the password


def test_password_change_keeps_the_session_and_is_logged(en_client, contact_oslo):
    en_client.force_login(contact_oslo)

    response = en_client.post(
        PASSWORD_URL, {"old_password": "pw", "new_password1": "Gr0nn-by-2030!", "new_password2": "Gr0nn-by-2030!"}
    )

    contact_oslo.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, reverse("accounts:password_change_done"))
    assert contact_oslo.check_password("Gr0nn-by-2030!")
    assert en_client.get(PROFILE_URL).status_code == 200  # still logged in
    assert SecurityEvent.objects.filter(user=contact_oslo).latest("pk").kind == Kind.PASSWORD_CHANGED


def test_password_change_with_a_wrong_old_password_is_refused(en_client, contact_oslo):
    en_client.force_login(contact_oslo)

    response = en_client.post(
        PASSWORD_URL, {"old_password": "wrong", "new_password1": "Gr0nn-by-2030!", "new_password2": "Gr0nn-by-2030!"}
    )

    contact_oslo.refresh_from_db()
    assert response.status_code == 200
    assert errors_of(response) == [
        ("old_password", "Your old password was entered incorrectly. Please enter it again.")
    ]
    assert contact_oslo.check_password("pw")
    assert SecurityEvent.objects.filter(kind=Kind.PASSWORD_CHANGED).exists() is False


def test_password_change_refuses_a_weak_or_mismatched_password(en_client, contact_oslo):
    en_client.force_login(contact_oslo)

    weak = en_client.post(
        PASSWORD_URL, {"old_password": "pw", "new_password1": "password", "new_password2": "password"}
    )
    mismatched = en_client.post(
        PASSWORD_URL, {"old_password": "pw", "new_password1": "Gr0nn-by-2030!", "new_password2": "Gr0nn-by-2031!"}
    )

    assert errors_of(weak) == [("new_password2", "This password is too common.")]
    assert errors_of(mismatched) == [("new_password2", "The two password fields didn’t match.")]


def test_a_person_without_a_password_chooses_one(en_client, db):
    user = factories.UserFactory(username="sso-only")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    en_client.force_login(user)

    page = en_client.get(PROFILE_URL).content.decode()
    response = en_client.post(PASSWORD_URL, {"new_password1": "Gr0nn-by-2030!", "new_password2": "Gr0nn-by-2030!"})

    assert "You log in by single sign-on and have no password in the portal." in page
    assert response.status_code == 302
    assert get_user_model().objects.get(pk=user.pk).check_password("Gr0nn-by-2030!")


def test_password_change_pages_are_in_the_portals_layout(en_client, contact_oslo):
    en_client.force_login(contact_oslo)

    form = en_client.get(PASSWORD_URL)
    done = en_client.get(reverse("accounts:password_change_done"))

    assert [template.name for template in form.templates][:2] == ["registration/password_change_form.html", "base.html"]
    assert [template.name for template in done.templates][:2] == ["registration/password_change_done.html", "base.html"]
