"""A form sent back with errors says so at the top, links each error to its
field, and marks the field invalid with the message as its description."""

import re

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_errors_are_summarised_and_linked_to_their_fields(client, contact_oslo, oslo_programme, atp):
    client.force_login(contact_oslo)
    url = f"/programmes/{oslo_programme.pk}/measures/new/"

    response = client.post(url, {"theme_area": atp.pk, "title": "", "expected_effect": "mye", "status": "planned"})

    assert response.status_code == 200
    html = response.content.decode()
    summary = re.search(r'<div class="alert alert-danger error-summary" role="alert"[^>]*>(.*?)</div>', html, re.S)
    assert summary, "no error summary"
    links = re.findall(r'<a href="#(id_\w+)" class="alert-link">([^<]*)</a>', summary.group(1))
    assert [field for field, _ in links] == ["id_title", "id_expected_effect"]
    # Norwegian is the default (REST framework's catalogue, before Django's own in INSTALLED_APPS, words it so).
    assert links[0][1] == "Tittel: Dette feltet er påkrevd."
    for field, _ in links:
        tag = re.search(rf'<input [^>]*id="{field}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in tag
        described_by = re.search(r'aria-describedby="([^"]*)"', tag).group(1).split()
        assert f"{field}_error" in described_by
        for id_ in described_by:
            assert f'id="{id_}"' in html, f"{field} is described by a missing element #{id_}"
    # Nothing was stored.
    assert not oslo_programme.measures.exists()


def test_a_valid_form_has_no_summary(client, contact_oslo, oslo_programme):
    client.force_login(contact_oslo)
    response = client.get(f"/programmes/{oslo_programme.pk}/measures/new/")
    assert "error-summary" not in response.content.decode()


def test_non_field_errors_are_in_the_summary(client, db):
    response = client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    summary = re.search(r'class="alert alert-danger error-summary" role="alert".*?</div>', html, re.S).group(0)
    assert "Vennligst oppgi korrekt brukernavn og passord" in summary


def test_an_error_message_after_a_redirect_is_an_alert(client, coordinator, bergen_submitted, atp):
    measure = factories.MeasureFactory(programme=bergen_submitted, theme_area=atp)
    client.force_login(coordinator)

    response = client.post(f"/measures/{measure.pk}/candidate/", {"kind": "no-such-kind"}, follow=True)

    html = response.content.decode()
    assert re.search(r'<div class="alert alert-danger" role="alert">[^<]*</div>', html)
    assert 'role="status"' in html  # the messages' region
