"""The People section: the list of everyone, a person's page with their roles and history,
inviting a person, and accepting an invitation."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import lockout, two_factor
from cities.models import City, Membership
from lib.csvfiles import csv_response
from lib.formats import person_name
from outbox import services as outbox
from people import access, services
from people.filters import PeopleFilter, PersonStatus, people_queryset, status_of
from people.forms import AcceptForm, AddRoleForm, InviteForm, RoleFormSet
from people.models import AccountInvitation

PER_PAGE = 50


def _roles(person):
    return "; ".join(m.describe() for m in person.memberships.all())


def _organisation(person):
    profile = getattr(person, "profile", None)
    if profile is not None and profile.organisation is not None:
        return profile.organisation.short_name
    cities = {m.city.name for m in person.memberships.all() if m.city is not None}
    return ", ".join(sorted(cities))


@login_required
@require_GET
def person_list(request):
    access.require(request.user, "people.view_people")
    people = PeopleFilter(request.GET or None, queryset=people_queryset())
    page = Paginator(people.qs, PER_PAGE).get_page(request.GET.get("page"))
    locked = set(lockout.locked_usernames())
    bouncing = outbox.bouncing_addresses(p.email for p in page.object_list)
    rows = [
        {
            "person": p,
            "roles": list(p.memberships.all()),
            "organisation": _organisation(p),
            "status": status_of(p),
            "locked": p.get_username() in locked,
            "bouncing": (p.email or "").strip().lower() in bouncing,
        }
        for p in page.object_list
    ]
    return render(
        request,
        "people/person_list.html",
        {
            "filter": people,
            "page": page,
            "rows": rows,
            "labels": PersonStatus.LABELS,
            "without_contact": City.objects.without_contact(),
        },
    )


@login_required
@require_GET
def person_export(request):
    access.require(request.user, "people.view_people")
    people = PeopleFilter(request.GET or None, queryset=people_queryset()).qs
    headers = [_("Name"), _("User name"), _("E-mail"), _("Organisation"), _("Roles"), _("Last login"), _("Status")]
    rows = (
        [
            person_name(p),
            p.username,
            p.email,
            _organisation(p),
            _roles(p),
            p.last_login,
            str(PersonStatus.LABELS[status_of(p)]),
        ]
        for p in people
    )
    return csv_response(request.GET, "people.csv", headers, rows)


@login_required
@require_GET
def person_detail(request, pk):
    person = access.get_person_for_user(request.user, pk)
    memberships = Membership.objects.filter(user=person).select_related("city", "theme_area", "organisation")
    history = (
        Membership.history.filter(user_id=person.pk)
        .select_related("history_user", "city", "theme_area", "organisation")
        .order_by("-history_date")
    )
    invitations = list(person.account_invitations.select_related("invited_by", "withdrawn_by"))
    status = _status(person, invitations)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "history": history,
            "invitations": invitations,
            "role_form": AddRoleForm(user=request.user, person=person),
            "status_code": status,
            "locked": lockout.is_locked(person),
            "has_two_factor": two_factor.has_two_factor(person),
            "bouncing": outbox.is_bouncing(person.email),
            "status": PersonStatus.LABELS[status],
        },
    )


def _status(person, invitations):
    statuses = {invitation.status for invitation in invitations}
    person.invitation_pending = AccountInvitation.Status.PENDING in statuses
    person.invitation_expired = AccountInvitation.Status.EXPIRED in statuses
    return status_of(person)


@login_required
@require_POST
def role_add(request, pk):
    person = access.get_person_for_user(request.user, pk)
    form = AddRoleForm(request.POST, user=request.user, person=person)
    if form.is_valid():
        services.give_role(form.instance, by=request.user, request=request)
        messages.success(request, _("The role was given."))
    else:
        for error in [*form.non_field_errors(), *[e for f in form.errors.values() for e in f]]:
            messages.error(request, error)
    return redirect("people:detail", pk=person.pk)


@login_required
@require_POST
def role_end(request, pk):
    membership = access.get_membership_for_user(request.user, pk)
    services.end_role(membership, by=request.user, request=request)
    messages.success(request, _("The role %(role)s was ended.") % {"role": membership.describe()})
    return redirect("people:detail", pk=membership.user_id)


@login_required
@require_POST
def set_active(request, pk):
    person = access.get_person_for_user(request.user, pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_active(person, active, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        done = _("%(name)s was reactivated.") if active else _("%(name)s was deactivated.")
        messages.success(request, done % {"name": person_name(person)})
    return redirect("people:detail", pk=person.pk)


@login_required
@require_POST
def two_factor_reset(request, pk):
    """Remove a person's two-factor for them (a lost phone and lost recovery codes)."""
    person = access.get_person_for_user(request.user, pk)
    if two_factor.reset(person, by=request.user, request=request):
        messages.success(
            request,
            _("Two-factor was removed; %(name)s sets it up again at the next login.") % {"name": person_name(person)},
        )
    return redirect("people:detail", pk=person.pk)


