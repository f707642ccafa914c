"""CSRF on every POST: without the token, a persona the POST matrix lets in is refused (403) and nothing is stored;
with the token, the same POST does what it is for, so the refusal was the token's."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.conftest import ALL_PERSONAS, fingerprint
from tests.security.test_post_matrix import DONE, KEPT, POST_MATRIX, SHOWN, _outcome, _post

# Rows where nobody's POST stores anything: the persona whose POST the row describes.
NOTHING_STORED = {
    "login": "anonymous",
    "logout": "contact_oslo",
    "meetings:minutes_publish": "manager",
    "people:two_factor_reset": "manager",
    "accounts:two_factor_setup": "contact_oslo",
    "accounts:two_factor_verify": "contact_oslo",
    "accounts:two_factor_recovery_codes": "contact_oslo",
    "accounts:two_factor_remove": "contact_oslo",
    "accounts:unlock": "manager",
    "accounts:password_reset_confirm": "anonymous",
}


def allowed_persona(name):
    if name in NOTHING_STORED:
        return NOTHING_STORED[name]
    expected = POST_MATRIX[name][2]
    return next(persona for persona in ALL_PERSONAS if expected[persona] == DONE)


def csrf_client(users, persona):
    client = Client(enforce_csrf_checks=True)
    if persona != "anonymous":
        client.force_login(users[persona])
    return client


@pytest.mark.parametrize("name", POST_MATRIX)
def test_post_without_token_is_refused(world, users, name):
    build_args, build_data, expected = POST_MATRIX[name]
    persona = allowed_persona(name)
    client = csrf_client(users, persona)
    url = reverse(name, args=build_args(world))

    data = build_data(world)  # prepares the world where the row needs it (rolled back after the test)
    before = fingerprint()

    refused = client.post(url, data)

    assert refused.status_code == 403
    assert b"CSRF" in refused.content
    assert fingerprint() == before
    client.get(reverse("login") if persona == "anonymous" else reverse("calendar_settings"))  # sets the cookie
    token = client.cookies["csrftoken"].value
    outcome = _outcome(url, *_post(client, url, {**build_data(world), "csrfmiddlewaretoken": token}))
    assert outcome == expected[persona]
    assert outcome in (DONE, KEPT, SHOWN)


def test_login_without_token_does_not_log_in(world, users):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": "kontakt-oslo", "password": "pw"})

    assert response.status_code == 403
    assert b"CSRF" in response.content
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302  # still to the login page


def test_logout_without_token_keeps_the_session(world, users):
    client = csrf_client(users, "contact_oslo")

    response = client.post(reverse("logout"))

    assert response.status_code == 403
    assert client.get(reverse("home")).status_code == 200
