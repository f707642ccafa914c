"""The current round as the demo loads it on 30.11.2026: due 15.01.2027, drafts from eleven cities,
Oslo's shared draft, three early submissions with their reviews under way, Tromsø's request for
more time, and measures that the portal's pages across cities can group."""

import datetime
from collections import Counter
from zoneinfo import ZoneInfo

import pytest

from actionplans import similarity
from actionplans.models import (
    ActionProgramme,
    CommentReply,
    Draft,
    DraftNote,
    ExtensionRequest,
    Measure,
    Review,
    ReviewComment,
    ReviewStatusChange,
    Round,
    StatusChange,
)
from demo import round_current
from demo.clock import is_working_day
from demo.people import COORDINATORS
from tests.demo.story.conftest import LOADED, rows_the_measure_form_refuses

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")
D = datetime.date
SLUG = "handlingsprogram-2027"
OPENED = datetime.datetime(2026, 9, 1, 9, 0, tzinfo=OSLO)
# What the demo dates happened at least an hour before it was loaded.
BEFORE = LOADED - datetime.timedelta(hours=1)


def programmes():
    return ActionProgramme.objects.filter(round__slug=SLUG).select_related("city")


def local(moment):
    return moment.astimezone(OSLO)


def test_the_round_is_due_the_next_15_january(story):
    round_ = Round.objects.get(slug=SLUG)
    assert round_.name == "Handlingsprogram 2027"
    assert round_.deadline.due_date == D(2027, 1, 15)
    assert Round.objects.current() == round_
    assert "tidlig innsending er ønsket" in round_.description
    assert list(round_.deadline.reminder_steps.values_list("offset_days", flat=True)) == [-14, -7, -2, 0, 1, 7]
    # Opened on 1 September: the deadline was set then.
    assert [h.history_date for h in round_.deadline.history.all()] == [OPENED]
    assert programmes().count() == 13


def test_the_due_date_and_the_opening_follow_the_day_it_is_loaded():
    assert round_current.due_date(D(2027, 1, 15)) == D(2027, 1, 15)
    assert round_current.due_date(D(2027, 1, 16)) == D(2028, 1, 15)
    assert round_current.opening_day(D(2026, 11, 30), D(2027, 1, 15)) == D(2026, 9, 1)
    # Loaded early in the autumn, the round opened twelve weeks before (on a working day).
    assert round_current.opening_day(D(2026, 9, 10), D(2027, 1, 15)) == D(2026, 6, 18)
    # 1 September 2029 is a Saturday.
    assert round_current.opening_day(D(2029, 12, 1), D(2030, 1, 15)) == D(2029, 9, 3)


def test_eleven_cities_have_drafts_and_two_have_not_started(story):
    states = {p.city.name: p.state for p in programmes()}
    assert sorted(city for city, state in states.items() if state == "not_started") == ["Porsgrunn", "Sarpsborg"]
    assert sorted(city for city, state in states.items() if state == "submitted_on_time") == [
        "Bergen",
        "Fredrikstad",
        "Trondheim",
    ]
    assert Counter(states.values())["draft"] == 8
    versions = dict(programmes().with_totals().filter(draft_count__gt=0).values_list("city__name", "draft_count"))
    assert versions == {
        "Bergen": 3,
        "Bærum": 2,
        "Drammen": 2,
        "Fredrikstad": 2,
        "Kristiansand": 1,
        "Oslo": 3,
        "Sandnes": 1,
        "Skien": 1,
        "Stavanger": 2,
        "Tromsø": 2,
        "Trondheim": 2,
    }


def test_every_version_came_from_the_city_contact_on_a_working_day_this_autumn(story):
    drafts = Draft.objects.filter(programme__round__slug=SLUG).select_related("programme__city", "uploaded_by")
    assert drafts.count() == 21
    for draft in drafts:
        uploaded = local(draft.uploaded_at)
        assert draft.uploaded_by.username == f"kontakt-{draft.programme.city.slug}"
        assert OPENED < uploaded < BEFORE and is_working_day(uploaded.date()), draft
        assert draft.extension == ".pdf" and draft.note
    assert drafts.get(programme__city__name="Oslo", number=3).note == "Oppdatert etter innspillene fra koordinatorene."


