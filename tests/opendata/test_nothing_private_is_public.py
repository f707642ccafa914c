"""Nothing unpublished or personal is public: an anonymous visitor crawls the public pages from /open/ (every
same-site link, the downloads and the catalog's addresses) and every endpoint of the API, and finds no person's
name or e-mail, no comment, note or reason, no draft's content or file name, and nothing of an unpublished
round or of a programme not submitted."""

import datetime
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, get_resolver, reverse

from actionplans import extensions, services, sharing
from actionplans.models import Measure
from agreements import services as agreement_services
from agreements.models import Agreement
from opendata.services import publish_round
from tests import factories
from tests.conftest import upload
from tests.files import make_pdf

MAX_PAGES = 200
HOST = "http://testserver"
LINK = re.compile(r"""(?:href|src|action)\s*=\s*["']([^"']+)["']""")
PEOPLE = {
    "kontakt-oslo": ("Kari", "Nordmannsen"),
    "kontakt-bergen": ("Ola", "Fjellheimsen"),
    "koordinator-atp": ("Per", "Vurdersen"),
    "departementet": ("Mette", "Departementsen"),
    "ks": ("Liv", "Kommunesen"),
}


def private_world(
    atp, energy, round_, oslo_programme, bergen_programme, contact_oslo, contact_bergen, coordinator, manager, partner
):
    """Names, e-mails, comments, a draft, an unpublished round's submitted programme, and the published round."""
    users = get_user_model().objects.filter(username__in=PEOPLE)
    for user in users:
        user.first_name, user.last_name = PEOPLE[user.username]
        user.email = f"{user.last_name.lower()}@privat.example"
        user.save(update_fields=["first_name", "last_name", "email"])
    # Oslo: a draft with a measure, shared with the coordinators, who left a note; and a request for more time.
    upload(oslo_programme, contact_oslo, content=make_pdf("OSLOUTKASTINNHOLD"), name="oslo-hemmelig-utkast.pdf")
    Measure.objects.create(programme=oslo_programme, theme_area=atp, title="OSLO-UTKASTTILTAK", expected_effect=7)
    sharing.share_programme(oslo_programme, share=True, by=contact_oslo)
    sharing.add_draft_note(oslo_programme, text="NOTAT-TIL-UTKAST", by=coordinator)
    extensions.request_extension(
        oslo_programme, new_date=datetime.date(2030, 2, 1), reason="FRISTGRUNN-HEMMELIG", by=contact_oslo
    )
    # Bergen: two versions, the second submitted; reviewed, commented on, assessed with a reason.
    upload(bergen_programme, contact_bergen, content=make_pdf("BERGENFORSTEUTKAST"), name="bergen-forste-utkast.pdf")
    upload(bergen_programme, contact_bergen, content=make_pdf("BERGENINNSENDT"), name="bergen-innsendt-navn.pdf")
    bybane = Measure.objects.create(
        programme=bergen_programme, theme_area=atp, title="Bybane", description="Til Fyllingsdalen", expected_effect=120
    )
    bergen = services.submit_programme(bergen_programme, by=contact_bergen)
    review = services.review_for(bergen, atp)
    comment = services.add_comment(review, measure=bybane, text="KOMMENTAR-HEMMELIG", by=coordinator)
    services.reply_to_comment(comment, text="SVAR-HEMMELIG", by=contact_bergen)
    services.assess_measure(bybane, effect=80, reason="VURDERINGSGRUNN-HEMMELIG", by=coordinator)
    agreement = Agreement.objects.create(
        title="Belønningsordning",
        kind="long_term_economic",
        description="AVTALEBESKRIVELSE-HEMMELIG",
        responsible=manager,
        created_by=manager,
    )
    agreement_services.set_parties(
        agreement, cities=[bergen.city], organisations=[partner.memberships.get().organisation]
    )
    agreement.measures.set([bybane])
    agreement_services.change_status(agreement, to_status="negotiating", comment="STATUSKOMMENTAR-HEMMELIG", by=manager)
    # An unpublished round, in which Trondheim has submitted.
    hidden_round = factories.RoundFactory(name="UPUBLISERT-RUNDE", slug="upublisert-runde")
    trondheim = factories.CityFactory(name="Trondheimsby", slug="trondheimsby", municipality_number="5001")
    hidden = factories.ProgrammeFactory(round=hidden_round, city=trondheim)
    upload(hidden, manager, content=make_pdf("UPUBLISERTINNHOLD"), name="upublisert.pdf")
    Measure.objects.create(programme=hidden, theme_area=energy, title="UPUBLISERT-TILTAK", expected_effect=5)
    services.submit_programme(hidden, by=manager)
    publish_round(round_, by=manager)
    secrets = [
        *(f"{first} {last}" for first, last in PEOPLE.values()),
        *(last for _first, last in PEOPLE.values()),
        *(user.email for user in get_user_model().objects.all() if user.email),
        "kontakt-oslo",
        "kontakt-bergen",
        "koordinator-atp",
        "OSLOUTKASTINNHOLD",
        "oslo-hemmelig-utkast",
        "OSLO-UTKASTTILTAK",
        "NOTAT-TIL-UTKAST",
        "FRISTGRUNN-HEMMELIG",
        "BERGENFORSTEUTKAST",
        "bergen-forste-utkast",
        "bergen-innsendt-navn",
        "KOMMENTAR-HEMMELIG",
        "SVAR-HEMMELIG",
        "VURDERINGSGRUNN-HEMMELIG",
        "AVTALEBESKRIVELSE-HEMMELIG",
        "STATUSKOMMENTAR-HEMMELIG",
        "UPUBLISERT",
        "upublisert",
        "Trondheimsby",
        "trondheimsby",
        "Oslo",  # its programme is a draft: the city is nowhere in the published round
    ]
    return secrets


