"""Reviews of submitted action programmes: who may read and write them, what the
city sees and answers, the status flow and its e-mail, the figures across
programmes, the queue and the grid, bad input, query counts and the inline PDF."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actionplans import analysis, notifications, services, tasks
from actionplans.models import (
    ActionProgramme,
    CommentReply,
    Measure,
    MeasureLink,
    Review,
    ReviewComment,
    ReviewStatusChange,
)
from cities.models import Membership, Profile
from outbox.models import OutgoingMail
from tests import factories
from tests.conftest import upload
from tests.files import make_docx, make_pdf

Role = Membership.Role
RS = Review.Status


# Personas and data beyond tests/conftest.py


def _persona(username, role, **scope):
    user = factories.UserFactory(username=username)
    factories.MembershipFactory(user=user, role=role, **scope)
    return user


@pytest.fixture
def energy_coordinator(energy):
    return _persona("koordinator-energi", Role.COORDINATOR, theme_area=energy)


@pytest.fixture
def network_leader(atp):
    return _persona("nettverksleder-atp", Role.NETWORK_LEADER, theme_area=atp)


@pytest.fixture
def measures(bergen_programme, atp, energy):
    """Bergen's measures, made while the programme can still change."""
    return SimpleNamespace(
        parking=factories.MeasureFactory(
            programme=bergen_programme, theme_area=atp, title="Parkeringsnorm for nye boliger"
        ),
        bus=factories.MeasureFactory(programme=bergen_programme, theme_area=atp, title="Kollektivfelt på E39"),
        heat=factories.MeasureFactory(programme=bergen_programme, theme_area=energy, title="Varmepumper i skoler"),
    )


@pytest.fixture
def programme(measures, request):
    """Bergen's programme, submitted (version 1, a PDF) with the measures above."""
    return request.getfixturevalue("bergen_submitted")


def log_in(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def submit(programme, by, at=None, content=None, name="handlingsprogram.pdf"):
    upload(programme, by, content=content, name=name)
    return services.submit_programme(programme, by=by, now=at)


def review_url(programme, theme):
    return reverse("actionplans:review_detail", args=[programme.pk, theme.code])


def programme_url(programme):
    return reverse("actionplans:programme_detail", args=[programme.pk])


# Who may read and write


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("energy_coordinator", 200),
        ("network_leader", 200),
        ("manager", 200),
        ("superuser", 200),
        ("partner", 403),
        ("contact_bergen", 403),
        ("contact_oslo", 404),
        ("outsider", 404),
    ],
)
def test_who_reads_a_programmes_reviews(request, client, programme, atp, persona, status):
    log_in(client, request.getfixturevalue(persona))

    assert client.get(review_url(programme, atp)).status_code == status
    assert client.get(reverse("actionplans:cross_review", args=[programme.pk])).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("energy_coordinator", 200),
        ("manager", 200),
        ("partner", 403),
        ("contact_bergen", 403),
        ("outsider", 403),
    ],
)
@pytest.mark.parametrize(
    ("url_name", "args"),
    [
        ("actionplans:review_grid", []),
        ("actionplans:review_queue", ["atp"]),
        ("actionplans:theme_compare", ["atp"]),
        ("actionplans:effect_totals", []),
        ("actionplans:similar_measures", []),
    ],
)
def test_who_reads_the_review_overviews(request, client, programme, persona, status, url_name, args):
    log_in(client, request.getfixturevalue(persona))

    assert client.get(reverse(url_name, args=args)).status_code == status


def test_review_pages_of_an_unsubmitted_programme_are_hidden(client, coordinator, manager, oslo_programme, atp):
    factories.MeasureFactory(programme=oslo_programme, theme_area=atp)
    log_in(client, coordinator)
    assert client.get(review_url(oslo_programme, atp)).status_code == 404
    log_in(client, manager)
    assert client.get(review_url(oslo_programme, atp)).status_code == 403


def _write_everything(client, programme, theme, measure):
    """Save the review, add a comment and mark a candidate; the three status codes."""
    return (
        client.post(
            reverse("actionplans:review_save", args=[programme.pk, theme.code]),
            {"assessment": "Godt arbeid", "status": RS.COMMENTS_SENT},
        ).status_code,
        client.post(
            reverse("actionplans:comment_add", args=[programme.pk, theme.code]),
            {"measure": measure.pk, "text": "Hva med sykkelparkering?"},
        ).status_code,
        client.post(reverse("actionplans:measure_candidate", args=[measure.pk]), {"kind": "pilot_project"}).status_code,
    )


@pytest.mark.parametrize("persona", ["coordinator", "network_leader", "manager"])
def test_staff_of_the_theme_and_management_write_the_review(request, client, programme, measures, atp, persona):
    user = request.getfixturevalue(persona)
    log_in(client, user)

    assert _write_everything(client, programme, atp, measures.parking) == (302, 302, 302)

    review = Review.objects.get()
    assert (review.programme, review.theme_area, review.status, review.assessment) == (
        programme,
        atp,
        RS.COMMENTS_SENT,
        "Godt arbeid",
    )
    comment = ReviewComment.objects.get()
    assert (comment.review, comment.measure, comment.text, comment.author) == (
        review,
        measures.parking,
        "Hva med sykkelparkering?",
        user,
    )
    measures.parking.refresh_from_db()
    assert measures.parking.candidate_kind == "pilot_project"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("energy_coordinator", 403),
        ("partner", 403),
        ("contact_bergen", 403),
        ("contact_oslo", 404),
        ("outsider", 404),
    ],
)
def test_others_cannot_write_the_review(request, client, programme, measures, atp, persona, status):
    log_in(client, request.getfixturevalue(persona))

    assert _write_everything(client, programme, atp, measures.parking) == (status, status, status)

    assert not Review.objects.exists()
    assert not ReviewComment.objects.exists()
    assert not ReviewStatusChange.objects.exists()
    measures.parking.refresh_from_db()
    assert measures.parking.candidate_kind == ""


