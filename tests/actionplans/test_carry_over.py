"""Measures carried over from the city's earlier programme: keep, change or drop each, in one POST;
who may; bad input; the copies' lineage and what editing a kept copy makes of it; query counts."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans import lineage, services
from actionplans.models import ActionProgramme, Measure, MeasureDrop
from tests import factories
from tests.conftest import upload

pytestmark = pytest.mark.django_db


def earlier_round(year):
    return factories.RoundFactory(
        name=f"Handlingsprogram {year}", slug=f"handlingsprogram-{year}", deadline__due_date=datetime.date(year, 1, 15)
    )


def submitted_programme(round_, city, by, measures=()):
    """The city's programme of `round_`, with `measures` (titles or dicts of fields), submitted."""
    programme = factories.ProgrammeFactory(round=round_, city=city)
    for fields in measures:
        fields = {"title": fields} if isinstance(fields, str) else fields
        factories.MeasureFactory(programme=programme, **fields)
    upload(programme, by)
    return services.submit_programme(programme, by=by)


@pytest.fixture
def earlier(oslo, contact_oslo, atp, energy):
    """Oslo's submitted programme of 2026: three measures to carry into the 2030 draft."""
    programme = submitted_programme(
        earlier_round(2026),
        oslo,
        contact_oslo,
        [
            {
                "title": "Sykkelveier",
                "theme_area": atp,
                "expected_effect": Decimal("40.0"),
                "sector": "road_traffic",
                "status": "ongoing",
                "description": "Nye sykkelveier i sentrum",
                "state_cooperation_wanted": True,
            },
            {"title": "Varmepumper", "theme_area": energy, "expected_effect": Decimal("12.5")},
            {"title": "Parkeringsnorm", "theme_area": atp, "expected_effect": None},
        ],
    )
    by_title = {m.title: m for m in programme.measures.all()}
    return SimpleNamespace(
        programme=programme,
        bike=by_title["Sykkelveier"],
        heat=by_title["Varmepumper"],
        parking=by_title["Parkeringsnorm"],
    )


@pytest.fixture
def new(oslo_programme, earlier):
    """Oslo's programme of 2030, not started."""
    return oslo_programme


