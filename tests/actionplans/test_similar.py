"""Groups of similar measures: by category in SQL, by text likeness found by a task and stored.

The text join gives what comparing every pair gave (the reference below is the algorithm the page
ran on each request before); the stored groups follow submissions, reopenings and the sweep; the
page reads them in a constant number of queries and says when they are being updated."""

import random
import re
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans import services, similarity, tasks
from actionplans.models import LikenessState, Measure, MeasureCategory, MeasureLikeness, SimilarGroup
from tests import factories
from tests.conftest import upload
from tests.outbox.helpers import delivering, lose_what_waits_for_the_commit

URL = reverse("actionplans:similar_measures")


def log_in(client, user, language="en"):
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def submit(programme, by):
    """Submit as a city would, and let what waits for the commit (the regrouping among it) run."""
    with delivering():
        upload(programme, by)
        services.submit_programme(programme, by=by)


def every_pair(word_sets):
    """The reference: what the page computed on every request before (union–find over all pairs)."""
    parent = list(range(len(word_sets)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(word_sets)):
        for j in range(i + 1, len(word_sets)):
            if similarity.jaccard(word_sets[i], word_sets[j]) >= similarity.SIMILARITY:
                parent[find(i)] = find(j)
    groups = defaultdict(list)
    for i in range(len(word_sets)):
        groups[find(i)].append(i)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: g[0])


def stored_groups(round_):
    """{frozenset of measure ids} of the round's stored text groups."""
    groups = defaultdict(set)
    for measure, group in MeasureLikeness.objects.filter(round=round_).values_list("measure", "group"):
        groups[group].add(measure)
    return {frozenset(g) for g in groups.values()}


# The join gives what comparing every pair gave


TEXTS = [
    # Alike (Jaccard 3/4), and the third joins them through the second only (transitively).
    ["Energisparing i kommunale bygg", "Energisparing i kommunale skolebygg", "Kommunale skolebygg etterisoleres"],
    # Identical texts, an empty one (never alike), one of stop words only.
    ["Solceller på tak", "Solceller på tak", "", "og i på", "Solceller på tak av rådhuset"],
    # Just under and just at the threshold: 1/3 < 0.34 ≤ 17/50.
    ["alfa beta gamma", "alfa delta epsilon", "alfa beta gamma delta epsilon zeta eta theta iota kappa"],
    ["a1a b2b c3c d4d e5e f6f g7g h8h i9i j0j k1k l2l m3m n4n o5o p6p q7q", "a1a b2b c3c d4d e5e f6f"],
    # Nothing alike.
    ["Sykkelveier", "Bysykkel", "Ladestasjoner for elbil"],
]


@pytest.mark.parametrize("texts", TEXTS)
def test_text_clusters_are_those_of_comparing_every_pair(texts):
    word_sets = [similarity.words(t) for t in texts]

    assert similarity.text_clusters(word_sets) == every_pair(word_sets)


def test_text_clusters_match_every_pair_on_random_texts():
    rng = random.Random(19)  # noqa: S311 (test data, not secrets)
    vocabulary = [f"ord{n}" for n in range(60)]
    for _round in range(20):
        word_sets = [
            set(rng.sample(vocabulary[: rng.randint(8, 60)], rng.randint(0, 8))) for _ in range(rng.randint(2, 150))
        ]
        assert similarity.text_clusters(word_sets) == every_pair(word_sets)


def test_text_clusters_of_a_pathological_theme_stay_bounded(monkeypatch):
    """Texts of the same few words: each looks at no more than MAX_VISITS others, so the join ends."""
    monkeypatch.setattr(similarity, "MAX_VISITS", 5)
    compared = []
    original = similarity.jaccard
    monkeypatch.setattr(similarity, "jaccard", lambda a, b: compared.append(1) or original(a, b))
    word_sets = [{"felles", "ord", f"eget{n}"} for n in range(300)]

    groups = similarity.text_clusters(word_sets)

    assert len(compared) <= 5 * 300
    assert groups == [list(range(300))]  # each text is 2/4 alike with each other: all one group


# The round's groups


