"""The only lookups of meetings and what belongs to them for a user: each fetches one object
and answers 404 if the user may not see its meeting (403 where they see it but may not do
what they asked), or scopes a queryset to what the user may see. The rules themselves are
in `rules.py`."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from cities.models import Membership
from cities.rules import city_ids, is_programme_management, theme_area_ids
from meetings.models import ActionItem, AgendaItem, Attachment, ChecklistItem, Decision, Invitation, Meeting, Minutes


def meetings_visible_to(user, queryset=None):
    """The queryset twin of `meetings.view_meeting`. Superusers, as in Django's checks, see everything."""
    meetings = Meeting.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return meetings.none()
    if user.is_superuser or is_programme_management(user):
        return meetings
    seen = Q(pk__in=Invitation.objects.filter(user=user).values("meeting_id"))
    led = theme_area_ids(user, Membership.Role.NETWORK_LEADER)
    if led:
        seen |= Q(pk__in=Meeting.theme_areas.through.objects.filter(themearea_id__in=led).values("meeting_id"))
    hosts = city_ids(user)
    if hosts:
        seen |= Q(host_city_id__in=hosts)
    return meetings.filter(seen)


def minutes_visible_to(user, queryset=None):
    """The queryset twin of `meetings.view_minutes`: the minutes shown on the meeting page
    (published minutes of a meeting `user` sees; any minutes of a meeting they organise)."""
    minutes = Minutes.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return minutes.none()
    if user.is_superuser or is_programme_management(user):
        return minutes
    shown = Q(status=Minutes.Status.PUBLISHED, meeting__in=meetings_visible_to(user).values("pk"))
    led = theme_area_ids(user, Membership.Role.NETWORK_LEADER)
    if led:
        shown |= Q(meeting__in=Meeting.theme_areas.through.objects.filter(themearea_id__in=led).values("meeting_id"))
    return minutes.filter(shown)


def decisions_visible_to(user, queryset=None):
    """Decisions `user` may read: those of the minutes in `minutes_visible_to`."""
    decisions = Decision.objects.all() if queryset is None else queryset
    if user.is_superuser or is_programme_management(user):
        return decisions
    return decisions.filter(minutes__in=minutes_visible_to(user).values("pk"))


def action_items_visible_to(user, queryset=None):
    """Action items `user` may read: those of the minutes in `minutes_visible_to`, and those
    they own once the minutes are published (a draft reaches nobody but its organisers)."""
    items = ActionItem.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return items.none()
    if user.is_superuser or is_programme_management(user):
        return items
    return items.filter(
        Q(minutes__in=minutes_visible_to(user).values("pk")) | Q(owner=user, minutes__status=Minutes.Status.PUBLISHED)
    )


def get_meeting_for_user(user, pk, perm="meetings.view_meeting", queryset=None):
    """The meeting, if `user` may see it (else 404) and has `perm` on it (else 403).

    Its theme areas and invitations are prefetched: the rules read them.
    """
    queryset = queryset if queryset is not None else Meeting.objects.all()
    meeting = get_object_or_404(
        queryset.select_related("host_city__county", "continues").prefetch_related("theme_areas", "invitations"),
        pk=pk,
    )
    if not user.has_perm("meetings.view_meeting", meeting):
        raise Http404
    if not user.has_perm(perm, meeting):
        raise PermissionDenied
    return meeting


def get_minutes_for_user(user, meeting):
    """The minutes of `meeting` as `user` reads them on its page, with their decisions and action
    items; None if there are none or they may not read them yet (invitees read them once published)."""
    minutes = (
        Minutes.objects.filter(meeting=meeting)
        .select_related("approved_by")
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.select_related("deadline_extension__deadline__round")),
            Prefetch("action_items", queryset=ActionItem.objects.select_related("owner")),
        )
        .first()
    )
    if minutes is None:
        return None
    minutes.meeting = meeting  # the rule reads the meeting, already fetched with what it needs
    return minutes if user.has_perm("meetings.view_minutes", minutes) else None


def get_agenda_item_for_user(user, pk):
    """An agenda item to change and its meeting, for the meeting's organisers (404/403 as for the meeting)."""
    item = get_object_or_404(AgendaItem.objects.only("pk", "meeting_id"), pk=pk)
    meeting = get_meeting_for_user(user, item.meeting_id, "meetings.change_meeting")
    return get_object_or_404(meeting.agenda.all(), pk=pk), meeting


def get_attachment_for_user(user, pk, perm="meetings.view_meeting"):
    """A document and its meeting, if `user` sees the meeting (else 404) and has `perm` on it (else 403)."""
    attachment = get_object_or_404(Attachment.objects.only("pk", "meeting_id"), pk=pk)
    meeting = get_meeting_for_user(user, attachment.meeting_id, perm)
    return get_object_or_404(meeting.attachments.all(), pk=pk), meeting


def get_checklist_item_for_user(user, pk):
    """A hosting checklist task and its meeting, for those who tick it (404/403 as for the meeting)."""
    item = get_object_or_404(ChecklistItem.objects.only("pk", "meeting_id"), pk=pk)
    return item, get_meeting_for_user(user, item.meeting_id, "meetings.tick_checklist")
