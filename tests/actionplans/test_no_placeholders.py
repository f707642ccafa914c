"""The action programme pages' forms say what each empty choice means (no Django "---------")
and need no Ctrl-click (no multiple select)."""

import datetime
import re

import pytest
from django.urls import reverse

from actionplans import services
from actionplans.models import MeasureCategory
from tests import factories

MULTIPLE_SELECT = re.compile(r"<select[^>]*\bmultiple\b")


@pytest.fixture
def setting(oslo_programme, bergen_submitted, contact_oslo, atp, energy):
    MeasureCategory.objects.create(theme_area=atp, name_nb="Sykkel", name_en="Cycling")
    factories.MeasureFactory(programme=bergen_submitted, theme_area=atp, title="Bybane")
    factories.MeasureFactory(programme=bergen_submitted, theme_area=energy, title="Fjernvarme")
    measure = factories.MeasureFactory(programme=oslo_programme, theme_area=atp)
    request = services.request_extension(
        oslo_programme, new_date=datetime.date(2030, 2, 1), reason="x", by=contact_oslo
    )
    return {"oslo": oslo_programme, "bergen": bergen_submitted, "measure": measure, "request": request}


def pages(s):
    oslo, bergen = s["oslo"].pk, s["bergen"].pk
    return {
        "contact_oslo": [
            reverse("actionplans:programme_detail", args=[oslo]),
            reverse("actionplans:measure_create", args=[oslo]),
            reverse("actionplans:measure_update", args=[s["measure"].pk]),
            reverse("actionplans:draft_upload", args=[oslo]),
        ],
        "coordinator": [
            reverse("actionplans:review_detail", args=[bergen, "atp"]),
            reverse("actionplans:review_queue", args=["atp"]),
        ],
        "manager": [
            reverse("actionplans:programme_list"),
            reverse("actionplans:cross_review", args=[bergen]),
            reverse("actionplans:review_grid"),
            reverse("actionplans:extension_list"),
            reverse("actionplans:extension_decide", args=[s["request"].pk]),
            reverse("actionplans:round_extend", args=[s["oslo"].round_id]),
            reverse("actionplans:round_steps", args=[s["oslo"].round_id]),
            reverse("actionplans:programme_reopen", args=[bergen]),
        ],
    }


@pytest.mark.parametrize("who", ["contact_oslo", "coordinator", "manager"])
def test_no_dashes_and_no_ctrl_click(client, request, setting, who):
    client.force_login(request.getfixturevalue(who))
    client.cookies["django_language"] = "en"

    for url in pages(setting)[who]:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert "---------" not in html, url
        assert not MULTIPLE_SELECT.search(html), url


def test_the_link_form_asks_for_a_measure(client, manager, setting):
    client.force_login(manager)
    client.cookies["django_language"] = "en"

    html = client.get(reverse("actionplans:cross_review", args=[setting["bergen"].pk])).content.decode()

    assert html.count('<option value="" selected>Choose a measure</option>') == 2