@pytest.fixture
def similar(round_, bergen_programme, oslo_programme, contact_bergen, contact_oslo, atp, energy):
    cycling = MeasureCategory.objects.create(theme_area=atp, name_nb="Sykkel", name_en="Cycling")
    lonely = MeasureCategory.objects.create(theme_area=atp, name_nb="Bildeling", name_en="Car sharing")
    make = factories.MeasureFactory
    measures = SimpleNamespace(
        bergen_bikes=make(
            programme=bergen_programme, theme_area=atp, category=cycling, title="Sykkelveier", expected_effect=12
        ),
        oslo_bikes=make(
            programme=oslo_programme,
            theme_area=atp,
            category=cycling,
            title="Bysykkel",
            expected_effect=Decimal("7.5"),
            candidate_kind="pilot_project",
        ),
        bergen_sharing=make(programme=bergen_programme, theme_area=atp, category=lonely, title="Bildeling"),
        bergen_alone=make(programme=bergen_programme, theme_area=atp, title="Nullutslipp byggeplasser"),
        bergen_schools=make(
            programme=bergen_programme,
            theme_area=energy,
            title="Energisparing i kommunale bygg",
            expected_effect=Decimal("3.0"),
        ),
        oslo_schools=make(
            programme=oslo_programme,
            theme_area=energy,
            title="Energisparing i kommunale skolebygg",
            expected_effect=Decimal("4.5"),
        ),
        oslo_alone=make(programme=oslo_programme, theme_area=energy, title="Solceller på tak", expected_effect=1),
    )
    submit(bergen_programme, contact_bergen)
    submit(oslo_programme, contact_oslo)
    return SimpleNamespace(cycling=cycling, **vars(measures))


def test_similar_measures_group_by_category_and_by_text(round_, similar, atp, energy):
    groups = similarity.similar_groups(round_)

    assert [(g["kind"], g["theme_area"], g["category"]) for g in groups] == [
        ("category", atp, similar.cycling),
        ("text", energy, None),
    ]
    by_category, by_text = groups
    assert sorted(m.pk for m in by_category["measures"]) == sorted([similar.bergen_bikes.pk, similar.oslo_bikes.pk])
    assert (by_category["cities"], by_category["effect"], by_category["candidates"]) == (
        ["Bergen", "Oslo"],
        Decimal("19.5"),
        1,
    )
    assert sorted(m.pk for m in by_text["measures"]) == sorted([similar.bergen_schools.pk, similar.oslo_schools.pk])
    assert (by_text["cities"], by_text["effect"], by_text["candidates"]) == (["Bergen", "Oslo"], Decimal("7.5"), 0)
    grouped = {m.pk for g in groups for m in g["measures"]}
    assert not grouped & {similar.bergen_alone.pk, similar.oslo_alone.pk, similar.bergen_sharing.pk}


def test_stored_groups_have_the_figures_of_the_groups_found_afresh(round_, similar, atp, energy):
    rows = list(similarity.stored_groups(round_)[0])

    assert [(g.kind, g.theme_area, g.cities, g.measures, g.effect, g.candidates) for g in rows] == [
        ("category", atp, 2, 2, Decimal("19.5"), 1),
        ("text", energy, 2, 2, Decimal("7.5"), 0),
    ]
    assert (rows[0].key, rows[0].category) == (similar.cycling.pk, similar.cycling)
    assert rows[1].key == min(similar.bergen_schools.pk, similar.oslo_schools.pk)
    assert rows[1].name == "Energisparing i kommunale bygg"
    assert sorted(rows[1].shown) == sorted([similar.bergen_schools.pk, similar.oslo_schools.pk])
    assert stored_groups(round_) == {frozenset([similar.bergen_schools.pk, similar.oslo_schools.pk])}
    assert LikenessState.objects.get(round=round_).is_current


def test_similar_measures_page_lists_the_groups(client, coordinator, similar):
    log_in(client, coordinator)

    content = client.get(URL).content.decode()

    assert "Land use and transport: Cycling" in content
    # A text group is named by one of its measures, so that two in one theme have different headings.
    assert "Energy in buildings: alike by their text, such as “Energisparing i kommunale bygg”" in content
    assert "Oslo: Energisparing i kommunale skolebygg" in content
    assert "Solceller på tak" not in content
    assert "2 cities, 19.5 t CO₂e per year · 2 measures · 1 agreement candidate" in content
    assert "being updated" not in content


def test_similar_measures_page_in_norwegian(client, coordinator, similar):
    log_in(client, coordinator, language="nb")

    content = client.get(URL).content.decode()

    assert "Lignende tiltak" in content
    assert "Areal og transport: Sykkel" in content
    assert "Energi i bygg: like i teksten, som «Energisparing i kommunale bygg»" in content
    assert "2 byer, 19,5 tonn CO₂e per år" in content


