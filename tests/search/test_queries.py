"""What a search finds, for whom, in which order: on whichever database the suite runs (PostgreSQL with the
`norwegian` configuration, or SQLite's FTS5 with the suffix-and-prefix fallback)."""

import pytest

from actionplans.models import Measure, Review, Round
from meetings.models import Minutes
from search.highlight import mark
from search.indexing import reindex_all
from search.models import Kind
from search.queries import search

pytestmark = pytest.mark.django_db


def found(user, text):
    """{kind: [titles of the hits]} of a search."""
    return {group.kind: [str(hit.entry.title) for hit in group.hits] for group in search(user, text)}


def test_every_kind_is_found_by_the_management(everything, manager):
    groups = search(manager, "klimaplan")

    assert [(g.kind, g.count) for g in groups] == [
        (Kind.MEASURE, 2),
        (Kind.PROGRAMME, 1),
        (Kind.COMMENT, 1),
        (Kind.ANSWER, 1),
        (Kind.MINUTES, 1),
        (Kind.MEETING, 1),
        (Kind.AGREEMENT, 1),
        (Kind.INSTRUMENT, 1),
        (Kind.REQUEST, 1),
    ]


def test_each_kind_by_a_word_of_its_own(everything, manager):
    words = {
        "stasjonene": Kind.MEASURE,
        "hemmeligfjernvarme": Kind.PROGRAMME,
        "kommentareffekten": Kind.COMMENT,
        "svarteksten": Kind.ANSWER,
        "referatpunktene": Kind.MINUTES,
        "vedtaksteksten": Kind.MINUTES,
        "oppfølgingsoppgaven": Kind.MINUTES,
        "møteprogram": Kind.MEETING,
        "avtaleteksten": Kind.AGREEMENT,
        "virkemiddelteksten": Kind.INSTRUMENT,
        "grants": Kind.INSTRUMENT,
        "forespørselsteksten": Kind.REQUEST,
    }

    assert {word: list(found(manager, word)) for word in words} == {word: [kind] for word, kind in words.items()}


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("tiltak", "Tiltakene for sykkelparkering"),
        ("Tiltakene", "Nytt tiltak for bysykler"),
        ("tiltaket", "Nytt tiltak for bysykler"),
        ("sykkelparkeringen", "Tiltakene for sykkelparkering"),
    ],
)
def test_forms_of_a_norwegian_word_find_each_other(everything, manager, oslo_programme, atp, query, title):
    Measure.objects.create(programme=oslo_programme, theme_area=atp, title="Nytt tiltak for bysykler")
    reindex_all([Kind.MEASURE])

    assert title in found(manager, query)[Kind.MEASURE]


def test_a_match_in_the_title_ranks_above_one_in_the_text(everything, manager, oslo_programme, atp):
    Measure.objects.create(
        programme=oslo_programme, theme_area=atp, title="Ladepunkter", description="Om solceller på taket."
    )
    Measure.objects.create(programme=oslo_programme, theme_area=atp, title="Solceller på skolene")
    reindex_all([Kind.MEASURE])

    assert found(manager, "solceller")[Kind.MEASURE] == ["Solceller på skolene", "Ladepunkter"]


def test_every_word_must_match(everything, manager):
    assert found(manager, "sykkelparkering bybanen") == {
        Kind.MEASURE: ["Sykkelparkering ved bybanen"],
        Kind.COMMENT: ["Sykkelparkering ved bybanen"],  # the title of a comment is its measure's
        Kind.ANSWER: ["Sykkelparkering ved bybanen"],
        Kind.REQUEST: ["Sykkelparkering ved bybanen"],
    }


# Permissions, applied in the query ------------------------------------------------------------------------


def test_a_city_does_not_find_another_citys_draft(everything, contact_oslo, contact_bergen):
    assert found(contact_bergen, "hemmeligfjernvarme") == {}
    assert found(contact_bergen, "stasjonene") == {}
    assert found(contact_oslo, "hemmeligfjernvarme") == {Kind.PROGRAMME: ["Oslo – Handlingsprogram 2030"]}
    assert found(contact_oslo, "stasjonene") == {Kind.MEASURE: ["Tiltakene for sykkelparkering"]}


