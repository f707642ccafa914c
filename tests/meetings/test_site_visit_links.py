"""A site visit links the measures it shows only for readers who may open their programme."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem
from tests import factories
from tests.meetings.conftest import Response, gathering_at, invite

pytestmark = pytest.mark.django_db


def test_a_site_visit_links_only_the_programmes_the_reader_may_open(
    client, manager, atp, oslo, oslo_programme, contact_oslo, contact_bergen
):
    meeting = gathering_at(manager, [atp], oslo, timezone.now() + datetime.timedelta(days=5))
    invite(meeting, contact_bergen, response=Response.ATTENDING)
    invite(meeting, contact_oslo, response=Response.ATTENDING)
    item = AgendaItem.objects.create(meeting=meeting, starts_at=meeting.starts_at, kind="site_visit", title="Befaring")
    item.measures.add(factories.MeasureFactory(programme=oslo_programme, title="Bysykkel i sentrum"))
    link = f'href="{reverse("actionplans:programme_detail", args=[oslo_programme.pk])}"'
    url = reverse("meetings:meeting_detail", args=[meeting.pk])

    client.force_login(contact_bergen)  # Oslo's draft is not Bergen's to read
    guest = client.get(url).content.decode()
    client.force_login(contact_oslo)
    host = client.get(url).content.decode()

    assert "Bysykkel i sentrum" in guest and link not in guest
    assert "Bysykkel i sentrum" in host and link in host
