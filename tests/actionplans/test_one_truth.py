"""One truth about every programme: one programme in each state, and every page, report and
export that shows it names that state with the same label, in Norwegian and in English."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation

from actionplans import services
from actionplans.models import OSLO, ActionProgramme, ExtensionRequest, ProgrammeState, Review
from tests import factories
from tests.conftest import upload
from tests.pdf import text as pdf_text

ON_TIME = datetime.datetime(2030, 1, 10, 12, tzinfo=OSLO)
LATE = datetime.datetime(2030, 1, 16, 0, 30, tzinfo=OSLO)
STATES = {
    "Arendal": ProgrammeState.NOT_STARTED,
    "Bodø": ProgrammeState.DRAFT,
    "Drammen": ProgrammeState.REOPENED,
    "Fredrikstad": ProgrammeState.SUBMITTED_ON_TIME,
    "Hamar": ProgrammeState.SUBMITTED_LATE,
}


@pytest.fixture
def programmes(round_, manager, atp):
    made = {}
    for name in STATES:
        made[name] = factories.ProgrammeFactory(
            round=round_, city=factories.CityFactory(name=name, slug=name.lower().replace("ø", "o"))
        )
    upload(made["Bodø"], manager)
    for name, at in (("Drammen", ON_TIME), ("Fredrikstad", ON_TIME), ("Hamar", LATE)):
        upload(made[name], manager)
        services.submit_programme(made[name], by=manager, now=at)
    services.reopen_programme(made["Drammen"], by=manager, comment="Mangler vedlegg")
    for programme in made.values():
        factories.MeasureFactory(programme=programme, theme_area=atp)
    return {name: ActionProgramme.objects.get(pk=p.pk) for name, p in made.items()}


def label(state, language):
    with translation.override(language):
        return str(state.label)


def rows(html):
    """The rows of every table on the page, as their text."""
    return [re.sub(r"<[^>]+>|\s+", " ", row) for row in re.findall(r"<tr[ >].*?</tr>", html, flags=re.S)]


def row_of(lines, city):
    found = [line for line in lines if re.search(rf"\b{re.escape(city)}\b", line)]
    assert found, f"{city} is not listed"
    return " ".join(found)


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def export(table):
    return reverse("export", args=[table, "csv"])


def csv_lines(response):
    return [" ".join(row) for row in csv.reader(io.StringIO(body(response).decode("utf-8-sig")))]


def get(client, user, url, language):
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_page_and_export_names_a_programmes_state_alike(client, programmes, round_, manager, language):
    query = f"?round={round_.slug}"
    pages = {
        "programme list": rows(get(client, manager, reverse("actionplans:programme_list") + query, language).text),
        "dashboard": rows(get(client, manager, reverse("home"), language).text),
        "review grid": rows(get(client, manager, reverse("actionplans:review_grid") + query, language).text),
        "programmes CSV": csv_lines(get(client, manager, export("programmes") + query, language)),
        "measures CSV": csv_lines(get(client, manager, export("measures") + query, language)),
        "status report": pdf_text(body(get(client, manager, reverse("status_report") + query, language))).splitlines(),
    }
    for name, state in STATES.items():
        expected = label(state, language)
        for page, lines in pages.items():
            assert expected in row_of(lines, name), (page, name, expected)
        programme = programmes[name]
        detail = get(client, manager, reverse("actionplans:programme_detail", args=[programme.pk]), language).text
        assert f">{expected}</span>" in detail, ("programme page", name)
        city = rows(get(client, manager, reverse("city_detail", args=[programme.city.slug]), language).text)
        assert expected in row_of(city, round_.name), ("city page", name)
        report = pdf_text(
            body(get(client, manager, reverse("city_report", args=[programme.city.slug]) + query, language))
        )
        assert expected in report, ("city report", name)


def test_a_coordinator_reads_the_same_labels_and_counts_that_cover_the_whole_round(
    client, programmes, round_, coordinator
):
    html = get(client, coordinator, reverse("home"), "en").text
    lines = rows(html)
    # The counts are the round's, not only what the coordinator may open: 1 not started, 1 draft, …
    for state in STATES.values():
        assert re.search(rf"{re.escape(label(state, 'en'))}\s+1\b", " ".join(lines)), state
    # The list is what they may open, and says so.
    assert "Programmes you can read: 2 of 5" in html
    assert label(ProgrammeState.SUBMITTED_LATE, "en") in row_of(lines, "Hamar")
    assert not any("Arendal" in line for line in lines[len(STATES) + 1 :])
    queue = rows(get(client, coordinator, reverse("actionplans:review_queue", args=["atp"]), "en").text)
    assert label(ProgrammeState.SUBMITTED_ON_TIME, "en") in row_of(queue, "Fredrikstad")
    assert label(ProgrammeState.SUBMITTED_LATE, "en") in row_of(queue, "Hamar")


@pytest.mark.parametrize("language", ["nb", "en"])
def test_no_word_is_used_for_two_states(language):
    """Programme states, review statuses and the decisions on extension requests: each label once."""
    labels = [label(s, language) for s in ProgrammeState] + [label(s, language) for s in Review.Status]
    assert len(set(labels)) == len(labels), labels
    extension = [label(s, language) for s in ExtensionRequest.Status]
    assert len(set(extension)) == len(extension)
    assert not set(extension) & set(labels)


def test_the_state_filter_chooses_what_the_state_says(programmes):
    from actionplans.models import state_filter

    for state in ProgrammeState:
        chosen = set(ActionProgramme.objects.filter(state_filter(state)).values_list("city__name", flat=True))
        assert chosen == {name for name, p in programmes.items() if p.state == state}, state


def test_the_programme_list_filters_by_state(client, programmes, round_, manager):
    url = reverse("actionplans:programme_list") + f"?round={round_.slug}&status=reopened"
    lines = rows(get(client, manager, url, "en").text)
    assert any("Drammen" in line for line in lines)
    assert not any(name in line for line in lines for name in STATES if name != "Drammen")
