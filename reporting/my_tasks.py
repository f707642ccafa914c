"""What waits for a person, for the top of their overview ("What waits for you").

One function per kind of task. Each reads through the apps' access functions and
uses the same filter as the page its tasks link to, so that the count on the
overview is the number of rows that page shows. Each costs a fixed number of
queries (grouped in the database, never a query per row), and none when the
person's roles say the kind cannot apply to them.

A task is one line: what to do, where (a link), how many, and a note (a due date).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Window
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from actionplans.access import programmes_visible_to
from actionplans.models import OSLO, ActionProgramme, CommentReply, ExtensionRequest, Review, ReviewComment
from cities import rules as cities_rules
from cities.models import Membership, ThemeArea
from meetings.access import action_items_visible_to, meetings_visible_to
from meetings.models import ActionItem, Feedback, Invitation, Meeting
from meetings.rules import participant_q, took_part

# Action items due within this many days (or overdue) wait for their owner.
ACTION_ITEM_DAYS = 14
# No survey stays open longer than this (Meeting.feedback_days is at most 90).
SURVEY_WINDOW = datetime.timedelta(days=90)
# Cross-theme reviews to do shown one by one; the rest are counted in one line.
CROSS_REVIEW_LINES = 5
GATHERINGS = (Meeting.Kind.NETWORK_GATHERING, Meeting.Kind.GRAND_GATHERING)
# A review's comments reach the city once they are sent (`Review.comments_visible_to_city`).
SENT_TO_CITY = Review.CITY_READS
# A review still to be done in the review queue: its status filter's two first steps.
TO_REVIEW = (Review.Status.NOT_STARTED, Review.Status.IN_PROGRESS)


@dataclass(frozen=True)
class Task:
    kind: str
    title: str
    url: str
    count: int = 1
    note: str = ""
    waiting: bool = False  # waits for someone else: shown, but not the person's to do


def tasks_for(user, current_round, now=None, *, pending_extensions=None):
    """Every task of `user`, in the order the overview shows them. `pending_extensions`: how many
    extension requests wait for a decision, when the caller has counted them already (the dashboard)."""
    now = now or timezone.now()
    invitations = my_invitations(user, now)
    return [
        *comments_to_answer(user),
        *programmes_to_submit(user, current_round, now),
        *extension_requests_waiting(user),
        *reviews_to_do(user, current_round),
        *cross_reviews_to_do(user, current_round),
        *city_answers(user),
        *extensions_to_decide(user, pending_extensions),
        *invitations_to_answer(user, now, invitations),
        *feedback_to_give(user, now, invitations),
        *action_items_due(user, now),
    ]


def _date(day):
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _last_reply_by_city():
    """Annotations on review comments: whether the latest answer is by a contact of the programme's city.

    A comment waits for the city until it answers; once it has, the comment waits for its reviewer
    until they resolve it or write again."""
    last_author = CommentReply.objects.filter(comment=OuterRef("pk")).order_by("-created_at", "-pk").values("author")
    city_contact = Membership.objects.filter(
        user=OuterRef("last_author"), role=Membership.Role.CITY_CONTACT, city=OuterRef("review__programme__city")
    )
    return {"last_author": Subquery(last_author[:1]), "city_answered": Exists(city_contact)}


def _unresolved_comments():
    return ReviewComment.objects.filter(resolved_at__isnull=True).annotate(**_last_reply_by_city())


# --- City contacts -------------------------------------------------------------------------------


def comments_to_answer(user):
    """Comments sent to the user's cities that wait for their answer → the programme page."""
    cities = cities_rules.city_ids(user)
    if not cities:
        return []
    own = programmes_visible_to(user).filter(city_id__in=cities)
    rows = (
        _unresolved_comments()
        .filter(review__programme__in=own, review__status__in=SENT_TO_CITY, city_answered=False)
        .values("review__programme", "review__programme__city__name", "review__programme__round__name")
        .annotate(n=Count("pk"))
        .order_by("review__programme__city__name", "-review__programme")
    )
    return [
        Task(
            kind="comments",
            title=_("Answer the comments on %(programme)s")
            % {"programme": f"{row['review__programme__city__name']} – {row['review__programme__round__name']}"},
            url=reverse("actionplans:programme_detail", args=[row["review__programme"]]),
            count=row["n"],
        )
        for row in rows
    ]


def programmes_to_submit(user, current_round, now):
    """The user's cities' programmes of the current round not yet submitted, with their deadline."""
    cities = cities_rules.city_ids(user)
    if not cities or current_round is None:
        return []
    programmes = (
        programmes_visible_to(user)
        .filter(round=current_round, city_id__in=cities)
        .exclude(status=ActionProgramme.Status.SUBMITTED)
        .select_related("city", "round__deadline")
        .order_by("city__name")
    )
    tasks = []
    for programme in programmes:
        due = programme.effective_due_date
        note = ""
        if due is not None:
            late = programme.days_left(now) < 0
            note = (_("Was due %(date)s") if late else _("Due %(date)s")) % {"date": _date(due)}
        tasks.append(
            Task(
                kind="submit",
                title=_("Submit the action programme of %(city)s") % {"city": programme.city.name},
                url=reverse("actionplans:programme_detail", args=[programme.pk]),
                note=note,
            )
        )
    return tasks


