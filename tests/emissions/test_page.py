"""The programme management's page of the statistics: who may use it, an upload, what it lists."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from emissions.models import Emission, EmissionImport
from tests import factories
from tests.emissions.statistics import row, write_csv, write_xlsx
from tests.files import make_pdf

URL = reverse("emissions:imports")
pytestmark = pytest.mark.usefixtures("numbers")


def upload(path, content_type="text/csv"):
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type=content_type)


@pytest.mark.parametrize("persona", ["contact_oslo", "contact_bergen", "coordinator", "partner", "outsider"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_the_management_uses_the_page(client, request, persona, method, tmp_path):
    client.force_login(request.getfixturevalue(persona))
    data = {"file": upload(write_csv(tmp_path / "u.csv", [row()]))} if method == "post" else None

    response = getattr(client, method)(URL, data)

    assert response.status_code == 403
    assert Emission.objects.count() == 0


def test_network_leader_and_consultant_may_not_either(client, atp):
    for role, scope in [("network_leader", {"theme_area": atp}), ("consultant", {})]:
        user = factories.UserFactory(username=role)
        factories.MembershipFactory(user=user, role=role, **scope)
        client.force_login(user)

        assert client.get(URL).status_code == 403


def test_anonymous_is_sent_to_the_login(client):
    response = client.get(URL)

    assert (response.status_code, response["Location"]) == (302, f"{reverse('login')}?next={URL}")


@pytest.mark.parametrize("persona", ["manager", "superuser"])
def test_management_imports_a_file(client, request, persona, tmp_path):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    path = write_xlsx(tmp_path / "utslipp.xlsx", [row("0301", 2021, "Veitrafikk", 10), row("3203", 2021)])

    response = client.post(URL, {"file": upload(path, "application/octet-stream")}, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert list(Emission.objects.values_list("city__slug", "year", "sector")) == [("oslo", 2021, "road_traffic")]
    record = EmissionImport.objects.get()
    assert (record.imported_by, record.file_name, record.rows_skipped) == (user, "utslipp.xlsx", 1)
    page = response.content.decode()
    assert "«utslipp.xlsx» is imported. Rows read: 2. Figures stored: 1 (cities: 1; years: 2021)." in page
    assert "1 row of a municipality outside the programme was skipped." in page
    assert "<td>2021</td>" in page  # the import's years in the list
    assert "1 of 3" in page  # Oslo of the three cities has figures for 2021


def test_bad_rows_are_listed_and_nothing_is_stored(client, manager, tmp_path):
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    path = write_csv(tmp_path / "utslipp.csv", [row("0301", 2021, "Veitrafikk", 10), row(year=1900)])

    response = client.post(URL, {"file": upload(path)})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was imported from «utslipp.csv»" in page
    assert '<td class="num">3</td><td>År</td><td>1900 is not a year of the statistics (1990–2100).</td>' in page
    assert (Emission.objects.count(), EmissionImport.objects.count()) == (0, 0)


def test_a_file_that_is_not_a_spreadsheet_gets_a_message(client, manager):
    client.force_login(manager)
    client.cookies["django_language"] = "en"

    response = client.post(URL, {"file": SimpleUploadedFile("utslipp.xlsx", make_pdf(), "application/pdf")})

    assert response.status_code == 200
    assert "The file is not a spreadsheet (XLSX) or a CSV file." in response.content.decode()
    assert EmissionImport.objects.count() == 0


def test_a_file_over_the_limit_is_refused(client, manager, settings, tmp_path):
    settings.UPLOAD_MAX_BYTES = 100
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    path = write_csv(tmp_path / "utslipp.csv", [row(tonnes=n) for n in range(1, 20)])

    response = client.post(URL, {"file": upload(path)})

    assert response.status_code == 200
    assert "larger than" in response.content.decode()
    assert Emission.objects.count() == 0


def test_dry_run_says_what_would_be_stored(client, manager, tmp_path):
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    path = write_csv(tmp_path / "utslipp.csv", [row("0301", 2021, "Veitrafikk", 10)])

    response = client.post(URL, {"file": upload(path), "dry_run": "on"})

    assert response.status_code == 200
    assert (
        "«utslipp.csv» can be imported; nothing was stored. Rows read: 1. Figures it would store: 1 "
        "(cities: 1; years: 2021)." in response.content.decode()
    )
    assert (Emission.objects.count(), EmissionImport.objects.count()) == (0, 0)


def test_the_page_costs_the_same_for_one_and_many_imports(client, manager, oslo, django_assert_max_num_queries):
    client.force_login(manager)

    def add(n):
        for i in range(n):
            record = EmissionImport.objects.create(
                imported_by=manager, file_name=f"{i}.csv", years="2021", rows_read=1, figures_stored=1, rows_skipped=0
            )
            Emission.objects.update_or_create(
                city=oslo,
                year=1990 + EmissionImport.objects.count(),
                sector="heating",
                defaults={"tonnes": 1, "source": record},
            )

    add(1)
    with django_assert_max_num_queries(20) as one:
        assert client.get(URL).status_code == 200
    add(25)
    with django_assert_max_num_queries(20) as many:
        assert client.get(URL).status_code == 200

    assert len(one) == len(many)