def log_in(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def carry_url(programme):
    return reverse("actionplans:carry_over", args=[programme.pk])


def choices(**by_measure):
    """POST data: m<pk>-choice (and m<pk>-reason) for each measure given as (measure, choice[, reason])."""
    data = {}
    for measure, choice, *reason in by_measure.values():
        data[f"m{measure.pk}-choice"] = choice
        data[f"m{measure.pk}-reason"] = reason[0] if reason else ""
    return data


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# Where the carry-over is offered


def test_the_source_is_the_latest_earlier_submitted_programme(oslo, contact_oslo, new, earlier, atp):
    later = submitted_programme(earlier_round(2028), oslo, contact_oslo, [{"title": "Bybane", "theme_area": atp}])
    # A programme of a round between them that was never submitted does not count.
    factories.ProgrammeFactory(round=earlier_round(2029), city=oslo)

    assert lineage.carry_source(new) == later
    assert lineage.carry_source(later) is None  # submitted itself
    assert lineage.carry_source(earlier.programme) is None


def test_no_source_without_an_earlier_submitted_programme_of_the_city(bergen_programme, earlier):
    assert lineage.carry_source(bergen_programme) is None


def test_programme_page_offers_the_carry_over(client, contact_oslo, new):
    log_in(client, contact_oslo)

    html = client.get(reverse("actionplans:programme_detail", args=[new.pk])).content.decode()

    assert "Carry over measures from Handlingsprogram 2026" in html
    assert carry_url(new) in html


@pytest.mark.parametrize(("persona", "offered"), [("manager", False), ("superuser", True)])
def test_programme_page_offers_it_only_to_who_may_change_the_programme(request, client, new, persona, offered):
    log_in(client, request.getfixturevalue(persona))

    html = client.get(reverse("actionplans:programme_detail", args=[new.pk])).content.decode()

    assert ("Carry over measures from" in html) is offered


def test_the_page_lists_the_measures_still_to_carry_over(client, contact_oslo, new, earlier):
    services.carry_over(new, source=earlier.programme, decisions=[(earlier.bike, "keep", "")], by=contact_oslo)
    services.carry_over(new, source=earlier.programme, decisions=[(earlier.heat, "drop", "Ferdig")], by=contact_oslo)
    log_in(client, contact_oslo)

    response = client.get(carry_url(new))

    assert [m.title for m, _choice, _reason in response.context["form"].rows()] == ["Parkeringsnorm"]
    html = response.content.decode()
    assert "Already carried over or dropped" in html
    assert "Varmepumper – dropped: Ferdig" in html
    assert reverse("actionplans:measure_update", args=[new.measures.get().pk]) in html


def test_a_city_without_an_earlier_programme_is_told_so(client, contact_bergen, bergen_programme, earlier):
    log_in(client, contact_bergen)

    response = client.get(carry_url(bergen_programme))

    assert response.status_code == 200
    assert "no submitted programme of an earlier round" in response.content.decode()


# Keep, change and drop


def test_keep_change_and_drop_in_one_post(client, contact_oslo, new, earlier):
    log_in(client, contact_oslo)

    response = client.post(
        carry_url(new),
        choices(
            a=(earlier.bike, "keep"),
            b=(earlier.heat, "change"),
            c=(earlier.parking, "drop", "Vedtatt i 2027: ferdig"),
        ),
    )

    kept, changed = new.measures.get(title="Sykkelveier"), new.measures.get(title="Varmepumper")
    # One to change: straight on to its form.
    assert response.status_code == 302
    assert response["Location"] == reverse("actionplans:measure_update", args=[changed.pk])
    assert (kept.carried_from, kept.carry) == (earlier.bike, Measure.Carry.KEPT)
    assert (changed.carried_from, changed.carry) == (earlier.heat, Measure.Carry.CHANGED)
    fields = [
        "theme_area_id",
        "title",
        "description",
        "expected_effect",
        "status",
        "sector",
        "state_cooperation_wanted",
    ]
    assert [getattr(kept, f) for f in fields] == [getattr(earlier.bike, f) for f in fields]
    drop = MeasureDrop.objects.get()
    assert (drop.measure, drop.programme, drop.reason, drop.dropped_by) == (
        earlier.parking,
        new,
        "Vedtatt i 2027: ferdig",
        contact_oslo,
    )
    new.refresh_from_db()
    assert new.status == ActionProgramme.Status.DRAFT  # carrying over starts the programme
    assert messages_of(response) == ["Carried over: 1 as they were, 1 to change; 1 dropped."]
    # The earlier programme is as it was.
    assert earlier.programme.measures.count() == 3


def test_without_one_to_change_the_page_comes_back(client, contact_oslo, new, earlier):
    log_in(client, contact_oslo)

    response = client.post(carry_url(new), choices(a=(earlier.bike, "keep"), b=(earlier.heat, "")))

    assert response["Location"] == carry_url(new)
    assert list(new.measures.values_list("title", flat=True)) == ["Sykkelveier"]


def test_two_to_change_are_linked_from_the_page(client, contact_oslo, new, earlier):
    log_in(client, contact_oslo)

    response = client.post(carry_url(new), choices(a=(earlier.bike, "change"), b=(earlier.heat, "change")), follow=True)

    html = response.content.decode()
    for copy in new.measures.all():
        assert reverse("actionplans:measure_update", args=[copy.pk]) in html


def test_copies_leave_the_reviewers_marks_behind(contact_oslo, coordinator, new, earlier):
    services.mark_candidate(earlier.bike, kind="pilot_project", by=coordinator)
    services.assess_measure(earlier.bike, effect=Decimal("20.0"), reason="Overvurdert", by=coordinator)
    earlier.bike.refresh_from_db()

    (copy,) = services.carry_over(
        new, source=earlier.programme, decisions=[(earlier.bike, "keep", "")], by=contact_oslo
    )

    assert (copy.candidate_kind, copy.assessed_effect, copy.assessed_reason) == ("", None, "")


def test_editing_a_kept_copy_makes_it_changed(client, contact_oslo, new, earlier, atp):
    (copy,) = services.carry_over(
        new, source=earlier.programme, decisions=[(earlier.bike, "keep", "")], by=contact_oslo
    )
    log_in(client, contact_oslo)
    url = reverse("actionplans:measure_update", args=[copy.pk])
    data = {
        "theme_area": atp.pk,
        "title": "Sykkelveier",
        "description": "Nye sykkelveier i sentrum",
        "expected_effect": "40",
        "cost_estimate": "1000000",
        "status": "ongoing",
        "sector": "road_traffic",
        "state_cooperation_wanted": "on",
    }

    client.post(url, data)  # saved as it was
    copy.refresh_from_db()
    assert copy.carry == Measure.Carry.KEPT

    client.post(url, data | {"expected_effect": "55"})
    copy.refresh_from_db()
    assert (copy.carry, copy.expected_effect, copy.carried_from) == (Measure.Carry.CHANGED, Decimal("55"), earlier.bike)


# Bad input: a clear message, the choices kept, nothing stored


def test_a_drop_without_a_reason_keeps_the_choices_and_stores_nothing(client, contact_oslo, new, earlier):
    log_in(client, contact_oslo)

    response = client.post(carry_url(new), choices(a=(earlier.bike, "keep"), b=(earlier.heat, "drop", "  ")))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Say why the measure is dropped." in html
    assert f'value="keep" class="form-check-input" id="id_m{earlier.bike.pk}-choice_1" checked' in html
    assert f'value="drop" class="form-check-input" id="id_m{earlier.heat.pk}-choice_3" checked' in html
    assert (new.measures.count(), MeasureDrop.objects.count()) == (0, 0)


def test_a_measure_of_another_city_is_refused(client, contact_oslo, contact_bergen, new, earlier, bergen, atp):
    theirs = submitted_programme(earlier_round(2027), bergen, contact_bergen, [{"title": "Bybane", "theme_area": atp}])
    log_in(client, contact_oslo)

    response = client.post(carry_url(new), choices(a=(earlier.bike, "keep"), b=(theirs.measures.get(), "keep")))

    assert response.status_code == 200
    assert "A measure you chose is not one of Oslo – Handlingsprogram 2026." in response.content.decode()
    assert response.context["form"][f"m{earlier.bike.pk}-choice"].value() == "keep"
    assert new.measures.count() == 0


def test_a_measure_already_carried_over_is_refused(client, contact_oslo, new, earlier):
    services.carry_over(new, source=earlier.programme, decisions=[(earlier.bike, "keep", "")], by=contact_oslo)
    log_in(client, contact_oslo)

    response = client.post(carry_url(new), choices(a=(earlier.bike, "keep"), b=(earlier.heat, "keep")))

    assert response.status_code == 200
    assert "has already been carried over or dropped" in response.content.decode()
    assert list(new.measures.values_list("title", flat=True)) == ["Sykkelveier"]


@pytest.mark.parametrize("choice", ["maybe", "keep;drop"])
def test_a_choice_that_is_not_offered_is_refused(client, contact_oslo, new, earlier, choice):
    log_in(client, contact_oslo)

    response = client.post(carry_url(new), choices(a=(earlier.bike, choice)))

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert new.measures.count() == 0


def test_nothing_chosen_is_told(client, contact_oslo, new, earlier):
    log_in(client, contact_oslo)

    response = client.post(carry_url(new), {})

    assert response.status_code == 200
    assert "Choose keep, change or drop for at least one measure." in response.content.decode()


@pytest.mark.parametrize("key", ["m99999999999999999999-choice", "mx-choice", "m-choice"])
def test_a_forged_measure_number_is_refused_without_an_error_page(client, contact_oslo, new, earlier, key):
    log_in(client, contact_oslo)

    response = client.post(carry_url(new), {key: "keep", f"m{earlier.bike.pk}-choice": "keep"})

    assert response.status_code in (200, 302)
    assert new.measures.count() == (1 if key != "m99999999999999999999-choice" else 0)


def test_a_reason_too_long_is_refused(client, contact_oslo, new, earlier):
    log_in(client, contact_oslo)

    response = client.post(carry_url(new), choices(a=(earlier.heat, "drop", "x" * 5001)))

    assert response.status_code == 200
    assert "Ensure this value has at most 5000 characters" in response.content.decode()
    assert MeasureDrop.objects.count() == 0


def test_the_service_refuses_and_stores_nothing(contact_oslo, contact_bergen, new, earlier, bergen, atp):
    theirs = submitted_programme(earlier_round(2027), bergen, contact_bergen, [{"title": "Bybane", "theme_area": atp}])
    cases = [
        ([(earlier.bike, "keep", ""), (earlier.bike, "keep", "")], "already_carried"),  # twice in one go
        ([(earlier.bike, "keep", ""), (theirs.measures.get(), "keep", "")], "wrong_measure"),
        ([(earlier.bike, "keep", ""), (earlier.heat, "drop", "")], "no_reason"),
        ([(earlier.bike, "sometimes", "")], "bad_choice"),
    ]
    for decisions, code in cases:
        with pytest.raises(ValidationError) as refused:
            services.carry_over(new, source=earlier.programme, decisions=decisions, by=contact_oslo)
        assert refused.value.code == code
    with pytest.raises(ValidationError) as refused:
        services.carry_over(new, source=theirs, decisions=[], by=contact_oslo)
    assert refused.value.code == "wrong_source"
    assert (new.measures.count(), MeasureDrop.objects.count()) == (0, 0)


def test_a_submitted_programme_takes_no_measures(contact_oslo, new, earlier):
    upload(new, contact_oslo)
    services.submit_programme(new, by=contact_oslo)

    with pytest.raises(ValidationError):
        services.carry_over(new, source=earlier.programme, decisions=[(earlier.bike, "keep", "")], by=contact_oslo)


# Who may


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("contact_bergen", 404),
        ("coordinator", 404),
        ("partner", 404),
        ("outsider", 404),
        ("manager", 403),
    ],
)
def test_who_may_not_carry_over(request, client, new, earlier, persona, status):
    log_in(client, request.getfixturevalue(persona))

    assert client.get(carry_url(new)).status_code == status
    assert client.post(carry_url(new), choices(a=(earlier.bike, "keep"))).status_code == status
    assert new.measures.count() == 0


