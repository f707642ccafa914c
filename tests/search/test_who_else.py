"""“Who else does this?”: `{% who_else measure user %}` beside a measure."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from actionplans.models import Measure, Round
from search.indexing import reindex_all
from search.models import Kind
from tests import factories

pytestmark = pytest.mark.django_db


def render(measure, user):
    with translation.override("en"):
        return Template("{% load search_tags %}{% who_else measure user %}").render(
            Context({"measure": measure, "user": user})
        )


def links(html):
    return re.findall(r'<li class="mb-2"><a href="([^"]+)">(.*?)</a>(?: <span[^>]*>· (.*?)</span>)?</li>', html)


def test_measures_of_other_cities_with_words_of_the_title(everything, oslo_measure, bergen_measure, manager):
    html = render(oslo_measure, manager)

    assert "Who else does this?" in html
    assert links(html) == [
        (
            reverse("actionplans:measure_detail", args=[bergen_measure.pk]),
            "<mark>Sykkelparkering</mark> ved bybanen",
            "Bergen",
        )
    ]


def test_not_the_citys_own_measures(everything, oslo_measure, oslo_programme, atp, manager):
    Measure.objects.create(programme=oslo_programme, theme_area=atp, title="Mer sykkelparkering i sentrum")
    reindex_all([Kind.MEASURE])

    assert [city for _u, _t, city in links(render(oslo_measure, manager))] == ["Bergen"]


def test_only_what_the_user_may_read(everything, oslo_measure, bergen_submitted, contact_oslo):
    assert links(render(oslo_measure, contact_oslo)) == []
    assert "No measure of another city that you may read is like this one." in render(oslo_measure, contact_oslo)

    Round.objects.filter(pk=bergen_submitted.round_id).update(open_to_cities=Round.Openness.ALWAYS)

    assert [city for _u, _t, city in links(render(oslo_measure, contact_oslo))] == ["Bergen"]


def test_at_most_five_the_most_alike_first(everything, oslo_measure, round_, atp, manager):
    for n in range(7):
        city = factories.CityFactory(name=f"By {n}", slug=f"by-{n}", municipality_number=f"90{n:02d}")
        programme = factories.ProgrammeFactory(round=round_, city=city)
        title = "Sykkelparkering og tiltakene" if n == 6 else f"Sykkelparkering nummer {n}"
        Measure.objects.create(programme=programme, theme_area=atp, title=title)
    reindex_all([Kind.MEASURE])

    found = links(render(oslo_measure, manager))

    assert len(found) == 5
    assert found[0][2] == "By 6"  # both words of “Tiltakene for sykkelparkering”


def test_a_title_of_common_words_only_finds_nothing(everything, oslo_programme, atp, manager):
    measure = Measure.objects.create(programme=oslo_programme, theme_area=atp, title="Og i på")

    assert links(render(measure, manager)) == []


def test_a_hostile_title_is_escaped(everything, bergen_submitted, oslo_measure, atp, manager):
    Measure.objects.create(
        programme=bergen_submitted, theme_area=atp, title="<script>alert(1)</script> sykkelparkering"
    )
    reindex_all([Kind.MEASURE])

    html = render(oslo_measure, manager)

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>sykkelparkering</mark>" in html


def test_the_measure_page_shows_who_else_does_it(client, everything, oslo_measure, bergen_measure, manager):
    client.force_login(manager)
    client.cookies["django_language"] = "en"

    html = client.get(reverse("actionplans:measure_detail", args=[oslo_measure.pk])).content.decode()

    section = html[html.index("Who else does this?") :]
    assert reverse("actionplans:measure_detail", args=[bergen_measure.pk]) in section[: section.index("</section>")]
