import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.models import Agreement, AgreementDocument, AgreementStatusChange, Party
from cities.models import Organisation
from tests import factories
from tests.files import make_exe, make_pdf

Status = Agreement.Status


@pytest.fixture
def ks(partner):
    return Organisation.objects.get(short_name="KS")


@pytest.fixture
def agreement(manager, atp, bergen, ks):
    agreement = Agreement.objects.create(title="Belønningsordning", kind="long_term_economic", created_by=manager)
    agreement.theme_areas.set([atp])
    services.set_parties(agreement, cities=[bergen], organisations=[ks])
    return agreement


def agreement_data(theme, **overrides):
    return {
        "title": "Pilot: byutvikling etter mønster av bo- og byutstilling",
        "kind": "pilot_project",
        "description": "Med faglig bistand",
        "theme_areas": [theme.pk],
        "value": "2000000",
        "period_start": "2030-01-01",
        "period_end": "2031-12-31",
        **overrides,
    }


def test_coordinator_proposes_an_agreement_in_its_theme(client, coordinator, atp, oslo, bergen):
    client.force_login(coordinator)

    response = client.post(reverse("agreements:agreement_create"), agreement_data(atp, cities=[oslo.pk, bergen.pk]))

    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert (agreement.status, agreement.created_by, agreement.value) == (Status.IDENTIFIED, coordinator, 2_000_000)
    assert sorted(p.city.name for p in agreement.parties.all()) == ["Bergen", "Oslo"]
    assert list(agreement.status_changes.values_list("from_status", "to_status")) == [("", Status.IDENTIFIED)]


def test_coordinator_cannot_propose_in_another_theme(client, coordinator, energy):
    client.force_login(coordinator)

    response = client.post(reverse("agreements:agreement_create"), agreement_data(energy))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["theme_areas"]
    assert Agreement.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"kind": "bribe"}, "kind"),
        ({"value": "-5"}, "value"),
        ({"value": "mange"}, "value"),
        ({"period_end": "2029-01-01"}, "period_end"),
        ({"period_start": "31.02.2030"}, "period_start"),
    ],
)
def test_bad_input_shows_errors(client, manager, atp, overrides, field):
    client.force_login(manager)

    response = client.post(reverse("agreements:agreement_create"), agreement_data(atp, **overrides))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert Agreement.objects.count() == 0


def test_management_moves_the_agreement_to_signed_with_history(client, manager, agreement):
    client.force_login(manager)
    url = reverse("agreements:agreement_status", args=[agreement.pk])

    for status in (Status.IN_PREPARATION, Status.NEGOTIATING, Status.SIGNED):
        assert client.post(url, {"to_status": status, "comment": f"til {status}"}).status_code == 302

    agreement.refresh_from_db()
    assert agreement.status == Status.SIGNED
    assert agreement.signed_date is not None
    assert list(agreement.status_changes.values_list("from_status", "to_status", "changed_by", "comment")) == [
        (Status.IDENTIFIED, Status.IN_PREPARATION, manager.pk, "til in_preparation"),
        (Status.IN_PREPARATION, Status.NEGOTIATING, manager.pk, "til negotiating"),
        (Status.NEGOTIATING, Status.SIGNED, manager.pk, "til signed"),
    ]


@pytest.mark.parametrize("persona", ["coordinator", "contact_bergen", "partner"])
def test_only_management_changes_the_status(request, client, agreement, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("agreements:agreement_status", args=[agreement.pk]), {"to_status": "signed"})

    assert response.status_code == 403
    agreement.refresh_from_db()
    assert agreement.status == Status.IDENTIFIED


@pytest.mark.parametrize("persona", ["contact_oslo", "outsider"])
def test_outsiders_of_the_agreement_get_not_found(request, client, agreement, persona):
    client.force_login(request.getfixturevalue(persona))

    for url in [
        reverse("agreements:agreement_detail", args=[agreement.pk]),
        reverse("agreements:agreement_update", args=[agreement.pk]),
    ]:
        assert client.post(url, {"title": "x"}).status_code == 404
    agreement.refresh_from_db()
    assert agreement.title == "Belønningsordning"


def test_same_status_or_unknown_status_changes_nothing(client, manager, agreement):
    client.force_login(manager)
    url = reverse("agreements:agreement_status", args=[agreement.pk])

    client.post(url, {"to_status": "identified"})
    client.post(url, {"to_status": "nonsense"})

    assert AgreementStatusChange.objects.filter(agreement=agreement).count() == 0


def test_parties_read_and_see_it_in_the_pipeline(client, contact_bergen, partner, contact_oslo, agreement):
    for user, expected in [
        (contact_bergen, ["Belønningsordning"]),
        (partner, ["Belønningsordning"]),
        (contact_oslo, []),
    ]:
        client.force_login(user)
        response = client.get(reverse("agreements:pipeline"))
        listed = [a.title for column in response.context["columns"] for a in column["agreements"]]
        assert listed == expected, user