def test_a_coordinator_reads_other_themes_but_writes_only_its_own(client, energy_coordinator, programme, measures, atp):
    log_in(client, energy_coordinator)

    atp_page = client.get(review_url(programme, atp))
    energy_page = client.get(review_url(programme, measures.heat.theme_area))

    assert atp_page.status_code == energy_page.status_code == 200
    assert atp_page.context["can_write"] is False
    assert atp_page.context["comment_form"] is None
    assert "Parkeringsnorm for nye boliger" in atp_page.content.decode()
    assert energy_page.context["can_write"] is True
    assert _write_everything(client, programme, measures.heat.theme_area, measures.heat) == (302, 302, 302)
    assert list(Review.objects.values_list("theme_area__code", flat=True)) == ["energy"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coordinator", 403), ("energy_coordinator", 403), ("partner", 403), ("contact_bergen", 403)],
)
def test_only_management_writes_the_cross_theme_summary_and_links(
    request, client, programme, measures, persona, status
):
    log_in(client, request.getfixturevalue(persona))
    cross_url = reverse("actionplans:cross_review", args=[programme.pk])
    link_url = reverse("actionplans:measure_link", args=[programme.pk])

    assert client.post(cross_url, {"assessment": "Helhetlig", "status": RS.IN_PROGRESS}).status_code == status
    link = {"source": measures.parking.pk, "target": measures.heat.pk, "note": "Samme bygg"}
    assert client.post(link_url, link).status_code == status

    assert not Review.objects.exists()
    assert not MeasureLink.objects.exists()


def test_management_writes_the_cross_theme_summary_and_links(client, manager, programme, measures):
    log_in(client, manager)
    cross_url = reverse("actionplans:cross_review", args=[programme.pk])

    assert client.get(cross_url).context["can_write"] is True
    response = client.post(cross_url, {"assessment": "Helhetlig", "status": RS.IN_PROGRESS})
    assert response.status_code == 302
    link = {"source": measures.parking.pk, "target": measures.heat.pk, "note": "Samme bygg"}
    response = client.post(reverse("actionplans:measure_link", args=[programme.pk]), link)
    assert messages_of(response)[-1] == "The measures were linked."

    cross = Review.objects.get()
    assert (cross.theme_area, cross.status, cross.assessment) == (None, RS.IN_PROGRESS, "Helhetlig")
    assert list(cross.status_changes.values_list("from_status", "to_status", "changed_by")) == [
        (RS.NOT_STARTED, RS.IN_PROGRESS, manager.pk)
    ]
    link = MeasureLink.objects.get()
    assert (link.source, link.target, link.note, link.created_by) == (
        measures.parking,
        measures.heat,
        "Samme bygg",
        manager,
    )
    content = client.get(cross_url).content.decode()
    assert "Helhetlig" in content
    assert "Samme bygg" in content


def test_a_coordinator_marks_candidates_only_in_its_own_theme(client, coordinator, programme, measures):
    log_in(client, coordinator)

    response = client.post(reverse("actionplans:measure_candidate", args=[measures.heat.pk]), {"kind": "joint_study"})

    assert response.status_code == 403
    measures.heat.refresh_from_db()
    assert measures.heat.candidate_kind == ""


def test_coordinator_keeps_the_review_of_a_reopened_programme(client, coordinator, manager, programme, atp):
    services.reopen_programme(programme, by=manager, comment="Rett opp")
    log_in(client, coordinator)

    assert review_url(programme, atp) in client.get(reverse("actionplans:review_grid")).content.decode()
    assert client.get(review_url(programme, atp)).status_code == 200


def test_a_link_is_stored_once_whichever_way_it_is_entered(client, manager, programme, measures):
    log_in(client, manager)
    url = reverse("actionplans:measure_link", args=[programme.pk])

    client.post(url, {"source": measures.parking.pk, "target": measures.heat.pk})
    client.post(url, {"source": measures.parking.pk, "target": measures.heat.pk})
    assert MeasureLink.objects.count() == 1
    client.post(url, {"source": measures.heat.pk, "target": measures.parking.pk})
    assert MeasureLink.objects.count() == 1


# What the city sees and answers


@pytest.fixture
def commented(programme, measures, atp, coordinator):
    """A review of Bergen in progress, with a comment on a measure and one on the theme."""
    review = services.review_for(programme, atp)
    comment = services.add_comment(review, measure=measures.parking, text="Vurder en lavere norm", by=coordinator)
    general = services.add_comment(review, measure=None, text="Gjennomarbeidet tema", by=coordinator)
    services.update_review(review, assessment="Solid plan", status=RS.IN_PROGRESS, by=coordinator)
    return SimpleNamespace(review=review, comment=comment, general=general)


def test_city_sees_the_comments_only_once_they_are_sent(client, contact_bergen, coordinator, programme, commented):
    texts = ("Vurder en lavere norm", "Gjennomarbeidet tema", "Solid plan")
    reply_action = reverse("actionplans:comment_reply", args=[commented.comment.pk])
    log_in(client, contact_bergen)

    before = client.get(programme_url(programme)).content.decode()
    assert [t in before for t in texts] == [False, False, False]
    assert reply_action not in before

    services.update_review(commented.review, assessment="Solid plan", status=RS.COMMENTS_SENT, by=coordinator)

    after = client.get(programme_url(programme)).content.decode()
    assert [t in after for t in texts] == [True, True, True]
    assert reply_action in after
    assert reverse("actionplans:comment_resolve", args=[commented.comment.pk]) in after

    services.update_review(commented.review, assessment="Solid plan", status=RS.COMPLETED, by=coordinator)
    assert "Vurder en lavere norm" in client.get(programme_url(programme)).content.decode()


