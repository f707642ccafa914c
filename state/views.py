"""What the state offers: the register of instruments, asking a state body, and the body's answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agreements.forms import AgreementForm
from cities.models import City, Organisation, ThemeArea
from cities.rules import city_ids
from state import services
from state.access import (
    get_body_for_user,
    get_city_for_user,
    get_instrument_for_user,
    get_programme_to_ask_for,
    get_request_for_user,
    instruments_visible_to,
    published_offers,
    requests_visible_to,
    use_of_instruments,
    with_relations,
)
from state.filters import InstrumentFilter, RequestFilter
from state.forms import (
    ANSWER_FORMS,
    CommentForm,
    InstrumentForm,
    PublishForm,
    ReminderStepsForm,
    RequestForm,
    prefill_agreement,
)
from state.models import Instrument, RequestReminder, StateRequest
from state.rules import body_ids

# Rows on a page of a list: the same cost whatever the number of instruments or requests.
PER_PAGE = 50
Status = StateRequest.Status


def _number(value):
    """An id from the address, or None: anything but a few digits is no id."""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


@login_required
def register(request):
    """The instruments of the state bodies, by theme area and kind, a page at a time, with how much each is used."""
    if not request.user.has_perm("state.browse_register"):
        raise PermissionDenied
    chosen = InstrumentFilter(request.GET, instruments_visible_to(request.user)).qs
    instruments = (
        Instrument.objects.filter(pk__in=chosen.values("pk"))
        .select_related("body")
        .prefetch_related("theme_areas")
        .order_by("body__short_name", "name_nb", "pk")
    )
    page = Paginator(instruments, PER_PAGE).get_page(request.GET.get("page"))
    listed = list(page.object_list)
    use = use_of_instruments([i.pk for i in listed])
    for instrument in listed:
        instrument.request_count, instrument.city_count, instrument.published_count = use.get(instrument.pk, (0, 0, 0))
    user = request.user
    return render(
        request,
        "state/register.html",
        {
            "page": page,
            "instruments": listed,
            "filters": {name: request.GET.get(name, "") for name in ("theme", "kind")},
            "themes": ThemeArea.objects.all(),
            "kinds": Instrument.Kind.choices,
            "can_add": user.has_perm("state.add_instrument"),
            "can_set_reminders": user.has_perm("state.set_reminder_steps"),
            # The lists of requests the reader has: their bodies' and their cities'.
            "my_bodies": Organisation.objects.filter(pk__in=body_ids(user)),
            "my_cities": City.objects.filter(pk__in=city_ids(user)),
        },
    )


@login_required
def instrument_detail(request, pk):
    """An instrument, the offers of it its body has published, the requests for it the reader may read, and how
    many others there are (a count only)."""
    instrument = get_instrument_for_user(request.user, pk)
    readable = requests_visible_to(request.user).filter(instrument=instrument)
    page = Paginator(with_relations(readable).order_by("-created_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    others = (
        StateRequest.objects.filter(instrument=instrument)
        .exclude(status=Status.WITHDRAWN)
        .exclude(pk__in=readable.values("pk"))
        .aggregate(requests=Count("pk"), cities=Count("programme__city", distinct=True))
    )
    return render(
        request,
        "state/instrument_detail.html",
        {
            "instrument": instrument,
            "page": page,
            "requests": page.object_list,
            "others": others,
            "published_offers": published_offers(instrument),
            "can_change": request.user.has_perm("state.change_instrument", instrument),
        },
    )


def _save_instrument(request, form, success):
    if request.method == "POST" and form.is_valid():
        instrument = services.save_instrument(form)
        messages.success(request, success)
        return redirect("state:instrument_detail", pk=instrument.pk)
    return render(
        request, "state/instrument_form.html", {"form": form, "instrument": form.instance if form.instance.pk else None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def instrument_create(request):
    if not request.user.has_perm("state.add_instrument"):
        raise PermissionDenied
    form = InstrumentForm(request.POST or None, user=request.user)
    return _save_instrument(request, form, _("The instrument was added to the register."))


@login_required
@require_http_methods(["GET", "POST"])
def instrument_update(request, pk):
    instrument = get_instrument_for_user(request.user, pk, "state.change_instrument")
    form = InstrumentForm(request.POST or None, instance=instrument, user=request.user)
    return _save_instrument(request, form, _("The instrument was saved."))


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request, pk):
    """Ask a state body for something, for the programme or (`?measure=<id>`) one of its measures;
    `?instrument=<id>` chooses the instrument."""
    programme = get_programme_to_ask_for(request.user, pk)
    initial = {}
    for name in ("measure", "instrument"):
        number = _number(request.GET.get(name, ""))
        if number is not None:
            initial[name] = number
    form = RequestForm(request.POST or None, programme=programme, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            state_request = services.ask(
                programme=programme,
                measure=data["measure"],
                body=data["body"],
                instrument=data["instrument"],
                need=data["need"],
                needed_by=data["needed_by"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The request was sent to %(body)s.") % {"body": state_request.body.short_name})
            return redirect("state:request_detail", pk=state_request.pk)
    return render(request, "state/request_form.html", {"form": form, "programme": programme})


def _detail(request, state_request, *, bound=None, status=200):
    """The request's page: its history and, for whoever may make them, the moves its status allows.
    `bound` holds a form that was sent with errors, shown again with them."""
    bound = bound or {}
    user = request.user
    table = StateRequest.TRANSITIONS
    may_answer = user.has_perm("state.answer_request", state_request)
    may_withdraw = user.has_perm("state.withdraw_request", state_request)
    current = state_request.status
    published = state_request.is_published
    # An offer of an instrument is published on its page; one published stays unpublishable whatever came since.
    may_publish = user.has_perm("state.publish_offer", state_request) and (
        published or (current in StateRequest.OFFERS and state_request.instrument_id is not None)
    )
    answer_forms = {}
    # An open request is answered; one not yet acknowledged is acknowledged with the answer (services.answer).
    if may_answer and state_request.is_open:
        answer_forms = {value: bound.get(value) or form_class() for value, form_class in ANSWER_FORMS.items()}
    return render(
        request,
        "state/request_detail.html",
        {
            "state_request": state_request,
            "history": state_request.status_changes.select_related("changed_by"),
            "acknowledge_form": (bound.get(Status.ACKNOWLEDGED) or CommentForm(prefix="acknowledge"))
            if may_answer and table.allows(current, Status.ACKNOWLEDGED)
            else None,
            "offer_form": answer_forms.get(Status.OFFERED),
            "refer_form": answer_forms.get(Status.REFERRED),
            "refuse_form": answer_forms.get(Status.REFUSED),
            "withdraw_form": (bound.get(Status.WITHDRAWN) or CommentForm(prefix="withdraw"))
            if may_withdraw and table.allows(current, Status.WITHDRAWN)
            else None,
            "may_make_agreement": table.allows(current, Status.AGREED)
            and user.has_perm("state.turn_into_agreement", state_request),
            "reminders": state_request.reminders.filter(sent_at__isnull=False).order_by("sent_at", "pk"),
            "publish_form": PublishForm(
                initial={"publish": PublishForm.UNPUBLISH if published else PublishForm.PUBLISH}
            )
            if may_publish
            else None,
        },
        status=status,
    )


@login_required
def request_detail(request, pk):
    return _detail(request, get_request_for_user(request.user, pk))


def _refused(request, state_request, error):
    """A move the request's status no longer allows (someone was quicker): said, and nothing stored."""
    messages.error(request, error.messages[0])
    return redirect("state:request_detail", pk=state_request.pk)


