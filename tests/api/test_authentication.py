"""Who gets in: a token in the Authorization header (refused when revoked, expired, unknown or of a person
who can no longer log in), the browser's session, nobody else; its use in the security log once a minute;
the throttle; reading only."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import SecurityEvent
from api import services
from api.models import ApiToken
from tests.api.conftest import bearer, token_for

URL = reverse("api:city-list")


@pytest.fixture
def en_client(client):
    client.cookies["django_language"] = "en"
    return client


def log(kind):
    return [(e.user, e.detail) for e in SecurityEvent.objects.filter(kind=kind).order_by("pk")]


def test_a_token_lets_its_owner_in(client, manager, oslo):
    response = client.get(URL, **bearer(token_for(manager)))

    assert response.status_code == 200
    assert [c["name"] for c in response.json()["results"]] == ["Oslo"]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_nobody_gets_401_with_how_to_authenticate(client):
    response = client.get(URL)

    assert (response.status_code, response["WWW-Authenticate"]) == (401, 'Bearer realm="api"')


@pytest.mark.parametrize(
    "header",
    ["Bearer fb_nosuchtoken", "Bearer", "Bearer a b", "Bearer " + "x" * 5000, "Bearer fb_æøå", "bearer fb_x"],
)
def test_a_bad_token_is_refused(en_client, header, manager):
    response = en_client.get(URL, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response.json()["detail"] in (
        "The token is not valid.",
        "Give the token after “Bearer ”, with no spaces in it.",
    )


def test_a_revoked_token_is_refused_and_logged(en_client, manager):
    secret = token_for(manager)
    token = ApiToken.objects.get()
    services.revoke_token(token)

    first = en_client.get(URL, **bearer(secret))
    again = en_client.get(URL, **bearer(secret))

    assert (first.status_code, first.json()["detail"]) == (401, "The token has been revoked.")
    assert again.status_code == 401
    detail = {"token": token.prefix, "name": token.name, "scope": "all", "reason": "revoked"}
    assert log("api_token_refused") == [(manager, detail)]  # once a minute, not per request


def test_an_expired_token_is_refused(en_client, manager):
    secret = token_for(manager, expires_at=timezone.now() - datetime.timedelta(seconds=1))

    response = en_client.get(URL, **bearer(secret))

    assert (response.status_code, response.json()["detail"]) == (401, "The token has expired.")
    assert [d["reason"] for _user, d in log("api_token_refused")] == ["expired"]


def test_a_token_works_until_it_expires(client, manager):
    secret = token_for(manager, expires_at=timezone.now() + datetime.timedelta(days=1))

    assert client.get(URL, **bearer(secret)).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, seconds=1)):
        assert client.get(URL, **bearer(secret)).status_code == 401


def test_a_deactivated_persons_token_is_refused(client, manager):
    secret = token_for(manager)
    manager.is_active = False
    manager.save(update_fields=["is_active"])

    assert client.get(URL, **bearer(secret)).status_code == 401


def test_use_is_logged_and_noted_once_a_minute(client, manager):
    secret = token_for(manager, name="Skript")
    token = ApiToken.objects.get()
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        for _ in range(3):
            assert client.get(URL, **bearer(secret)).status_code == 200
    with time_machine.travel(start + datetime.timedelta(seconds=30), tick=False):
        client.get(URL, **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        client.get(URL, **bearer(secret))

    token.refresh_from_db()
    assert token.last_used_at == start + datetime.timedelta(seconds=61)
    detail = {"token": token.prefix, "name": "Skript", "scope": "all"}
    assert log("api_token_used") == [(manager, detail), (manager, detail)]
    assert SecurityEvent.objects.filter(kind="api_token_used").first().path == URL


def test_the_session_lets_a_person_in(client, contact_oslo):
    client.force_login(contact_oslo)

    assert client.get(URL).status_code == 200


def test_a_person_with_no_role_is_refused(en_client, outsider):
    response = en_client.get(URL, **bearer(token_for(outsider)))

    assert (response.status_code, response.json()["detail"]) == (403, "You have no role in the programme.")
    assert [e.detail["status"] for e in SecurityEvent.objects.filter(kind="refused")] == ["403"]


@pytest.mark.parametrize(
    ("scope", "programmes", "reviews"), [("programmes", 200, 403), ("reviews", 403, 200), ("all", 200, 200)]
)
def test_the_scope_chooses_the_endpoints(en_client, manager, scope, programmes, reviews):
    secret = token_for(manager, scope)

    got_programmes = en_client.get(reverse("api:programme-list"), **bearer(secret))
    got_reviews = en_client.get(reverse("api:review-list"), **bearer(secret))

    assert (got_programmes.status_code, got_reviews.status_code) == (programmes, reviews)
    if reviews == 403:
        assert got_reviews.json()["detail"] == "The token's scope (Read programmes) does not cover this endpoint."


def test_requests_are_throttled(client, manager, settings):
    settings.API_RATE = "3/hour"
    secret = token_for(manager)

    statuses = [client.get(URL, **bearer(secret)).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    assert int(client.get(URL, **bearer(secret))["Retry-After"]) > 0


def test_refused_credentials_are_throttled_by_address(db, client, settings):
    settings.API_RATE = "2/hour"

    statuses = [client.get(URL, HTTP_AUTHORIZATION="Bearer fb_guess").status_code for _ in range(3)]
    statuses += [client.get(URL).status_code]

    assert statuses == [401, 401, 429, 429]


ROUTES = [
    "api:city-list",
    "api:theme-list",
    "api:round-list",
    "api:programme-list",
    "api:measure-list",
    "api:review-list",
    "api:agreement-list",
    "api:meeting-list",
    "api:minutes-list",
    "api:instrument-list",
    "api:schema",
]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_every_method_but_reading_is_refused(world, manager, contact_oslo, method):
    """For anyone, with a token, a session or nothing, on lists and objects alike: 405, nothing stored."""
    secret = token_for(manager)
    session = Client()
    session.force_login(contact_oslo)
    urls = [reverse(name) for name in ROUTES] + [
        reverse("api:programme-detail", args=[world["bergen"].pk]),
        reverse("api:programme-document-list", args=[world["bergen"].pk]),
        reverse("api:programme-document-download", args=[world["bergen"].pk, world["bergen"].submitted_draft_id]),
    ]
    before = ApiToken.objects.values_list("last_used_at", flat=True).get()
    for url in urls:
        for client, headers in [(Client(), bearer(secret)), (session, {}), (Client(), {})]:
            response = getattr(client, method)(url, {"name": "x"}, content_type="application/json", **headers)

            assert (url, response.status_code) == (url, 405)
            assert "POST" not in response["Allow"] and "GET" in response["Allow"]
    assert ApiToken.objects.values_list("last_used_at", flat=True).get() == before


def test_head_and_options_are_answered(client, manager):
    secret = token_for(manager)

    assert client.head(URL, **bearer(secret)).status_code == 200
    assert client.options(URL, **bearer(secret)).status_code == 200