def test_reviewers_see_the_comments_before_they_are_sent(client, manager, programme, commented):
    log_in(client, manager)

    content = client.get(programme_url(programme)).content.decode()

    assert "Vurder en lavere norm" in content
    # Reviewers answer on the review page, not on the city's.
    assert reverse("actionplans:comment_reply", args=[commented.comment.pk]) not in content


def test_another_city_sees_nothing_of_the_review(
    client, contact_oslo, oslo_programme, coordinator, programme, commented
):
    services.update_review(commented.review, assessment="", status=RS.COMMENTS_SENT, by=coordinator)
    log_in(client, contact_oslo)

    assert client.get(programme_url(programme)).status_code == 404
    assert "Vurder en lavere norm" not in client.get(programme_url(oslo_programme)).content.decode()
    for name in ("actionplans:comment_reply", "actionplans:comment_resolve"):
        response = client.post(reverse(name, args=[commented.comment.pk]), {"text": "Hei"})
        assert response.status_code == 404
    assert not CommentReply.objects.exists()
    assert ReviewComment.objects.filter(resolved_at__isnull=False).count() == 0


def test_comments_and_answers_are_escaped(client, contact_bergen, coordinator, programme, measures, atp):
    review = services.review_for(programme, atp)
    comment = services.add_comment(review, measure=measures.parking, text="<script>alert(1)</script>", by=coordinator)
    services.reply_to_comment(comment, text="<b>svar</b>", by=contact_bergen)
    services.update_review(review, assessment="<i>vurdering</i>", status=RS.COMMENTS_SENT, by=coordinator)

    for user, url in ((contact_bergen, programme_url(programme)), (coordinator, review_url(programme, atp))):
        content = log_in(client, user).get(url).content.decode()
        assert "<script>alert(1)</script>" not in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
        assert "<b>svar</b>" not in content
        assert "<i>vurdering</i>" not in content


def test_city_cannot_answer_a_review_not_yet_sent(client, contact_bergen, commented):
    log_in(client, contact_bergen)

    reply = client.post(reverse("actionplans:comment_reply", args=[commented.comment.pk]), {"text": "Svar"})
    resolve = client.post(reverse("actionplans:comment_resolve", args=[commented.comment.pk]))

    assert (reply.status_code, resolve.status_code) == (403, 403)
    assert not CommentReply.objects.exists()
    commented.comment.refresh_from_db()
    assert commented.comment.resolved_at is None


def test_city_answers_and_resolves_in_its_latest_version(
    client, contact_bergen, coordinator, manager, programme, commented
):
    services.update_review(commented.review, assessment="", status=RS.COMMENTS_SENT, by=coordinator)
    log_in(client, contact_bergen)
    comment = commented.comment

    response = client.post(reverse("actionplans:comment_reply", args=[comment.pk]), {"text": "Vi ser på det"})
    assert response.status_code == 302
    assert response["Location"] == f"{programme_url(programme)}#comment-{comment.pk}"
    assert messages_of(response) == ["Your answer was saved."]
    reply = CommentReply.objects.get()
    assert (reply.comment, reply.text, reply.author) == (comment, "Vi ser på det", contact_bergen)

    # The programme is given back, the city uploads version 2 and resolves the comment in it.
    services.reopen_programme(programme, by=manager, comment="Rett opp normen")
    version_2 = upload(programme, contact_bergen, content=make_pdf("Versjon 2"))
    # The version is said, not guessed: without one, nothing is resolved.
    for version in ["", "nonsense", str(version_2.pk + 1000)]:
        response = client.post(reverse("actionplans:comment_resolve", args=[comment.pk]), {"version": version})
        assert messages_of(response)[-1] == "Say in which version the comment was resolved, or that it was without one."
    comment.refresh_from_db()
    assert comment.resolved_at is None
    response = client.post(reverse("actionplans:comment_resolve", args=[comment.pk]), {"version": version_2.pk})
    assert messages_of(response)[-1] == "The comment was marked resolved."
    comment.refresh_from_db()
    assert (comment.resolved_by, comment.resolved_in, version_2.number) == (contact_bergen, version_2, 2)
    resolved_at = comment.resolved_at
    assert resolved_at is not None

    # Resolving again changes nothing.
    client.post(reverse("actionplans:comment_resolve", args=[comment.pk]), {"version": "none"})
    comment.refresh_from_db()
    assert comment.resolved_at == resolved_at

    content = client.get(programme_url(programme)).content.decode()
    assert "Vi ser på det" in content
    assert "Resolved in version 2" in content
    assert reverse("actionplans:comment_resolve", args=[comment.pk]) not in content


def test_a_comment_resolved_without_a_new_version_says_so(client, contact_bergen, coordinator, programme, commented):
    services.update_review(commented.review, assessment="", status=RS.COMMENTS_SENT, by=coordinator)
    log_in(client, contact_bergen)
    client.cookies["django_language"] = "en"

    client.post(reverse("actionplans:comment_resolve", args=[commented.comment.pk]), {"version": "none"})

    commented.comment.refresh_from_db()
    assert (commented.comment.resolved_in, commented.comment.resolved_by) == (None, contact_bergen)
    assert "Resolved without a new version" in client.get(programme_url(programme)).content.decode()


def test_a_version_of_another_programme_is_refused(contact_bergen, coordinator, commented, oslo_draft):
    with pytest.raises(ValidationError, match="not one of this programme's"):
        services.resolve_comment(commented.comment, by=contact_bergen, version=oslo_draft)


def test_city_gets_a_message_for_an_empty_answer(client, contact_bergen, coordinator, commented):
    services.update_review(commented.review, assessment="", status=RS.COMMENTS_SENT, by=coordinator)
    log_in(client, contact_bergen)

    response = client.post(reverse("actionplans:comment_reply", args=[commented.comment.pk]), {"text": "  "})

    assert response.status_code == 302
    assert messages_of(response) == ["Write an answer before you send it."]
    assert not CommentReply.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("coordinator", 302), ("energy_coordinator", 403), ("partner", 403)])