def test_anonymous_is_sent_to_log_in(client, new):
    response = client.get(carry_url(new))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={carry_url(new)}"


def test_not_after_submission(client, contact_oslo, new, earlier):
    upload(new, contact_oslo)
    services.submit_programme(new, by=contact_oslo)
    log_in(client, contact_oslo)

    assert client.get(carry_url(new)).status_code == 403
    assert client.post(carry_url(new), choices(a=(earlier.bike, "keep"))).status_code == 403
    assert new.measures.count() == 0


# What the programme page and the earlier version say afterwards


def test_programme_page_shows_the_dropped_measures(client, contact_oslo, coordinator, new, earlier):
    services.carry_over(
        new, source=earlier.programme, decisions=[(earlier.heat, "drop", "Gjennomført i 2028")], by=contact_oslo
    )
    log_in(client, contact_oslo)

    html = client.get(reverse("actionplans:programme_detail", args=[new.pk])).content.decode()

    assert "Measures not carried over" in html
    assert "Varmepumper</a> (Handlingsprogram 2026): Gjennomført i 2028" in html


def test_an_earlier_version_with_a_later_one_is_not_removed(client, manager, contact_oslo, new, earlier):
    services.carry_over(new, source=earlier.programme, decisions=[(earlier.bike, "keep", "")], by=contact_oslo)
    services.reopen_programme(earlier.programme, by=manager, comment="Rettelse")
    log_in(client, contact_oslo)

    response = client.post(reverse("actionplans:measure_delete", args=[earlier.bike.pk]))

    assert response.status_code == 302
    assert Measure.objects.filter(pk=earlier.bike.pk).exists()
    assert "stays as the earlier version of it" in messages_of(response)[0]