def test_similar_measures_are_listed_twenty_groups_a_page(client, coordinator, round_, atp, contact_oslo, oslo):
    programme = factories.ProgrammeFactory(round=round_, city=oslo)
    for n in range(23):
        category = MeasureCategory.objects.create(theme_area=atp, name_nb=f"Kategori {n:02d}", name_en=f"Kind {n:02d}")
        for title in ("A", "B"):
            factories.MeasureFactory(programme=programme, theme_area=atp, category=category, title=f"{title} {n}")
    submit(programme, contact_oslo)
    log_in(client, coordinator)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 3
    assert 'href="?page=2"' in first.content.decode()


def test_groups_are_ordered_by_theme_then_most_cities_then_most_effect(client, manager, round_, atp, energy):
    small, big = (MeasureCategory.objects.create(theme_area=atp, name_nb=n, name_en=n) for n in ("Liten", "Stor"))
    heat = MeasureCategory.objects.create(theme_area=energy, name_nb="Varme", name_en="Heat")
    for n in range(3):
        programme = factories.ProgrammeFactory(round=round_)
        factories.MeasureFactory(programme=programme, theme_area=energy, category=heat, expected_effect=100)
        factories.MeasureFactory(programme=programme, theme_area=atp, category=big, expected_effect=1)
        if n < 2:
            factories.MeasureFactory(programme=programme, theme_area=atp, category=small, expected_effect=50)
            factories.MeasureFactory(
                programme=programme, theme_area=atp, title="Hurtigladere for drosjer", expected_effect=1
            )
        submit(programme, manager)
    log_in(client, manager)

    groups = client.get(URL).context["page"].object_list

    # Stor: 3 cities; the text group and Liten: 2 cities each, Liten with more effect; then energy.
    assert [(g["theme_area"], g["category"]) for g in groups] == [(atp, big), (atp, small), (atp, None), (energy, heat)]


# Keeping the stored groups current


@pytest.fixture
def alike(round_, atp, oslo, bergen, manager):
    """Oslo's and Bergen's measures alike by their text, both submitted."""
    measures = {}
    for city in (oslo, bergen):
        programme = factories.ProgrammeFactory(round=round_, city=city)
        measures[city.name] = factories.MeasureFactory(
            programme=programme, theme_area=atp, title="Hurtigladere for drosjer", description="Ved stasjonene"
        )
        submit(programme, manager)
    return measures


def test_a_submission_joins_the_group(round_, atp, alike, manager):
    programme = factories.ProgrammeFactory(round=round_)
    third = factories.MeasureFactory(programme=programme, theme_area=atp, title="Hurtigladere for drosjer i byen")
    assert len(next(iter(stored_groups(round_)))) == 2

    submit(programme, manager)

    assert stored_groups(round_) == {frozenset([alike["Oslo"].pk, alike["Bergen"].pk, third.pk])}


def test_a_reopened_programme_leaves_at_once_and_an_edit_regroups(client, manager, round_, atp, alike):
    oslo = alike["Oslo"]
    log_in(client, manager)
    with delivering():
        services.reopen_programme(oslo.programme, by=manager, comment="Rett opp")

    assert stored_groups(round_) == set()
    assert "alike by their text, such as" not in client.get(URL).content.decode()

    oslo.title, oslo.description = "Sykkelhotell på Nationaltheatret", ""
    oslo.save()  # what the measure form does while the programme is open
    other = factories.MeasureFactory(programme=oslo.programme, theme_area=atp, title="Hurtigladere for drosjer")
    submit(oslo.programme, manager)

    assert stored_groups(round_) == {frozenset([alike["Bergen"].pk, other.pk])}
    content = client.get(URL).content.decode()
    assert "Oslo: Hurtigladere for drosjer" in content and "Sykkelhotell" not in content


def test_a_deleted_measure_leaves_its_group(round_, atp, alike, manager):
    programme = factories.ProgrammeFactory(round=round_)
    third = factories.MeasureFactory(programme=programme, theme_area=atp, title="Hurtigladere for drosjer")
    submit(programme, manager)

    third.delete()

    assert stored_groups(round_) == {frozenset([alike["Oslo"].pk, alike["Bergen"].pk])}


