"""Every meetings model has its admin pages, and they open."""

import pytest
from django.contrib import admin
from django.urls import reverse

from meetings import models
from meetings.models import ActionItem, ActionItemReminder, Decision, Feedback, Minutes
from tests.meetings.conftest import Response, invite

MODELS = [
    models.Meeting,
    models.AgendaItem,
    models.Invitation,
    models.Attachment,
    models.Minutes,
    models.Decision,
    models.ActionItem,
    models.ActionItemReminder,
    models.Feedback,
    models.ChecklistTemplateItem,
    models.ChecklistItem,
]


def test_every_meetings_model_is_registered():
    registered = {model for model in admin.site._registry if model._meta.app_label == "meetings"}

    assert registered == set(MODELS)


@pytest.fixture
def everything(held, contact_bergen):
    invite(held, contact_bergen, response=Response.ATTENDING, attended=True)
    minutes = Minutes.objects.create(meeting=held, main_points="Punkter")
    Decision.objects.create(minutes=minutes, text="Vedtak")
    item = ActionItem.objects.create(minutes=minutes, text="Oppgave", owner=contact_bergen)
    ActionItemReminder.objects.create(
        action_item=item, offset_days=-2, email="x@example.org", scheduled_at=held.ends_at
    )
    Feedback.objects.create(meeting=held, user=contact_bergen, rating=4, pace="right", enough_discussion="yes")
    return held


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_admin_pages_open(client, superuser, everything, model):
    client.force_login(superuser)
    info = (model._meta.app_label, model._meta.model_name)
    obj = model.objects.first()

    assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    if obj is not None:
        assert client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk])).status_code == 200
