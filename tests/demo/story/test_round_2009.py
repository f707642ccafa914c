"""The demo's round of 2009 (demo/round_2009.py), as the whole demo loads it."""

import datetime
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Sum

from actionplans.analysis import effect_totals
from actionplans.models import (
    ActionProgramme,
    CommentReply,
    Draft,
    ExtensionRequest,
    Measure,
    MeasureLink,
    Review,
    ReviewComment,
    ReviewStatusChange,
    Round,
    StatusChange,
)
from actionplans.similarity import similar_groups
from demo import round_2009
from demo.clock import is_working_day
from demo.people import COORDINATORS
from tests.demo.story.conftest import rows_the_measure_form_refuses

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
D = datetime.date
# Nothing of the round happened after the political meeting of 19.05.2009: the end of May at the latest.
END_OF_MAY = datetime.datetime(2009, 6, 1, tzinfo=OSLO)


def local(moment):
    return moment.astimezone(OSLO)


@pytest.fixture
def round_(story):
    return Round.objects.select_related("deadline").get(slug="handlingsprogram-2009")


@pytest.fixture
def programmes(round_):
    return {p.city.slug: p for p in round_.programmes.select_related("city", "submitted_by", "submitted_draft")}


def test_round_2009_seeded_once(story):
    models = ["actionplans.Measure", "actionplans.Draft", "actionplans.Review", "actionplans.ReviewComment"]
    models += ["actionplans.CommentReply", "actionplans.MeasureLink", "actionplans.ExtensionRequest"]
    assert {m: story["first"][m] for m in models} == {m: story["second"][m] for m in models}


def test_round_2009_deadline_moved_by_the_coordination_group(round_):
    assert round_.name == "Handlingsprogram 2009"
    assert round_.deadline.due_date == D(2009, 1, 15)
    assert round_.open_to_cities == Round.Openness.AFTER_DEADLINE
    extension = round_.deadline.extensions.select_related("decided_by").get()
    assert (extension.old_date, extension.new_date) == (D(2008, 12, 31), D(2009, 1, 15))
    assert extension.decided_by.username == "departementet"
    assert extension.decided_by_text == "Koordineringsgruppen, 16.12.2008"
    assert local(extension.decided_at) == datetime.datetime(2008, 12, 16, 15, 0, tzinfo=OSLO)
    assert "ingen felles mal" in extension.reason
    assert "årsskiftet" in extension.reason


def test_round_2009_every_city_submitted_on_a_working_day(programmes):
    assert len(programmes) == 13
    assert {p.status for p in programmes.values()} == {ActionProgramme.Status.SUBMITTED}
    assert all(p.submitted_on_time for p in programmes.values())
    days = {slug: local(p.submitted_at).date() for slug, p in programmes.items()}
    assert all(is_working_day(day) for day in days.values())
    assert min(days.values()) == D(2008, 12, 29)
    assert max(days.values()) == D(2009, 1, 22)
    assert sorted(slug for slug, day in days.items() if day < D(2009, 1, 1)) == ["bergen", "kristiansand", "trondheim"]
    assert sum(1 for day in days.values() if D(2009, 1, 12) <= day <= D(2009, 1, 15)) == 9
    assert {slug: p.submitted_by.username for slug, p in programmes.items()} == {
        slug: f"kontakt-{slug}" for slug in programmes
    }
    # The submission is kept in the history, by the contact, at the moment it was made.
    changes = StatusChange.objects.filter(programme__in=programmes.values(), to_status="submitted")
    assert sorted(c.changed_at for c in changes) == sorted(p.submitted_at for p in programmes.values())


def test_round_2009_late_city_got_its_own_date_and_was_on_time(programmes):
    tromso = programmes["tromso"]
    request = ExtensionRequest.objects.select_related("requested_by", "decided_by").get(programme__round=tromso.round)
    assert request.programme_id == tromso.pk
    assert request.status == ExtensionRequest.Status.APPROVED
    assert request.requested_date == request.granted_date == D(2009, 1, 23)
    assert "22.01.2009" in request.reason
    assert (request.requested_by.username, request.decided_by.username) == ("kontakt-tromso", "departementet")
    assert local(request.requested_at).date() == D(2009, 1, 12)
    assert local(request.decided_at).date() == D(2009, 1, 13)
    assert tromso.extended_due_date == D(2009, 1, 23)
    assert local(tromso.submitted_at).date() == D(2009, 1, 22)
    assert tromso.submitted_on_time is True
    assert tromso.submitted_draft.note == "Vedtatt i kommunestyret 22.01.2009"