def test_which_reviewers_answer_a_comment(request, client, commented, persona, status):
    log_in(client, request.getfixturevalue(persona))

    response = client.post(reverse("actionplans:comment_reply", args=[commented.comment.pk]), {"text": "Notat"})

    assert response.status_code == status
    assert CommentReply.objects.count() == (1 if status == 302 else 0)


# The status flow and its e-mail


def test_status_flow_keeps_history_and_mails_the_city_once_when_completed(
    client, coordinator, contact_bergen, contact_oslo, programme, measures, atp, django_capture_on_commit_callbacks
):
    second_contact = _persona("kontakt-bergen-2", Role.CITY_CONTACT, city=programme.city)
    Profile.objects.create(user=contact_bergen, language="en")
    mail.outbox.clear()
    log_in(client, coordinator)
    save_url = reverse("actionplans:review_save", args=[programme.pk, atp.code])

    def post(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            # Completing with the comment open is confirmed (the question: test_review_versions.py).
            response = client.post(url, {**data, "confirm": "yes"})
        assert response.status_code == 302
        return response

    # A first comment starts the review.
    post(reverse("actionplans:comment_add", args=[programme.pk, atp.code]), {"measure": "", "text": "Generelt"})
    review = Review.objects.get()
    assert review.status == RS.IN_PROGRESS
    post(save_url, {"assessment": "Ok", "status": RS.COMMENTS_SENT})
    # Saving with the same status keeps the history as it is.
    response = post(save_url, {"assessment": "Ok, med merknader", "status": RS.COMMENTS_SENT})
    assert messages_of(response)[-1] == "The review was saved."
    # The comments were sent to the city once, whatever is saved after (tests/actionplans/test_comment_mails.py).
    sent = OutgoingMail.objects.filter(kind="comments_sent", status=OutgoingMail.Status.SENT)
    assert sorted(sent.values_list("address", flat=True)) == sorted([contact_bergen.email, second_contact.email])
    mail.outbox.clear()

    post(save_url, {"assessment": "Ok, med merknader", "status": RS.COMPLETED})

    review.refresh_from_db()
    assert (review.status, review.assessment) == (RS.COMPLETED, "Ok, med merknader")
    assert review.completed_at is not None
    assert review.completion_notified_at is not None
    assert list(review.status_changes.values_list("from_status", "to_status", "changed_by")) == [
        (RS.NOT_STARTED, RS.IN_PROGRESS, coordinator.pk),
        (RS.IN_PROGRESS, RS.COMMENTS_SENT, coordinator.pk),
        (RS.COMMENTS_SENT, RS.COMPLETED, coordinator.pk),
    ]
    # One mail to each of Bergen's contacts, in each one's language; none to Oslo.
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert set(subjects) == {contact_bergen.email, second_contact.email}
    assert len(mail.outbox) == 2
    assert subjects[contact_bergen.email] == "Bergen: the review of Land use and transport is complete"
    assert "Areal og transport" in subjects[second_contact.email]
    assert "Land use and transport" not in subjects[second_contact.email]
    english = next(m for m in mail.outbox if m.to == [contact_bergen.email])
    assert programme_url(programme) in english.body
    assert "Ok, med merknader" in english.body

    # Running the task again, or the sweep for missed mails, sends nothing more.
    tasks.notify_review_completed.delay(review.pk)
    notifications.notify_review_completed(review.pk)
    notifications.send_missed(now=review.completed_at + datetime.timedelta(minutes=5))
    # Saving the completed review again neither.
    post(save_url, {"assessment": "Ferdig", "status": RS.COMPLETED})
    city_mails = [m for m in mail.outbox if m.to[0] in {contact_bergen.email, second_contact.email}]
    assert len(city_mails) == 2
    assert review.status_changes.count() == 3

    content = client.get(review_url(programme, atp)).content.decode()
    assert "Comments sent → Review completed (koordinator-atp)" in content


def test_the_history_is_shown_on_the_review_page(client, coordinator, programme, atp):
    review = services.review_for(programme, atp)
    services.update_review(review, assessment="", status=RS.COMMENTS_SENT, by=coordinator)
    log_in(client, coordinator)

    content = client.get(review_url(programme, atp)).content.decode()

    assert "Not reviewed yet → Comments sent (koordinator-atp)" in content


def test_completing_the_cross_theme_review_mails_no_blank_theme(
    manager, contact_bergen, programme, django_capture_on_commit_callbacks
):
    Profile.objects.create(user=contact_bergen, language="en")
    mail.outbox.clear()
    review = services.review_for(programme, None)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_review(review, assessment="", status=RS.COMPLETED, by=manager)

    assert [m.subject for m in mail.outbox if "the review of is complete" in m.subject] == []


# Totals


@pytest.fixture
def figures(round_, bergen_programme, oslo_programme, contact_bergen, contact_oslo, atp, energy):
    """Bergen submitted, Oslo a draft, and a measure in another round that counts nowhere."""
    make = factories.MeasureFactory
    make(programme=bergen_programme, theme_area=atp, expected_effect=Decimal("10.5"), status="planned")
    make(programme=bergen_programme, theme_area=atp, expected_effect=Decimal("20.0"), status="ongoing")
    make(programme=bergen_programme, theme_area=energy, expected_effect=Decimal("5.2"), status="done")
    make(programme=bergen_programme, theme_area=energy, expected_effect=None, status="planned")
    make(programme=oslo_programme, theme_area=atp, expected_effect=Decimal("100.1"), status="planned")
    make(programme=oslo_programme, theme_area=energy, expected_effect=Decimal("1.1"), status="ongoing")
    submit(bergen_programme, contact_bergen)
    upload(oslo_programme, contact_oslo)
    other_round = factories.RoundFactory(name="Handlingsprogram 2034", slug="handlingsprogram-2034")
    old = factories.ProgrammeFactory(round=other_round, city=bergen_programme.city)
    make(programme=old, theme_area=atp, expected_effect=Decimal("999.9"))


def _rows(rows, key):
    return {row[key]: (row["effect"], row["count"]) for row in rows}


def test_effect_totals_of_submitted_programmes(round_, figures):
    totals = analysis.effect_totals(round_, submitted_only=True)

    assert totals["total"] == {"effect": Decimal("35.7"), "count": 4}
    assert _rows(totals["by_theme"], "theme_area__code") == {
        "atp": (Decimal("30.5"), 2),
        "energy": (Decimal("5.2"), 2),
    }
    assert [row["theme_area__name_en"] for row in totals["by_theme"]] == [
        "Land use and transport",
        "Energy in buildings",
    ]
    assert _rows(totals["by_city"], "programme__city__name") == {"Bergen": (Decimal("35.7"), 4)}
    assert _rows(totals["by_status"], "status") == {
        "done": (Decimal("5.2"), 1),
        "ongoing": (Decimal("20.0"), 1),
        "planned": (Decimal("10.5"), 2),
    }


def test_effect_totals_name_the_cities_with_the_most_effect_and_sum_the_others(client, round_, atp, manager):
    from tests.actionplans.test_review_queue_pages import bulk_submitted

    programmes = bulk_submitted(round_, 25, by=manager)
    Measure.objects.bulk_create(
        Measure(programme=p, theme_area=atp, description="Tiltak", expected_effect=Decimal(i + 1))
        for i, p in enumerate(programmes)
    )

    totals = analysis.effect_totals(round_, submitted_only=True)

    assert [row["programme__city__name"] for row in totals["by_city"]] == [f"Kommune {i:03d}" for i in range(24, 4, -1)]
    assert totals["other_cities"] == {"cities": 5, "effect": Decimal(1 + 2 + 3 + 4 + 5), "count": 5}
    assert totals["total"] == {"effect": Decimal(sum(range(1, 26))), "count": 25}
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("actionplans:effect_totals")).text
    assert "By city: the 20 with the most effect" in html
    assert "5 other cities" in html
    assert "Kommune 004" not in html


