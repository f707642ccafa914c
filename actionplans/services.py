"""Workflows on action programmes that span several rows. Each owns its
transaction; views call these and never save programmes themselves."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplans import lineage, notifications, reminders, similarity, tasks
from actionplans.extensions import (  # noqa: F401 (the workflows of extension requests, here with the others)
    check_extension_date,
    close_extension_request,
    decide_extension,
    note_submission,
    request_extension,
)
from actionplans.guards import ensure_editable as _ensure_editable
from actionplans.guards import lock_programme as _lock
from actionplans.guards import today as _today
from actionplans.guards import years_after
from actionplans.models import (
    ActionProgramme,
    CommentReply,
    Deadline,
    DeadlineExtension,
    Draft,
    Measure,
    MeasureDrop,
    MeasureLink,
    ReminderStep,
    Review,
    ReviewComment,
    ReviewStatusChange,
    Round,
    StatusChange,
)
from cities.models import City
from lib import limits
from lib.files import InspectedUpload
from lib.tasks import delay_on_commit

Status = ActionProgramme.Status
logger = logging.getLogger(__name__)


def ensure_programmes(round: Round) -> int:
    """Create the missing programme of every city for `round`; returns how many."""
    existing = set(round.programmes.values_list("city_id", flat=True))
    new = [ActionProgramme(round=round, city=city) for city in City.objects.exclude(pk__in=existing)]
    ActionProgramme.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _change_status(programme, to_status, *, by, comment="", draft=None, at=None):
    """Move the programme as `ActionProgramme.TRANSITIONS` allows (else a ValidationError) and keep the move."""
    ActionProgramme.TRANSITIONS.check(programme.status, to_status)
    change = StatusChange.objects.create(
        programme=programme,
        from_status=programme.status,
        to_status=to_status,
        changed_by=by,
        changed_at=at or timezone.now(),
        comment=comment,
        draft=draft,
    )
    programme.status = to_status
    return change


def _start(programme, *, by):
    if programme.status == Status.NOT_STARTED:
        _change_status(programme, Status.DRAFT, by=by)
        programme.save(update_fields=["status"])


def upload_draft(programme: ActionProgramme, *, file, inspected: InspectedUpload, note: str, by) -> Draft:
    """Store `file` as the programme's next version.

    The file must already have passed `inspect_upload`. The version number is
    taken under a row lock on the programme, so two uploads never share one.
    Starts the programme (not started → draft) on its first upload.
    """
    with transaction.atomic():
        programme = _lock(programme)
        _ensure_editable(programme)
        number = (programme.drafts.aggregate(n=Max("number"))["n"] or 0) + 1
        draft = Draft(programme=programme, number=number, note=note).store(file, inspected, by=by)
        _start(programme, by=by)
        delay_on_commit(tasks.read_draft, draft.pk)
    return draft


def save_measure(programme: ActionProgramme, form, *, by) -> Measure:
    """Save a measure form for `programme`, which must still be editable. A measure carried over
    as it was is, once edited, one carried over and changed."""
    with transaction.atomic():
        programme = _lock(programme)
        _ensure_editable(programme)
        measure = form.save(commit=False)
        measure.programme = programme
        if measure.carry == Measure.Carry.KEPT and form.has_changed():
            measure.carry = Measure.Carry.CHANGED
        measure.save()
        _start(programme, by=by)
    return measure


def delete_measure(measure: Measure, *, by) -> None:
    """Remove a measure of an editable programme; refuses one that a later programme carried
    over or dropped (its lineage would lose a version)."""
    with transaction.atomic():
        _ensure_editable(_lock(measure.programme))
        if measure.carried_into.exists() or measure.drops.exists():
            raise ValidationError(
                _(
                    "“%(title)s” was carried over into a later programme, or dropped from one, and stays as the "
                    "earlier version of it."
                ),
                code="has_later_versions",
                params={"title": measure.title},
            )
        measure.delete()


# What a city chooses for each measure of its earlier programme.
KEEP, CHANGE, DROP = "keep", "change", "drop"
# The fields a copy takes from the measure it is carried over from; the reviewers' marks
# (agreement candidate, assessed effect) belong to the earlier round's review.
CARRIED_FIELDS = [
    "theme_area_id",
    "category_id",
    "title",
    "description",
    "expected_effect",
    "cost_estimate",
    "status",
    "sector",
    "state_cooperation_wanted",
]


def carry_over(programme: ActionProgramme, *, source: ActionProgramme, decisions, by) -> list[Measure]:
    """Carry measures of the city's earlier programme `source` into `programme`, all or nothing.

    `decisions` is a list of (measure, choice, reason), choice KEEP, CHANGE or DROP. Keep and change
    make a copy in `programme` (carried_from and carry set); drop records a MeasureDrop with its
    reason. Refuses (ValidationError, nothing stored) a programme that is submitted, a `source` that
    is not its carry source, a measure not of `source`, one already carried over or dropped (also
    twice in `decisions`), and a drop without a reason. Starts the programme. Returns the copies.
    """
    with transaction.atomic():
        programme = _lock(programme)
        _ensure_editable(programme)
        if lineage.carry_source(programme) != source:
            raise ValidationError(
                _("Measures are carried over from the city's latest submitted programme of an earlier round only."),
                code="wrong_source",
            )
        pending = set(lineage.pending_measures(source, programme).values_list("pk", flat=True))
        copies = []
        for measure, choice, reason in decisions:
            params = {"title": measure.title, "programme": source}
            if measure.programme_id != source.pk:
                raise ValidationError(
                    _("“%(title)s” is not a measure of %(programme)s."), code="wrong_measure", params=params
                )
            if measure.pk not in pending:
                raise ValidationError(
                    _("“%(title)s” has already been carried over or dropped."), code="already_carried", params=params
                )
            pending.discard(measure.pk)
            if choice == DROP:
                if not reason.strip():
                    raise ValidationError(_("Say why “%(title)s” is dropped."), code="no_reason", params=params)
                MeasureDrop.objects.create(measure=measure, programme=programme, reason=reason.strip(), dropped_by=by)
            elif choice in (KEEP, CHANGE):
                copy = Measure(
                    programme=programme,
                    carried_from=measure,
                    carry=Measure.Carry.KEPT if choice == KEEP else Measure.Carry.CHANGED,
                    **{name: getattr(measure, name) for name in CARRIED_FIELDS},
                )
                copy.save()
                copies.append(copy)
            else:
                raise ValidationError(_("Choose keep, change or drop."), code="bad_choice")
        if decisions:
            _start(programme, by=by)
    return copies


def assess_measure(measure: Measure, *, effect, reason: str, by) -> Measure:
    """Set the assessed effect of a measure of a submitted programme, with its reason, who and when;
    with `effect` None, clear it. The measure's history keeps every change. Refuses (ValidationError)
    a measure of a programme that is not submitted, and an effect without a reason."""
    with transaction.atomic():
        measure = Measure.objects.select_for_update(of=("self",)).select_related("programme").get(pk=measure.pk)
        if not measure.programme.is_submitted:
            raise ValidationError(_("Only the measures of a submitted programme are assessed."), code="not_submitted")
        reason = reason.strip()
        if effect is not None and not reason:
            raise ValidationError(_("Say why you assess the effect so."), code="no_reason")
        assessed = effect is not None
        measure.assessed_effect = effect
        measure.assessed_reason = reason if assessed else ""
        measure.assessed_by = by if assessed else None
        measure.assessed_at = timezone.now() if assessed else None
        measure.save(update_fields=["assessed_effect", "assessed_reason", "assessed_by", "assessed_at", "updated_at"])
    return measure


def submit_programme(programme: ActionProgramme, *, by, now=None) -> ActionProgramme:
    """Submit the programme's latest version, in one transaction.

    Pins the version, the moment, the person and whether it came in before
    the end of the due day in Oslo. Refuses a programme with no version or
    one already submitted.
    """
    now = now or timezone.now()
    with transaction.atomic():
        programme = _lock(programme)
        _ensure_editable(programme)
        draft = programme.drafts.order_by("-number").first()
        if draft is None:
            raise ValidationError(_("Upload a draft before you submit."), code="no_draft")
        programme.submitted_draft = draft
        programme.submitted_at = now
        programme.submitted_by = by
        programme.submitted_on_time = programme.is_on_time(now)
        change = _change_status(programme, Status.SUBMITTED, by=by, draft=draft, at=now)
        programme.save(update_fields=["status", "submitted_draft", "submitted_at", "submitted_by", "submitted_on_time"])
        _outdate_reviews(programme, draft, by=by)
        note_submission(programme, now)
        reminders.withdraw_outdated(programme.round.deadline)
        notifications.submission_receipt(change)
        delay_on_commit(tasks.notify_submission, change.pk)
        _regroup_similar(programme)
    return programme


def _outdate_reviews(programme, draft, *, by):
    """A new version submitted: each completed review of an earlier one is outdated (kept, flagged)."""
    completed = programme.reviews.filter(status=Review.Status.COMPLETED).order_by("pk")
    for review in completed.select_for_update(of=("self",)):
        if review.reviewed_draft_id != draft.pk:
            _set_review_status(review, Review.Status.OUTDATED, by=by)
            review.save(update_fields=["status", "updated_at"])


def reopen_programme(programme: ActionProgramme, *, by, comment: str) -> ActionProgramme:
    """Give a submitted programme back to its city for changes.

    The last submission stays pinned on the programme and in its history.
    """
    with transaction.atomic():
        programme = _lock(programme)
        if not programme.is_submitted:
            raise ValidationError(_("Only a submitted programme can be reopened."), code="not_submitted")
        _change_status(programme, Status.DRAFT, by=by, comment=comment)
        programme.save(update_fields=["status"])
        _regroup_similar(programme)
    return programme


def _regroup_similar(programme):
    """The programme's measures join or leave the round's groups of similar measures: count the
    change now and regroup the round once it commits (`similarity`)."""
    similarity.note_change(programme.round_id)
    delay_on_commit(tasks.regroup_similar, programme.round_id)


# How far from today a round's deadline may be moved, either way.
DEADLINE_MOVE_YEARS = 5


def check_deadline_date(new_date, *, today=None):
    """Refuse a round deadline more than DEADLINE_MOVE_YEARS from today, either way."""
    today = today or _today()
    first, last = years_after(today, -DEADLINE_MOVE_YEARS), years_after(today, DEADLINE_MOVE_YEARS)
    if not first <= new_date <= last:
        raise ValidationError(
            _("Choose a date within five years of today: from %(first)s to %(last)s."),
            code="out_of_range",
            params={"first": f"{first:%d.%m.%Y}", "last": f"{last:%d.%m.%Y}"},
        )


def extend_deadline(deadline: Deadline, *, new_date, reason: str, by, decided_by_text="") -> DeadlineExtension:
    """Move a round's deadline, keeping the old date, the new one, the reason and who decided.

    Refuses a date more than five years from today, either way (ValidationError).
    Reminder steps already sent stay sent; the others follow the new date. The contacts of the
    cities whose date moved are told on commit.
    """
    limits.validate_programme_date(new_date)
    check_deadline_date(new_date)
    with transaction.atomic():
        deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
        if new_date == deadline.due_date:
            raise ValidationError(_("The new date is the same as the current one."), code="same_date")
        extension = DeadlineExtension.objects.create(
            deadline=deadline,
            old_date=deadline.due_date,
            new_date=new_date,
            reason=reason,
            decided_by=by,
            decided_by_text=decided_by_text,
        )
        deadline.due_date = new_date
        deadline.save(update_fields=["due_date"])
        reminders.withdraw_outdated(deadline)
        delay_on_commit(tasks.notify_deadline_moved, extension.pk)
    return extension


def set_reminder_steps(deadline: Deadline, offsets) -> None:
    """Replace the deadline's reminder steps. Reminders already recorded are kept."""
    with transaction.atomic():
        deadline.reminder_steps.exclude(offset_days__in=offsets).delete()
        ReminderStep.objects.bulk_create(
            [ReminderStep(deadline=deadline, offset_days=o) for o in set(offsets)], ignore_conflicts=True
        )


