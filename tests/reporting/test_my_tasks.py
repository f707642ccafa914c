"""What waits for each persona on the overview: the tasks they get and do not get, counts that
equal the rows of the pages they link to, tasks that go away when done, and a fixed query cost."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from actionplans import services
from actionplans.models import ExtensionRequest, Review
from meetings.models import ActionItem, Invitation, Meeting, Minutes
from reporting import my_tasks
from tests import factories
from tests.conftest import upload
from tests.meetings.conftest import gathering_at, invite

RS = Review.Status
Response = Invitation.Response


def submit(programme, by, theme):
    upload(programme, by)
    factories.MeasureFactory(programme=programme, theme_area=theme)
    return services.submit_programme(programme, by=by)


@pytest.fixture
def world(
    round_, oslo_programme, bergen_programme, atp, contact_oslo, contact_bergen, coordinator, manager, partner, outsider
):
    """Oslo works on its programme and has asked for more time; Bergen has submitted and has three
    of the coordinator's comments sent to it (one open, one it answered, one resolved); Trondheim
    has submitted and nobody has started its review. Oslo's contact and the coordinator are invited
    to a gathering in ten days (and Oslo's to one whose registration has closed); Bergen's contact
    took part in yesterday's gathering and owns an overdue action item from it, KS one due in three days."""
    today = timezone.localdate()
    services.request_extension(
        oslo_programme, new_date=datetime.date(2030, 2, 1), reason="Valg i bystyret", by=contact_oslo
    )
    bergen = submit(bergen_programme, contact_bergen, atp)
    trondheim = submit(
        factories.ProgrammeFactory(round=round_, city=factories.CityFactory(name="Trondheim")), manager, atp
    )
    review = services.review_for(bergen, atp)
    open_ = services.add_comment(review, measure=None, text="Hva koster tiltaket?", by=coordinator)
    answered = services.add_comment(review, measure=None, text="Mangler effekt", by=coordinator)
    services.reply_to_comment(answered, text="Lagt inn nå", by=contact_bergen)
    resolved = services.add_comment(review, measure=None, text="Fint", by=coordinator)
    services.resolve_comment(resolved, by=coordinator, version=None)
    services.update_review(review, assessment="", status=RS.COMMENTS_SENT, by=coordinator)

    starts = (timezone.now() + datetime.timedelta(days=10)).replace(microsecond=0)
    coming = gathering_at(manager, [atp], None, starts, registration_deadline=today + datetime.timedelta(days=5))
    closed = gathering_at(
        manager, [atp], None, starts, title="Storsamling", registration_deadline=today - datetime.timedelta(days=1)
    )
    invite(coming, contact_oslo, coordinator)
    invite(closed, contact_oslo)
    yesterday = timezone.now() - datetime.timedelta(days=2)
    held = gathering_at(
        manager,
        [atp],
        None,
        yesterday,
        title="Samling i Bergen",
        ends_at=yesterday + datetime.timedelta(days=1),
        status=Meeting.Status.HELD,
    )
    invite(held, contact_bergen, response=Response.ATTENDING, attended=True)
    invite(held, partner, response=Response.NOT_ATTENDING)
    minutes = Minutes.objects.create(meeting=held, status=Minutes.Status.PUBLISHED, published_at=timezone.now())
    items = {
        "bergen_overdue": ActionItem.objects.create(
            minutes=minutes, text="Send tallene", owner=contact_bergen, due_date=today - datetime.timedelta(days=1)
        ),
        "ks_soon": ActionItem.objects.create(
            minutes=minutes, text="Finn en foredragsholder", owner=partner, due_date=today + datetime.timedelta(days=3)
        ),
    }
    ActionItem.objects.create(
        minutes=minutes, text="Senere", owner=partner, due_date=today + datetime.timedelta(days=30)
    )
    ActionItem.objects.create(
        minutes=minutes, text="Gjort", owner=partner, due_date=today, status=ActionItem.Status.DONE
    )
    return {
        "bergen": bergen,
        "trondheim": trondheim,
        "review": review,
        "open": open_,
        "answered": answered,
        "coming": coming,
        "closed": closed,
        "held": held,
        "items": items,
        "extension": ExtensionRequest.objects.get(),
    }


def tasks(user, round_):
    with translation.override("en"):
        return [(t.kind, t.url, t.count) for t in my_tasks.tasks_for(user, round_)]


def programme_url(programme):
    return reverse("actionplans:programme_detail", args=[programme.pk])


def meeting_url(meeting, anchor):
    return reverse("meetings:meeting_detail", args=[meeting.pk]) + anchor


# --- Who gets what -------------------------------------------------------------------------------


def test_my_tasks_of_oslos_contact(world, contact_oslo, round_, oslo_programme):
    assert tasks(contact_oslo, round_) == [
        ("submit", programme_url(oslo_programme), 1),
        ("extension_waiting", programme_url(oslo_programme), 1),
        ("invitation", meeting_url(world["coming"], "#registration"), 1),
    ]


def test_my_tasks_of_bergens_contact(world, contact_bergen, round_):
    assert tasks(contact_bergen, round_) == [
        ("comments", programme_url(world["bergen"]), 1),
        ("feedback", reverse("meetings:feedback", args=[world["held"].pk]), 1),
        ("action_items", meeting_url(world["held"], "#minutes"), 1),
    ]


def test_my_tasks_of_the_coordinator(world, coordinator, round_, atp):
    queue = reverse("actionplans:review_queue", args=["atp"])
    assert tasks(coordinator, round_) == [
        ("review", f"{queue}?round={round_.slug}&status=not_started", 1),
        ("city_answers", reverse("actionplans:review_detail", args=[world["bergen"].pk, "atp"]), 1),
        ("invitation", meeting_url(world["coming"], "#registration"), 1),
    ]


def test_my_tasks_of_the_programme_management(world, manager, round_):
    # Bergen submitted first; neither cross-theme review is begun.
    assert tasks(manager, round_) == [
        ("cross_review", reverse("actionplans:cross_review", args=[world["bergen"].pk]), 1),
        ("cross_review", reverse("actionplans:cross_review", args=[world["trondheim"].pk]), 1),
        ("extensions", reverse("actionplans:extension_list"), 1),
    ]


def test_my_tasks_of_the_partner(world, partner, round_):
    assert tasks(partner, round_) == [("action_items", meeting_url(world["held"], "#minutes"), 1)]


def test_my_tasks_of_an_outsider_are_none_and_said_so(world, client, outsider, round_):
    html = page(client, outsider, reverse("home"))

    assert tasks(outsider, round_) == []
    assert "Nothing waits for you now." in html


def test_my_tasks_come_first_on_the_overview(world, client, contact_oslo):
    html = page(client, contact_oslo, reverse("home"))

    assert html.index("What waits for you") < html.index("Handlingsprogram 2030")
    assert programme_url(world["bergen"]) not in html
    assert "Submit the action programme of Oslo" in html
    assert "Waiting for a decision" in html
    assert "Due 15/01/2030" in html


def test_a_coordinator_of_another_theme_gets_no_reviews_of_this_one(world, energy, round_):
    other = factories.UserFactory(username="koordinator-energi")
    factories.MembershipFactory(user=other, role="coordinator", theme_area=energy)

    assert [kind for kind, _, _ in tasks(other, round_)] == ["review"]  # energy: both programmes not started
    assert tasks(other, round_)[0][2] == 2


def test_cross_reviews_beyond_the_first_few_are_counted_in_one_line(world, manager, round_, atp, monkeypatch):
    monkeypatch.setattr(my_tasks, "CROSS_REVIEW_LINES", 1)
    submit(factories.ProgrammeFactory(round=round_, city=factories.CityFactory(name="Tromsø")), manager, atp)

    cross = [(kind, url, count) for kind, url, count in tasks(manager, round_) if kind.startswith("cross_review")]

    assert cross == [
        ("cross_review", reverse("actionplans:cross_review", args=[world["bergen"].pk]), 1),
        ("cross_review_more", "", 2),
    ]


def test_an_action_item_of_a_meeting_one_cannot_see_is_no_task(world, manager, partner, round_):
    ended = timezone.now() - datetime.timedelta(days=3)
    other = gathering_at(manager, [], None, ended, title="Internt møte", status=Meeting.Status.HELD)
    minutes = Minutes.objects.create(meeting=other, status=Minutes.Status.PUBLISHED, published_at=timezone.now())
    ActionItem.objects.create(minutes=minutes, text="Ukjent", owner=partner, due_date=timezone.localdate())

    assert tasks(partner, round_) == [("action_items", meeting_url(world["held"], "#minutes"), 1)]


# --- The counts are the rows of the pages they link to --------------------------------------------


def comment_blocks(html):
    """The comments on a page: (resolved, author of the last answer or None) per comment."""
    blocks = re.split(r'(?=<div class="border rounded p-2 mb-2[^"]*" id="comment-\d+">)', html)[1:]
    result = []
    for block in blocks:
        block = block.split("<form", 1)[0]
        replies = re.findall(r'<p class="text-body-secondary mb-1">([^,<]+),', block)
        result.append(("border-success" in block.split(">", 1)[0], replies[-1] if replies else None))
    return result


def page(client, user, url):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def only(user, round_, kind):
    [task] = [t for t in my_tasks.tasks_for(user, round_) if t.kind == kind]
    return task


def test_count_of_comments_to_answer_is_what_the_programme_page_shows(world, client, contact_bergen, round_):
    task = only(contact_bergen, round_, "comments")

    shown = comment_blocks(page(client, contact_bergen, task.url))
    waiting = [c for c in shown if not c[0] and c[1] != "kontakt-bergen"]

    assert len(shown) == 3
    assert task.count == len(waiting) == 1


def test_count_of_city_answers_is_what_the_review_page_shows(world, client, coordinator, round_):
    task = only(coordinator, round_, "city_answers")

    shown = comment_blocks(page(client, coordinator, task.url))
    answered = [c for c in shown if not c[0] and c[1] == "kontakt-bergen"]

    assert task.count == len(answered) == 1


def test_count_of_reviews_to_do_is_the_rows_of_the_queue(world, client, coordinator, round_, contact_oslo, atp):
    submit(factories.ProgrammeFactory(round=round_, city=factories.CityFactory(name="Stavanger")), contact_oslo, atp)
    task = only(coordinator, round_, "review")

    rows = re.findall(r'<th scope="row"><a href="/[^"]*/review/atp/">', page(client, coordinator, task.url))

    assert task.count == len(rows) == 2


def test_count_of_reviews_in_progress_is_the_rows_of_the_queue(world, client, coordinator, round_):
    services.add_comment(
        services.review_for(world["trondheim"], world["review"].theme_area), measure=None, text="?", by=coordinator
    )
    [task] = [t for t in my_tasks.tasks_for(coordinator, round_) if t.kind == "review"]

    rows = re.findall(r'<th scope="row"><a href="/[^"]*/review/atp/">', page(client, coordinator, task.url))

    assert task.url.endswith("status=in_progress")
    assert task.count == len(rows) == 1


def test_count_of_extensions_to_decide_is_the_pending_rows(world, client, manager, round_, contact_bergen, bergen):
    second = factories.ProgrammeFactory(round=factories.RoundFactory(), city=bergen)
    services.request_extension(second, new_date=datetime.date(2030, 3, 1), reason="Ny plan", by=contact_bergen)
    task = only(manager, round_, "extensions")

    html = page(client, manager, task.url)
    pending = html.split("<tbody>", 2)[1].split("</tbody>", 1)[0]

    assert task.count == pending.count('<tr><th scope="row">') == 2


def test_count_of_action_items_is_the_open_rows_due_soon_on_the_minutes(world, client, partner, round_):
    ActionItem.objects.create(minutes=world["held"].minutes, text="Også", owner=partner, due_date=timezone.localdate())
    task = only(partner, round_, "action_items")

    html = page(client, partner, task.url)
    rows = re.findall(r"<tr><th scope=\"row\" class=\"fw-normal\">.*?</tr>", html, re.S)
    soon = timezone.localdate() + datetime.timedelta(days=14)

    def due_soon(row):
        day = re.findall(r"<td>(\d\d\.\d\d\.\d{4}|\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d\d-\d\d)</td>", row)
        if not day:
            return False
        parsed = None
        for fmt in ("%d.%m.%Y", "%m/%d/%Y", "%Y-%m-%d"):
            try:
                parsed = datetime.datetime.strptime(day[0], fmt).date()  # noqa: DTZ007 (a date, no time)
            except ValueError:
                continue
        return parsed is not None and parsed <= soon

    mine = [r for r in rows if "<td>ks</td>" in r and "<td>Open</td>" in r and due_soon(r)]

    assert task.count == len(mine) == 2


def test_invitation_and_feedback_tasks_lead_to_their_forms(world, client, contact_oslo, contact_bergen, round_):
    invitation = only(contact_oslo, round_, "invitation")
    feedback = only(contact_bergen, round_, "feedback")

    registration = page(client, contact_oslo, invitation.url)
    survey = page(client, contact_bergen, feedback.url)

    register = reverse("meetings:register", args=[world["coming"].pk])
    assert registration.count(f'action="{register}"') == 1
    assert "You answered on" not in survey
    assert 'name="rating"' in survey


# --- Done, gone ----------------------------------------------------------------------------------


def test_answering_a_comment_moves_it_to_the_coordinator(world, client, contact_bergen, coordinator, round_):
    client.force_login(contact_bergen)

    client.post(reverse("actionplans:comment_reply", args=[world["open"].pk]), {"text": "Ca. 2 mill."})

    assert "comments" not in [kind for kind, _, _ in tasks(contact_bergen, round_)]
    assert only(coordinator, round_, "city_answers").count == 2


def test_a_reviewer_writing_again_gives_the_comment_back_to_the_city(world, contact_bergen, coordinator, round_):
    services.reply_to_comment(world["answered"], text="Hvor mye?", by=coordinator)

    assert only(contact_bergen, round_, "comments").count == 2
    assert "city_answers" not in [kind for kind, _, _ in tasks(coordinator, round_)]


def test_resolving_an_answered_comment_clears_it(world, client, coordinator, round_):
    client.force_login(coordinator)

    client.post(reverse("actionplans:comment_resolve", args=[world["answered"].pk]), {"version": "none"})

    assert "city_answers" not in [kind for kind, _, _ in tasks(coordinator, round_)]


def test_deciding_a_request_clears_it_for_both(world, client, manager, contact_oslo, round_):
    client.force_login(manager)

    response = client.post(
        reverse("actionplans:extension_decide", args=[world["extension"].pk]), {"decision": "approve", "comment": ""}
    )

    assert response.status_code == 302
    assert "extensions" not in [kind for kind, _, _ in tasks(manager, round_)]
    assert "extension_waiting" not in [kind for kind, _, _ in tasks(contact_oslo, round_)]


def test_answering_an_invitation_clears_it(world, client, contact_oslo, round_):
    client.force_login(contact_oslo)

    client.post(reverse("meetings:register", args=[world["coming"].pk]), {"response": "not_attending"})

    assert "invitation" not in [kind for kind, _, _ in tasks(contact_oslo, round_)]


def test_submitting_and_giving_feedback_and_finishing_an_item_clear_them(
    world, client, contact_oslo, contact_bergen, round_, oslo_programme
):
    upload(oslo_programme, contact_oslo)
    services.submit_programme(oslo_programme, by=contact_oslo)
    client.force_login(contact_bergen)
    client.post(
        reverse("meetings:feedback", args=[world["held"].pk]),
        {"rating": "4", "pace": "right", "enough_discussion": "yes", "host_usefulness": "5", "comment": ""},
    )
    ActionItem.objects.filter(pk=world["items"]["bergen_overdue"].pk).update(status=ActionItem.Status.DONE)

    assert "submit" not in [kind for kind, _, _ in tasks(contact_oslo, round_)]
    assert tasks(contact_bergen, round_) == [("comments", programme_url(world["bergen"]), 1)]


def test_a_review_under_way_or_cross_review_completed_is_no_task(world, manager, coordinator, round_):
    services.update_review(
        services.review_for(world["trondheim"], None), assessment="", status=RS.COMPLETED, by=manager
    )
    services.update_review(
        services.review_for(world["trondheim"], world["review"].theme_area),
        assessment="",
        status=RS.COMMENTS_SENT,
        by=coordinator,
    )

    assert [kind for kind, _, _ in tasks(manager, round_)].count("cross_review") == 1
    assert "review" not in [kind for kind, _, _ in tasks(coordinator, round_)]


# --- Cost ----------------------------------------------------------------------------------------


def home_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(queries)


def add_work(round_, manager, coordinator, contact, theme, n):
    """n more of each kind of task for `contact` (a city contact) and for the reviewers."""
    today = timezone.localdate()
    for i in range(n):
        city = factories.CityFactory()
        factories.MembershipFactory(user=contact, role="city_contact", city=city)
        programme = submit(factories.ProgrammeFactory(round=round_, city=city), contact, theme)
        review = services.review_for(programme, theme)
        answered = services.add_comment(review, measure=None, text="Svar?", by=coordinator)
        services.add_comment(review, measure=None, text="Og dette?", by=coordinator)
        services.reply_to_comment(answered, text="Ja", by=contact)
        services.update_review(review, assessment="", status=RS.COMMENTS_SENT, by=coordinator)
        unsubmitted = factories.ProgrammeFactory(round=factories.RoundFactory(), city=city)
        services.request_extension(unsubmitted, new_date=datetime.date(2030, 3, 1), reason="Mer tid", by=contact)
        starts = timezone.now() + datetime.timedelta(days=10 + i)
        invite(gathering_at(manager, [theme], None, starts, title=f"Samling {i}"), contact, coordinator)
        ended = timezone.now() - datetime.timedelta(days=2)
        held = gathering_at(
            manager, [theme], None, ended, ends_at=ended + datetime.timedelta(days=1), status=Meeting.Status.HELD
        )
        invite(held, contact, manager, coordinator, response=Response.ATTENDING, attended=True)
        minutes = Minutes.objects.create(meeting=held, status=Minutes.Status.PUBLISHED, published_at=timezone.now())
        for owner in (contact, manager, coordinator):
            ActionItem.objects.create(minutes=minutes, text="Gjør det", owner=owner, due_date=today)


@pytest.mark.parametrize("persona", ["contact_bergen", "coordinator", "manager"])
def test_the_overview_costs_the_same_with_many_tasks(
    request, world, client, round_, manager, coordinator, contact_bergen, atp, persona, django_assert_max_num_queries
):
    user = request.getfixturevalue(persona)
    add_work(round_, manager, coordinator, contact_bergen, atp, 1)
    client.force_login(user)
    few = home_queries(client)
    before = len(my_tasks.tasks_for(user, round_))

    add_work(round_, manager, coordinator, contact_bergen, atp, 4)
    fresh = type(user).objects.get(pk=user.pk)  # its memberships are read anew

    assert len(my_tasks.tasks_for(fresh, round_)) > before
    with django_assert_max_num_queries(few):
        client.get(reverse("home"))
