"""What each kind of search entry is made from: the objects, and the title, text, city and address of each.

Titles and texts are the objects' own words, in whatever language they were written (the names of
instruments in both): nothing is translated, so one entry serves every reader.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.urls import NoReverseMatch, reverse

from actionplans.models import ActionProgramme, CommentReply, Draft, Measure, ReviewComment
from agreements.models import Agreement
from meetings.models import ActionItem, AgendaItem, Decision, Meeting, Minutes
from search.models import Kind
from state.models import Instrument, StateRequest

# PostgreSQL refuses a tsvector over 1 MB; a document's first 200,000 characters are plenty to be found by.
MAX_BODY = 200_000
# The highlighter's marks (search/highlight.py); no source text may bring its own.
MARKS = str.maketrans("", "", "\x02\x03\x00")


@dataclass(frozen=True)
class Source:
    kind: str
    queryset: Any  # a callable: the objects, with what `describe` reads
    describe: Any  # a callable: object -> (title, body, city_id, url)


def _clean(text):
    return (text or "").translate(MARKS)


def _join(*parts):
    return "\n".join(p for p in parts if p)


def _measure_url(measure):
    # The measure's own page, once it has one; its programme's page until then.
    try:
        return reverse("actionplans:measure_detail", args=[measure.pk])
    except NoReverseMatch:
        return reverse("actionplans:programme_detail", args=[measure.programme_id])


def _programme_title(programme):
    return f"{programme.city.name} – {programme.round.name}"


def _document(programme):
    """The text of the programme's document: the submitted version once submitted, else the latest.

    Who reads the programme reads that version (another city reads only the submitted one, and sees the
    programme only while it is submitted: `actionplans.rules.can_view_draft`)."""
    drafts = programme.searched_drafts  # newest first
    if programme.submitted_draft_id:
        drafts = [d for d in drafts if d.pk == programme.submitted_draft_id] or drafts
    return drafts[0].text if drafts else ""


def _comment_title(comment):
    if comment.measure_id:
        return comment.measure.title
    return _programme_title(comment.review.programme)


def _comment_url(comment_id, programme_id):
    return reverse("actionplans:programme_detail", args=[programme_id]) + f"#comment-{comment_id}"


SOURCES = {
    Kind.MEASURE: Source(
        Kind.MEASURE,
        lambda: Measure.objects.select_related("programme"),
        lambda m: (m.title, m.description, m.programme.city_id, _measure_url(m)),
    ),
    Kind.PROGRAMME: Source(
        Kind.PROGRAMME,
        lambda: ActionProgramme.objects.select_related("city", "round").prefetch_related(
            Prefetch(
                "drafts", queryset=Draft.objects.only("pk", "programme_id", "number", "text"), to_attr="searched_drafts"
            )
        ),
        lambda p: (
            _programme_title(p),
            _document(p),
            p.city_id,
            reverse("actionplans:programme_detail", args=[p.pk]),
        ),
    ),
    Kind.COMMENT: Source(
        Kind.COMMENT,
        lambda: ReviewComment.objects.select_related("measure", "review__programme__city", "review__programme__round"),
        lambda c: (_comment_title(c), c.text, c.review.programme.city_id, _comment_url(c.pk, c.review.programme_id)),
    ),
    Kind.ANSWER: Source(
        Kind.ANSWER,
        lambda: CommentReply.objects.select_related(
            "comment__measure", "comment__review__programme__city", "comment__review__programme__round"
        ),
        lambda r: (
            _comment_title(r.comment),
            r.text,
            r.comment.review.programme.city_id,
            _comment_url(r.comment_id, r.comment.review.programme_id),
        ),
    ),
    Kind.MINUTES: Source(
        Kind.MINUTES,
        lambda: Minutes.objects.select_related("meeting").prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.only("pk", "minutes_id", "order", "text")),
            Prefetch("action_items", queryset=ActionItem.objects.only("pk", "minutes_id", "due_date", "text")),
        ),
        lambda m: (
            m.meeting.title,
            _join(m.main_points, *(d.text for d in m.decisions.all()), *(a.text for a in m.action_items.all())),
            m.meeting.host_city_id,
            reverse("meetings:meeting_detail", args=[m.meeting_id]) + "#minutes",
        ),
    ),
    Kind.MEETING: Source(
        Kind.MEETING,
        lambda: Meeting.objects.prefetch_related(
            Prefetch("agenda", queryset=AgendaItem.objects.only("pk", "meeting_id", "title", "presenter", "place"))
        ),
        lambda m: (
            m.title,
            _join(m.description, m.venue, *(_join(a.title, a.presenter, a.place) for a in m.agenda.all())),
            m.host_city_id,
            reverse("meetings:meeting_detail", args=[m.pk]),
        ),
    ),
    Kind.AGREEMENT: Source(
        Kind.AGREEMENT,
        lambda: Agreement.objects.all(),
        lambda a: (a.title, a.description, None, reverse("agreements:agreement_detail", args=[a.pk])),
    ),
    Kind.INSTRUMENT: Source(
        Kind.INSTRUMENT,
        lambda: Instrument.objects.select_related("body"),
        lambda i: (
            i.name_nb if not i.name_en or i.name_en == i.name_nb else f"{i.name_nb} / {i.name_en}",
            _join(i.offers_nb, i.offers_en, i.terms_nb, i.terms_en, i.body.name),
            None,
            reverse("state:instrument_detail", args=[i.pk]),
        ),
    ),
    Kind.REQUEST: Source(
        Kind.REQUEST,
        lambda: StateRequest.objects.select_related("programme__city", "programme__round", "measure", "body"),
        lambda r: (
            r.measure.title if r.measure_id else _programme_title(r.programme),
            _join(r.need, r.offer, r.offer_conditions, r.refusal_reason, r.body.name),
            r.programme.city_id,
            reverse("state:request_detail", args=[r.pk]),
        ),
    ),
}


def entry_values(source, obj):
    """The fields of `obj`'s entry."""
    title, body, city_id, url = source.describe(obj)
    return {"title": _clean(title), "body": _clean(body)[:MAX_BODY], "city_id": city_id, "url": url}


# Objects whose entry is another's: a save of one of these rewrites the entry of (kind, its parent's id).
PARENTS = {
    Draft: (Kind.PROGRAMME, "programme_id"),
    Decision: (Kind.MINUTES, "minutes_id"),
    ActionItem: (Kind.MINUTES, "minutes_id"),
    AgendaItem: (Kind.MEETING, "meeting_id"),
}
MODELS = {
    Measure: Kind.MEASURE,
    ActionProgramme: Kind.PROGRAMME,
    ReviewComment: Kind.COMMENT,
    CommentReply: Kind.ANSWER,
    Minutes: Kind.MINUTES,
    Meeting: Kind.MEETING,
    Agreement: Kind.AGREEMENT,
    Instrument: Kind.INSTRUMENT,
    StateRequest: Kind.REQUEST,
}
