"""Workflows on meetings that span several rows. Each owns its transaction;
views call these and never save meetings and their parts themselves."""

import functools
import logging
import operator

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import Membership, Organisation
from cities.rules import is_programme_management, theme_area_ids
from lib import limits
from lib.files import InspectedUpload
from lib.tasks import delay_on_commit
from meetings import notifications, tasks
from meetings.models import (
    Attachment,
    ChecklistItem,
    ChecklistTemplateItem,
    Feedback,
    Invitation,
    Meeting,
    Minutes,
)
from meetings.rules import participant_q

logger = logging.getLogger(__name__)


# Meetings


def check_times(starts_at, ends_at):
    """Refuse a meeting outside the programme's span (2000–2100) or ending before it starts."""
    errors = {}
    for name, moment in (("starts_at", starts_at), ("ends_at", ends_at)):
        try:
            limits.validate_programme_date(moment)
        except ValidationError as error:
            errors[name] = error
    if not errors and ends_at < starts_at:
        errors["ends_at"] = ValidationError(_("The meeting cannot end before it starts."), code="ends_before_start")
    if errors:
        raise ValidationError(errors)


def create_meeting(*, by, theme_areas=(), **fields) -> Meeting:
    """Create a meeting; a network gathering gets its own copy of the hosting recipe.

    Refuses times outside 2000–2100 or an end before the start (ValidationError, by field).
    """
    check_times(fields["starts_at"], fields["ends_at"])
    with transaction.atomic():
        meeting = Meeting.objects.create(created_by=by, **fields)
        meeting.theme_areas.set(theme_areas)
        if meeting.kind == Meeting.Kind.NETWORK_GATHERING:
            copy_recipe(meeting)
    return meeting


def update_meeting(meeting: Meeting, *, theme_areas, **fields) -> Meeting:
    """Change a meeting's fields and theme areas; one that becomes a network gathering gets the recipe.

    Refuses times as `create_meeting` does.
    """
    check_times(fields.get("starts_at", meeting.starts_at), fields.get("ends_at", meeting.ends_at))
    with transaction.atomic():
        for name, value in fields.items():
            setattr(meeting, name, value)
        meeting.save(update_fields=list(fields))
        meeting.theme_areas.set(theme_areas)
        if meeting.kind == Meeting.Kind.NETWORK_GATHERING:
            copy_recipe(meeting)
    return meeting


def copy_recipe(meeting: Meeting) -> int:
    """Give the meeting a checklist from the recipe, unless it has one; returns how many items were added."""
    if meeting.checklist.exists():
        return 0
    items = [
        ChecklistItem(meeting=meeting, text=item.text, order=item.order)
        for item in ChecklistTemplateItem.objects.filter(active=True)
    ]
    ChecklistItem.objects.bulk_create(items)
    return len(items)


def save_agenda_item(meeting: Meeting, form):
    """Save an agenda item form (with its linked measures) for `meeting`."""
    with transaction.atomic():
        item = form.save(commit=False)
        item.meeting = meeting
        item.save()
        form.save_m2m()
    return item


def delete_agenda_item(item) -> None:
    """Remove an agenda item; its attachments stay on the meeting."""
    item.delete()


# Invitations and registration


def invitees(
    meeting: Meeting, *, roles=(), cities=(), theme_areas=(), organisations=(), county_authorities=False, users=()
):
    """The active users matching any of the choices, as a queryset.

    `county_authorities` stands for the members of the county authorities of
    the host city's county (fylkeskommunen, fylkesmannen).
    """
    conditions = []
    if roles:
        conditions.append(Q(role__in=roles))
    if cities:
        conditions.append(Q(city__in=cities))
    if theme_areas:
        conditions.append(Q(theme_area__in=theme_areas))
    if organisations:
        conditions.append(Q(organisation__in=organisations))
    if county_authorities:
        if meeting.host_city is None:
            raise ValidationError(_("The meeting has no host city, so it has no county."), code="no_host")
        conditions.append(
            Q(
                organisation__kind=Organisation.Kind.COUNTY_AUTHORITY,
                organisation__county_id=meeting.host_city.county_id,
            )
        )
    chosen = Q(pk__in=[user.pk for user in users])
    if conditions:
        members = Membership.objects.filter(functools.reduce(operator.or_, conditions)).values("user_id")
        chosen |= Q(pk__in=members)
    return get_user_model().objects.filter(chosen, is_active=True)


