"""The minutes editor: "Add a row" without JavaScript keeps what was typed and saves nothing; minutes
wait until the meeting has taken place; decisions offer the deadline changes of the meeting's time."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from actionplans.models import DeadlineExtension
from lib import limits
from meetings.minutes_forms import EXTENSIONS_AFTER, EXTENSIONS_BEFORE, MORE_ROWS
from meetings.models import ActionItem, Decision, Meeting, Minutes
from tests.meetings.conftest import invite
from tests.meetings.test_minutes import formset_data, minutes_data

TYPED = "Samlingen drøftet parkeringsnormer"


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def edit_url(meeting):
    return reverse("meetings:minutes_edit", args=[meeting.pk])


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- "Add a row" without JavaScript ----------------------------------------------------------------


def test_more_rows_keeps_what_was_typed_and_saves_nothing(client, manager, held, contact_oslo):
    invite(held, contact_oslo)
    client.force_login(manager)
    data = minutes_data(
        decisions=[{"text": "Neste samling i Bergen", "deadline_extension": ""}],
        # Unfinished: an owner, no text yet. Not an error while rows are being added.
        actions=[{"text": "", "owner": contact_oslo.pk, "due_date": "2030-03-01", "status": "open"}],
        main_points=TYPED,
    )

    response = client.post(edit_url(held), {**data, MORE_ROWS: "decisions"})

    assert response.status_code == 200
    assert (Minutes.objects.count(), Decision.objects.count(), ActionItem.objects.count()) == (0, 0, 0)
    decisions, actions = response.context["decisions"], response.context["action_items"]
    assert len(decisions.forms) == 2
    assert len(actions.forms) == 1
    page = response.content.decode()
    assert TYPED in page
    assert "Neste samling i Bergen" in page
    assert 'name="decisions-TOTAL_FORMS" value="2"' in page
    assert f'<option value="{contact_oslo.pk}" selected>' in page
    assert 'value="2030-03-01"' in page
    assert "Please correct the following" not in page
    assert "is-invalid" not in page
    # The new row takes the focus, so that one goes on typing there.
    assert decisions.forms[1].fields["text"].widget.attrs.get("autofocus") is True
    assert re.search(r'<textarea name="decisions-1-text"[^>]* autofocus', page)
    assert page.count(" autofocus") == 1
    assert messages_of(response) == ["A row was added. Nothing is saved until you save the minutes."]


def test_more_rows_for_action_items_and_then_save(client, manager, held, contact_oslo):
    invite(held, contact_oslo)
    client.force_login(manager)
    data = minutes_data(actions=[{"text": "Sende rapporten", "owner": "", "due_date": "", "status": "open"}])

    response = client.post(edit_url(held), {**data, MORE_ROWS: "actions"})
    assert len(response.context["action_items"].forms) == 2
    # The browser sends the longer form back, now with the new row filled, and the save button.
    longer = {
        **data,
        **formset_data(
            "actions",
            [
                {"text": "Sende rapporten", "owner": "", "due_date": "", "status": "open"},
                {"text": "Invitere Bergen", "owner": contact_oslo.pk, "due_date": "", "status": "open"},
            ],
        ),
    }
    saved = client.post(edit_url(held), longer)

    assert saved.status_code == 302
    assert list(ActionItem.objects.order_by("pk").values_list("text", flat=True)) == [
        "Sende rapporten",
        "Invitere Bergen",
    ]


def test_more_rows_of_existing_minutes_keeps_their_rows(client, manager, held):
    minutes = Minutes.objects.create(meeting=held, main_points="Gammelt")
    decision = Decision.objects.create(minutes=minutes, text="Vedtatt før")
    client.force_login(manager)
    data = {
        "main_points": "Nytt",
        **formset_data("decisions", [{"id": decision.pk, "text": "Endret vedtak", "deadline_extension": ""}], 1),
        **formset_data("actions", []),
        MORE_ROWS: "decisions",
    }

    response = client.post(edit_url(held), data)

    assert len(response.context["decisions"].forms) == 2
    assert "Endret vedtak" in response.content.decode()
    decision.refresh_from_db()
    minutes.refresh_from_db()
    assert (decision.text, minutes.main_points) == ("Vedtatt før", "Gammelt")


def test_no_more_rows_than_the_limit(client, manager, held):
    client.force_login(manager)
    rows = [{"text": f"Vedtak {n}", "deadline_extension": ""} for n in range(limits.MAX_DECISIONS)]

    response = client.post(edit_url(held), {**minutes_data(decisions=rows), MORE_ROWS: "decisions"})

    assert response.status_code == 200
    assert len(response.context["decisions"].forms) == limits.MAX_DECISIONS
    assert messages_of(response) == ["No more rows can be added here."]
    assert 'value="decisions"' not in response.content.decode()  # no "Add a decision" button any more
    assert not Minutes.objects.exists()


@pytest.mark.parametrize(("more", "total"), [("nonsense", "1"), ("decisions", "x"), ("decisions", "-3")])
def test_more_rows_with_forged_values_is_no_error(client, manager, held, more, total):
    client.force_login(manager)
    data = {**minutes_data(decisions=[{"text": "Vedtak", "deadline_extension": ""}]), MORE_ROWS: more}
    data["decisions-TOTAL_FORMS"] = total

    response = client.post(edit_url(held), data)

    assert response.status_code == 200
    assert messages_of(response) == ["No more rows can be added here."]
    assert not Minutes.objects.exists()


def test_editor_has_add_buttons_and_row_templates(client, manager, held):
    client.force_login(manager)

    page = client.get(edit_url(held)).content.decode()

    assert f'name="{MORE_ROWS}" value="decisions"' in page
    assert f'name="{MORE_ROWS}" value="actions"' in page
    assert '<template id="decisions-empty">' in page
    assert 'id="id_decisions-__prefix__-text"' in page
    assert 'id="id_actions-__prefix__-owner"' in page
    assert "---------" not in page
    assert "Save to get more empty rows" not in page


# --- Only once the meeting has taken place -----------------------------------------------------------


def test_minutes_refused_before_the_meeting(client, manager, gathering):
    client.force_login(manager)
    meeting_url = reverse("meetings:meeting_detail", args=[gathering.pk])

    page = client.get(edit_url(gathering), follow=True)
    sent = client.post(edit_url(gathering), minutes_data(), follow=True)

    for response in (page, sent):
        assert response.redirect_chain == [(meeting_url, 302)]
        assert "Minutes can be written once the meeting has started." in response.content.decode()
    assert not Minutes.objects.exists()


def test_minutes_refused_for_a_cancelled_meeting(client, manager, held):
    Meeting.objects.filter(pk=held.pk).update(status=Meeting.Status.CANCELLED)
    client.force_login(manager)

    response = client.get(edit_url(held))

    assert response.status_code == 302
    assert messages_of(response) == ["The meeting was cancelled, so it has no minutes."]


def test_minutes_can_be_written_while_the_meeting_goes_on(client, manager, gathering):
    Meeting.objects.filter(pk=gathering.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    client.force_login(manager)

    assert client.get(edit_url(gathering)).status_code == 200


def test_meeting_page_offers_minutes_and_summary_only_once_held(client, manager, gathering, held):
    client.force_login(manager)

    before = client.get(reverse("meetings:meeting_detail", args=[gathering.pk])).content.decode()
    after = client.get(reverse("meetings:meeting_detail", args=[held.pk])).content.decode()

    assert "Write minutes" not in before
    assert "Feedback summary" not in before
    assert reverse("meetings:feedback_summary", args=[gathering.pk]) not in before
    assert "The minutes are written once the meeting has taken place." in before
    assert "Write minutes" in after
    assert reverse("meetings:feedback_summary", args=[held.pk]) in after


def test_feedback_summary_refused_before_the_gathering(client, manager, gathering):
    client.force_login(manager)

    response = client.get(reverse("meetings:feedback_summary", args=[gathering.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:meeting_detail", args=[gathering.pk])
    assert messages_of(response) == ["The feedback summary is there once the gathering has been held."]


def test_feedback_summary_refused_for_a_meeting_that_is_no_gathering(client, manager, held):
    Meeting.objects.filter(pk=held.pk).update(kind=Meeting.Kind.COORDINATION_GROUP)
    client.force_login(manager)

    page = client.get(reverse("meetings:meeting_detail", args=[held.pk])).content.decode()
    response = client.get(reverse("meetings:feedback_summary", args=[held.pk]))

    assert "Feedback summary" not in page
    assert response.status_code == 302
    assert messages_of(response) == ["Only gatherings have a feedback survey."]


def test_feedback_link_not_offered_before_the_gathering(client, gathering, contact_bergen):
    invite(gathering, contact_bergen, response="attending")
    client.force_login(contact_bergen)

    page = client.get(reverse("meetings:meeting_detail", args=[gathering.pk])).content.decode()

    assert reverse("meetings:feedback", args=[gathering.pk]) not in page


# --- The deadline changes of the meeting's time --------------------------------------------------------


def extension_at(round_, decided_at, new_date):
    return DeadlineExtension.objects.create(
        deadline=round_.deadline,
        old_date=datetime.date(2030, 1, 15),
        new_date=new_date,
        reason="Koordineringsgruppen",
        decided_at=decided_at,
    )


@pytest.fixture
def extensions(round_, held):
    """One decided during the meeting, one just before, one in the weeks after; two outside the window."""
    return {
        "during": extension_at(round_, held.starts_at + datetime.timedelta(hours=2), datetime.date(2030, 2, 1)),
        "before": extension_at(
            round_, held.starts_at - EXTENSIONS_BEFORE + datetime.timedelta(hours=1), datetime.date(2030, 2, 2)
        ),
        "after": extension_at(
            round_, held.ends_at + EXTENSIONS_AFTER - datetime.timedelta(hours=1), datetime.date(2030, 2, 3)
        ),
        "long_before": extension_at(round_, held.starts_at - datetime.timedelta(days=90), datetime.date(2030, 2, 4)),
        "long_after": extension_at(round_, held.ends_at + datetime.timedelta(days=90), datetime.date(2030, 2, 5)),
    }


def offered(response):
    field = response.context["decisions"].forms[0].fields["deadline_extension"]
    return {value for value, _label in field.choices if value}


def test_decisions_offer_the_deadline_changes_of_the_meetings_time(client, manager, held, extensions):
    client.force_login(manager)

    response = client.get(edit_url(held))

    assert offered(response) == {extensions[k].pk for k in ("during", "before", "after")}
    labels = [label for value, label in response.context["decisions"].forms[0].fields["deadline_extension"].choices]
    assert labels[0] == "None"
    assert "Handlingsprogram 2030: 15.01.2030 → 01.02.2030" in labels


def test_a_deadline_change_of_another_time_is_refused(client, manager, held, extensions):
    client.force_login(manager)

    response = client.post(
        edit_url(held),
        minutes_data(decisions=[{"text": "Fristen flyttes", "deadline_extension": extensions["long_before"].pk}]),
    )

    assert response.status_code == 200
    assert "deadline_extension" in response.context["decisions"].forms[0].errors
    assert not Decision.objects.exists()


def test_a_linked_deadline_change_stays_offered(client, manager, held, extensions):
    minutes = Minutes.objects.create(meeting=held)
    decision = Decision.objects.create(
        minutes=minutes, text="Fristen flyttes", deadline_extension=extensions["long_before"]
    )
    client.force_login(manager)

    assert extensions["long_before"].pk in offered(client.get(edit_url(held)))
    response = client.post(
        edit_url(held),
        {
            "main_points": "",
            **formset_data(
                "decisions",
                [{"id": decision.pk, "text": "Fristen flyttes", "deadline_extension": extensions["long_before"].pk}],
                1,
            ),
            **formset_data("actions", []),
        },
    )

    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.deadline_extension == extensions["long_before"]