def test_measures_were_entered_before_the_version_that_lists_them(story):
    rows = Counter((row["city"], row["version"]) for row in round_current._rows())
    for programme in programmes().exclude(status="not_started"):
        uploads = list(programme.drafts.order_by("number").values_list("uploaded_at", flat=True))
        measures = list(programme.measures.order_by("created_at").values_list("created_at", flat=True))
        assert 12 <= len(measures) <= 20, programme
        # Each version lists the measures entered since the one before: its own rows of the data file.
        before = [uploads.index(next(u for u in uploads if u > created)) + 1 for created in measures]
        expected = Counter({int(v): n for (c, v), n in rows.items() if c == programme.city.slug})
        if programme.city.slug in round_current.CARRIED:
            expected[1] += 2  # the two measures it carried over from 2009, before its first version
        assert Counter(before) == expected
        first = programme.status_changes.order_by("changed_at").first()
        assert (first.from_status, first.to_status, first.changed_at) == ("not_started", "draft", measures[0])
        assert first.changed_by.username == f"kontakt-{programme.city.slug}"


def test_the_measures_cover_every_theme_in_every_city(story):
    measures = Measure.objects.filter(programme__round__slug=SLUG).select_related("programme__city", "category")
    assert measures.count() == 162 + 4  # the data file's, and the four carried over from 2009
    themes = {}
    for m in measures:
        themes.setdefault(m.programme.city.name, set()).add(m.theme_area.code)
        assert m.category is None or m.category.theme_area_id == m.theme_area_id, m
    assert len(themes) == 11 and all(
        codes == {"atp", "energy", "consumption", "adaptation"} for codes in themes.values()
    )
    assert set(measures.values_list("status", flat=True)) == {"planned", "ongoing", "done"}
    entered = measures.filter(carry="")  # the data file's
    assert entered.filter(category__isnull=True).count() == 28
    assert entered.filter(state_cooperation_wanted=True).count() == 50
    # Effect by the city's size: Oslo's programme weighs most, Skien's least.
    totals = dict(programmes().with_totals().values_list("city__name", "total_effect"))
    assert max(totals, key=lambda c: totals[c] or 0) == "Oslo" and totals["Skien"] == 4680
    # Climate adaptation cuts no emissions: its measures have no effect, only a cost.
    adaptation = measures.filter(theme_area__code="adaptation")
    assert not adaptation.filter(expected_effect__isnull=False).exists()
    assert not adaptation.filter(cost_estimate__isnull=True).exists()


def test_every_row_of_the_data_file_passes_the_measure_form(story):
    rows, refused = rows_the_measure_form_refuses(round_current.MEASURES)
    assert refused == []
    assert {row["state_cooperation"] for row in rows} == {"yes", ""}
    assert len({(row["city"], row["title"]) for row in rows}) == len(rows)


def test_bergen_has_the_light_rail_the_gathering_visits(story):
    bergen = Measure.objects.filter(programme__round__slug=SLUG, programme__city__name="Bergen")
    light_rail = bergen.get(title__startswith="Bybanen")
    assert (light_rail.title, light_rail.category.name_nb) == ("Bybanen til Åsane", "Kollektivtransport")
    assert light_rail.candidate_kind == "long_term_economic" and light_rail.state_cooperation_wanted


def test_three_early_submissions_on_time(story):
    submitted = programmes().filter(status="submitted").order_by("submitted_at")
    assert [p.city.name for p in submitted] == ["Bergen", "Trondheim", "Fredrikstad"]
    for programme in submitted:
        submitted_at = local(programme.submitted_at)
        assert programme.submitted_on_time is True
        assert programme.submitted_by.username == f"kontakt-{programme.city.slug}"
        assert programme.submitted_draft == programme.drafts.order_by("-number").first()
        assert is_working_day(submitted_at.date()) and LOADED - datetime.timedelta(weeks=4) < submitted_at < BEFORE
        change = programme.status_changes.get(to_status="submitted")
        assert (change.changed_at, change.draft) == (programme.submitted_at, programme.submitted_draft)
    assert [local(p.submitted_at).date() for p in submitted] == [D(2026, 11, 6), D(2026, 11, 13), D(2026, 11, 20)]


def reviews():
    return Review.objects.filter(programme__round__slug=SLUG).select_related("programme__city", "theme_area")