def test_while_the_groups_are_being_updated_the_page_says_so_and_shows_the_categories(
    client, manager, round_, atp, oslo, bergen
):
    cycling = MeasureCategory.objects.create(theme_area=atp, name_nb="Sykkel", name_en="Cycling")
    for city in (oslo, bergen):
        programme = factories.ProgrammeFactory(round=round_, city=city)
        factories.MeasureFactory(programme=programme, theme_area=atp, category=cycling, title="Sykkelveier")
        factories.MeasureFactory(programme=programme, theme_area=atp, title="Hurtigladere for drosjer")
        upload(programme, manager)
        services.submit_programme(programme, by=manager)
    lose_what_waits_for_the_commit()  # as if the broker had been down: no regrouping was queued
    log_in(client, manager)

    content = client.get(URL).content.decode()

    assert "Land use and transport: Cycling" in content
    assert "alike by their text, such as" not in content
    assert "The groups are being updated after recent changes" in content

    tasks.sweep_reminders()  # the sweep finds the round's groups behind

    content = client.get(URL).content.decode()
    assert "alike by their text, such as “Hurtigladere for drosjer”" in content
    assert "being updated" not in content


def test_groups_never_made_are_being_updated_and_the_command_makes_them(client, manager, round_, atp, oslo, bergen):
    cycling = MeasureCategory.objects.create(theme_area=atp, name_nb="Sykkel", name_en="Cycling")
    for city in (oslo, bergen):
        programme = factories.ProgrammeFactory(round=round_, city=city)
        factories.MeasureFactory(programme=programme, theme_area=atp, title="Hurtigladere for drosjer")
        factories.MeasureFactory(programme=programme, theme_area=atp, category=cycling, title=f"Sykkel i {city}")
        submit(programme, manager)
    # As for a round submitted before the groups were stored.
    for model in (LikenessState, MeasureLikeness, SimilarGroup):
        model.objects.all().delete()
    other_round = factories.RoundFactory()
    log_in(client, manager)

    content = client.get(URL).content.decode()

    assert "being updated" in content
    assert "Land use and transport: Cycling" in content  # summed on the page meanwhile
    assert "Bergen: Sykkel i Bergen" in content and "Oslo: Sykkel i Oslo" in content
    assert "alike by their text, such as" not in content
    assert "being updated" not in client.get(URL, {"round": other_round.slug}).content.decode()
    page = client.get(URL, {"group": f"category-{cycling.pk}"})
    assert [m.title for m in page.context["page"].object_list] == ["Sykkel i Bergen", "Sykkel i Oslo"]

    call_command("regroup_similar", stdout=(out := _Out()))

    assert len(stored_groups(round_)) == 1
    content = client.get(URL).content.decode()
    assert "being updated" not in content
    assert "alike by their text, such as “Hurtigladere for drosjer”" in content
    assert f"{round_.name}: 2 measures alike by their text" in out.text


def test_regrouping_twice_changes_nothing(round_, alike):
    before = set(MeasureLikeness.objects.values_list("measure", "group"))

    with CaptureQueriesContext(connection) as queries:
        tasks.regroup_similar(round_.pk)  # current: returns at once
    similarity.regroup_round(round_)

    assert len(queries) == 1
    assert set(MeasureLikeness.objects.values_list("measure", "group")) == before
    tasks.regroup_similar(round_.pk + 1000)  # a round that is gone: nothing to do, no error


def test_a_regrouping_that_read_older_changes_leaves_a_later_one(round_, alike, monkeypatch):
    state = LikenessState.objects.get(round=round_)
    LikenessState.objects.filter(pk=state.pk).update(grouped=state.changes + 1, changes=state.changes + 1)
    MeasureLikeness.objects.all().delete()  # what the later one stored, for the test: nothing
    LikenessState.objects.filter(pk=state.pk).update(changes=state.changes)  # the older one reads this

    similarity.regroup_round(round_)

    assert stored_groups(round_) == set()


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


# One group's page, and what the page of groups costs


def _cities(round_, n, *, by, atp, category):
    """`n` more cities, each with a measure in `category` and one alike by its text, submitted."""
    for _ in range(n):
        programme = factories.ProgrammeFactory(round=round_)
        factories.MeasureFactory(programme=programme, theme_area=atp, category=category, expected_effect=2)
        factories.MeasureFactory(
            programme=programme, theme_area=atp, title="Hurtigladere for drosjer ved stasjonene", expected_effect=1
        )
        submit(programme, by)