def invite(meeting: Meeting, **criteria) -> int:
    """Invite everyone `invitees` finds who is not invited yet; returns how many were added.

    Existing invitations, with their answers, are left as they are. Each new invitee is mailed the
    invitation (with the meeting as an .ics file) once the transaction commits.
    """
    with transaction.atomic():
        wanted = set(invitees(meeting, **criteria).values_list("pk", flat=True))
        existing = set(meeting.invitations.values_list("user_id", flat=True))
        added = sorted(wanted - existing)
        # A concurrent invitation of the same person is not an error: they are invited.
        Invitation.objects.bulk_create([Invitation(meeting=meeting, user_id=pk) for pk in added], ignore_conflicts=True)
        new = meeting.invitations.filter(user_id__in=added).select_related("user__profile")
        notifications.queue_invitations(meeting, new)
    return len(added)


def register(invitation: Invitation, *, attending: bool, now=None) -> Invitation:
    """Record an invitee's answer. Refused once registration has closed; then nothing changes."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=invitation.pk)
        if not invitation.meeting.registration_open(now):
            raise ValidationError(
                _("Registration for this meeting has closed; your answer was not changed."), code="closed"
            )
        invitation.response = Invitation.Response.ATTENDING if attending else Invitation.Response.NOT_ATTENDING
        invitation.responded_at = now
        invitation.save(update_fields=["response", "responded_at"])
    return invitation


def record_attendance(meeting: Meeting, *, attended, now=None) -> None:
    """Mark who came: the invitations in `attended` as present, every other one as absent.

    Only once the meeting has started.
    """
    if (now or timezone.now()) < meeting.starts_at:
        raise ValidationError(_("Attendance is recorded once the meeting has started."), code="not_started")
    ids = [invitation.pk for invitation in attended]
    with transaction.atomic():
        meeting.invitations.filter(pk__in=ids).update(attended=True)
        meeting.invitations.exclude(pk__in=ids).update(attended=False)


# Attachments


def upload_attachment(
    meeting: Meeting, *, file, inspected: InspectedUpload, title: str, agenda_item=None, by
) -> Attachment:
    """Store `file`, which must already have passed `inspect_upload`, under a name the server makes."""
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError(_("Choose an item of this meeting's agenda."), code="other_meeting")
    attachment = Attachment(meeting=meeting, agenda_item=agenda_item, title=title)
    return attachment.store(file, inspected, by=by)


def delete_attachment(attachment: Attachment) -> None:
    """Remove the attachment; its file goes once the removal is committed."""
    with transaction.atomic():
        attachment.delete()
        transaction.on_commit(lambda: attachment.file.delete(save=False))


# Minutes


def save_minutes(meeting: Meeting, *, form, decisions, action_items) -> Minutes:
    """Save the minutes' main points, decisions and action items in one transaction.

    Approved minutes that are changed go back to draft and need approving
    again; published minutes stay published (corrections are not mailed).
    """
    with transaction.atomic():
        minutes = form.save(commit=False)
        minutes.meeting = meeting
        if minutes.status == Minutes.Status.APPROVED:
            Minutes.TRANSITIONS.check(minutes.status, Minutes.Status.DRAFT)
            minutes.status, minutes.approved_by, minutes.approved_at = Minutes.Status.DRAFT, None, None
        minutes.save()
        for formset in (decisions, action_items):
            formset.instance = minutes
            formset.save()
    return minutes


def approve_minutes(minutes: Minutes, *, by, now=None) -> Minutes:
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
        if minutes.status != Minutes.Status.DRAFT:
            raise ValidationError(_("Only draft minutes can be approved."), code="not_draft")
        Minutes.TRANSITIONS.check(minutes.status, Minutes.Status.APPROVED)
        minutes.status, minutes.approved_by, minutes.approved_at = Minutes.Status.APPROVED, by, now or timezone.now()
        minutes.save(update_fields=["status", "approved_by", "approved_at"])
    return minutes


def publish_minutes(minutes: Minutes, *, now=None) -> Minutes:
    """Publish approved minutes to the invitees; mails those who attended or said they would, once, on commit."""
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
        if minutes.status != Minutes.Status.APPROVED:
            raise ValidationError(_("Minutes are approved before they are published."), code="not_approved")
        Minutes.TRANSITIONS.check(minutes.status, Minutes.Status.PUBLISHED)
        minutes.status, minutes.published_at = Minutes.Status.PUBLISHED, now or timezone.now()
        minutes.save(update_fields=["status", "published_at"])
        delay_on_commit(tasks.notify_minutes_published, minutes.pk)
    return minutes


# Hosting checklist and recipe


def tick(item: ChecklistItem, *, done: bool, by, now=None) -> ChecklistItem:
    """Mark a checklist item done (who, when) or not done."""
    with transaction.atomic():
        item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
        if done and item.done_at is None:
            item.done_at, item.done_by = now or timezone.now(), by
        elif not done:
            item.done_at, item.done_by = None, None
        item.save(update_fields=["done_at", "done_by"])
    return item


def save_recipe(formset) -> None:
    """Save the edited, added and deactivated recipe items. Gatherings' own checklists keep their copies."""
    with transaction.atomic():
        formset.save()