def test_a_city_reads_another_citys_submitted_programme_once_the_round_is_open(
    everything, contact_oslo, bergen_submitted
):
    assert found(contact_oslo, "bybanen") == {}

    Round.objects.filter(pk=bergen_submitted.round_id).update(open_to_cities=Round.Openness.ALWAYS)

    assert found(contact_oslo, "bybanen") == {Kind.MEASURE: ["Sykkelparkering ved bybanen"]}


def test_comments_are_the_reviewers_until_they_are_sent(everything, review_comment, coordinator, contact_bergen):
    assert found(coordinator, "kommentareffekten svarteksten") == {}  # every word: none has both
    assert list(found(coordinator, "kommentareffekten")) == [Kind.COMMENT]
    assert list(found(coordinator, "svarteksten")) == [Kind.ANSWER]
    assert found(contact_bergen, "kommentareffekten") == {}
    assert found(contact_bergen, "svarteksten") == {}

    Review.objects.filter(pk=review_comment.review_id).update(status=Review.Status.COMMENTS_SENT)

    assert list(found(contact_bergen, "kommentareffekten")) == [Kind.COMMENT]
    assert list(found(contact_bergen, "svarteksten")) == [Kind.ANSWER]


def test_another_city_never_reads_the_comments(everything, review_comment, bergen_submitted, contact_oslo):
    Review.objects.filter(pk=review_comment.review_id).update(status=Review.Status.COMPLETED)
    Round.objects.filter(pk=bergen_submitted.round_id).update(open_to_cities=Round.Openness.ALWAYS)

    assert list(found(contact_oslo, "bybanen")) == [Kind.MEASURE]  # the programme, not its review
    assert found(contact_oslo, "kommentareffekten") == {}


def test_minutes_are_found_once_published(everything, minutes, contact_oslo, manager):
    assert found(contact_oslo, "referatpunktene") == {}
    assert list(found(manager, "referatpunktene")) == [Kind.MINUTES]

    Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.PUBLISHED)

    assert found(contact_oslo, "referatpunktene") == {Kind.MINUTES: ["Nettverkssamling om klimaplan"]}


def test_a_request_is_its_citys_and_its_bodys(everything, contact_oslo, contact_bergen, partner, coordinator):
    assert found(contact_oslo, "forespørselsteksten") == {}
    assert found(coordinator, "forespørselsteksten") == {}
    assert list(found(contact_bergen, "forespørselsteksten")) == [Kind.REQUEST]
    assert list(found(partner, "forespørselsteksten")) == [Kind.REQUEST]


def test_agreements_are_their_parties(everything, contact_oslo, contact_bergen):
    assert found(contact_oslo, "avtaleteksten") == {}
    assert list(found(contact_bergen, "avtaleteksten")) == [Kind.AGREEMENT]


def test_an_outsider_finds_nothing(everything, outsider):
    assert search(outsider, "klimaplan") == []


def test_a_superuser_finds_everything(everything, superuser):
    assert len(search(superuser, "klimaplan")) == len(Kind)


# Highlighting --------------------------------------------------------------------------------------------


def test_the_words_found_are_marked(everything, manager):
    (group,) = search(manager, "stasjonene")

    # PostgreSQL's excerpt ends at the last word, SQLite's with the text.
    assert group.hits[0].excerpt.removesuffix(".") == "Oslos klimaplan: sykkelparkering ved <mark>stasjonene</mark>"


def test_marking_escapes_the_text_first():
    assert mark("<script>alert(1)</script> \x02tiltak\x03 & <b>") == (
        "&lt;script&gt;alert(1)&lt;/script&gt; <mark>tiltak</mark> &amp; &lt;b&gt;"
    )
    assert mark("\x02open") == "<mark>open</mark>"  # every mark is closed
    assert mark("stray\x03 \x03") == "stray "


def test_a_hostile_title_is_escaped_in_the_results(everything, manager, oslo_programme, atp):
    Measure.objects.create(
        programme=oslo_programme, theme_area=atp, title="<script>alert(1)</script><img src=x onerror=alert(1)> Bussvei"
    )
    reindex_all([Kind.MEASURE])

    (hit,) = search(manager, "bussvei")[0].hits

    assert hit.title == "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; <mark>Bussvei</mark>"