# Reviews


def review_for(programme: ActionProgramme, theme_area) -> Review:
    """The programme's review of `theme_area` (None: the cross-theme review), made on first use."""
    review, _created = Review.objects.get_or_create(programme=programme, theme_area=theme_area)
    return review


def _set_review_status(review, status, *, by):
    """Move the review as `Review.TRANSITIONS` allows (else a ValidationError) and keep the move."""
    if review.status == status:
        return
    Review.TRANSITIONS.check(review.status, status)
    change = ReviewStatusChange.objects.create(
        review=review, from_status=review.status, to_status=status, changed_by=by
    )
    review.status = status
    if status == Review.Status.COMMENTS_SENT and review.theme_area_id is not None:
        notifications.comments_sent(review, change)
    if status == Review.Status.COMPLETED:
        review.completed_at = timezone.now()
        review.reviewed_draft_id = review.programme.submitted_draft_id
        if review.theme_area_id is not None:  # the cross-theme summary is the management's own
            review.completion_notified_at = None  # completed again: the city hears of it again
            delay_on_commit(tasks.notify_review_completed, review.pk)


def update_review(review: Review, *, assessment: str, status: str, by) -> Review:
    """Save the general assessment and the status; history keeps each status change.

    Completing a theme review mails the city's contacts (on commit).
    """
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review.pk)
        review.assessment = assessment
        _set_review_status(review, status, by=by)
        review.save()
    return review


