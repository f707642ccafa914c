"""The response headers of every page and download in production settings (DEBUG off, HTTPS behind a proxy)."""

import pytest
from django.test import Client
from django.urls import reverse

from meetings.calendar import new_calendar_token
from tests.portal.test_authorization_matrix import DELEGATED_NAMESPACES, LOGIN, MATRIX, OK
from tests.security.test_post_matrix import READ_ONLY_ARGS

# Files, and the one that is framed (the review page shows the submitted PDF inline).
DOWNLOADS = {
    "actionplans:draft_download",
    "actionplans:draft_inline",
    "agreements:document_download",
    "meetings:attachment_download",
    "report_job_download",
    "status_report",
    "city_report",
    "meetings:minutes_pdf",
    "export",
    "meetings:meeting_ics",
    "calendar_feed",
}
INLINE = {"actionplans:draft_inline"}
PAGES = [n for n in MATRIX if n.split(":")[0] not in DELEGATED_NAMESPACES]


@pytest.fixture
def production(settings):
    """What portal/settings.py sets when DEBUG is off; the redirect to HTTPS is left to the requests (secure)."""
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    return settings


def reader(name):
    row = MATRIX[name][1]
    return "manager" if row["manager"] == OK else next((p for p, r in row.items() if r == OK), "anonymous")


def args_of(name, world, users):
    if name == "calendar_feed":
        return [new_calendar_token(users["manager"])]
    if name == "meetings:minutes_pdf":
        return READ_ONLY_ARGS[name](world)
    return MATRIX[name][0](world)


@pytest.mark.parametrize("name", PAGES)
def test_headers(production, world, users, name):
    persona = reader(name)
    client = Client()
    if persona != "anonymous":
        client.force_login(users[persona])
    url = reverse(name, args=args_of(name, world, users))

    response = client.get(url, secure=True)

    # What the matrix says this persona gets (logging out is a POST: its GET is refused);
    # the calendar feed is read here with a real key, where the matrix tries a wrong one.
    expected = OK if name == "calendar_feed" else MATRIX[name][1][persona]
    assert response.status_code == (302 if expected == LOGIN else expected)
    headers = {
        "nosniff": response.get("X-Content-Type-Options"),
        "referrer": response.get("Referrer-Policy"),
        "frames": response.get("X-Frame-Options"),
        "hsts": response.get("Strict-Transport-Security"),
        "csp": "default-src 'self'" in response.get("Content-Security-Policy", ""),
    }
    assert headers == {
        "nosniff": "nosniff",
        "referrer": "same-origin",
        "frames": "SAMEORIGIN" if name in INLINE else "DENY",
        "hsts": "max-age=31536000; includeSubDomains; preload",
        "csp": True,
    }
    if name in DOWNLOADS and response.status_code == 200:
        disposition = response.get("Content-Disposition", "")
        cache = {part.strip() for part in response.get("Cache-Control", "").split(",")}
        assert disposition.split(";")[0] == ("inline" if name in INLINE else "attachment")
        assert {"private", "no-store"} <= cache


def test_cookies_are_secure_and_http_only(production, world, users):
    client = Client()
    client.get(reverse("login"), secure=True)

    response = client.post(reverse("login"), {"username": "kontakt-oslo", "password": "pw"}, secure=True)

    assert response.status_code == 302
    session, csrf = response.cookies["sessionid"], client.cookies["csrftoken"]
    assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")
    assert (csrf["secure"], csrf["samesite"]) == (True, "Lax")