def test_the_reviews_are_under_way_at_different_stages(story):
    statuses = {(r.programme.city.name, r.theme_area.code): r.status for r in reviews()}
    assert statuses == {
        ("Bergen", "atp"): "comments_sent",
        ("Bergen", "energy"): "in_progress",
        ("Bergen", "consumption"): "comments_sent",
        ("Bergen", "adaptation"): "completed",
        ("Trondheim", "atp"): "in_progress",
        ("Trondheim", "energy"): "comments_sent",
        ("Trondheim", "consumption"): "not_started",
        ("Trondheim", "adaptation"): "in_progress",
        ("Fredrikstad", "atp"): "not_started",
        ("Fredrikstad", "energy"): "not_started",
        ("Fredrikstad", "consumption"): "in_progress",
        ("Fredrikstad", "adaptation"): "not_started",
    }
    for review in reviews():
        # Each review by its theme's coordinator, after the programme came in.
        authors = {c.author.username for c in review.comments.all()}
        changers = set(review.status_changes.values_list("changed_by__username", flat=True))
        assert authors | changers <= {COORDINATORS[review.theme_area.code]}, review
        moments = [c.created_at for c in review.comments.all()] + [c.changed_at for c in review.status_changes.all()]
        assert all(review.programme.submitted_at < moment < BEFORE for moment in moments), review
        if review.status in ("comments_sent", "completed"):
            assert review.assessment
    completed = reviews().get(status="completed")
    assert (completed.programme.city.name, completed.theme_area.code) == ("Bergen", "adaptation")
    assert completed.reviewed_draft == completed.programme.submitted_draft and completed.completed_at < BEFORE


def test_the_comments_on_measures_and_the_cities_answers(story):
    comments = ReviewComment.objects.filter(review__programme__round__slug=SLUG)
    assert comments.count() == 11
    assert comments.filter(measure__isnull=True).count() == 1
    replies = CommentReply.objects.filter(comment__review__programme__round__slug=SLUG).select_related(
        "comment__measure", "author"
    )
    assert sorted((r.author.username, r.comment.measure.title) for r in replies) == [
        ("kontakt-bergen", "Bybanen til Åsane"),
        ("kontakt-trondheim", "Fjernvarme uten fossil spisslast"),
    ]
    assert all(r.comment.created_at < r.created_at < BEFORE for r in replies)
    # The city reads the answered comments: their reviews have sent them.
    assert {r.comment.review.status for r in replies} == {"comments_sent"}


def test_agreement_candidates_are_marked_on_a_few_submitted_measures(story):
    candidates = Measure.objects.filter(programme__round__slug=SLUG).exclude(candidate_kind="")
    assert sorted(candidates.values_list("programme__city__name", "candidate_kind", "title")) == [
        ("Bergen", "competence_building", "Utslippsfrie bygge- og anleggsplasser"),
        ("Bergen", "long_term_economic", "Bybanen til Åsane"),
        ("Bergen", "pilot_project", "Nye skoler som plusshus"),
        ("Trondheim", "competence_building", "Nye kommunale bygg med lavt klimafotavtrykk"),
        ("Trondheim", "joint_study", "Overvann håndteres på overflaten"),
        ("Trondheim", "long_term_economic", "Metrobuss med elektriske busser"),
    ]
    # Each marked by the coordinator of its theme, as the measure's history says.
    marked = Measure.history.filter(programme__round__slug=SLUG).exclude(candidate_kind="")
    assert sorted((h.title, h.history_user.username) for h in marked) == [
        ("Bybanen til Åsane", "koordinator-atp"),
        ("Metrobuss med elektriske busser", "koordinator-atp"),
        ("Nye kommunale bygg med lavt klimafotavtrykk", "koordinator-energi"),
        ("Nye skoler som plusshus", "koordinator-energi"),
        ("Overvann håndteres på overflaten", "koordinator-klima"),
        ("Utslippsfrie bygge- og anleggsplasser", "koordinator-forbruk"),
    ]


def test_oslo_shares_its_draft_and_two_coordinators_left_notes(story):
    oslo = programmes().get(city__name="Oslo")
    assert oslo.state == "draft" and oslo.is_shared
    uploads = list(oslo.drafts.order_by("number").values_list("uploaded_at", flat=True))
    assert uploads[1] < oslo.shared_at < uploads[2]
    notes = DraftNote.objects.filter(programme=oslo).select_related("author")
    assert [n.author.username for n in notes] == ["koordinator-atp", "koordinator-klima"]
    assert all(oslo.shared_at < n.created_at < uploads[2] for n in notes)
    assert "Nullutslippssonen" in notes[0].text
    assert not oslo.extension_requests.exists()