def test_round_2009_drafts_by_the_contacts_before_submitting(programmes):
    drafts = Draft.objects.filter(programme__in=programmes.values()).select_related("uploaded_by", "programme__city")
    assert drafts.count() == 28
    for draft in drafts:
        programme = programmes[draft.programme.city.slug]
        uploaded = local(draft.uploaded_at)
        assert draft.uploaded_by.username == f"kontakt-{programme.city.slug}"
        assert is_working_day(uploaded.date()), draft
        assert D(2008, 10, 1) <= uploaded.date() and draft.uploaded_at <= programme.submitted_at, draft
    per_city = Counter(d.programme.city.slug for d in drafts)
    assert set(per_city.values()) == {1, 2, 3}
    for slug, programme in programmes.items():
        assert programme.submitted_draft.number == per_city[slug]
    notes = {d.note for d in drafts if d.number == 1}
    assert "Administrativt utkast" in notes
    assert "Etter politisk behandling" in {d.note for d in drafts}
    # A measure is entered before the first version that lists it is uploaded.
    last = {p.pk: p.submitted_draft.uploaded_at for p in programmes.values()}
    first = {d.programme_id: d.uploaded_at for d in drafts if d.number == 1}
    for measure in Measure.objects.filter(programme__in=programmes.values()):
        assert measure.created_at < last[measure.programme_id]
    assert (
        sum(
            1 for m in Measure.objects.filter(programme__in=programmes.values()) if m.created_at > first[m.programme_id]
        )
        == 24
    )


def test_round_2009_measures_in_every_theme_for_every_city(round_, programmes):
    measures = Measure.objects.filter(programme__round=round_).select_related("programme__city", "theme_area")
    assert measures.count() == 101
    themes = {}
    for m in measures:
        themes.setdefault(m.programme.city.slug, Counter())[m.theme_area.code] += 1
    assert set(themes) == set(programmes)
    for slug, counts in themes.items():
        assert set(counts) == {"atp", "energy", "consumption", "adaptation"}, slug
        assert 6 <= sum(counts.values()) <= 10, slug
    assert set(measures.values_list("status", flat=True)) == {"planned", "ongoing", "done"}
    assert measures.filter(category__isnull=True).count() == 14
    assert measures.filter(state_cooperation_wanted=True).count() == 54
    adaptation = measures.filter(theme_area__code="adaptation")
    assert set(adaptation.values_list("expected_effect", flat=True)) == {0}
    by_city = dict(measures.values_list("programme__city__slug").annotate(effect=Sum("expected_effect")))
    assert by_city["oslo"] == 94000
    assert by_city["bergen"] == 24400
    assert max(by_city.values()) == by_city["oslo"]
    assert min(by_city.values()) == by_city["skien"] == 4420


def test_round_2009_every_row_of_the_data_file_passes_the_measure_form(story):
    rows, refused = rows_the_measure_form_refuses(round_2009.MEASURES_FILE)
    assert refused == []
    assert {row["state_cooperation"] for row in rows} == {"yes", "no"}
    assert {row["version"] for row in rows} == {"1", "2"}
    assert len({(row["city"], row["title"]) for row in rows}) == len(rows) == 101


def test_round_2009_total_effect_is_the_sum_of_the_measures(round_):
    totals = effect_totals(round_, submitted_only=True)
    assert totals["total"] == {"effect": 210470, "count": 101}
    assert {row["theme_area__code"]: row["effect"] for row in totals["by_theme"]} == {
        "atp": 75220,
        "energy": 109000,
        "consumption": 26250,
        "adaptation": 0,
    }


