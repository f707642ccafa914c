"""Helpers of the accounts tests: English pages, and failing to log in."""

import pytest
from django.conf import settings
from django.urls import reverse

PASSWORD = "pw"  # the factories' password


@pytest.fixture
def en_client(client):
    """The test client, shown the portal in English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def log_in(client, username, password=PASSWORD, url=None, **headers):
    """Log in through the login form (a real request, so the lockout sees it); returns the response."""
    return client.post(url or reverse("login"), {"username": username, "password": password}, **headers)


def fail_logins(client, username, times, **headers):
    """`times` failed logins as `username`; returns the last response."""
    response = None
    for _ in range(times):
        response = log_in(client, username, "wrong-password", **headers)
    return response


def lock(username, **headers):
    """Lock `username` out by five failed logins from a browser of its own."""
    from django.test import Client

    return fail_logins(Client(), username, 5, **headers)
