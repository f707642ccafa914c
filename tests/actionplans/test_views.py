import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actionplans.models import ActionProgramme, Draft, Measure
from tests import factories
from tests.conftest import upload
from tests.files import make_docm, make_docx, make_exe, make_odt, make_pdf, make_zip_bomb

Status = ActionProgramme.Status


def media_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def oslo_client(client, contact_oslo):
    client.force_login(contact_oslo)
    return client


def post_upload(client, programme, content, name, note="", fields=None, **headers):
    url = reverse("actionplans:draft_upload", args=[programme.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content), "note": note, **(fields or {})}, **headers)


@pytest.mark.parametrize(
    ("make", "name", "content_type"),
    [
        (make_pdf, "program.pdf", "application/pdf"),
        (make_docx, "program.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (make_odt, "program.odt", "application/vnd.oasis.opendocument.text"),
    ],
)
def test_upload_accepts_documents(oslo_client, oslo_programme, settings, make, name, content_type):
    content = make()

    response = post_upload(oslo_client, oslo_programme, content, name, note="Første utkast")

    assert response.status_code == 302
    draft = Draft.objects.get()
    assert (draft.programme, draft.number, draft.original_name, draft.note) == (
        oslo_programme,
        1,
        name,
        "Første utkast",
    )
    assert (draft.content_type, draft.size, draft.sha256) == (
        content_type,
        len(content),
        hashlib.sha256(content).hexdigest(),
    )
    assert media_files(settings) == [settings.MEDIA_ROOT / draft.file.name]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (make_exe(), "program.pdf", "Only PDF, DOCX and ODT documents are accepted; this file is not one of them."),
        (make_docm(), "program.docx", "Documents with macros are not accepted."),
        (b"", "program.pdf", "The submitted file is empty."),  # Django's FileField says so first
        (make_zip_bomb(), "program.docx", "The document unpacks to too much data."),
    ],
)
def test_upload_refuses_bad_files_with_a_message(oslo_client, oslo_programme, settings, content, name, message):
    oslo_client.cookies["django_language"] = "en"
    response = post_upload(oslo_client, oslo_programme, content, name)

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert Draft.objects.count() == 0
    assert media_files(settings) == []


def test_upload_refuses_oversized_file(oslo_client, oslo_programme, settings):
    settings.UPLOAD_MAX_BYTES = 1000

    response = post_upload(oslo_client, oslo_programme, make_pdf() + b" " * 2000, "big.pdf")

    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["file"]] == ["too_large"]
    assert Draft.objects.count() == 0


def test_upload_with_hostile_name_is_stored_under_server_name(oslo_client, oslo_programme, settings):
    response = post_upload(oslo_client, oslo_programme, make_pdf(), "../../x.pdf")

    assert response.status_code == 302
    draft = Draft.objects.get()
    assert draft.original_name == "x.pdf"
    stored = media_files(settings)
    assert len(stored) == 1
    assert stored[0].is_relative_to(settings.MEDIA_ROOT / "drafts")
    assert stored[0].name != "x.pdf"


def test_upload_ignores_a_forged_programme_field(oslo_client, oslo_programme, bergen_programme):
    response = post_upload(
        oslo_client, oslo_programme, make_pdf(), "a.pdf", fields={"programme": bergen_programme.pk, "city": 2}
    )

    assert response.status_code == 302
    assert list(Draft.objects.values_list("programme", flat=True)) == [oslo_programme.pk]


def test_upload_into_another_citys_programme_is_not_found(oslo_client, bergen_programme, settings):
    response = post_upload(oslo_client, bergen_programme, make_pdf(), "a.pdf")

    assert response.status_code == 404
    assert Draft.objects.count() == 0
    assert media_files(settings) == []


def test_programme_page_lists_versions(oslo_client, oslo_programme, contact_oslo):
    upload(oslo_programme, contact_oslo, name="utkast-1.pdf", note="Første")
    upload(oslo_programme, contact_oslo, name="utkast-2.pdf", note="Andre")

    response = oslo_client.get(reverse("actionplans:programme_detail", args=[oslo_programme.pk]))

    assert response.status_code == 200
    assert [d.number for d in response.context["drafts"]] == [2, 1]
    assert "utkast-2.pdf" in response.text
    assert "kontakt-oslo" in response.text