def test_effect_totals_cost_the_same_for_3_and_30_cities(client, round_, atp, manager):
    from tests.actionplans.test_review_queue_pages import bulk_submitted

    client.force_login(manager)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("actionplans:effect_totals")).status_code == 200
        return len(queries)

    def grow(n, start):
        for p in bulk_submitted(round_, n, by=manager, start=start):
            factories.MeasureFactory(programme=p, theme_area=atp)

    grow(3, 0)
    few = count()
    grow(27, 3)
    assert count() == few


def test_effect_totals_of_all_programmes(round_, figures):
    totals = analysis.effect_totals(round_, submitted_only=False)

    assert totals["total"] == {"effect": Decimal("136.9"), "count": 6}
    assert _rows(totals["by_theme"], "theme_area__code") == {
        "atp": (Decimal("130.6"), 3),
        "energy": (Decimal("6.3"), 3),
    }
    assert _rows(totals["by_city"], "programme__city__name") == {
        "Bergen": (Decimal("35.7"), 4),
        "Oslo": (Decimal("101.2"), 2),
    }
    assert _rows(totals["by_status"], "status") == {
        "done": (Decimal("5.2"), 1),
        "ongoing": (Decimal("21.1"), 2),
        "planned": (Decimal("110.6"), 3),
    }


def test_effect_by_programme_and_by_city(round_, figures, bergen_programme, atp, energy):
    by_theme = analysis.programme_effect_by_theme(bergen_programme)
    assert [(r["theme_area__name_nb"], r["effect"], r["count"]) for r in by_theme] == [
        ("Areal og transport", Decimal("30.5"), 2),
        ("Energi i bygg", Decimal("5.2"), 2),
    ]
    # Submitted programmes only: Oslo's draft is left out.
    assert analysis.theme_effect_by_city(round_, atp) == {bergen_programme.city_id: Decimal("30.5")}
    assert analysis.theme_effect_by_city(round_, energy) == {bergen_programme.city_id: Decimal("5.2")}


def test_effect_totals_page_shows_both_sets(client, manager, round_, figures):
    log_in(client, manager)

    response = client.get(reverse("actionplans:effect_totals"))

    (submitted_label, submitted), (all_label, everything) = response.context["sets"]
    assert (submitted_label, all_label) == ("Submitted programmes", "All programmes, drafts included")
    assert (submitted["total"]["effect"], everything["total"]["effect"]) == (Decimal("35.7"), Decimal("136.9"))
    assert "from 4 measures" in response.content.decode()


def test_effect_totals_page_shows_the_sums_as_entered(client, manager, round_, figures):
    log_in(client, manager)

    content = client.get(reverse("actionplans:effect_totals")).content.decode()

    assert "35.7 t CO₂e per year from 4 measures" in content
    assert "136.9 t CO₂e per year from 6 measures" in content


# The queue and the grid


@pytest.fixture
def queue(round_, oslo, bergen, atp, energy, coordinator, contact_oslo, contact_bergen):
    """Oslo submitted first, Bergen later, Trondheim a draft, Tromsø submitted in another round."""
    now = timezone.now()
    p = SimpleNamespace(
        bergen=factories.ProgrammeFactory(round=round_, city=bergen),
        oslo=factories.ProgrammeFactory(round=round_, city=oslo),
        trondheim=factories.ProgrammeFactory(
            round=round_, city=factories.CityFactory(name="Trondheim", slug="trondheim")
        ),
    )
    submit(p.bergen, contact_bergen, at=now - datetime.timedelta(days=1))
    submit(p.oslo, contact_oslo, at=now - datetime.timedelta(days=3))
    upload(p.trondheim, contact_oslo)
    other_round = factories.RoundFactory(name="Handlingsprogram 2034", slug="handlingsprogram-2034")
    tromso = factories.CityFactory(name="Tromsø", slug="tromso")
    submit(factories.ProgrammeFactory(round=other_round, city=tromso), contact_oslo)
    services.update_review(services.review_for(p.bergen, atp), assessment="", status=RS.COMMENTS_SENT, by=coordinator)
    services.update_review(services.review_for(p.oslo, energy), assessment="", status=RS.COMPLETED, by=coordinator)
    services.update_review(services.review_for(p.bergen, None), assessment="", status=RS.COMPLETED, by=coordinator)
    return p