def test_round_2009_joint_programme_of_stavanger_and_sandnes(programmes):
    stavanger, sandnes = programmes["stavanger"], programmes["sandnes"]
    titles = [set(p.measures.values_list("title", flat=True)) for p in (stavanger, sandnes)]
    assert titles[0] == titles[1] and len(titles[0]) == 8
    for programme in (stavanger, sandnes):
        for draft in programme.drafts.all():
            assert draft.original_name == "Felles handlingsprogram for Stavanger og Sandnes.pdf"
            assert "Stavanger og Sandnes" in draft.note
    # The same document, each city's share of the figures.
    assert stavanger.submitted_draft.sha256 == sandnes.submitted_draft.sha256
    assert stavanger.measures.aggregate(e=Sum("expected_effect"))["e"] == 9900
    assert sandnes.measures.aggregate(e=Sum("expected_effect"))["e"] == 5700


def test_round_2009_theme_reviews_by_the_coordinators(round_):
    reviews = Review.objects.filter(programme__round=round_, theme_area__isnull=False).select_related(
        "programme__city", "theme_area", "programme__submitted_draft"
    )
    assert reviews.count() == 52
    assert Counter(r.status for r in reviews) == {"completed": 49, "comments_sent": 3}
    assert {(r.programme.city.slug, r.theme_area.code) for r in reviews if r.status == "comments_sent"} == {
        ("tromso", "atp"),
        ("porsgrunn", "adaptation"),
        ("skien", "energy"),
    }
    for review in reviews:
        coordinator = COORDINATORS[review.theme_area.code]
        programme = review.programme
        changes = list(review.status_changes.select_related("changed_by"))
        assert {c.changed_by.username for c in changes} == {coordinator}
        first_day = (
            D(2009, 1, 5) if programme.submitted_at < datetime.datetime(2009, 1, 1, tzinfo=OSLO) else D(2009, 1, 16)
        )
        assert local(changes[0].changed_at).date() >= first_day
        assert changes[0].changed_at > programme.submitted_at
        assert review.assessment.startswith("Programmet har ")
        if review.status == "completed":
            assert review.completed_at < datetime.datetime(2009, 3, 30, tzinfo=OSLO)
            assert review.reviewed_draft == programme.submitted_draft
        comments = list(review.comments.select_related("author", "measure"))
        assert 1 <= len(comments) <= 3
        for comment in comments:
            assert comment.author.username == coordinator
            assert comment.measure.programme_id == programme.pk
            assert comment.measure.theme_area_id == review.theme_area_id
            assert comment.created_at > programme.submitted_at
            for reply in comment.replies.select_related("author"):
                assert reply.author.username == f"kontakt-{programme.city.slug}"
                assert reply.created_at > comment.created_at
                assert is_working_day(local(reply.created_at).date())
            if comment.resolved_at:
                assert comment.resolved_by.username == coordinator
                assert comment.resolved_at > comment.replies.get().created_at
    comments = ReviewComment.objects.filter(review__in=reviews)
    assert comments.count() == 80
    answered = comments.filter(replies__isnull=False).distinct().count()
    assert answered == 68
    assert comments.filter(resolved_at__isnull=False).count() == 31
    assert comments.filter(text__startswith="Hvordan er effekten beregnet?").count() >= 10
    assert comments.filter(text__startswith="Er tiltaket finansiert?").count() >= 5
    assert comments.filter(text__startswith="Kan dette ses i sammenheng med «").count() >= 5


def test_round_2009_candidates_of_every_kind(round_):
    marked = Measure.objects.filter(programme__round=round_).exclude(candidate_kind="")

    def cities(kind, theme, category=None):
        found = marked.filter(candidate_kind=kind, theme_area__code=theme)
        if category:
            found = found.filter(category__name_nb=category)
        return set(found.values_list("programme__city__name", flat=True))

    assert cities("long_term_economic", "atp", "Kollektivtransport") == {"Oslo", "Bergen", "Trondheim", "Kristiansand"}
    assert cities("long_term_economic", "energy", "Fjernvarme") == {"Oslo", "Trondheim", "Drammen"}
    assert cities("pilot_project", "atp", "Fortetting ved knutepunkter") == {"Trondheim", "Drammen"}
    assert cities("competence_building", "energy", "Passivhus") == {"Bergen", "Stavanger", "Sandnes"}
    assert cities("competence_building", "consumption", "Innkjøp") == {"Oslo", "Bærum", "Fredrikstad"}
    assert cities("joint_study", "consumption", "Avfallsforebygging") == {"Oslo", "Fredrikstad", "Sarpsborg"}
    assert cities("joint_study", "adaptation") == {"Bergen", "Drammen", "Tromsø"}
    shared = marked.filter(candidate_kind="shared_data")
    assert shared.count() == 7
    assert all("regnskap" in title for title in shared.values_list("title", flat=True))
    assert Counter(marked.values_list("candidate_kind", flat=True)) == {
        "long_term_economic": 7,
        "pilot_project": 2,
        "competence_building": 6,
        "joint_study": 6,
        "shared_data": 7,
    }