def test_download_is_an_attachment_with_safe_headers(oslo_client, oslo_draft):
    response = oslo_client.get(reverse("actionplans:draft_download", args=[oslo_draft.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="handlingsprogram.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == make_pdf()


def test_download_of_a_missing_file_is_not_found(oslo_client, oslo_draft):
    oslo_draft.file.delete(save=False)

    response = oslo_client.get(reverse("actionplans:draft_download", args=[oslo_draft.pk]))

    assert response.status_code == 404


def measure_data(theme, **overrides):
    return {
        "theme_area": theme.pk,
        "title": "Flere bussavganger",
        "description": "Hyppigere avganger",
        "expected_effect": "1234.5",
        "cost_estimate": "2000000",
        "status": "planned",
        "state_cooperation_wanted": "on",
        **overrides,
    }


def test_add_measure_in_english(oslo_client, oslo_programme, atp):
    oslo_client.cookies["django_language"] = "en"
    url = reverse("actionplans:measure_create", args=[oslo_programme.pk])

    response = oslo_client.post(url, measure_data(atp))

    assert response.status_code == 302
    measure = Measure.objects.get()
    assert (measure.programme, measure.theme_area, str(measure.expected_effect), measure.state_cooperation_wanted) == (
        oslo_programme,
        atp,
        "1234.5",
        True,
    )
    oslo_programme.refresh_from_db()
    assert oslo_programme.status == Status.DRAFT


def test_add_measure_with_norwegian_decimal_comma(oslo_client, oslo_programme, atp):
    url = reverse("actionplans:measure_create", args=[oslo_programme.pk])

    response = oslo_client.post(url, measure_data(atp, expected_effect="1234,5"))

    assert response.status_code == 302
    assert str(Measure.objects.get().expected_effect) == "1234.5"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"expected_effect": "mye"}, "expected_effect"),
        ({"cost_estimate": "-5"}, "cost_estimate"),
        ({"status": "unknown"}, "status"),
        ({"theme_area": "999999"}, "theme_area"),
        ({"expected_effect": "1" * 40}, "expected_effect"),
    ],
)
def test_add_measure_with_bad_input_shows_errors(oslo_client, oslo_programme, atp, overrides, field):
    url = reverse("actionplans:measure_create", args=[oslo_programme.pk])

    response = oslo_client.post(url, measure_data(atp, **overrides))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert Measure.objects.count() == 0


def test_add_measure_with_category_of_another_theme(oslo_client, oslo_programme, atp, energy):
    from actionplans.models import MeasureCategory

    heating = MeasureCategory.objects.create(theme_area=energy, name_nb="Fjernvarme", name_en="District heating")
    url = reverse("actionplans:measure_create", args=[oslo_programme.pk])

    response = oslo_client.post(url, measure_data(atp, category=heating.pk))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["category"]


def test_add_measure_ignores_forged_programme(oslo_client, oslo_programme, bergen_programme, atp):
    url = reverse("actionplans:measure_create", args=[oslo_programme.pk])

    oslo_client.post(url, measure_data(atp, programme=bergen_programme.pk))

    assert list(Measure.objects.values_list("programme", flat=True)) == [oslo_programme.pk]


