"""The token pages: list, make (the secret shown once), revoke with a confirmation; bad input; the log."""

import pytest
from django.urls import reverse

from accounts.models import SecurityEvent
from api import services
from api.models import ApiToken, secret_digest
from api.pages import JUST_MADE

URL = reverse("api:tokens")


@pytest.fixture
def en_client(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def oslo_client(en_client, contact_oslo):
    en_client.force_login(contact_oslo)
    SecurityEvent.objects.all().delete()  # the login itself
    return en_client


def test_the_profile_links_to_the_tokens(oslo_client):
    response = oslo_client.get(reverse("accounts:profile"))

    assert f'href="{URL}"' in response.content.decode()


def test_the_tokens_page_needs_a_login(client):
    response = client.get(URL)

    assert (response.status_code, response["Location"]) == (302, f"{reverse('login')}?next={URL}")


def test_making_a_token_shows_its_secret_once(oslo_client, contact_oslo):
    response = oslo_client.post(URL, {"name": "Regneark", "scope": "programmes", "expires": "30"})

    assert (response.status_code, response["Location"]) == (302, URL)
    token = ApiToken.objects.get()
    shown = oslo_client.get(URL)
    secret = shown.context["new_secret"]
    assert (token.user, token.name, token.scope, token.digest) == (
        contact_oslo,
        "Regneark",
        "programmes",
        secret_digest(secret),
    )
    assert secret.startswith(token.prefix) and len(secret) > 40
    assert 29 <= (token.expires_at - token.created_at).days <= 30
    assert secret in shown.content.decode()
    assert JUST_MADE not in oslo_client.session
    assert secret not in oslo_client.get(URL).content.decode()  # once only
    assert token.prefix in oslo_client.get(URL).content.decode()


def test_a_token_that_never_expires(oslo_client):
    oslo_client.post(URL, {"name": "Skript", "scope": "all", "expires": "never"})

    assert ApiToken.objects.get().expires_at is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "scope": "all", "expires": "30"}, "name", "This field is required."),
        ({"name": "   ", "scope": "all", "expires": "30"}, "name", "This field is required."),
        ({"name": "x" * 101, "scope": "all", "expires": "30"}, "name", "at most 100 characters"),
        ({"name": "Skript", "scope": "everything", "expires": "30"}, "scope", "Select a valid choice."),
        ({"name": "Skript", "scope": "all", "expires": "7"}, "expires", "Select a valid choice."),
        ({"name": "Skript", "scope": "all"}, "expires", "This field is required."),
    ],
)
def test_bad_input_is_refused_with_a_message(oslo_client, data, field, message):
    response = oslo_client.post(URL, data)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert ApiToken.objects.count() == 0


def test_a_name_in_use_is_refused(oslo_client, contact_oslo):
    services.create_token(contact_oslo, name="Skript", scope="all")

    response = oslo_client.post(URL, {"name": "Skript", "scope": "all", "expires": "30"})

    assert response.context["form"].errors["name"] == ["You already have a token in use with this name."]
    assert ApiToken.objects.count() == 1


def test_a_revoked_tokens_name_may_be_used_again(oslo_client, contact_oslo):
    token, _secret = services.create_token(contact_oslo, name="Skript", scope="all")
    services.revoke_token(token)

    oslo_client.post(URL, {"name": "Skript", "scope": "all", "expires": "30"})

    assert ApiToken.objects.filter(name="Skript").count() == 2


def test_too_many_tokens_are_refused(oslo_client, contact_oslo):
    for n in range(services.MAX_USABLE_TOKENS):
        services.create_token(contact_oslo, name=f"Skript {n}", scope="all")

    response = oslo_client.post(URL, {"name": "En til", "scope": "all", "expires": "30"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "You have 20 tokens in use already. Revoke one you no longer need first."
    ]
    assert ApiToken.objects.count() == services.MAX_USABLE_TOKENS


def test_the_list_shows_only_ones_own_tokens(oslo_client, contact_oslo, contact_bergen):
    services.create_token(contact_oslo, name="Oslos", scope="all")
    services.create_token(contact_bergen, name="Bergens", scope="all")

    response = oslo_client.get(URL)

    assert [t.name for t in response.context["tokens"]] == ["Oslos"]


def test_the_list_costs_few_queries(oslo_client, contact_oslo, django_assert_max_num_queries):
    for n in range(20):
        services.create_token(contact_oslo, name=f"Skript {n}", scope="all")

    with django_assert_max_num_queries(12):
        response = oslo_client.get(URL)

    assert len(response.context["tokens"]) == 20


def test_revoking_asks_first(oslo_client, contact_oslo):
    token, _secret = services.create_token(contact_oslo, name="Skript", scope="all")

    response = oslo_client.get(reverse("api:token_revoke", args=[token.pk]))

    assert response.status_code == 200
    assert "Revoke the token “Skript”?" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_a_token(oslo_client, contact_oslo):
    token, _secret = services.create_token(contact_oslo, name="Skript", scope="all")

    response = oslo_client.post(reverse("api:token_revoke", args=[token.pk]), follow=True)

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert [str(m) for m in response.context["messages"]] == [
        "The token “Skript” was revoked: programs that use it can no longer read the portal."
    ]
    assert "Revoked" in response.content.decode()


def test_revoking_twice_says_so(oslo_client, contact_oslo):
    token, _secret = services.create_token(contact_oslo, name="Skript", scope="all")
    services.revoke_token(token)
    revoked_at = token.revoked_at

    response = oslo_client.post(reverse("api:token_revoke", args=[token.pk]), follow=True)

    token.refresh_from_db()
    assert token.revoked_at == revoked_at
    assert [str(m) for m in response.context["messages"]] == ["The token “Skript” was revoked already."]


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_persons_token_is_not_found(client, contact_oslo, contact_bergen, superuser, method):
    token, _secret = services.create_token(contact_bergen, name="Bergens", scope="all")
    for user in (contact_oslo, superuser):
        client.force_login(user)

        response = getattr(client, method)(reverse("api:token_revoke", args=[token.pk]))

        assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_making_and_revoking_are_logged(oslo_client, contact_oslo):
    oslo_client.post(URL, {"name": "Skript", "scope": "reviews", "expires": "90"})
    token = ApiToken.objects.get()
    oslo_client.post(reverse("api:token_revoke", args=[token.pk]))

    entries = [
        (e.kind, e.user, e.detail)
        for e in SecurityEvent.objects.filter(kind__startswith="api_token").order_by("created_at", "pk")
    ]
    detail = {"token": token.prefix, "name": "Skript", "scope": "reviews"}
    assert entries == [("api_token_created", contact_oslo, detail), ("api_token_revoked", contact_oslo, detail)]


def test_the_secret_is_not_logged(oslo_client):
    oslo_client.post(URL, {"name": "Skript", "scope": "all", "expires": "30"})
    secret = oslo_client.get(URL).context["new_secret"]

    assert not any(secret in str(e.detail) for e in SecurityEvent.objects.all())


def test_the_page_in_norwegian(client, contact_oslo):
    client.force_login(contact_oslo)

    response = client.get(URL)

    assert response.status_code == 200
    assert response.context["LANGUAGE_CODE"] == "nb"