def _queue_cities(client, theme="atp", **params):
    response = client.get(reverse("actionplans:review_queue", args=[theme]), params)
    assert response.status_code == 200
    return [(p.city.name, p.review_status) for p in response.context["programmes"]]


def test_queue_lists_submitted_programmes_earliest_first(client, coordinator, queue):
    log_in(client, coordinator)

    assert _queue_cities(client) == [("Oslo", RS.NOT_STARTED), ("Bergen", RS.COMMENTS_SENT)]
    assert _queue_cities(client, theme="energy") == [("Oslo", RS.COMPLETED), ("Bergen", RS.NOT_STARTED)]
    response = client.get(reverse("actionplans:review_queue", args=["atp"]))
    assert [c.name for c in response.context["cities"]] == ["Bergen", "Oslo"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "not_started"}, ["Oslo"]),
        ({"status": "comments_sent"}, ["Bergen"]),
        ({"status": "completed"}, []),
        ({"status": "in_progress"}, []),
        ({"status": "nonsense"}, ["Oslo", "Bergen"]),
        ({"city": "bergen"}, ["Bergen"]),
        ({"city": "trondheim"}, []),
        ({"city": "oslo", "status": "not_started"}, ["Oslo"]),
        ({"city": "oslo", "status": "comments_sent"}, []),
    ],
)
def test_queue_filters_by_status_and_city(client, coordinator, queue, params, expected):
    log_in(client, coordinator)

    assert [name for name, _status in _queue_cities(client, **params)] == expected


def test_queue_page_links_to_the_review(client, coordinator, queue, atp):
    log_in(client, coordinator)

    content = client.get(reverse("actionplans:review_queue", args=["atp"])).content.decode()

    assert review_url(queue.bergen, atp) in content
    assert review_url(queue.oslo, atp) in content
    assert "Trondheim" not in content.split("<tbody>")[1]


def test_grid_shows_every_city_and_theme(client, manager, queue, atp, energy):
    log_in(client, manager)

    response = client.get(reverse("actionplans:review_grid"))

    rows = {row["programme"].city.name: row["cells"] for row in response.context["rows"]}
    assert rows == {
        "Bergen": [(atp, RS.COMMENTS_SENT), (energy, RS.NOT_STARTED)],
        "Oslo": [(atp, RS.NOT_STARTED), (energy, RS.COMPLETED)],
        "Trondheim": [(atp, RS.NOT_STARTED), (energy, RS.NOT_STARTED)],
    }
    assert [row["programme"].city.name for row in response.context["rows"]] == ["Bergen", "Oslo", "Trondheim"]
    content = response.content.decode()
    # Submitted programmes link to each theme's review; the draft has none.
    assert review_url(queue.bergen, energy) in content
    assert review_url(queue.oslo, atp) in content
    assert reverse("actionplans:cross_review", args=[queue.trondheim.pk]) not in content
    assert review_url(queue.trondheim, atp) not in content


# Bad input: a message, nothing stored, never a 500


def _assert_nothing_stored():
    assert not Review.objects.exists()
    assert not ReviewComment.objects.exists()
    assert not ReviewStatusChange.objects.exists()


@pytest.mark.parametrize("text", ["", "   "])
def test_comment_with_empty_text_is_refused(client, coordinator, programme, measures, atp, text):
    log_in(client, coordinator)

    response = client.post(
        reverse("actionplans:comment_add", args=[programme.pk, atp.code]),
        {"measure": measures.parking.pk, "text": text},
    )

    assert response.status_code == 302
    assert messages_of(response) == ["The comment was not added: This field is required."]
    _assert_nothing_stored()


@pytest.mark.parametrize("which", ["other_programme", "other_theme", "unknown", "not_a_number"])
def test_comment_on_a_measure_outside_the_review_is_refused(
    client, coordinator, programme, measures, oslo_programme, atp, which
):
    oslo_measure = factories.MeasureFactory(programme=oslo_programme, theme_area=atp)
    measure = {
        "other_programme": oslo_measure.pk,
        "other_theme": measures.heat.pk,
        "unknown": 987654,
        "not_a_number": "abc",
    }[which]
    log_in(client, coordinator)

    response = client.post(
        reverse("actionplans:comment_add", args=[programme.pk, atp.code]), {"measure": measure, "text": "Hmm"}
    )

    assert response.status_code == 302
    [message] = messages_of(response)
    assert message.startswith("The comment was not added: Select a valid choice.")
    _assert_nothing_stored()


def test_service_refuses_a_comment_on_a_measure_outside_the_review(coordinator, programme, measures, atp):
    review = services.review_for(programme, atp)
    with pytest.raises(ValidationError) as refused:
        services.add_comment(review, measure=measures.heat, text="Feil tema", by=coordinator)
    assert refused.value.code == "wrong_measure"
    assert not ReviewComment.objects.exists()


@pytest.mark.parametrize("kind", ["nonsense", "PILOT_PROJECT", "x" * 40])
def test_unknown_candidate_kind_is_refused(client, coordinator, programme, measures, kind):
    Measure.objects.filter(pk=measures.parking.pk).update(candidate_kind="joint_study")
    log_in(client, coordinator)

    response = client.post(reverse("actionplans:measure_candidate", args=[measures.parking.pk]), {"kind": kind})

    assert response.status_code == 302
    assert messages_of(response) == ["Choose a kind of agreement from the list."]
    measures.parking.refresh_from_db()
    assert measures.parking.candidate_kind == "joint_study"