def test_round_2009_cross_theme_review_by_the_consultant(round_):
    reviews = Review.objects.filter(programme__round=round_, theme_area__isnull=True).select_related("programme__city")
    assert reviews.count() == 13
    assert Counter(r.status for r in reviews) == {"completed": 11, "in_progress": 2}
    changes = ReviewStatusChange.objects.filter(review__in=reviews).select_related("changed_by")
    assert {c.changed_by.username for c in changes} == {"konsulent"}
    assert all(D(2009, 2, 1) <= local(c.changed_at).date() <= D(2009, 3, 31) for c in changes)
    links = MeasureLink.objects.filter(source__programme__round=round_).select_related(
        "source__programme__city", "target", "created_by"
    )
    assert links.count() == 21
    assessments = {r.programme_id: r.assessment for r in reviews}
    for link in links:
        assert link.created_by.username == "konsulent"
        assert link.source.programme_id == link.target.programme_id
        assert link.source.theme_area_id != link.target.theme_area_id
        assert D(2009, 2, 1) <= local(link.created_at).date() <= D(2009, 3, 31)
        assert link.note
        assert f"«{link.source.title}» og «{link.target.title}»" in assessments[link.source.programme_id]
    assert len({link.source.programme_id for link in links}) == 13
    theme_pairs = Counter(frozenset((link.source.theme_area.code, link.target.theme_area.code)) for link in links)
    assert theme_pairs[frozenset(("atp", "energy"))] >= 5
    assert theme_pairs[frozenset(("atp", "adaptation"))] >= 5


def test_round_2009_similar_groups_find_text_groups(round_):
    text_groups = [g for g in similar_groups(round_) if g["kind"] == "text"]
    found = {(g["theme_area"].code, tuple(g["cities"])) for g in text_groups}
    assert ("consumption", ("Drammen", "Kristiansand", "Porsgrunn", "Skien", "Trondheim")) in found
    assert ("adaptation", ("Bærum", "Kristiansand", "Porsgrunn")) in found
    assert ("atp", ("Bergen", "Sarpsborg", "Skien")) in found


def test_round_2009_nothing_dated_after_may_2009(round_):
    of_round = {"programme__round": round_}
    dated = [
        StatusChange.objects.filter(**of_round).values_list("changed_at", flat=True),
        Draft.objects.filter(**of_round).values_list("uploaded_at", flat=True),
        Measure.objects.filter(**of_round).values_list("created_at", flat=True),
        Review.objects.filter(**of_round).values_list("updated_at", flat=True),
        Review.objects.filter(**of_round, completed_at__isnull=False).values_list("completed_at", flat=True),
        ReviewStatusChange.objects.filter(review__programme__round=round_).values_list("changed_at", flat=True),
        ReviewComment.objects.filter(review__programme__round=round_).values_list("created_at", flat=True),
        ReviewComment.objects.filter(review__programme__round=round_, resolved_at__isnull=False).values_list(
            "resolved_at", flat=True
        ),
        CommentReply.objects.filter(comment__review__programme__round=round_).values_list("created_at", flat=True),
        MeasureLink.objects.filter(source__programme__round=round_).values_list("created_at", flat=True),
        ExtensionRequest.objects.filter(**of_round).values_list("decided_at", flat=True),
        round_.deadline.extensions.values_list("decided_at", flat=True),
    ]
    moments = [moment for query in dated for moment in query]
    assert len(moments) > 600
    assert max(moments) < END_OF_MAY
    assert min(moments) >= datetime.datetime(2008, 6, 1, tzinfo=OSLO)
