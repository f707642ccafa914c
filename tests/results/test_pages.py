"""The pages of the reporting rounds: opening a round, writing a report (bad input kept and said), submitting
it, reopening it, and who may not."""

from decimal import Decimal

import pytest
from django.urls import reverse

from results import services
from results.models import AgreementProgress, MeasureProgress, ProgressReport, ReminderStep, ReportingRound
from tests.results.conftest import formset_data


def login(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


ROUND_DATA = {
    "name": "Rapport 2031",
    "slug": "rapport-2031",
    "kind": "grant_use",
    "due_date": "2031-05-01",
    "description": "",
    "offsets": "−14, -7, 0, 7",
}


def test_the_management_opens_a_round_and_every_reporter_gets_a_report(client, manager, programmes, agreement, round_):
    response = login(client, manager).post(
        reverse("results:round_create"), {**ROUND_DATA, "programme_round": round_.pk}
    )

    reporting_round = ReportingRound.objects.get(slug="rapport-2031")
    assert response.status_code == 302
    assert response["Location"] == reverse("results:round_detail", args=["rapport-2031"])
    assert (reporting_round.kind, str(reporting_round.due_date), reporting_round.opened_by) == (
        "grant_use",
        "2031-05-01",
        manager,
    )
    assert sorted(r.reporter_name for r in reporting_round.reports.all()) == ["Bergen", "KS", "Oslo"]
    assert list(ReminderStep.objects.values_list("offset_days", flat=True)) == [-14, -7, 0, 7]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"due_date": "2020-05-01"}, "due_date", "Choose a due date that has not passed yet."),
        ({"due_date": "20311-05-01"}, "due_date", "Enter a valid date."),
        ({"offsets": "two weeks"}, "offsets", "Write whole numbers of days separated by commas, e.g. -14, -7, 0, 7."),
        ({"offsets": "-400"}, "offsets", "A step must be at most 366 days before or after the due date."),
        ({"offsets": " , "}, "offsets", "Give at least one step."),
        ({"slug": "rapport-2030"}, "slug", "Reporting round with this Slug already exists."),
        ({"name": ""}, "name", "This field is required."),
        (
            {"programme_round": "999999"},
            "programme_round",
            "Select a valid choice. That choice is not one of the available choices.",
        ),
    ],
)
def test_opening_a_round_with_bad_input_says_what_is_wrong(
    client, manager, reporting_round, round_, changes, field, message
):
    data = {**ROUND_DATA, "programme_round": round_.pk, **changes}

    response = login(client, manager).post(reverse("results:round_create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert ReportingRound.objects.count() == 1


@pytest.mark.parametrize("persona", ["contact_oslo", "coordinator", "partner", "outsider"])
def test_only_the_management_opens_a_round(client, request, persona, round_):
    user = request.getfixturevalue(persona)

    response = login(client, user).post(reverse("results:round_create"), {**ROUND_DATA, "programme_round": round_.pk})

    assert response.status_code == 403
    assert not ReportingRound.objects.exists()


def test_a_city_saves_a_draft_with_norwegian_numbers(client, contact_oslo, reports, oslo_measures):
    report = reports["oslo"]
    cycling = oslo_measures["Sykkelveier"]
    data = formset_data(
        report,
        {
            ("m", cycling.pk): {
                "status": "under_way",
                "share_done": "40",
                "spent": "2 500 000",
                "effect_now": "2 500,5",
                "text": "Godt i gang",
            }
        },
    )

    response = login(client, contact_oslo).post(reverse("results:report_detail", args=[report.pk]), data | {"save": ""})

    assert response.status_code == 302
    row = MeasureProgress.objects.get(report=report, measure=cycling)
    assert (row.status, row.share_done, row.spent, row.effect_now, row.text) == (
        "under_way",
        40,
        Decimal("2500000"),
        Decimal("2500.5"),
        "Godt i gang",
    )
    assert MeasureProgress.objects.filter(report=report).count() == 2
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.DRAFT


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"share_done": "150"}, "share_done", "Enter a share from 0 to 100."),
        ({"share_done": "-1"}, "share_done", "Enter a share from 0 to 100."),
        ({"spent": "mange penger"}, "spent", "Enter a number."),
        ({"spent": "-5"}, "spent", "Enter an amount between 0 and 1 000 000 000 000 kroner."),
        ({"spent": "2 500,5"}, "spent", "Ensure that there are no more than 0 decimal places."),
        (
            {"effect_now": "20 000 000"},
            "effect_now",
            "Enter an effect between −10 000 000 and 10 000 000 t CO₂e per year.",
        ),
        ({"effect_now": "NaN"}, "effect_now", "Enter a number."),
        ({"status": "forgotten"}, "status", "Select a valid choice. forgotten is not one of the available choices."),
        (
            {"status": "not_started", "share_done": "30"},
            "share_done",
            "Something not started has no share done: choose another status.",
        ),
        (
            {"status": "done", "share_done": "90"},
            "share_done",
            "Something done is done in full: leave the share empty or write 100.",
        ),
        ({"text": "x" * 5001}, "text", "Ensure this value has at most 5000 characters (it has 5001)."),
    ],
)
def test_bad_input_in_a_report_keeps_what_was_typed_and_says_what_is_wrong(
    client, contact_oslo, reports, oslo_measures, fields, field, message
):
    report = reports["oslo"]
    cycling = oslo_measures["Sykkelveier"]
    typed = {"status": "under_way", "share_done": "40", "spent": "1000", "effect_now": "12,5", "text": "Notat"} | fields
    data = formset_data(report, {("m", cycling.pk): typed})

    response = login(client, contact_oslo).post(
        reverse("results:report_detail", args=[report.pk]), data | {"submit": ""}
    )

    assert response.status_code == 200
    form = next(f for f in response.context["measure_forms"] if f.item == cycling)
    assert form.errors[field] == [message]
    assert form[field].value() == typed[field]
    assert "Please correct the following" in response.content.decode()
    assert not MeasureProgress.objects.exists()
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.DRAFT


