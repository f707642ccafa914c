"""Every value the portal stores has sensible bounds: free text a length fitted
to its use, dates the programme's span, numbers a magnitude a measure or an
agreement can have. Checked in the form (with a message) and in the model and
database (so that nothing else stores it either)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from actionplans import services
from actionplans.forms import MeasureForm
from actionplans.models import ActionProgramme, ExtensionRequest, Measure
from agreements.forms import AgreementForm
from agreements.models import Agreement
from lib import limits
from meetings.forms import MeetingForm
from meetings.minutes_forms import minutes_forms
from meetings.models import Meeting, Minutes
from tests import factories

OSLO = datetime.timezone(datetime.timedelta(hours=1))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def today():
    # 01.12.2029: the round of the fixtures is due 15.01.2030.
    with time_machine.travel(int(datetime.datetime(2029, 12, 1, 12, 0, tzinfo=OSLO).timestamp()), tick=False):
        yield


# --- Numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "typed", "number"),
    [
        ("nb", "2500,5", Decimal("2500.5")),
        ("en", "2500,5", Decimal("2500.5")),  # the decimal comma is not a thousands separator
        ("nb", "2 500,5", Decimal("2500.5")),
        ("nb", "2\u00a0500,5", Decimal("2500.5")),
        ("en", "2,500", Decimal("2500")),
        ("en", "1,234,567.5", Decimal("1234567.5")),
        ("nb", "1.234.567,5", Decimal("1234567.5")),
        ("nb", "2500.5", Decimal("2500.5")),
        ("nb", "0.125", Decimal("0.125")),
        ("nb", "−12,5", Decimal("-12.5")),
        ("nb", "NaN", None),
        ("en", "Infinity", None),
        ("en", "-inf", None),
        ("en", "1e9", None),
        ("nb", "12,5,3", None),
        ("nb", "", None),
    ],
)
def test_parse_decimal_reads_numbers_as_people_type_them(language, typed, number):
    with translation.override(language):
        assert limits.parse_decimal(typed) == number


def measure_form(atp, **values):
    data = {"theme_area": atp.pk, "title": "Sykkelveier", "status": Measure.Status.PLANNED} | values
    return MeasureForm(data)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_measure_form_reads_a_decimal_comma_in_either_language(atp, language):
    with translation.override(language):
        form = measure_form(atp, expected_effect="2500,5", cost_estimate="1 200 000")

        assert form.is_valid(), form.errors
    assert form.cleaned_data["expected_effect"] == Decimal("2500.5")
    assert form.cleaned_data["cost_estimate"] == Decimal("1200000")


@pytest.mark.parametrize("typed", ["NaN", "nan", "Infinity", "-inf", "1e5", "sNaN"])
def test_measure_form_refuses_what_is_no_number(atp, typed):
    form = measure_form(atp, expected_effect=typed, cost_estimate=typed)

    assert form.errors == {"expected_effect": ["Enter a number."], "cost_estimate": ["Enter a number."]}


@pytest.mark.parametrize("effect", ["10000000,1", "-10000000,1", "99999999999,9"])
def test_measure_form_refuses_an_absurd_effect(atp, effect):
    form = measure_form(atp, expected_effect=effect)

    assert form.errors == {"expected_effect": ["Enter an effect between −10 000 000 and 10 000 000 t CO₂e per year."]}


@pytest.mark.parametrize("effect", ["10000000", "-10000000", "-250,5"])
def test_measure_form_takes_an_effect_at_the_bounds_and_a_negative_one(atp, effect):
    form = measure_form(atp, expected_effect=effect)

    assert form.is_valid(), form.errors
    assert "A negative value is an increase in emissions." in str(form.fields["expected_effect"].help_text)


@pytest.mark.parametrize(("cost", "valid"), [("1000000000000", True), ("1000000000001", False), ("-1", False)])
def test_measure_form_cost_is_between_nothing_and_a_trillion(atp, cost, valid):
    form = measure_form(atp, cost_estimate=cost)

    assert form.is_valid() is valid
    if not valid:
        assert form.errors == {"cost_estimate": ["Enter an amount between 0 and 1 000 000 000 000 kroner."]}


def test_database_refuses_an_absurd_effect_or_cost(oslo_programme, atp):
    measure = factories.MeasureFactory(programme=oslo_programme, theme_area=atp)

    for values, constraint in (
        ({"expected_effect": Decimal("10000000.1")}, "measure_effect_within_bounds"),
        ({"cost_estimate": Decimal("1000000000001")}, "measure_cost_at_most_a_trillion"),
    ):
        with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
            Measure.objects.filter(pk=measure.pk).update(**values)


def agreement_form(manager, **values):
    data = {"title": "Belønningsordning", "kind": "long_term_economic"} | values
    return AgreementForm(data, user=manager)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("2500,5", ["Ensure that there are no more than 0 decimal places."]),
        ("NaN", ["Enter a number."]),
        ("1000000000001", ["Enter an amount between 0 and 1 000 000 000 000 kroner."]),
        ("-5", ["Enter an amount between 0 and 1 000 000 000 000 kroner."]),
    ],
)
def test_agreement_value_refuses_what_no_agreement_is_worth(manager, value, error):
    assert agreement_form(manager, value=value).errors == {"value": error}


def test_agreement_value_reads_thousands_as_people_type_them(manager):
    form = agreement_form(manager, value="12 500 000")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["value"] == Decimal("12500000")


# --- Free text ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "field", "limit"),
    [
        ("actionplans.Measure", "description", 10_000),
        ("actionplans.Review", "assessment", 10_000),
        ("actionplans.ReviewComment", "text", 5_000),
        ("actionplans.CommentReply", "text", 5_000),
        ("actionplans.ExtensionRequest", "reason", 5_000),
        ("actionplans.DeadlineExtension", "reason", 5_000),
        ("actionplans.StatusChange", "comment", 5_000),
        ("actionplans.Draft", "note", 5_000),
        ("actionplans.Round", "description", 10_000),
        ("meetings.Meeting", "description", 10_000),
        ("meetings.Minutes", "main_points", 20_000),
        ("meetings.Decision", "text", 5_000),
        ("meetings.ActionItem", "text", 1_000),
        ("meetings.Feedback", "comment", 5_000),
        ("agreements.Agreement", "description", 10_000),
        ("agreements.AgreementStatusChange", "comment", 5_000),
        ("agreements.AgreementDocument", "note", 5_000),
    ],
)
def test_every_free_text_field_has_its_limit_in_model_and_database(model, field, limit):
    from django.apps import apps

    model_field = apps.get_model(model)._meta.get_field(field)

    assert model_field.max_length == limit
    assert limit in [v.limit_value for v in model_field.validators]
    assert f"{field}_length" in " ".join(c.name for c in apps.get_model(model)._meta.constraints)


def test_measure_description_over_the_limit_is_refused_and_nothing_stored(client, contact_oslo, oslo_programme, atp):
    client.force_login(contact_oslo)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = {"theme_area": atp.pk, "title": "Sykkelveier", "status": "planned", "description": "x" * 10_001}

    response = client.post(f"/programmes/{oslo_programme.pk}/measures/new/", data)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "description": ["Ensure this value has at most 10000 characters (it has 10001)."]
    }
    assert Measure.objects.count() == 0


def test_measure_description_at_the_limit_is_saved(client, contact_oslo, oslo_programme, atp):
    client.force_login(contact_oslo)
    data = {"theme_area": atp.pk, "title": "Sykkelveier", "status": "planned", "description": "x" * 10_000}

    response = client.post(f"/programmes/{oslo_programme.pk}/measures/new/", data)

    assert response.status_code == 302
    assert len(Measure.objects.get().description) == 10_000


def test_database_refuses_text_over_the_limit(oslo_programme, atp):
    measure = factories.MeasureFactory(programme=oslo_programme, theme_area=atp)

    with pytest.raises(IntegrityError, match="measure_description_length"), transaction.atomic():
        Measure.objects.filter(pk=measure.pk).update(description="x" * 10_001)
    Measure.objects.filter(pk=measure.pk).update(description="x" * 10_000)


def minutes_data(main_points, decision):
    return {
        "main_points": main_points,
        "decisions-TOTAL_FORMS": "1",
        "decisions-INITIAL_FORMS": "0",
        "decisions-0-text": decision,
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
    }


@pytest.fixture
def held_meeting(manager):
    return Meeting.objects.create(
        kind=Meeting.Kind.COORDINATION_GROUP,
        title="Koordineringsgruppen",
        starts_at=datetime.datetime(2029, 11, 5, 10, 0, tzinfo=OSLO),
        ends_at=datetime.datetime(2029, 11, 5, 15, 0, tzinfo=OSLO),
        created_by=manager,
    )


def test_minutes_over_the_limits_are_refused(held_meeting):
    form, decisions, _items, _added = minutes_forms(
        held_meeting, Minutes(meeting=held_meeting), minutes_data("x" * 20_001, "y" * 5_001)
    )

    assert form.errors == {"main_points": ["Ensure this value has at most 20000 characters (it has 20001)."]}
    assert decisions.errors == [{"text": ["Ensure this value has at most 5000 characters (it has 5001)."]}]


def test_minutes_at_the_limits_are_valid(held_meeting):
    form, decisions, items, _added = minutes_forms(
        held_meeting, Minutes(meeting=held_meeting), minutes_data("x" * 20_000, "y" * 5_000)
    )

    assert (form.is_valid(), decisions.is_valid(), items.is_valid()) == (True, True, True)


def test_agreement_description_over_the_limit_is_refused(manager):
    form = agreement_form(manager, description="x" * 10_001)

    assert form.errors == {"description": ["Ensure this value has at most 10000 characters (it has 10001)."]}
    assert Agreement.objects.count() == 0


# --- Dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("new_date", "message"),
    [
        (datetime.date(2031, 1, 16), "Ask for at most a year more: a date by 15.01.2031."),
        (datetime.date(2030, 1, 15), "Ask for a date after the current deadline."),
        (datetime.date(2029, 6, 1), "Ask for a date after the current deadline."),
        (datetime.date(20255 // 10, 1, 1), "Ask for a date after the current deadline."),
    ],
)
def test_extension_request_is_within_a_year_after_the_citys_deadline(
    client, contact_oslo, oslo_programme, new_date, message
):
    client.force_login(contact_oslo)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(
        f"/programmes/{oslo_programme.pk}/extension/", {"new_date": new_date.isoformat(), "reason": "Bystyret"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"new_date": [message]}
    assert ExtensionRequest.objects.count() == 0


def test_extension_request_a_year_after_the_deadline_is_sent(client, contact_oslo, oslo_programme):
    client.force_login(contact_oslo)

    response = client.post(
        f"/programmes/{oslo_programme.pk}/extension/", {"new_date": "2031-01-15", "reason": "Bystyret"}
    )

    assert response.status_code == 302
    assert ExtensionRequest.objects.get().requested_date == datetime.date(2031, 1, 15)


def test_extension_request_of_an_overdue_city_cannot_ask_for_a_passed_day(contact_oslo, oslo_programme):
    ActionProgramme.objects.filter(pk=oslo_programme.pk).update(extended_due_date=datetime.date(2029, 11, 1))
    oslo_programme.refresh_from_db()

    with pytest.raises(Exception, match="Ask for a date that has not passed yet."):
        services.request_extension(oslo_programme, new_date=datetime.date(2029, 11, 20), reason="Sent", by=contact_oslo)
    assert ExtensionRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("new_date", "errors"),
    [
        ("2035-01-15", ["Choose a date within five years of today: from 01.12.2024 to 01.12.2034."]),
        ("2024-11-30", ["Choose a date within five years of today: from 01.12.2024 to 01.12.2034."]),
        ("1999-12-31", ["Choose a date between 01.01.2000 and 31.12.2100."]),
    ],
)
def test_round_deadline_moves_within_five_years_of_today(client, manager, round_, new_date, errors):
    client.force_login(manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(f"/rounds/{round_.pk}/extend/", {"new_date": new_date, "reason": "Vedtak"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"new_date": errors}
    round_.deadline.refresh_from_db()
    assert round_.deadline.due_date == datetime.date(2030, 1, 15)
    assert round_.deadline.extensions.count() == 0


def test_round_deadline_moved_to_the_limit_is_saved(client, manager, round_):
    client.force_login(manager)

    response = client.post(f"/rounds/{round_.pk}/extend/", {"new_date": "2034-12-01", "reason": "Vedtak"})

    assert response.status_code == 302
    round_.deadline.refresh_from_db()
    assert round_.deadline.due_date == datetime.date(2034, 12, 1)


def meeting_data(**values):
    return {
        "kind": Meeting.Kind.COORDINATION_GROUP,
        "title": "Koordineringsgruppen",
        "status": Meeting.Status.PLANNED,
        "starts_at": "2030-03-04T10:00",
        "ends_at": "2030-03-04T15:00",
        "feedback_days": "14",
    } | values


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"starts_at": "1999-12-31T10:00"}, {"starts_at": ["Choose a date between 01.01.2000 and 31.12.2100."]}),
        ({"ends_at": "2101-01-01T10:00"}, {"ends_at": ["Choose a date between 01.01.2000 and 31.12.2100."]}),
        ({"ends_at": "2030-03-04T09:00"}, {"ends_at": ["The meeting cannot end before it starts."]}),
        (
            {"registration_deadline": "1999-01-01"},
            {"registration_deadline": ["Choose a date between 01.01.2000 and 31.12.2100."]},
        ),
    ],
)
def test_meeting_dates_within_the_programmes_span(manager, values, errors):
    form = MeetingForm(meeting_data(**values))

    assert form.errors == errors


def test_meeting_service_refuses_what_the_form_refuses(manager):
    with pytest.raises(ValidationError) as refused:
        services_create(manager, starts_at=datetime.datetime(1999, 12, 31, 10, 0, tzinfo=OSLO))

    assert refused.value.message_dict == {"starts_at": ["Choose a date between 01.01.2000 and 31.12.2100."]}
    assert Meeting.objects.count() == 0


def services_create(manager, **fields):
    from meetings.services import create_meeting

    values = {
        "kind": Meeting.Kind.COORDINATION_GROUP,
        "title": "Koordineringsgruppen",
        "starts_at": datetime.datetime(2030, 3, 4, 10, 0, tzinfo=OSLO),
        "ends_at": datetime.datetime(2030, 3, 4, 15, 0, tzinfo=OSLO),
    } | fields
    return create_meeting(by=manager, **values)


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"signed_date": "0202-05-01"}, {"signed_date": ["Choose a date between 01.01.2000 and 31.12.2100."]}),
        (
            {"period_start": "2030-01-01", "period_end": "2029-12-31"},
            {"period_end": ["The period must end after it starts."]},
        ),
        ({"period_end": "3030-01-01"}, {"period_end": ["Choose a date between 01.01.2000 and 31.12.2100."]}),
    ],
)
def test_agreement_dates_are_sensible(manager, values, errors):
    assert agreement_form(manager, **values).errors == errors


def test_date_inputs_tell_the_browser_the_span(manager):
    html = str(agreement_form(manager)["signed_date"])

    assert 'min="2000-01-01"' in html
    assert 'max="2100-12-31"' in html


def test_minutes_take_at_most_the_decisions_and_action_items_the_pdf_renders_in_time(held_meeting):
    data = minutes_data("Hovedpunkter", "Vedtak 1")
    data |= {"decisions-TOTAL_FORMS": str(limits.MAX_DECISIONS + 1)}
    data |= {f"decisions-{n}-text": f"Vedtak {n}" for n in range(limits.MAX_DECISIONS + 1)}

    form, decisions, items, _added = minutes_forms(held_meeting, Minutes(meeting=held_meeting), data)

    assert decisions.is_valid() is False
    assert decisions.non_form_errors() == [f"Please submit at most {limits.MAX_DECISIONS} forms."]
    assert (limits.MAX_DECISIONS, limits.MAX_ACTION_ITEMS, limits.TASK) == (25, 25, 1_000)