def test_candidate_is_marked_and_unmarked(client, coordinator, programme, measures, atp):
    log_in(client, coordinator)
    url = reverse("actionplans:measure_candidate", args=[measures.parking.pk])

    response = client.post(url, {"kind": "shared_data"})
    assert response["Location"] == f"{review_url(programme, atp)}#measure-{measures.parking.pk}"
    measures.parking.refresh_from_db()
    assert measures.parking.candidate_kind == "shared_data"
    # An outside "next" is not followed.
    response = client.post(url, {"kind": "", "next": "https://evil.example/"})
    assert response["Location"].startswith(review_url(programme, atp))
    measures.parking.refresh_from_db()
    assert measures.parking.candidate_kind == ""


@pytest.mark.parametrize("which", ["same_theme", "same_measure", "other_programme", "missing_target"])
def test_bad_links_are_refused(client, manager, programme, measures, oslo_programme, energy, which):
    oslo_measure = factories.MeasureFactory(programme=oslo_programme, theme_area=energy)
    source, target = {
        "same_theme": (measures.parking.pk, measures.bus.pk),
        "same_measure": (measures.parking.pk, measures.parking.pk),
        "other_programme": (measures.parking.pk, oslo_measure.pk),
        "missing_target": (measures.parking.pk, ""),
    }[which]
    log_in(client, manager)

    response = client.post(
        reverse("actionplans:measure_link", args=[programme.pk]), {"source": source, "target": target, "note": "x"}
    )

    assert response.status_code == 302
    [message] = messages_of(response)
    assert message.startswith(("The measures were not linked", "Link measures of the same programme"))
    assert not MeasureLink.objects.exists()


def test_service_refuses_links_across_programmes(manager, programme, measures, oslo_programme, energy):
    oslo_measure = factories.MeasureFactory(programme=oslo_programme, theme_area=energy)
    with pytest.raises(ValidationError) as refused:
        services.link_measures(measures.parking, oslo_measure, note="", by=manager)
    assert refused.value.code == "bad_link"
    assert not MeasureLink.objects.exists()


def test_review_with_unknown_status_is_refused(client, coordinator, programme, atp):
    log_in(client, coordinator)

    response = client.post(
        reverse("actionplans:review_save", args=[programme.pk, atp.code]), {"assessment": "x", "status": "nonsense"}
    )

    assert response.status_code == 302
    [message] = messages_of(response)
    assert message.startswith("The review was not saved:")
    assert not ReviewStatusChange.objects.exists()
    assert not Review.objects.exclude(status=RS.NOT_STARTED, assessment="").exists()


def test_review_with_unknown_status_stores_no_review(client, coordinator, programme, atp):
    log_in(client, coordinator)

    client.post(
        reverse("actionplans:review_save", args=[programme.pk, atp.code]), {"assessment": "x", "status": "nonsense"}
    )

    assert not Review.objects.exists()