def _simple_move(request, pk, *, perm, to_status, prefix, move, success):
    state_request = get_request_for_user(request.user, pk, perm)
    form = CommentForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _detail(request, state_request, bound={to_status: form})
    try:
        move(state_request, by=request.user, comment=form.cleaned_data["comment"])
    except ValidationError as error:
        return _refused(request, state_request, error)
    messages.success(request, success)
    return redirect("state:request_detail", pk=state_request.pk)


@login_required
@require_POST
def request_acknowledge(request, pk):
    return _simple_move(
        request,
        pk,
        perm="state.answer_request",
        to_status=Status.ACKNOWLEDGED,
        prefix="acknowledge",
        move=services.acknowledge,
        success=_("The request was acknowledged: the city sees that you are looking into it."),
    )


@login_required
@require_POST
def request_withdraw(request, pk):
    return _simple_move(
        request,
        pk,
        perm="state.withdraw_request",
        to_status=Status.WITHDRAWN,
        prefix="withdraw",
        move=services.withdraw,
        success=_("The request was withdrawn."),
    )


def _answer(request, pk, to_status, success):
    state_request = get_request_for_user(request.user, pk, "state.answer_request")
    form = ANSWER_FORMS[to_status](request.POST)
    if form.is_valid():
        answer = dict(form.cleaned_data)
        comment = answer.pop("comment", "")
        try:
            services.answer(state_request, to_status=to_status, by=request.user, comment=comment, **answer)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _refused(request, state_request, error)
            form.add_error(None, error)
        else:
            messages.success(request, success)
            return redirect("state:request_detail", pk=state_request.pk)
    return _detail(request, state_request, bound={to_status: form})


