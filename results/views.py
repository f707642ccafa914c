"""Results: the reporting rounds, each reporter's report on its measures and agreements, and more time."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from results import services
from results.access import (
    get_extension_for_user,
    get_report_for_user,
    get_round_for_user,
    own_reports,
    reports_visible_to,
    rows_for,
    with_relations,
)
from results.forms import (
    ExtensionDecisionForm,
    ExtensionRequestForm,
    ProgressFormSet,
    ReminderStepsForm,
    ReopenForm,
    ReportingRoundForm,
)
from results.models import ExtensionRequest, ProgressReport, Reminder, ReportingRound

# Rows on a page of a list: the same cost whatever the number of rounds or reporters.
PER_PAGE = 50
# The reminders sent lately, shown with the steps.
RECENT_REMINDERS = 20
Pending = ExtensionRequest.Status.PENDING


def report_state(report, now=None):
    """(code, label) of where a report stands: submitted on time or late, or a draft that is late or not yet."""
    if report.is_submitted:
        if report.submitted_on_time:
            return "submitted_on_time", _("Submitted on time")
        return "submitted_late", _("Submitted late")
    if not report.is_on_time(now or timezone.now()):
        return "late", _("Not submitted: late")
    return "draft", _("Not submitted yet")


@login_required
def round_list(request):
    """The reporting rounds, newest first, with how many have reported and the reader's own reports in each."""
    if not request.user.has_perm("results.view_rounds"):
        raise PermissionDenied
    rounds = ReportingRound.objects.with_counts().select_related("programme_round").order_by("-due_date", "pk")
    page = Paginator(rounds, PER_PAGE).get_page(request.GET.get("page"))
    listed = list(page.object_list)
    mine = {}
    for report in own_reports(request.user).filter(reporting_round__in=listed):
        mine.setdefault(report.reporting_round_id, []).append(report)
    for reporting_round in listed:
        reporting_round.own = mine.get(reporting_round.pk, [])
    return render(
        request,
        "results/round_list.html",
        {"page": page, "rounds": listed, "can_open": request.user.has_perm("results.open_round")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    if not request.user.has_perm("results.open_round"):
        raise PermissionDenied
    form = ReportingRoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reporting_round = services.open_round(
            name=data["name"],
            slug=data["slug"],
            kind=data["kind"],
            programme_round=data["programme_round"],
            due_date=data["due_date"],
            description=data["description"],
            offsets=data["offsets"],
            by=request.user,
        )
        messages.success(
            request,
            _("The reporting round was opened: %(count)s reporters have a report to write.")
            % {"count": reporting_round.reports.count()},
        )
        return redirect("results:round_detail", slug=reporting_round.slug)
    return render(request, "results/round_form.html", {"form": form})


@login_required
def round_detail(request, slug):
    """Every report of the round the reader may read, 50 to a page, with where each stands; for the programme
    management also the requests for more time waiting for a decision."""
    reporting_round = get_round_for_user(request.user, slug)
    pending = ExtensionRequest.objects.filter(report=OuterRef("pk"), status=Pending)
    reports = (
        with_relations(reports_visible_to(request.user, reporting_round.reports.all()))
        .annotate(extension_pending=Exists(pending))
        .order_by(F("city__name").asc(nulls_last=True), "organisation__name", "pk")
    )
    page = Paginator(reports, PER_PAGE).get_page(request.GET.get("page"))
    listed = list(page.object_list)
    now = timezone.now()
    for report in listed:
        report.reporting_round = reporting_round
        report.state, report.state_label = report_state(report, now)
    counts = reports.order_by().aggregate(
        total=Count("pk"),
        submitted=Count("pk", filter=Q(status=ProgressReport.Status.SUBMITTED)),
        late=Count("pk", filter=Q(status=ProgressReport.Status.SUBMITTED, submitted_on_time=False)),
    )
    may_decide = request.user.has_perm("results.decide_extension")
    waiting = (
        ExtensionRequest.objects.filter(report__reporting_round=reporting_round, status=Pending)
        .select_related("report__city", "report__organisation", "requested_by")
        .order_by("requested_at", "pk")
        if may_decide
        else []
    )
    return render(
        request,
        "results/round_detail.html",
        {
            "reporting_round": reporting_round,
            "page": page,
            "reports": listed,
            "counts": counts,
            "waiting": waiting,
            "own": list(own_reports(request.user, reporting_round)),
            "can_set_steps": request.user.has_perm("results.set_reminder_steps"),
            "steps": list(reporting_round.reminder_steps.values_list("offset_days", flat=True)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_steps(request, slug):
    """When the round reminds those who have not submitted, and the reminders sent lately."""
    reporting_round = get_round_for_user(request.user, slug, "results.set_reminder_steps")
    form = ReminderStepsForm(request.POST or None, reporting_round=reporting_round)
    if request.method == "POST" and form.is_valid():
        services.set_reminder_steps(reporting_round, form.cleaned_data["offsets"])
        messages.success(request, _("The reminder steps were saved."))
        return redirect("results:round_detail", slug=reporting_round.slug)
    recent = (
        Reminder.objects.filter(report__reporting_round=reporting_round, sent_at__isnull=False)
        .select_related("report__city", "report__organisation", "recipient")
        .order_by("-sent_at", "-pk")[:RECENT_REMINDERS]
    )
    return render(
        request, "results/round_steps.html", {"reporting_round": reporting_round, "form": form, "recent": recent}
    )


def _formsets(report, data=None):
    """The two formsets of a draft report: its measures (prefix "m") and its obligations (prefix "a")."""
    measures = list(services.measures_to_report(report))
    parties = list(services.parties_to_report(report))
    saved_measures = {row.measure_id: row for row in report.measure_rows.all()}
    saved_agreements = {row.party_id: row for row in report.agreement_rows.all()}
    return (
        ProgressFormSet(data, items=measures, saved=saved_measures, prefix="m"),
        ProgressFormSet(data, items=parties, saved=saved_agreements, prefix="a"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request, pk):
    """A report: a form of one row per measure and obligation for its reporter while it is a draft (saved as a
    draft, or submitted), read-only for everyone else and once submitted."""
    user = request.user
    if request.method == "POST":
        report = get_report_for_user(user, pk, "results.change_report")
    else:
        report = get_report_for_user(user, pk)
    may_edit = user.has_perm("results.change_report", report)
    measures = agreements = None
    if may_edit:
        measures, agreements = _formsets(report, request.POST if request.method == "POST" else None)
        if request.method == "POST":
            submit = "submit" in request.POST
            if measures.is_valid() and agreements.is_valid():
                try:
                    services.save_report(
                        report, measures=measures.rows(), agreements=agreements.rows(), by=user, submit=submit
                    )
                except ValidationError as error:
                    messages.error(request, error.messages[0])
                    return redirect("results:report_detail", pk=report.pk)
                messages.success(
                    request, _("The report was submitted.") if submit else _("The report was saved as a draft.")
                )
                return redirect("results:report_detail", pk=report.pk)
    measure_rows, agreement_rows = ([], []) if may_edit else rows_for(user, report)
    report.state, report.state_label = report_state(report)
    return render(
        request,
        "results/report_detail.html",
        {
            "report": report,
            "reporting_round": report.reporting_round,
            "may_edit": may_edit,
            "measure_forms": measures,
            "formsets": [f for f in (measures, agreements) if f is not None],
            "has_errors": request.method == "POST" and may_edit,
            "agreement_forms": agreements,
            "measure_rows": measure_rows,
            "agreement_rows": agreement_rows,
            "may_reopen": user.has_perm("results.reopen_report", report),
            "may_ask": user.has_perm("results.request_extension", report),
            "reopen_form": ReopenForm(),
            "extensions": list(report.extension_requests.select_related("decided_by").order_by("requested_at", "pk")),
            "history": list(report.status_changes.select_related("changed_by")),
        },
    )


@login_required
@require_POST
def report_reopen(request, pk):
    report = get_report_for_user(request.user, pk, "results.reopen_report")
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
        return redirect("results:report_detail", pk=report.pk)
    try:
        services.reopen_report(report, by=request.user, comment=form.cleaned_data["comment"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The report was given back to its reporter as a draft."))
    return redirect("results:report_detail", pk=report.pk)


@login_required
@require_http_methods(["GET", "POST"])
def extension_request(request, pk):
    """A reporter asks for a later due date for its draft report."""
    report = get_report_for_user(request.user, pk, "results.request_extension")
    pending = report.extension_requests.filter(status=Pending).first()
    form = ExtensionRequestForm(request.POST or None, report=report)
    if request.method == "POST" and pending is None and form.is_valid():
        try:
            services.request_extension(
                report, new_date=form.cleaned_data["new_date"], reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your request was sent to the programme management."))
            return redirect("results:report_detail", pk=report.pk)
    return render(request, "results/extension_request.html", {"report": report, "form": form, "pending": pending})


@login_required
@require_http_methods(["GET", "POST"])
def extension_decide(request, pk):
    extension = get_extension_for_user(request.user, pk)
    form = ExtensionDecisionForm(request.POST or None)
    if request.method == "POST" and extension.status != Pending:
        messages.info(request, _("This request has already been decided."))
        return redirect("results:extension_decide", pk=extension.pk)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == ExtensionDecisionForm.APPROVE
        try:
            services.decide_extension(extension, approve=approve, comment=form.cleaned_data["comment"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The new date was approved.") if approve else _("The request was declined."))
            return redirect("results:round_detail", slug=extension.report.reporting_round.slug)
    return render(request, "results/extension_decide.html", {"extension": extension, "form": form})