# Feedback


def give_feedback(meeting: Meeting, *, user, answers: dict, now=None) -> Feedback:
    """Record or update `user`'s answer to the survey: one per participant, while it is open."""
    if not meeting.feedback_open(now):
        raise ValidationError(_("The feedback survey for this meeting is closed."), code="closed")
    if not meeting.invitations.filter(participant_q(), user=user).exists():
        raise ValidationError(_("Only participants of the gathering answer its survey."), code="not_participant")
    with transaction.atomic():
        feedback, _created = Feedback.objects.update_or_create(meeting=meeting, user=user, defaults=answers)
    return feedback


SCALE = range(1, 6)
FEEDBACK_TREND = 8  # gatherings in the trend on a summary page


def feedback_summary(meeting: Meeting) -> dict:
    """The survey's figures, computed in the database, its free-text answers without names,
    and the participants who have not answered."""
    answers = Feedback.objects.filter(meeting=meeting)
    figures = answers.aggregate(
        answers=Count("pk"),
        rating=Avg("rating"),
        host_usefulness=Avg("host_usefulness"),
        state_average=Avg("state_concrete"),
        **{f"pace_{value}": Count("pk", filter=Q(pace=value)) for value in Feedback.Pace.values},
        **{f"enough_{value}": Count("pk", filter=Q(enough_discussion=value)) for value in Feedback.Enough.values},
        **{f"state_{value}": Count("pk", filter=Q(state_concrete=value)) for value in SCALE},
        state_none=Count("pk", filter=Q(state_concrete__isnull=True)),
    )
    # Sorted by their text, not by time, so that the order does not tell who wrote what.
    comments = list(answers.exclude(comment="").order_by("comment").values_list("comment", flat=True))
    state_comments = list(
        answers.exclude(state_comment="").order_by("state_comment").values_list("state_comment", flat=True)
    )
    missing = (
        meeting.invitations.filter(participant_q())
        .exclude(user_id__in=answers.values("user_id"))
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    return {
        "figures": figures,
        "pace": [(label, figures[f"pace_{value}"]) for value, label in Feedback.Pace.choices],
        "enough": [(label, figures[f"enough_{value}"]) for value, label in Feedback.Enough.choices],
        "state": [(str(value), figures[f"state_{value}"]) for value in SCALE]
        + [(_("No state body took part"), figures["state_none"])],
        "comments": comments,
        "state_comments": state_comments,
        "missing": list(missing),
    }


def _organised_by(user):
    """The queryset twin of `meetings.change_meeting`: every meeting for the management (and superusers),
    those of the networks they lead for network leaders, none for others."""
    if user.is_superuser or is_programme_management(user):
        return Meeting.objects.all()
    led = theme_area_ids(user, Membership.Role.NETWORK_LEADER)
    return Meeting.objects.filter(
        pk__in=Meeting.theme_areas.through.objects.filter(themearea_id__in=led).values("meeting_id")
    )


def feedback_trend(user, meeting: Meeting, *, limit=FEEDBACK_TREND, now=None) -> list:
    """The survey across gatherings: of the gatherings `user` organises whose survey has opened, the
    last `limit` up to `meeting` (which is among them), oldest first, each with its number of answers,
    its average overall rating and its average of "were the state bodies concrete" (1–5; None when no
    one answered). Averages only, no answer or name. One query."""
    now = now or timezone.now()
    gatherings = (
        _organised_by(user)
        .filter(
            kind__in=(Meeting.Kind.NETWORK_GATHERING, Meeting.Kind.GRAND_GATHERING),
            status=Meeting.Status.HELD,
            ends_at__lte=now,
            starts_at__lte=meeting.starts_at,
        )
        .annotate(
            answers=Count("feedback"),
            rating=Avg("feedback__rating"),
            state_average=Avg("feedback__state_concrete"),
            state_answers=Count("feedback__state_concrete"),
        )
        .order_by("-starts_at", "-pk")[:limit]
    )
    return [
        {
            "pk": g.pk,
            "title": g.title,
            "starts_at": g.starts_at,
            "current": g.pk == meeting.pk,
            "answers": g.answers,
            "rating": g.rating,
            "state_average": g.state_average,
            "state_answers": g.state_answers,
        }
        for g in reversed(gatherings)
    ]