def test_a_large_group_lists_its_first_measures_and_links_to_all(client, manager, round_, atp):
    category = MeasureCategory.objects.create(theme_area=atp, name_nb="Bybane", name_en="Light rail")
    _cities(round_, 12, by=manager, atp=atp, category=category)
    log_in(client, manager)

    response = client.get(URL, {"round": round_.slug})

    groups = response.context["page"].object_list
    assert [(g["kind"], g["measures"], len(g["measures_shown"])) for g in groups] == [
        ("category", 12, 10),
        ("text", 12, 10),
    ]
    content = response.content.decode()
    assert f'href="?round={round_.slug}&amp;group=category-{category.pk}"' in content
    assert "All 12 measures of the group" in content
    assert "Start an agreement" not in content  # from a group's own page, with its measures

    page = client.get(URL, {"round": round_.slug, "group": f"category-{category.pk}"})

    assert page.templates[0].name == "actionplans/similar_group.html"
    assert [m.pk for m in page.context["page"].object_list] == list(
        Measure.objects.filter(category=category)
        .order_by("programme__city__name", "title", "pk")
        .values_list("pk", flat=True)
    )
    html = page.content.decode()
    assert "Land use and transport: Light rail" in html and "12 cities, 24.0 t CO₂e per year · 12 measures" in html
    assert len(re.findall(r'name="measures" value="\d+"', html)) == 12


def test_a_group_page_has_fifty_measures_a_page(client, manager, round_, atp):
    programme = factories.ProgrammeFactory(round=round_)
    for n in range(53):
        factories.MeasureFactory(programme=programme, theme_area=atp, title=f"Hurtigladere for drosjer nr {n}")
    submit(programme, manager)
    key = MeasureLikeness.objects.values_list("group", flat=True).first()
    log_in(client, manager)

    first = client.get(URL, {"group": f"text-{key}"})
    second = client.get(URL, {"group": f"text-{key}", "page": 2})

    assert (len(first.context["page"].object_list), len(second.context["page"].object_list)) == (50, 3)
    assert "alike by their text, such as “Hurtigladere for drosjer nr 0”" in first.content.decode()
    assert "Start an agreement with the measures on this page" in first.content.decode()


@pytest.mark.parametrize("group", ["text-999999", "category-x", "nonsense", "text-", "category-99999999999999999999"])
def test_a_group_that_does_not_exist_says_so(client, manager, alike, group):
    log_in(client, manager)

    response = client.get(URL, {"group": group})

    assert response.status_code == 200
    content = response.content.decode()
    assert "That group of similar measures does not exist (any more)" in content
    assert "alike by their text, such as “Hurtigladere for drosjer”" in content


@pytest.mark.parametrize("persona", ["contact_oslo", "outsider"])
def test_a_group_page_is_for_reviewers_only(client, request, persona, alike):
    key = MeasureLikeness.objects.values_list("group", flat=True).first()
    client.force_login(request.getfixturevalue(persona))

    assert client.get(URL, {"group": f"text-{key}"}).status_code == 403


def test_a_reopened_programme_leaves_the_group_page_at_once_and_the_group_after_the_task(
    client, manager, round_, alike
):
    key = MeasureLikeness.objects.values_list("group", flat=True).first()
    log_in(client, manager)
    with delivering():
        services.reopen_programme(alike["Oslo"].programme, by=manager, comment="Rett opp")
        # Before the commit: the stored group waits for the task, but lists only what is submitted.
        page = client.get(URL, {"group": f"text-{key}"})
        assert [m.programme.city.name for m in page.context["page"].object_list] == ["Bergen"]
        assert "being updated" in client.get(URL).content.decode()

    content = client.get(URL, {"group": f"text-{key}"}).content.decode()

    assert "does not exist (any more)" in content  # one measure left: no group
    assert "being updated" not in content


def test_marking_a_candidate_counts_it_in_its_group(client, manager, round_, alike):
    log_in(client, manager)
    with delivering():
        services.mark_candidate(alike["Oslo"], kind="pilot_project", by=manager)

    assert "2 measures · 1 agreement candidate" in client.get(URL).content.decode()


def count_queries(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_the_pages_cost_the_same_for_few_and_many_cities(client, manager, round_, atp):
    category = MeasureCategory.objects.create(theme_area=atp, name_nb="Bybane", name_en="Light rail")
    log_in(client, manager)
    _cities(round_, 2, by=manager, atp=atp, category=category)
    few = count_queries(client, URL, {}), count_queries(client, URL, {"group": f"category-{category.pk}"})

    _cities(round_, 13, by=manager, atp=atp, category=category)
    for n in range(4):  # more groups, too
        other = MeasureCategory.objects.create(theme_area=atp, name_nb=f"Annen {n}", name_en=f"Other {n}")
        _cities(round_, 2, by=manager, atp=atp, category=other)
    many = count_queries(client, URL, {}), count_queries(client, URL, {"group": f"category-{category.pk}"})

    assert few == many
    assert max(many) < 20