def add_comment(review: Review, *, measure, text: str, by) -> ReviewComment:
    """Comment on a measure of the reviewed programme (or, with no measure, on the theme).

    A first comment moves a review that was not started (or outdated by a new version) to in progress.
    """
    if measure is not None and (
        measure.programme_id != review.programme_id
        or (review.theme_area_id is not None and measure.theme_area_id != review.theme_area_id)
    ):
        raise ValidationError(_("The measure is not part of this review."), code="wrong_measure")
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review.pk)
        comment = ReviewComment.objects.create(review=review, measure=measure, text=text, author=by)
        if review.status in (Review.Status.NOT_STARTED, Review.Status.OUTDATED):
            _set_review_status(review, Review.Status.IN_PROGRESS, by=by)
            review.save(update_fields=["status", "updated_at"])
    return comment


def reply_to_comment(comment: ReviewComment, *, text: str, by) -> CommentReply:
    """Answer a comment; the others in its thread are told."""
    with transaction.atomic():
        reply = CommentReply.objects.create(comment=comment, text=text, author=by)
        notifications.comment_answered(reply)
    return reply


def resolve_comment(comment: ReviewComment, *, by, version) -> ReviewComment:
    """Mark a comment resolved in `version` (a Draft of its programme), or with `version` None
    explicitly without a new version; a comment resolved once stays as it was resolved."""
    with transaction.atomic():
        comment = ReviewComment.objects.select_for_update().select_related("review").get(pk=comment.pk)
        if version is not None and version.programme_id != comment.review.programme_id:
            raise ValidationError(_("That version is not one of this programme's."), code="wrong_version")
        if comment.resolved_at is None:
            comment.resolved_at = timezone.now()
            comment.resolved_by = by
            comment.resolved_in = version
            comment.save(update_fields=["resolved_at", "resolved_by", "resolved_in"])
            notifications.comment_resolved(comment)
    return comment


def mark_candidate(measure: Measure, *, kind: str, by) -> Measure:
    """Mark (or, with an empty kind, unmark) a measure as a candidate for a state–city agreement."""
    measure.candidate_kind = kind
    measure.save(update_fields=["candidate_kind", "updated_at"])
    # The candidates counted in each group of similar measures.
    delay_on_commit(tasks.refigure_similar, measure.programme.round_id)
    return measure


def link_measures(source: Measure, target: Measure, *, note: str, by) -> MeasureLink:
    """Link two measures of one programme in different theme areas."""
    if source.programme_id != target.programme_id or source.theme_area_id == target.theme_area_id:
        raise ValidationError(_("Link measures of the same programme in two different theme areas."), code="bad_link")
    # A link has no direction: A–B and B–A are the same link.
    existing = MeasureLink.objects.filter(Q(source=source, target=target) | Q(source=target, target=source)).first()
    return existing or MeasureLink.objects.create(source=source, target=target, note=note, created_by=by)