def test_cross_review_with_unknown_status_is_shown_again(client, manager, programme):
    log_in(client, manager)

    response = client.post(
        reverse("actionplans:cross_review", args=[programme.pk]), {"assessment": "x", "status": "nonsense"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["status"]
    _assert_nothing_stored()


# Query counts


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_reviewed_cities(round_, n, *, by, reviewer, themes):
    """`n` submitted programmes, each with measures in every theme, comments, answers and a link."""
    atp, energy = themes
    for _ in range(n):
        programme = factories.ProgrammeFactory(round=round_)
        upload(programme, by)
        first = factories.MeasureFactory(programme=programme, theme_area=atp)
        factories.MeasureFactory(programme=programme, theme_area=atp)
        other = factories.MeasureFactory(programme=programme, theme_area=energy)
        services.submit_programme(programme, by=by)
        grow(programme, reviewer=reviewer, themes=themes)
        services.link_measures(first, other, note="", by=by)
        services.update_review(services.review_for(programme, None), assessment="Alt", status=RS.IN_PROGRESS, by=by)


def grow(programme, *, reviewer, themes):
    """One more measure in each theme, reviewed with a comment and an answer."""
    for theme in themes:
        measure = factories.MeasureFactory(programme=programme, theme_area=theme)
        review = services.review_for(programme, theme)
        comment = services.add_comment(review, measure=measure, text="Kommentar", by=reviewer)
        services.add_comment(review, measure=None, text="Generelt", by=reviewer)
        services.reply_to_comment(comment, text="Svar", by=reviewer)
        services.update_review(review, assessment="Vurdering", status=RS.COMMENTS_SENT, by=reviewer)
        services.resolve_comment(comment, by=reviewer, version=None)


LIST_PAGES = [
    ("actionplans:review_queue", ["atp"]),
    ("actionplans:review_grid", []),
    ("actionplans:theme_compare", ["atp"]),
    ("actionplans:effect_totals", []),
    ("actionplans:similar_measures", []),
]


@pytest.mark.parametrize(("url_name", "args"), LIST_PAGES)
def test_review_overviews_cost_the_same_for_one_and_three_cities(client, manager, round_, atp, energy, url_name, args):
    log_in(client, manager)
    url = reverse(url_name, args=args)
    add_reviewed_cities(round_, 1, by=manager, reviewer=manager, themes=(atp, energy))
    one = count_queries(client, url)

    add_reviewed_cities(round_, 2, by=manager, reviewer=manager, themes=(atp, energy))
    three = count_queries(client, url)

    assert one == three
    assert three < 20


@pytest.mark.parametrize("url_name", ["actionplans:review_queue", "actionplans:review_grid"])
def test_queue_and_grid_cost_the_same_for_thirteen_cities(client, coordinator, manager, round_, atp, energy, url_name):
    log_in(client, coordinator)
    is_grid = url_name.endswith("grid")
    url = reverse(url_name, args=[] if is_grid else ["atp"])
    add_reviewed_cities(round_, 1, by=manager, reviewer=coordinator, themes=(atp, energy))
    one = count_queries(client, url)

    add_reviewed_cities(round_, 12, by=manager, reviewer=coordinator, themes=(atp, energy))
    # The grid shows the drafts too.
    factories.ProgrammeFactory(round=round_)
    thirteen = count_queries(client, url)

    response = client.get(url)
    assert len(response.context["rows"] if is_grid else response.context["programmes"]) == (14 if is_grid else 13)
    assert one == thirteen
    assert thirteen < 20


@pytest.mark.parametrize("persona", ["coordinator", "manager"])
@pytest.mark.parametrize("view", ["review_detail", "cross_review"])
def test_programme_review_pages_cost_the_same_for_one_and_three_cities(
    request, client, manager, coordinator, round_, atp, energy, persona, view
):
    log_in(client, request.getfixturevalue(persona))
    add_reviewed_cities(round_, 1, by=manager, reviewer=coordinator, themes=(atp, energy))
    programme = ActionProgramme.objects.get()
    args = [programme.pk, "atp"] if view == "review_detail" else [programme.pk]
    url = reverse(f"actionplans:{view}", args=args)
    one = count_queries(client, url)

    # Two more cities, and more measures, comments and answers on this programme too.
    add_reviewed_cities(round_, 2, by=manager, reviewer=coordinator, themes=(atp, energy))
    grow(programme, reviewer=coordinator, themes=(atp, energy))
    grow(programme, reviewer=coordinator, themes=(atp, energy))
    three = count_queries(client, url)

    assert one == three
    assert three < 20


def test_city_programme_page_with_comments_costs_the_same(client, contact_bergen, coordinator, programme, atp, energy):
    log_in(client, contact_bergen)
    url = programme_url(programme)
    grow(programme, reviewer=coordinator, themes=(atp, energy))
    one = count_queries(client, url)

    grow(programme, reviewer=coordinator, themes=(atp, energy))
    grow(programme, reviewer=coordinator, themes=(atp, energy))
    three = count_queries(client, url)

    assert one == three
    assert three < 20


# The submitted PDF, shown inline on the review page


def test_submitted_pdf_is_shown_inline_on_the_review_page(client, coordinator, programme, atp):
    log_in(client, coordinator)
    draft = programme.submitted_draft
    inline_url = reverse("actionplans:draft_inline", args=[draft.pk])

    assert f'src="{inline_url}#view=FitH"' in client.get(review_url(programme, atp)).content.decode()
    response = client.get(inline_url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="handlingsprogram.pdf"'
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    csp = {
        d.strip().split()[0]: d.strip().split()[1:] for d in response["Content-Security-Policy"].split(";") if d.strip()
    }
    assert csp["frame-ancestors"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == make_pdf()
    # Other pages still refuse to be framed.
    review_page = client.get(review_url(programme, atp))
    assert review_page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in review_page["Content-Security-Policy"]


def test_word_document_is_not_shown_inline(client, coordinator, contact_bergen, bergen_programme, atp):
    programme = submit(bergen_programme, contact_bergen, content=make_docx(), name="program.docx")
    log_in(client, coordinator)
    draft = programme.submitted_draft

    assert client.get(reverse("actionplans:draft_inline", args=[draft.pk])).status_code == 404
    content = client.get(review_url(programme, atp)).content.decode()
    assert reverse("actionplans:draft_inline", args=[draft.pk]) not in content
    assert "<iframe" not in content
    assert "download it to read it" in content
    log_in(client, contact_bergen)
    assert client.get(reverse("actionplans:draft_inline", args=[draft.pk])).status_code == 404


def test_inline_pdf_is_hidden_from_another_city(client, contact_oslo, outsider, programme):
    url = reverse("actionplans:draft_inline", args=[programme.submitted_draft_id])
    for user in (contact_oslo, outsider):
        log_in(client, user)
        assert client.get(url).status_code == 404


def test_one_theme_across_the_cities_shows_twenty_cities_a_page(client, manager, round_, atp, energy):
    for n in range(23):
        programme = factories.ProgrammeFactory(
            round=round_, city=factories.CityFactory(name=f"By {n:02d}", slug=f"by-{n:02d}")
        )
        upload(programme, manager)
        factories.MeasureFactory(programme=programme, theme_area=atp, title=f"Tiltak {n:02d}")
        services.submit_programme(programme, by=manager)
    log_in(client, manager)
    url = reverse("actionplans:theme_compare", args=["atp"])

    first, second = client.get(url), client.get(url, {"page": 2})

    assert [city.name for city, _ in first.context["cities"]] == [f"By {n:02d}" for n in range(20)]
    assert [city.name for city, _ in second.context["cities"]] == ["By 20", "By 21", "By 22"]
    assert [m.title for m in second.context["cities"][0][1]] == ["Tiltak 20"]
    assert 'href="?page=2"' in first.content.decode()
    # The effect is summed for the cities of the page only.
    assert set(second.context["totals"]) == {city.pk for city, _ in second.context["cities"]}


@pytest.mark.parametrize("language", ["nb", "en"])
def test_ids_in_the_page_have_no_thousands_separator(
    client, coordinator, bergen_programme, contact_bergen, atp, language
):
    # Numbers shown get one ("1 745"); an id in an attribute must not (measure-1745, value="1745").
    factories.MeasureFactory(pk=12345, programme=bergen_programme, theme_area=atp, title="Bybane")
    submit(bergen_programme, contact_bergen)
    log_in(client, coordinator)
    client.cookies["django_language"] = language

    html = client.get(review_url(bergen_programme, atp)).text

    assert 'id="measure-12345" aria-labelledby="measure-title-12345"' in html
    assert "12\xa0345" not in html and "12,345" not in html