def extension_requests_waiting(user):
    """The user's cities' requests for more time that wait for the programme management's decision."""
    cities = cities_rules.city_ids(user)
    if not cities:
        return []
    requests = (
        ExtensionRequest.objects.filter(
            status=ExtensionRequest.Status.PENDING, programme__in=programmes_visible_to(user).filter(city_id__in=cities)
        )
        .select_related("programme__city")
        .order_by("programme__city__name", "pk")
    )
    return [
        Task(
            kind="extension_waiting",
            title=_("Request of %(city)s for more time until %(date)s")
            % {"city": request.programme.city.name, "date": _date(request.requested_date)},
            url=reverse("actionplans:programme_detail", args=[request.programme_id]),
            waiting=True,
        )
        for request in requests
    ]


# --- Reviewers -----------------------------------------------------------------------------------


def _submitted_in(user, current_round):
    return programmes_visible_to(user).submitted().filter(round=current_round)


def reviews_to_do(user, current_round):
    """Per theme area of the user (coordinator, network leader): submitted programmes of the current
    round whose review is not started or in progress → the theme's review queue with that status."""
    themes = cities_rules.theme_area_ids(user)
    if not themes or current_round is None or not user.has_perm("actionplans.view_reviews"):
        return []
    submitted = _submitted_in(user, current_round)
    # One query: per theme, the round's submitted programmes and how many of their reviews are
    # past "not started" or "in progress". A programme without a review row is not started, as in the queue.
    total = submitted.order_by().values("round").annotate(n=Count("pk")).values("n")
    in_round = Q(reviews__programme__in=submitted)
    themes = ThemeArea.objects.filter(pk__in=themes).annotate(
        total=Subquery(total[:1]),
        started=Count("reviews", filter=in_round & ~Q(reviews__status=Review.Status.NOT_STARTED)),
        in_progress=Count("reviews", filter=in_round & Q(reviews__status=Review.Status.IN_PROGRESS)),
    )
    tasks = []
    for theme in themes:
        counts = {
            Review.Status.NOT_STARTED: (theme.total or 0) - theme.started,
            Review.Status.IN_PROGRESS: theme.in_progress,
        }
        titles = {
            Review.Status.NOT_STARTED: _("Reviews not started in %(theme)s"),
            Review.Status.IN_PROGRESS: _("Reviews in progress in %(theme)s"),
        }
        queue = reverse("actionplans:review_queue", args=[theme.code])
        tasks.extend(
            Task(
                kind="review",
                title=titles[status] % {"theme": theme.name},
                url=f"{queue}?round={current_round.slug}&status={status}",
                count=count,
            )
            for status, count in counts.items()
            if count
        )
    return tasks


def cross_reviews_to_do(user, current_round):
    """Submitted programmes of the current round whose cross-theme review is still to do, for those
    who write it (programme management, the consultant) → each programme's cross-theme review, the
    earliest submitted first. Every city's submission makes one, so only the first few are lines of
    their own; the rest are counted in one line without a link (no page lists just them)."""
    if current_round is None or not (cities_rules.is_programme_management(user) or cities_rules.is_consultant(user)):
        return []
    done = Review.objects.filter(programme=OuterRef("pk"), theme_area__isnull=True).exclude(status__in=TO_REVIEW)
    programmes = list(
        _submitted_in(user, current_round)
        .filter(~Exists(done))
        .select_related("city")
        # The number of them all, in the same query as the first few.
        .annotate(total=Window(Count("pk")))
        .order_by("submitted_at", "city__name")[:CROSS_REVIEW_LINES]
    )
    tasks = [
        Task(
            kind="cross_review",
            title=_("Cross-theme review of %(city)s") % {"city": programme.city.name},
            url=reverse("actionplans:cross_review", args=[programme.pk]),
        )
        for programme in programmes
    ]
    more = programmes[0].total - len(programmes) if programmes else 0
    if more:
        tasks.append(Task(kind="cross_review_more", title=_("More cross-theme reviews to do"), url="", count=more))
    return tasks