@login_required
@require_POST
def request_offer(request, pk):
    return _answer(request, pk, Status.OFFERED, _("The offer was sent to the city."))


@login_required
@require_POST
def request_refer(request, pk):
    return _answer(request, pk, Status.REFERRED, _("The referral was sent to the city."))


@login_required
@require_POST
def request_refuse(request, pk):
    return _answer(request, pk, Status.REFUSED, _("The refusal was sent to the city."))


@login_required
@require_http_methods(["GET", "POST"])
def request_agreement(request, pk):
    """An agreement of the request's offer, in one step: the agreement form filled in from the request
    (`forms.prefill_agreement`); saving it makes the agreement and turns the request into it
    (`services.make_agreement`). Nothing is stored until the form is saved."""
    state_request = get_request_for_user(request.user, pk, "state.turn_into_agreement")
    if state_request.status != Status.OFFERED:
        if state_request.status == Status.AGREED:
            messages.info(request, _("This offer has already become an agreement."))
        else:
            messages.error(request, _("Only a request answered with an offer can become an agreement."))
        return redirect("state:request_detail", pk=state_request.pk)
    form = AgreementForm(request.POST or None, user=request.user)
    form.helper.form_action = reverse("state:request_agreement", args=[state_request.pk])
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.make_agreement(state_request, form, by=request.user)
        except ValidationError as error:
            return _refused(request, state_request, error)
        messages.success(request, _("The agreement was proposed; the request is marked as turned into it."))
        return redirect("agreements:agreement_detail", pk=agreement.pk)
    measure_linked = prefill_agreement(form, state_request) if request.method == "GET" else True
    return render(
        request,
        "state/request_agreement_form.html",
        {"form": form, "state_request": state_request, "measure_left_out": not measure_linked},
    )


@login_required
@require_POST
def request_publish(request, pk):
    """Publish the request's offer on its instrument's page for everyone in the programme, or no longer."""
    state_request = get_request_for_user(request.user, pk, "state.publish_offer")
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to publish the offer."))
        return redirect("state:request_detail", pk=state_request.pk)
    publish = form.cleaned_data["publish"] == PublishForm.PUBLISH
    try:
        services.publish_offer(state_request, publish=publish, by=request.user)
    except ValidationError as error:
        return _refused(request, state_request, error)
    if publish:
        messages.success(request, _("The offer is published on the instrument's page for every city."))
    else:
        messages.success(request, _("The offer is no longer published."))
    return redirect("state:request_detail", pk=state_request.pk)


# The reminders sent lately, shown with the steps.
RECENT_REMINDERS = 20


@login_required
@require_http_methods(["GET", "POST"])
def reminder_steps(request):
    """When the requests still unanswered are reminded to their bodies (the programme management's), and the
    reminders sent lately."""
    if not request.user.has_perm("state.set_reminder_steps"):
        raise PermissionDenied
    form = ReminderStepsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_reminder_steps(form.cleaned_data["days"])
        messages.success(request, _("The reminder steps were saved."))
        return redirect("state:reminder_steps")
    recent = (
        RequestReminder.objects.filter(sent_at__isnull=False)
        .select_related("request__programme__city", "request__body")
        .order_by("-sent_at", "-pk")[:RECENT_REMINDERS]
    )
    return render(request, "state/reminder_steps.html", {"form": form, "recent": recent})


def _request_list(request, requests, *, template_context, default_status, ordering):
    filters = RequestFilter(
        request.GET if "status" in request.GET else {"status": default_status}, with_relations(requests)
    )
    page = Paginator(filters.qs.order_by(*ordering), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "state/request_list.html",
        {
            **template_context,
            "page": page,
            "requests": page.object_list,
            "status": filters.form.cleaned_data.get("status") or "",
            "statuses": [(RequestFilter.OPEN, _("Open")), *Status.choices],
        },
    )


@login_required
def body_requests(request, pk):
    """The requests to a body: the open ones, oldest first (those waiting longest on top)."""
    body = get_body_for_user(request.user, pk)
    return _request_list(
        request,
        requests_visible_to(request.user).filter(body=body),
        template_context={"body": body},
        default_status=RequestFilter.OPEN,
        ordering=("created_at", "pk"),
    )


@login_required
def city_requests(request, slug):
    """A city's own requests to the state, newest first, with the answers."""
    city = get_city_for_user(request.user, slug)
    return _request_list(
        request,
        requests_visible_to(request.user).filter(programme__city=city),
        template_context={"city": city},
        default_status="",
        ordering=("-created_at", "-pk"),
    )