def _same_site(base, link):
    url = urljoin(base, link.strip())
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != HOST:
        return None
    if parts.path.startswith("/static/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _links(url, response, body):
    if 300 <= response.status_code < 400:
        return [response["Location"]]
    content_type = response.get("Content-Type", "")
    if content_type.startswith("text/html"):
        return LINK.findall(body.decode())
    if content_type.startswith(("application/ld+json", "application/json")):
        return re.findall(r'"(https?://testserver/[^"]*)"', body.decode())
    if content_type.startswith("text/turtle"):
        return re.findall(r"<(http://testserver/[^>]*)>", body.decode())
    if content_type.startswith("text/csv"):
        return re.findall(r"(http://testserver/[^,\r\n]*)", body.decode())
    return []


def crawl(client, start):
    """(url, response, body) of every same-site page reached from `start`, at most MAX_PAGES."""
    seen, queue, pages = set(start), deque(start), []
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        pages.append((url, response, body))
        for link in _links(url, response, body):
            found = _same_site(HOST + url, link)
            if found is not None and found not in seen:
                seen.add(found)
                queue.append(found)
    return pages


@pytest.fixture
def secrets(
    atp, energy, round_, oslo_programme, bergen_programme, contact_oslo, contact_bergen, coordinator, manager, partner
):
    """The private world's texts that must never be public (`private_world`)."""
    return private_world(
        atp,
        energy,
        round_,
        oslo_programme,
        bergen_programme,
        contact_oslo,
        contact_bergen,
        coordinator,
        manager,
        partner,
    )


def leaks(pages, secrets):
    found = []
    for url, response, body in pages:
        text = body.decode("utf-8", errors="replace") + " ".join(f"{k}: {v}" for k, v in response.items())
        found += [(url, secret) for secret in secrets if secret in text]
    return found


def test_nothing_private_is_public(client, round_, secrets):

    pages = crawl(client, [reverse("opendata:index"), reverse("opendata:catalog_jsonld")])

    visited = {url for url, _response, _body in pages}
    slug = round_.slug
    assert {
        reverse("opendata:round", args=[slug]),
        reverse("opendata:city", args=[slug, "bergen"]),
        reverse("opendata:document", args=[slug, "bergen"]),
        reverse("opendata:catalog_turtle"),
        *(
            reverse("opendata:download", args=[slug, t, f])
            for t in ("programmes", "measures", "agreements")
            for f in ("csv", "json")
        ),
    } <= visited
    assert len(pages) < MAX_PAGES  # the crawl ended by itself: it saw everything it could reach
    assert [(url, r.status_code) for url, r, _b in pages if r.status_code >= 400] == []
    # The public data is really there, so that the absence of the rest means something.
    city = next(body for url, _r, body in pages if url == reverse("opendata:city", args=[slug, "bergen"])).decode()
    assert (
        "Bybane" in city,
        "Belønningsordning" in city,
        b"BERGENINNSENDT" in b"".join(body for url, _r, body in pages if url.endswith("/document/")),
    ) == (True, True, True)
    assert leaks(pages, secrets) == []
    assert leaks(pages, ["Bybane"]) != []  # and the search for leaks finds what is there


def _api_urls():
    api = next(p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "api")
    for pattern in api.url_patterns:
        if isinstance(pattern, URLPattern):
            yield pattern.name, reverse(f"api:{pattern.name}", args=["1"] * pattern.pattern.regex.groups)


def test_the_api_tells_anonymous_visitors_to_authenticate_and_nothing_else(client, secrets):
    pages = []
    outcomes = {}
    for name, url in _api_urls():
        response = client.get(url, HTTP_ACCEPT="application/json")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        pages.append((url, response, body))
        outcomes[name] = response.status_code

    # The API's own pages (its docs, the tokens) ask for a login; every endpoint answers 401.
    pages_of_people = {"docs", "tokens", "token_revoke"}
    assert {name: status for name, status in outcomes.items() if name in pages_of_people} == {
        "docs": 302,
        "tokens": 302,
        "token_revoke": 302,
    }
    assert {name: status for name, status in outcomes.items() if name not in pages_of_people} == {
        name: 401 for name in outcomes if name not in pages_of_people
    }
    assert len(outcomes) > 20
    assert leaks(pages, secrets) == []