def city_answers(user):
    """Cities' answers to the user's comments (or to comments in the user's theme areas) that are not
    resolved yet → the review of that programme and theme."""
    if not user.has_perm("actionplans.view_reviews"):
        return []
    themes = cities_rules.theme_area_ids(user)
    rows = (
        _unresolved_comments()
        .filter(Q(author=user) | Q(review__theme_area__in=themes), city_answered=True)
        .filter(review__programme__in=programmes_visible_to(user))
        .values(
            "review__programme",
            "review__programme__city__name",
            "review__theme_area__code",
            "review__theme_area__name_nb",
            "review__theme_area__name_en",
        )
        .annotate(n=Count("pk"))
        .order_by("review__programme__city__name", "review__programme", "review__theme_area__code")
    )
    english = (get_language() or "nb").startswith("en")
    tasks = []
    for row in rows:
        code = row["review__theme_area__code"]
        if code is None:
            where = _("all themes")
            url = reverse("actionplans:cross_review", args=[row["review__programme"]])
        else:
            where = row["review__theme_area__name_en" if english else "review__theme_area__name_nb"]
            url = reverse("actionplans:review_detail", args=[row["review__programme"], code])
        tasks.append(
            Task(
                kind="city_answers",
                title=_("Answers from %(city)s to read (%(theme)s)")
                % {"city": row["review__programme__city__name"], "theme": where},
                url=url,
                count=row["n"],
            )
        )
    return tasks


def extensions_to_decide(user, count=None):
    """Pending extension requests (`count` of them, if known), for those who decide them → the list of requests."""
    if not user.has_perm("actionplans.decide_extension"):
        return []
    if count is None:
        count = ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING).count()
    if not count:
        return []
    return [
        Task(
            kind="extensions",
            title=_("Requests for more time to decide"),
            url=reverse("actionplans:extension_list"),
            count=count,
        )
    ]


# --- Everyone ------------------------------------------------------------------------------------


def my_invitations(user, now):
    """One query for the two kinds of task that come from the user's invitations: those not answered
    to planned meetings not yet begun, and those to gatherings that ended within the longest survey
    window and that the user took part in (`given`: whether they have answered the survey). The
    kinds below choose from them with the meetings' own rules."""
    today = timezone.localdate(now, OSLO)
    registration = Q(
        response=Invitation.Response.PENDING, meeting__status=Meeting.Status.PLANNED, meeting__starts_at__gt=now
    ) & (Q(meeting__registration_deadline__isnull=True) | Q(meeting__registration_deadline__gte=today))
    survey = participant_q() & Q(
        meeting__kind__in=GATHERINGS,
        meeting__status=Meeting.Status.HELD,
        meeting__ends_at__lte=now,
        meeting__ends_at__gt=now - SURVEY_WINDOW,
    )
    given = Feedback.objects.filter(meeting=OuterRef("meeting"), user=user)
    return list(
        Invitation.objects.filter(registration | survey, user=user, meeting__in=meetings_visible_to(user).values("pk"))
        .annotate(given=Exists(given))
        .select_related("meeting")
        .order_by("meeting__starts_at", "pk")
    )


def invitations_to_answer(user, now, invitations=None):
    """Invitations the user has not answered to meetings whose registration is open → the meeting page."""
    invitations = my_invitations(user, now) if invitations is None else invitations
    return [
        Task(
            kind="invitation",
            title=_("Answer the invitation to %(meeting)s") % {"meeting": invitation.meeting.title},
            url=reverse("meetings:meeting_detail", args=[invitation.meeting_id]) + "#registration",
            note=_date(timezone.localtime(invitation.meeting.starts_at, OSLO)),
        )
        for invitation in invitations
        if invitation.response == Invitation.Response.PENDING and invitation.meeting.registration_open(now)
    ]


def feedback_to_give(user, now, invitations=None):
    """Open feedback surveys of gatherings the user took part in and has not answered → the survey."""
    invitations = my_invitations(user, now) if invitations is None else invitations
    return [
        Task(
            kind="feedback",
            title=_("Give feedback on %(meeting)s") % {"meeting": invitation.meeting.title},
            url=reverse("meetings:feedback", args=[invitation.meeting_id]),
            note=_("Open until %(date)s")
            % {"date": _date(timezone.localtime(invitation.meeting.feedback_closes_at, OSLO))},
        )
        for invitation in sorted(invitations, key=lambda i: (i.meeting.ends_at, i.pk))
        if took_part(invitation) and not invitation.given and invitation.meeting.feedback_open(now)
    ]


def action_items_due(user, now):
    """The user's open action items due within 14 days or overdue, per meeting → its minutes (of a
    meeting the user sees: an owner who was not invited would find no page behind the link)."""
    today = timezone.localdate(now, OSLO)
    rows = (
        action_items_visible_to(user)
        .filter(
            minutes__meeting__in=meetings_visible_to(user).values("pk"),
            owner=user,
            status=ActionItem.Status.OPEN,
            due_date__lte=today + datetime.timedelta(days=ACTION_ITEM_DAYS),
        )
        .values("minutes__meeting", "minutes__meeting__title")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
        .order_by("minutes__meeting__starts_at", "minutes__meeting")
    )
    return [
        Task(
            kind="action_items",
            title=_("Action items from %(meeting)s") % {"meeting": row["minutes__meeting__title"]},
            url=reverse("meetings:meeting_detail", args=[row["minutes__meeting"]]) + "#minutes",
            count=row["n"],
            note=_("%(count)s overdue") % {"count": row["overdue"]} if row["overdue"] else "",
        )
        for row in rows
    ]