def test_tromso_waits_for_a_decision_on_more_time(story):
    request = ExtensionRequest.objects.get(programme__round__slug=SLUG)
    assert request.programme.city.name == "Tromsø"
    assert (request.status, request.requested_date, request.decided_at) == ("pending", D(2027, 1, 29), None)
    assert request.requested_by.username == "kontakt-tromso" and "bystyret" in request.reason.lower()
    assert "29.01.2027" in request.reason
    requested = local(request.requested_at)
    assert is_working_day(requested.date()) and LOADED - datetime.timedelta(days=7) < requested < BEFORE


def test_similar_measures_group_by_category_and_by_text(story):
    groups = similarity.similar_groups(Round.objects.get(slug=SLUG))
    text = sorted((g["theme_area"].code, tuple(g["cities"])) for g in groups if g["kind"] == "text")
    assert text == [
        ("adaptation", ("Fredrikstad", "Trondheim")),
        ("atp", ("Fredrikstad", "Trondheim")),
        ("consumption", ("Bergen", "Fredrikstad", "Trondheim")),
        ("consumption", ("Bergen", "Trondheim")),
        ("energy", ("Bergen", "Fredrikstad")),
    ]
    sites = next(g for g in groups if g["kind"] == "text" and len(g["cities"]) == 3)
    assert all("bygge- og anleggsplasser" in m.title for m in sites["measures"]) and sites["candidates"] == 1
    by_category = {g["category"].name_nb: g["cities"] for g in groups if g["kind"] == "category"}
    assert len(by_category) == 13
    assert by_category["Kollektivtransport"] == ["Bergen", "Fredrikstad", "Trondheim"]
    assert by_category["Havnivå"] == ["Bergen", "Fredrikstad"]


def test_the_similar_measures_page_has_its_groups_stored_when_the_demo_is_loaded(story):
    round_ = Round.objects.get(slug=SLUG)
    stored, state = similarity.stored_groups(round_)

    assert similarity.groups_up_to_date(round_, state)
    live = similarity.similar_groups(round_)
    assert sorted((g.kind, g.theme_area.code, g.measures) for g in stored) == sorted(
        (g["kind"], g["theme_area"].code, len(g["measures"])) for g in live
    )


# What the round's rows say about when they happened.
WHEN = [
    (Draft, "uploaded_at"),
    (Measure, "created_at"),
    (Measure, "updated_at"),
    (Measure.history.model, "history_date"),
    (StatusChange, "changed_at"),
    (Review, "updated_at"),
    (ReviewStatusChange, "changed_at"),
    (ReviewComment, "created_at"),
    (CommentReply, "created_at"),
    (DraftNote, "created_at"),
    (ExtensionRequest, "requested_at"),
    (ActionProgramme, "submitted_at"),
    (ActionProgramme, "shared_at"),
]


def test_everything_in_the_round_happened_at_least_an_hour_before_it_was_loaded(story):
    paths = {
        Draft: "programme__round__slug",
        Measure: "programme__round__slug",
        Measure.history.model: "programme__round__slug",
        StatusChange: "programme__round__slug",
        Review: "programme__round__slug",
        ReviewStatusChange: "review__programme__round__slug",
        ReviewComment: "review__programme__round__slug",
        CommentReply: "comment__review__programme__round__slug",
        DraftNote: "programme__round__slug",
        ExtensionRequest: "programme__round__slug",
        ActionProgramme: "round__slug",
    }
    for model, field in WHEN:
        moments = [m for m in model.objects.filter(**{paths[model]: SLUG}).values_list(field, flat=True) if m]
        assert moments, (model, field)
        assert all(OPENED <= moment < BEFORE and is_working_day(local(moment).date()) for moment in moments), field


def test_two_cities_carried_measures_over_from_2009(story):
    for slug in ("stavanger", "drammen"):
        programme = ActionProgramme.objects.get(round__slug="handlingsprogram-2027", city__slug=slug)
        earlier = programme.city.programmes.get(round__slug="handlingsprogram-2009")
        carried = {m.carry: m for m in programme.measures.exclude(carry="")}
        assert set(carried) == {"kept", "changed"}
        assert carried["kept"].title == carried["kept"].carried_from.title
        assert carried["changed"].carried_from.programme == earlier
        assert carried["changed"].expected_effect != carried["changed"].carried_from.expected_effect or (
            carried["changed"].expected_effect is None
        )
        drop = programme.measure_drops.get()
        assert drop.measure.programme == earlier and drop.reason