def test_pipeline_filters_counts_and_value(client, manager, agreement, atp, energy, oslo):
    other = Agreement.objects.create(
        title="Kurs i passivhus", kind="competence_building", created_by=manager, value=500_000, status="signed"
    )
    other.theme_areas.set([energy])
    services.set_parties(other, cities=[oslo], organisations=[])
    agreement.value = 1_000_000
    agreement.save()
    client.force_login(manager)

    everything = client.get(reverse("agreements:pipeline")).context
    assert (everything["total_count"], everything["total_value"]) == (2, 1_500_000)
    signed = next(c for c in everything["columns"] if c["status"] == "signed")
    assert (signed["count"], signed["value"], [a.title for a in signed["agreements"]]) == (
        1,
        500_000,
        ["Kurs i passivhus"],
    )

    for query, titles in [
        ({"kind": "competence_building"}, ["Kurs i passivhus"]),
        ({"theme": "atp"}, ["Belønningsordning"]),
        ({"city": "oslo"}, ["Kurs i passivhus"]),
        ({"party": str(Organisation.objects.get(short_name="KS").pk)}, ["Belønningsordning"]),
    ]:
        context = client.get(reverse("agreements:pipeline"), query).context
        assert [a.title for c in context["columns"] for a in c["agreements"]] == titles, query


def test_documents_are_versioned_and_checked(client, manager, agreement, settings):
    client.force_login(manager)
    url = reverse("agreements:document_upload", args=[agreement.pk])

    client.post(url, {"file": SimpleUploadedFile("utkast.pdf", make_pdf()), "kind": "draft"})
    client.post(url, {"file": SimpleUploadedFile("signert.pdf", make_pdf()), "kind": "signed"})
    refused = client.post(url, {"file": SimpleUploadedFile("virus.pdf", make_exe()), "kind": "draft"})

    assert refused.status_code == 200
    assert list(refused.context["form"].errors) == ["file"]
    assert list(AgreementDocument.objects.values_list("number", "kind", "original_name")) == [
        (2, "signed", "signert.pdf"),
        (1, "draft", "utkast.pdf"),
    ]
    download = client.get(reverse("agreements:document_download", args=[AgreementDocument.objects.first().pk]))
    assert download["Content-Disposition"] == 'attachment; filename="signert.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_party_is_a_city_or_an_organisation(agreement, bergen, ks):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError, match="party_is_a_city_or_an_organisation"), transaction.atomic():
        Party.objects.create(agreement=agreement, city=bergen, organisation=ks)


def add_agreements(n, manager, atp):
    for i in range(n):
        a = Agreement.objects.create(title=f"Avtale {i}", kind="joint_study", created_by=manager, value=100)
        a.theme_areas.set([atp])
        services.set_parties(a, cities=[factories.CityFactory()], organisations=[])


@pytest.mark.parametrize("persona", ["manager", "coordinator"])
def test_pipeline_costs_the_same_for_one_and_three_agreements(request, client, manager, atp, persona):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("agreements:pipeline")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add_agreements(1, manager, atp)
    one = count()
    add_agreements(2, manager, atp)
    three = count()

    assert one == three
    assert three < 20


def test_detail_shows_the_timeline(client, manager, agreement):
    services.change_status(agreement, to_status="negotiating", comment="Møte med SD", by=manager)
    client.force_login(manager)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("agreements:agreement_detail", args=[agreement.pk]))

    assert response.status_code == 200
    assert "Møte med SD" in response.text
    assert "Identified → Negotiating" in response.text
    assert timezone.localdate().strftime("%d/%m/%Y") in response.text


def test_a_published_decision_is_linked_and_shown_in_the_timeline(client, manager, agreement):
    from meetings.models import Decision, Meeting, Minutes

    meeting = Meeting.objects.create(
        kind="political",
        title="Politisk møte og bykonferanse",
        starts_at=timezone.now(),
        ends_at=timezone.now(),
        created_by=manager,
    )
    minutes = Minutes.objects.create(meeting=meeting, status="published")
    decision = Decision.objects.create(minutes=minutes, text="Avtalen signeres")
    draft = Decision.objects.create(
        minutes=Minutes.objects.create(
            meeting=Meeting.objects.create(
                kind="political", title="Utkast", starts_at=timezone.now(), ends_at=timezone.now(), created_by=manager
            )
        ),
        text="Ikke publisert",
    )
    client.force_login(manager)
    data = agreement_data(agreement.theme_areas.get(), title=agreement.title, kind=agreement.kind)

    refused = client.post(
        reverse("agreements:agreement_update", args=[agreement.pk]), {**data, "decisions": [draft.pk]}
    )
    assert list(refused.context["form"].errors) == ["decisions"]
    client.post(reverse("agreements:agreement_update", args=[agreement.pk]), {**data, "decisions": [decision.pk]})

    assert list(agreement.decisions.all()) == [decision]
    page = client.get(reverse("agreements:agreement_detail", args=[agreement.pk]))
    assert "Avtalen signeres" in page.text