@login_required
def invite(request):
    access.require(request.user, "people.invite_people")
    initial = _initial_role(request)
    form = InviteForm(request.POST or None)
    roles = RoleFormSet(request.POST or None, form_kwargs={"user": request.user}, initial=initial, prefix="roles")
    if request.method == "POST" and form.is_valid() and roles.is_valid():
        try:
            invitation = services.invite(
                **form.cleaned_data, roles=roles.memberships(), by=request.user, request=request
            )
        except ValidationError as error:
            form.add_error("email", error)
        except services.MailNotSent:
            messages.warning(
                request,
                _(
                    "The person was added, but the invitation mail could not be sent. Send it again from the person's page."
                ),
            )
            return _after_invite(request)
        else:
            messages.success(
                request,
                _("%(name)s was invited; the link in the mail is valid for 7 days.")
                % {"name": person_name(invitation.user)},
            )
            return _after_invite(request)
    return render(
        request,
        "people/invite.html",
        {"form": form, "roles": roles, "sent": access.invitations_sent_by(request.user)},
    )


def _initial_role(request):
    """A link such as "invite a contact for Bergen" fills in the first role."""
    role = request.GET.get("role")
    if role not in Membership.Role.values:
        return None
    city = City.objects.filter(slug=request.GET.get("city", "")).first()
    return [{"role": role, "city": city}]


def _after_invite(request):
    if request.user.has_perm("people.view_people"):
        return redirect("people:list")
    return redirect("people:invite")


@login_required
@require_POST
def invitation_resend(request, pk):
    invitation = access.get_invitation_for_user(request.user, pk)
    try:
        services.resend(invitation, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    except services.MailNotSent:
        messages.error(request, _("The mail could not be sent. Try again later."))
    else:
        messages.success(request, _("A new invitation was sent to %(email)s.") % {"email": invitation.user.email})
    return _back(request, invitation)


@login_required
@require_POST
def invitation_withdraw(request, pk):
    invitation = access.get_invitation_for_user(request.user, pk)
    try:
        services.withdraw(invitation, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The invitation was withdrawn; its link no longer works."))
    return _back(request, invitation)


def _back(request, invitation):
    if request.user.has_perm("people.manage_person"):
        return redirect("people:detail", pk=invitation.user_id)
    return redirect("people:invite")


def accept(request, token):
    """The invitation's link: choose a password, then in. Says clearly when the link is used or expired."""
    invitation = services.invitation_for(token)
    status = invitation.status if invitation is not None else None
    if status != AccountInvitation.Status.PENDING:
        # A used, expired or withdrawn link is explained (as Django's own reset links are); an unknown one is 404.
        return render(
            request,
            "people/accept_invalid.html",
            {"status": status, "invitation": invitation},
            status=200 if status else 404,
        )
    form = AcceptForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = services.accept(invitation, password=form.cleaned_data["new_password1"], request=request)
        except ValidationError:
            return render(request, "people/accept_invalid.html", {"status": None}, status=409)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your password is set."))
        return redirect("home")
    return render(request, "people/accept.html", {"form": form, "invitation": invitation, "person": invitation.user})