# Query counts


def test_carry_over_page_costs_the_same_for_2_and_20_measures(client, contact_oslo, oslo, new, atp):
    many = submitted_programme(
        earlier_round(2028), oslo, contact_oslo, [{"title": f"Tiltak {i}", "theme_area": atp} for i in range(3)]
    )
    first = many.measures.first()
    services.carry_over(new, source=many, decisions=[(first, "keep", "")], by=contact_oslo)
    log_in(client, contact_oslo)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(carry_url(new))
        return len(queries), len(response.context["form"].rows())

    few = count()
    factories.MeasureFactory.create_batch(18, programme=many, theme_area=atp)
    many_ = count()

    assert (few[1], many_[1]) == (2, 20)
    assert few[0] == many_[0] <= 12


def test_programme_page_with_carried_and_dropped_measures_stays_cheap(
    client, contact_oslo, new, earlier, django_assert_max_num_queries
):
    decisions = [(earlier.bike, "keep", ""), (earlier.heat, "drop", "Ferdig")]
    services.carry_over(new, source=earlier.programme, decisions=decisions, by=contact_oslo)
    log_in(client, contact_oslo)

    with django_assert_max_num_queries(20):
        response = client.get(reverse("actionplans:programme_detail", args=[new.pk]))

    assert response.context["carry_source"] == earlier.programme
    assert [d.measure for d in response.context["measure_drops"]] == [earlier.heat]


def test_the_admin_shows_the_lineage_read_only(client, superuser, new, earlier, contact_oslo):
    (copy,) = services.carry_over(
        new, source=earlier.programme, decisions=[(earlier.bike, "keep", "")], by=contact_oslo
    )
    services.carry_over(new, source=earlier.programme, decisions=[(earlier.heat, "drop", "Ferdig")], by=contact_oslo)
    client.force_login(superuser)

    assert client.get(reverse("admin:actionplans_measure_change", args=[copy.pk])).status_code == 200
    assert client.get(reverse("admin:actionplans_measuredrop_changelist")).status_code == 200
    drop = MeasureDrop.objects.get()
    assert client.get(reverse("admin:actionplans_measuredrop_change", args=[drop.pk])).status_code == 200