def test_rows_that_changed_while_the_city_wrote_are_said_and_nothing_is_saved(
    client, contact_oslo, reports, oslo_measures
):
    report = reports["oslo"]
    data = formset_data(report, measures=[oslo_measures["Sykkelveier"]])  # one row of two

    response = login(client, contact_oslo).post(reverse("results:report_detail", args=[report.pk]), data)

    assert response.status_code == 200
    assert "The rows of the report changed while you wrote it" in response.content.decode()
    assert not MeasureProgress.objects.exists()


def test_a_missing_management_form_is_said_not_a_500(client, contact_oslo, reports):
    response = login(client, contact_oslo).post(
        reverse("results:report_detail", args=[reports["oslo"].pk]), {"save": ""}
    )

    assert response.status_code == 200
    assert not MeasureProgress.objects.exists()


def test_a_submitted_report_is_read_only_until_the_management_reopens_it(
    client, contact_bergen, manager, reports, agreement, bergen_measure
):
    report = reports["bergen"]
    party = agreement.parties.get(city__isnull=False)
    data = formset_data(
        report,
        {
            ("m", bergen_measure.pk): {"status": "done", "share_done": "100"},
            ("a", party.pk): {"status": "under_way", "spent": "10"},
        },
    )
    login(client, contact_bergen)

    response = client.post(reverse("results:report_detail", args=[report.pk]), data | {"submit": ""})

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.submitted_by, report.submitted_on_time) == ("submitted", contact_bergen, True)
    assert AgreementProgress.objects.get().party == party
    page = client.get(reverse("results:report_detail", args=[report.pk]))
    assert page.context["may_edit"] is False
    assert 'name="m-0-status"' not in page.content.decode()
    assert client.post(reverse("results:report_detail", args=[report.pk]), data).status_code == 403
    assert client.post(reverse("results:report_reopen", args=[report.pk])).status_code == 403

    response = login(client, manager).post(
        reverse("results:report_reopen", args=[report.pk]), {"comment": "Mangler tall"}
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "draft"
    assert list(report.status_changes.values_list("to_status", "comment")) == [
        ("submitted", ""),
        ("draft", "Mangler tall"),
    ]


def test_an_organisation_reports_on_its_obligations_through_its_partners(client, partner, reports, agreement):
    report = reports["ks"]
    party = agreement.parties.get(organisation__isnull=False)
    data = formset_data(report, {("a", party.pk): {"status": "under_way", "share_done": "50", "effect_now": "300"}})

    response = login(client, partner).post(reverse("results:report_detail", args=[report.pk]), data | {"submit": ""})

    assert response.status_code == 302
    row = AgreementProgress.objects.get()
    assert (row.report, row.party, row.share_done, row.effect_now) == (report, party, 50, Decimal("300"))


def submitted(report, user, rows=()):
    measures = [(m, {"status": "under_way", "share_done": 50}) for m in services.measures_to_report(report)]
    return services.save_report(report, measures=measures, agreements=list(rows), by=user, submit=True)


@pytest.mark.parametrize("persona", ["contact_bergen", "coordinator", "partner", "outsider"])
def test_no_one_else_sees_a_draft_report(client, request, reports, persona):
    user = request.getfixturevalue(persona)

    response = login(client, user).get(reverse("results:report_detail", args=[reports["oslo"].pk]))

    assert response.status_code == 404


def test_another_city_reads_a_submitted_report_only_when_the_round_is_open_to_cities(
    client, contact_bergen, contact_oslo, reports, round_
):
    submitted(reports["oslo"], contact_oslo)
    url = reverse("results:report_detail", args=[reports["oslo"].pk])
    login(client, contact_bergen)

    assert client.get(url).status_code == 404
    round_.open_to_cities = "always"
    round_.save(update_fields=["open_to_cities"])
    response = client.get(url)
    assert response.status_code == 200
    assert [row.measure.title for row in response.context["measure_rows"]] == ["Sykkelveier", "Passivhus"]
    assert client.post(url, formset_data(reports["oslo"])).status_code == 403


def test_theme_staff_read_the_rows_of_their_theme_of_a_submitted_report(client, coordinator, contact_oslo, reports):
    submitted(reports["oslo"], contact_oslo)

    response = login(client, coordinator).get(reverse("results:report_detail", args=[reports["oslo"].pk]))

    assert response.status_code == 200
    assert [row.measure.title for row in response.context["measure_rows"]] == ["Sykkelveier"]


def test_a_partner_does_not_read_a_citys_report(client, partner, contact_oslo, reports):
    submitted(reports["oslo"], contact_oslo)

    assert login(client, partner).get(reverse("results:report_detail", args=[reports["oslo"].pk])).status_code == 404


@pytest.mark.parametrize("persona", ["contact_oslo", "coordinator", "partner", "outsider"])
def test_only_the_management_sets_the_reminder_steps(client, request, reporting_round, persona):
    user = request.getfixturevalue(persona)

    response = login(client, user).post(reverse("results:round_steps", args=[reporting_round.slug]), {"offsets": "-3"})

    assert response.status_code == 403
    assert sorted(reporting_round.reminder_steps.values_list("offset_days", flat=True)) == [-14, -7, 0, 7]


def test_the_management_sets_the_reminder_steps(client, manager, reporting_round):
    response = login(client, manager).post(
        reverse("results:round_steps", args=[reporting_round.slug]), {"offsets": "-10; 0, 3"}
    )

    assert response.status_code == 302
    assert sorted(reporting_round.reminder_steps.values_list("offset_days", flat=True)) == [-10, 0, 3]


def test_the_round_page_shows_where_each_report_stands(client, manager, contact_bergen, reports, reporting_round):
    submitted(reports["bergen"], contact_bergen)

    response = login(client, manager).get(reverse("results:round_detail", args=[reporting_round.slug]))

    assert response.status_code == 200
    assert [(r.reporter_name, r.state_label) for r in response.context["reports"]] == [
        ("Bergen", "Submitted on time"),
        ("Oslo", "Not submitted yet"),
        ("KS", "Not submitted yet"),
    ]
    assert response.context["counts"] == {"total": 3, "submitted": 1, "late": 0}