def test_edit_and_remove_measure(oslo_client, oslo_programme, atp):
    measure = factories.MeasureFactory(programme=oslo_programme, theme_area=atp, title="Gammel")

    response = oslo_client.post(
        reverse("actionplans:measure_update", args=[measure.pk]), measure_data(atp, title="Ny tittel")
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.title == "Ny tittel"
    assert measure.history.count() == 2

    response = oslo_client.post(reverse("actionplans:measure_delete", args=[measure.pk]))
    assert response.status_code == 302
    assert Measure.objects.count() == 0


def test_submit_confirmation_names_the_version(oslo_client, oslo_programme, oslo_draft):
    response = oslo_client.get(reverse("actionplans:programme_submit", args=[oslo_programme.pk]))

    assert response.status_code == 200
    assert response.context["latest"] == oslo_draft
    oslo_programme.refresh_from_db()
    assert oslo_programme.status == Status.DRAFT


def test_submit(oslo_client, oslo_programme, oslo_draft, contact_oslo):
    response = oslo_client.post(reverse("actionplans:programme_submit", args=[oslo_programme.pk]))

    assert response.status_code == 302
    oslo_programme.refresh_from_db()
    assert (oslo_programme.status, oslo_programme.submitted_draft, oslo_programme.submitted_by) == (
        Status.SUBMITTED,
        oslo_draft,
        contact_oslo,
    )


def test_submit_without_draft_shows_message(oslo_client, oslo_programme):
    oslo_client.cookies["django_language"] = "en"
    response = oslo_client.post(reverse("actionplans:programme_submit", args=[oslo_programme.pk]))

    assert response.status_code == 200
    assert response.context["error"] == "Upload a draft before you submit."
    oslo_programme.refresh_from_db()
    assert oslo_programme.status == Status.NOT_STARTED


def test_submitted_programme_is_read_only_for_the_city(client, contact_bergen, bergen_submitted, atp):
    client.force_login(contact_bergen)
    measure = factories.MeasureFactory(programme=bergen_submitted, theme_area=atp)

    for url in [
        reverse("actionplans:draft_upload", args=[bergen_submitted.pk]),
        reverse("actionplans:measure_create", args=[bergen_submitted.pk]),
        reverse("actionplans:programme_submit", args=[bergen_submitted.pk]),
        reverse("actionplans:measure_update", args=[measure.pk]),
        reverse("actionplans:measure_delete", args=[measure.pk]),
    ]:
        assert client.post(url, measure_data(atp)).status_code == 403, url
    detail = client.get(reverse("actionplans:programme_detail", args=[bergen_submitted.pk]))
    assert detail.status_code == 200
    assert detail.context["can_edit"] is False
    assert Measure.objects.filter(pk=measure.pk).exists()


def test_reopen_by_programme_management(client, manager, bergen_submitted):
    client.force_login(manager)
    url = reverse("actionplans:programme_reopen", args=[bergen_submitted.pk])

    assert client.post(url, {"comment": ""}).status_code == 200
    bergen_submitted.refresh_from_db()
    assert bergen_submitted.status == Status.SUBMITTED

    assert client.post(url, {"comment": "Trenger flere tiltak"}).status_code == 302
    bergen_submitted.refresh_from_db()
    assert bergen_submitted.status == Status.DRAFT


def test_programme_list_shows_what_each_persona_may_see(
    client, oslo_programme, bergen_submitted, contact_oslo, coordinator, manager, partner
):
    url = reverse("actionplans:programme_list")
    expected = {
        contact_oslo: ["Oslo"],
        coordinator: ["Bergen"],
        partner: ["Bergen"],
        manager: ["Bergen", "Oslo"],
    }
    for user, cities in expected.items():
        client.force_login(user)
        response = client.get(url)
        assert [p.city.name for p in response.context["programmes"]] == cities, user


def test_programme_list_filters_by_status(client, manager, oslo_programme, bergen_submitted):
    client.force_login(manager)

    response = client.get(reverse("actionplans:programme_list"), {"status": "submitted_on_time", "round": "nonsense"})

    assert response.status_code == 200
    assert [p.city.name for p in response.context["programmes"]] == ["Bergen"]


def test_programme_list_totals_are_not_multiplied_by_versions(client, manager, oslo_programme, contact_oslo, atp):
    upload(oslo_programme, contact_oslo)
    upload(oslo_programme, contact_oslo)
    for effect in (100, 250, 0.5):
        factories.MeasureFactory(programme=oslo_programme, theme_area=atp, expected_effect=effect)
    client.force_login(manager)

    response = client.get(reverse("actionplans:programme_list"))

    [row] = response.context["programmes"]
    assert (row.draft_count, row.measure_count, float(row.total_effect)) == (2, 3, 350.5)


def test_programme_list_is_paginated_and_keeps_its_filters(client, manager, round_):
    ActionProgramme.objects.bulk_create(
        [ActionProgramme(round=round_, city=factories.CityFactory(name=f"By {i:03d}")) for i in range(60)]
    )
    client.force_login(manager)

    first = client.get(reverse("actionplans:programme_list"), {"round": round_.slug, "status": "not_started"})
    second = client.get(
        reverse("actionplans:programme_list"), {"round": round_.slug, "status": "not_started", "page": 2}
    )

    assert [len(first.context["programmes"]), len(second.context["programmes"])] == [50, 10]
    assert second.context["programmes"][0].city.name == "By 050"
    assert f"?round={round_.slug}&amp;status=not_started&amp;page=2" in first.text
